from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from painwise.accounts.auth import PatientAccess
from painwise.api_common import ERRORS, ErrorOut, IsoDate, caller
from painwise.core.days import EARLIEST_DAY, LATEST_DAY
from painwise.core.errors import DomainError, NotFound
from painwise.core.vocabularies import AlkaloidSource, DoseUnit, DrugClass, KratomForm, TherapyKind
from painwise.exchange.serialise import serialise_therapy
from painwise.patients.access import allows, patient_for
from painwise.treatment.exposure import patient_exposure
from painwise.treatment.models import Therapy
from painwise.treatment.services import therapy_create, therapy_delete, therapy_update

router = Router(tags=["treatment plan"])


class ExposureQuery(Schema):
    date_from: IsoDate | None = Field(
        None, alias="from", description="first local day (default: 90 days before `to`); 1900-01-01 to 2200-12-31"
    )
    date_to: IsoDate | None = Field(
        None, alias="to", description="last local day (default: today); 1900-01-01 to 2200-12-31"
    )


class TherapyIn(Schema, extra="forbid"):  # type: ignore[call-arg]
    kind: TherapyKind
    name: str = Field(..., min_length=1, max_length=200, pattern=r"\S", description="not blank")
    start_date: IsoDate = Field(..., description="at most a year ahead")
    stop_date: IsoDate | None = Field(None, description="not before start_date")
    notes: str = Field("", max_length=2000)
    strain: str = Field("", max_length=40)
    form: Literal[("", *KratomForm.values())] = Field("", description="kratom only (required there)")  # type: ignore[valid-type]
    unit: Literal[("", *DoseUnit.values())] = Field("", description="kratom only (required there)")  # type: ignore[valid-type]
    leaf_g_per_unit: float | None = Field(
        None, ge=0.001, le=1000, description="kratom only: grams of leaf per capsule/mL/serving (1 when counted in g)"
    )
    mitragynine_mg_per_g: float | None = Field(None, ge=0, le=1000, description="kratom only: labelled content")
    seven_oh_mg_per_unit: float | None = Field(
        None, ge=0, le=1000, description="kratom only: 7-OH mg per unit, if known"
    )
    alkaloid_source: Literal[("", *AlkaloidSource.values())] = Field(  # type: ignore[valid-type]
        "", description="kratom only: labelled or measured (where the content comes from)"
    )
    concentrated_7oh: bool = Field(False, description="kratom only: a concentrated 7-OH product (form 7oh implies it)")
    drug_class: Literal[("", *DrugClass.values())] = Field("", description="medication and supplement only")  # type: ignore[valid-type]


class TherapyPatch(Schema, extra="forbid"):  # type: ignore[call-arg]
    name: str = Field(None, min_length=1, max_length=200, pattern=r"\S", description="not blank")  # type: ignore[assignment]
    start_date: IsoDate = Field(None, description="at most a year ahead")  # type: ignore[assignment]
    stop_date: IsoDate | None = Field(None, description="not before start_date")
    notes: str = Field(None, max_length=2000)  # type: ignore[assignment]
    strain: str = Field(None, max_length=40)  # type: ignore[assignment]
    leaf_g_per_unit: float | None = Field(None, ge=0.001, le=1000)
    mitragynine_mg_per_g: float | None = Field(None, ge=0, le=1000)
    seven_oh_mg_per_unit: float | None = Field(None, ge=0, le=1000)
    alkaloid_source: Literal[("", *AlkaloidSource.values())] = None  # type: ignore[valid-type]
    concentrated_7oh: bool = None  # type: ignore[assignment]
    drug_class: Literal[("", *DrugClass.values())] = None  # type: ignore[valid-type]


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
    for name, day in (("to", end), ("from", query.date_from)):
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise DomainError("request.invalid", f"{name} must lie between {EARLIEST_DAY} and {LATEST_DAY}", name)
    start = query.date_from or end - dt.timedelta(days=89)
    if start > end or (end - start).days > 3660:
        raise DomainError("request.invalid", "from must be before to, at most 10 years apart", "from")
    return patient_exposure(patient, start, end).to_dict()
