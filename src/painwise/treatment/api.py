from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from painwise.accounts.auth import PatientAccess
from painwise.api_common import ERRORS, ErrorOut, caller
from painwise.core.errors import DomainError, NotFound
from painwise.core.vocabularies import DoseUnit, KratomForm, TherapyKind
from painwise.exchange.serialise import serialise_therapy
from painwise.patients.access import allows, patient_for
from painwise.treatment.exposure import patient_exposure
from painwise.treatment.models import Therapy
from painwise.treatment.services import therapy_create, therapy_delete, therapy_update

router = Router(tags=["treatment plan"])


class ExposureQuery(Schema):
    date_from: dt.date | None = Field(None, alias="from", description="first local day (default: 90 days ago)")
    date_to: dt.date | None = Field(None, alias="to", description="last local day (default: today)")


class TherapyIn(Schema, extra="forbid"):  # type: ignore[call-arg]
    kind: str = Field(..., description=", ".join(TherapyKind.values()))
    name: str = Field(..., max_length=200)
    start_date: dt.date
    stop_date: dt.date | None = None
    notes: str = Field("", max_length=2000)
    strain: str = Field("", max_length=40)
    form: str = Field("", description="kratom only: " + ", ".join(KratomForm.values()))
    unit: str = Field("", description="kratom only: " + ", ".join(DoseUnit.values()))
    leaf_g_per_unit: float | None = Field(None, description="grams of leaf per capsule/mL/serving")
    mitragynine_mg_per_g: float | None = Field(None, description="labelled content, if known")
    seven_oh_mg_per_unit: float | None = Field(None, description="kratom only: 7-OH mg per unit, if known")
    alkaloid_source: str = Field("", description="kratom only: labelled or measured (where the content comes from)")
    concentrated_7oh: bool = Field(False, description="kratom only: a concentrated 7-OH product (form 7oh implies it)")
    drug_class: str = ""


class TherapyPatch(Schema, extra="forbid"):  # type: ignore[call-arg]
    name: str | None = Field(None, max_length=200)
    start_date: dt.date | None = None
    stop_date: dt.date | None = None
    notes: str | None = Field(None, max_length=2000)
    strain: str | None = Field(None, max_length=40)
    leaf_g_per_unit: float | None = None
    mitragynine_mg_per_g: float | None = None
    seven_oh_mg_per_unit: float | None = None
    alkaloid_source: str | None = None
    concentrated_7oh: bool | None = None
    drug_class: str | None = None


class TherapyOut(TherapyIn, extra="ignore"):  # type: ignore[call-arg]
    id: uuid.UUID
    entered_at: dt.datetime
    entered_by: str | None = Field(
        None, description="who entered it: the patient or a clinician with a data-entry grant"
    )


def therapy_out(therapy: Therapy) -> dict[str, Any]:
    return serialise_therapy(therapy) | {"entered_by": therapy.entered_by.username if therapy.entered_by else None}


@router.get("/{patient_id}/therapies", response={200: list[TherapyOut], **ERRORS}, url_name="therapies_list")
def list_therapies(request: HttpRequest, patient_id: str) -> list[dict[str, Any]]:
    """The treatment plan over time, as recorded (painwise never proposes doses)."""
    patient = patient_for(caller(request), patient_id, "plan")
    therapies = Therapy.objects.live().filter(patient=patient).select_related("entered_by")
    return [therapy_out(t) for t in therapies]


@router.post(
    "/{patient_id}/therapies",
    response={201: TherapyOut, **ERRORS},
    url_name="therapies_create",
    auth=PatientAccess("plan"),
)
def create_therapy(request: HttpRequest, patient_id: str, payload: TherapyIn) -> Status[Any]:
    patient = patient_for(caller(request), patient_id, "plan", write=True)
    therapy = therapy_create(actor=caller(request), patient=patient, data=payload.dict())
    return Status(201, therapy_out(therapy))


@router.patch(
    "/{patient_id}/therapies/{therapy_id}",
    response={200: TherapyOut, **ERRORS},
    url_name="therapies_update",
    auth=PatientAccess("plan"),
)
def update_therapy(request: HttpRequest, patient_id: str, therapy_id: str, payload: TherapyPatch) -> dict[str, Any]:
    patient = patient_for(caller(request), patient_id, "plan", write=True)
    changes = payload.dict(exclude_unset=True)
    therapy = therapy_update(actor=caller(request), patient=patient, therapy_id=therapy_id, changes=changes)
    return therapy_out(therapy)


@router.delete(
    "/{patient_id}/therapies/{therapy_id}", response={204: None, **ERRORS, 409: ErrorOut}, url_name="therapies_delete"
)
def delete_therapy(request: HttpRequest, patient_id: str, therapy_id: str) -> Status[Any]:
    patient = patient_for(caller(request), patient_id, "plan", write=True)
    therapy_delete(actor=caller(request), patient=patient, therapy_id=therapy_id)
    return Status(204, None)


@router.get("/{patient_id}/exposure", response={200: dict[str, Any], **ERRORS}, url_name="exposure")
def exposure(request: HttpRequest, patient_id: str, query: Query[ExposureQuery]) -> dict[str, Any]:  # type: ignore[type-arg]
    """Kratom exposure per local day, computed from dose events: leaf-equivalent grams, 7/28-day rolling
    averages, cumulative, mitragynine (exact where content is known, otherwise an interval with its
    source) and 7-OH products separately. It describes use; it is never a target."""
    patient = patient_for(caller(request), patient_id, "plan")
    if not allows(caller(request), patient, "diary"):
        raise NotFound("patient")  # exposure is computed from dose records: the diary's data too
    end = query.date_to or timezone.localdate()
    start = query.date_from or end - dt.timedelta(days=89)
    if start > end or (end - start).days > 3660:
        raise DomainError("request.invalid", "from must be before to, at most 10 years apart", "from")
    return patient_exposure(patient, start, end).to_dict()
