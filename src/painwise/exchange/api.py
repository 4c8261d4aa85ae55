"""/api/v1/patients/{id}/fhir: the patient's record as a FHIR R4 Bundle ($everything-style); and the
CDS Hooks 2.0 service (base URL /api/v1: discovery at /api/v1/cds-services).

The caller sees what their access covers: the patient everything, a clinician the scopes of their
grant (no labs scope: no lab Observations; no diary scope: no diary records) and their own open flags
about the patient. Anyone else gets 404, as everywhere in the API.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Body, Field, Router, Schema

from painwise.accounts.auth import PatientAccess
from painwise.api_common import ERRORS, caller
from painwise.core.fhir import cds
from painwise.exchange.cds import patient_view
from painwise.exchange.fhir import ALL_SCOPES, export_bundle, import_bundle, open_flags
from painwise.exchange.fhir_access import fhir_patient_for
from painwise.patients.access import patient_for

PREFIX = ""  # mounted at /api/v1 by painwise.api

router = Router(tags=["fhir"])

EXAMPLE = {
    "resourceType": "Bundle",
    "id": "0b1d6a2e-0f1c-5d7e-9a55-2f0c1d6b7a10",
    "type": "searchset",
    "timestamp": "2026-11-28T09:00:00+00:00",
    "total": 1,
    "entry": [
        {
            "fullUrl": "urn:uuid:6bd24743-8751-40cb-8521-bce87a1aa347",
            "resource": {
                "resourceType": "Patient",
                "id": "6bd24743-8751-40cb-8521-bce87a1aa347",
                "identifier": [{"system": "https://painwise.org/fhir/sid/username", "value": "demo-patient"}],
                "birthDate": "1979-04-02",
                "gender": "female",
            },
            "search": {"mode": "match"},
        },
        {
            "fullUrl": "urn:uuid:1c7e2f0a-3b1d-4c55-8e0f-9a1b2c3d4e5f",
            "resource": {
                "resourceType": "Observation",
                "id": "1c7e2f0a-3b1d-4c55-8e0f-9a1b2c3d4e5f",
                "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3"}]},
                "subject": {"reference": "Patient/6bd24743-8751-40cb-8521-bce87a1aa347"},
                "effectiveDateTime": "2026-11-27T08:30:00+00:00",
                "valueInteger": 6,
            },
            "search": {"mode": "include"},
        },
    ],
}


class BundleOut(Schema):
    resourceType: str = Field(..., description="always Bundle")
    id: str
    type: str = Field(..., description="searchset")
    timestamp: str
    total: int
    entry: list[dict[str, Any]] = Field(..., description="Patient first, then every resource in the caller's scopes")

    model_config = {"json_schema_extra": {"example": EXAMPLE}}  # type: ignore[dict-item]


@router.get(
    "/patients/{patient_id}/fhir",
    response={200: BundleOut, **ERRORS},
    url_name="patient_fhir",
    operation_id="patient_fhir",
    summary="The patient's record as a FHIR R4 Bundle",
)
def patient_fhir(request: HttpRequest, patient_id: str) -> HttpResponse | dict[str, Any]:
    """Every resource of the patient the caller may see (docs/fhir.md): Patient, Condition,
    MedicationStatement, Procedure, Observation, QuestionnaireResponse, AdverseEvent and Flag."""
    user = caller(request)
    patient, scopes = fhir_patient_for(user, patient_id)
    own = patient.user_id == user.id
    flags = [] if own else open_flags(patient, recipient=user)
    return export_bundle(patient, actor=user, scopes=scopes, flags=flags, bundle_type="searchset")


PUSH_EXAMPLE = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [
        {
            "resource": {
                "resourceType": "Observation",
                "id": "fer-1",
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "laboratory",
                            }
                        ]
                    }
                ],
                "code": {"coding": [{"system": "http://loinc.org", "code": "2276-4"}]},
                "effectiveDateTime": "2026-11-20T08:00:00Z",
                "valueQuantity": {"value": 12, "unit": "ng/mL", "system": "http://unitsofmeasure.org", "code": "ng/mL"},
                "referenceRange": [{"low": {"value": 15, "code": "ng/mL"}, "high": {"value": 150, "code": "ng/mL"}}],
            }
        }
    ],
}


class SkippedOut(Schema):
    resource: str = Field(..., description="ResourceType/id")
    reason: str


class ImportOut(Schema):
    imported: dict[str, int] = Field(..., description="resourceType -> count")
    skipped: list[SkippedOut]

    model_config = {  # type: ignore[assignment]
        "json_schema_extra": {
            "example": {
                "imported": {"Observation": 2},
                "skipped": [
                    {
                        "resource": "Observation/glu-1",
                        "reason": "LOINC code '2345-7' is not in painwise's labs catalogue (`painwise lab analytes`)",
                    }
                ],
            }
        }
    }


@router.post(
    "/patients/{patient_id}/fhir",
    response={200: ImportOut, **ERRORS},
    url_name="patient_fhir_import",
    operation_id="patient_fhir_import",
    summary="Import lab Observations from a FHIR Bundle",
    auth=PatientAccess("labs"),
    openapi_extra={"requestBody": {"content": {"application/json": {"example": PUSH_EXAMPLE}}}},
)
def patient_fhir_import(request: HttpRequest, patient_id: str, payload: Body[dict[str, Any]]) -> dict[str, Any]:  # type: ignore[type-arg]
    """Push lab results from another system: the Bundle's lab Observations (LOINC codes from the labs
    catalogue, UCUM units) are imported into the patient all-or-nothing; everything else is skipped and
    listed with the reason. The patient, or a clinician whose grant has the labs scope and data entry."""
    user = caller(request)
    patient = patient_for(user, patient_id, "labs", write=True)
    return import_bundle(payload, actor=user, patient=patient)


# --- CDS Hooks 2.0 --------------------------------------------------------------------------------

REQUEST_EXAMPLE = {
    "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
    "fhirServer": "https://ehr.example/fhir",
    "hook": "patient-view",
    "context": {
        "userId": "Practitioner/example",
        "patientId": "6bd24743-8751-40cb-8521-bce87a1aa347",
        "encounterId": "89284",
    },
}
CARDS_EXAMPLE = {
    "cards": [
        {
            "uuid": "0b7f0e8e-5c4b-4f7e-9a35-3f0f4a3c1d10",
            "summary": "PHQ-9 item 9 positive: thoughts of death or self-harm reported",
            "indicator": "critical",
            "detail": "PHQ-9 item 9 answered 1 on 2026-11-27 ...\n\n**Consider:** Same-day follow-up ...",
            "source": {
                "label": "painwise monitoring — Kroenke K et al. J Gen Intern Med 2001",
                "topic": {"system": "https://painwise.org/fhir/CodeSystem/monitoring-rule", "code": "mood.self_harm"},
            },
        }
    ]
}


class ServiceOut(Schema):
    hook: str
    id: str
    title: str
    description: str
    usageRequirements: str


class DiscoveryOut(Schema):
    services: list[ServiceOut]

    model_config = {"json_schema_extra": {"example": cds.DISCOVERY}}  # type: ignore[dict-item]


class PatientViewContext(Schema):
    userId: str = Field(..., max_length=200, description="the EHR user, e.g. Practitioner/123")
    patientId: str = Field(..., max_length=200, description="the painwise patient id (FHIR Patient.id)")
    encounterId: str | None = Field(None, max_length=200)


class HookRequest(Schema):
    hook: str = Field(..., max_length=100)
    hookInstance: str = Field(..., max_length=100, description="a UUID for this call")
    fhirServer: str | None = Field(None, max_length=2000)
    fhirAuthorization: dict[str, Any] | None = None
    context: PatientViewContext
    prefetch: dict[str, Any] | None = None

    model_config = {"json_schema_extra": {"example": REQUEST_EXAMPLE}}  # type: ignore[dict-item]


class CardSource(Schema):
    label: str
    url: str | None = Field(None, description="painwise's evidence page: the full references")
    topic: dict[str, str] | None = None


class Link(Schema):
    label: str
    url: str
    type: str


class Card(Schema):
    uuid: str
    summary: str
    indicator: str = Field(..., description="critical (urgent flag), warning (high) or info (routine)")
    detail: str
    source: CardSource
    links: list[Link] | None = None


class CardsOut(Schema):
    cards: list[Card]

    model_config = {"json_schema_extra": {"example": CARDS_EXAMPLE}}  # type: ignore[dict-item]


@router.get(
    "/cds-services",
    auth=None,
    response={200: DiscoveryOut, **ERRORS},
    url_name="cds_discovery",
    operation_id="cds_discovery",
    summary="CDS Hooks discovery",
)
def cds_discovery(request: HttpRequest) -> dict[str, Any]:
    """The CDS Hooks services painwise offers (public, as CDS Hooks discovery is)."""
    return cds.DISCOVERY


@router.post(
    "/cds-services/{service_id}",
    response={200: CardsOut, **ERRORS},
    url_name="cds_service",
    operation_id="cds_service",
    summary="CDS Hooks patient-view service",
)
def cds_service(request: HttpRequest, service_id: str, payload: HookRequest) -> dict[str, Any]:
    """The patient's open monitoring flags addressed to the caller, within the granted scopes, as
    cards. A patient painwise does not know, or one the caller may not see, gets no cards."""
    return patient_view(
        caller(request),
        service_id=service_id,
        hook=payload.hook,
        patient_id=payload.context.patientId,
        base_url=request.build_absolute_uri("/"),
    )


__all__ = ["ALL_SCOPES", "router"]
