"""/api/v1/patients/{id}/fhir: the patient's record as a FHIR R4 Bundle ($everything-style).

The caller sees what their access covers: the patient everything, a clinician the scopes of their
grant (no labs scope: no lab Observations; no diary scope: no diary records) and their own open flags
about the patient. Anyone else gets 404, as everywhere in the API.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from painwise.api_common import ERRORS
from painwise.exchange.fhir import ALL_SCOPES, export_bundle, open_flags
from painwise.exchange.fhir_access import fhir_patient_for

PREFIX = "/patients"  # mounted at /api/v1/patients by painwise.api

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
    "/{patient_id}/fhir",
    response={200: BundleOut, **ERRORS},
    url_name="patient_fhir",
    operation_id="patient_fhir",
    summary="The patient's record as a FHIR R4 Bundle",
)
def patient_fhir(request: HttpRequest, patient_id: str) -> HttpResponse | dict[str, Any]:
    """Every resource of the patient the caller may see (docs/fhir.md): Patient, Condition,
    MedicationStatement, Procedure, Observation, QuestionnaireResponse, AdverseEvent and Flag."""
    user = request.auth  # type: ignore[attr-defined]
    patient, scopes = fhir_patient_for(user, patient_id)
    own = patient.user_id == user.id
    flags = [] if own else open_flags(patient, recipient=user)
    return export_bundle(patient, actor=user, scopes=scopes, flags=flags, bundle_type="searchset")


__all__ = ["ALL_SCOPES", "router"]
