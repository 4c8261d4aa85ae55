from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from painwise.accounts.auth import PatientAccess
from painwise.api_common import ERRORS, IsoDate, caller
from painwise.core.conditions import ICD11_CATEGORIES
from painwise.diary.schemas import BodySite
from painwise.exchange.serialise import serialise_condition, serialise_patient
from painwise.patients.access import patient_for, visible_patients
from painwise.patients.services import condition_create

router = Router(tags=["patients"])


class PatientOut(Schema):
    id: uuid.UUID
    username: str
    date_of_birth: dt.date
    sex_at_birth: str
    time_zone: str
    created_at: dt.datetime


class PatientList(Schema):
    items: list[PatientOut]
    count: int


class ConditionIn(Schema, extra="forbid"):  # type: ignore[call-arg]
    label: str = Field(..., min_length=1, max_length=200, pattern=r"\S", description="not blank")
    icd11_category: Literal[tuple(ICD11_CATEGORIES)]  # type: ignore[valid-type]
    body_sites: list[BodySite] = Field(default_factory=list, max_length=30)
    onset_date: IsoDate = Field(..., description="not in the future")


class ConditionOut(Schema):
    id: uuid.UUID
    label: str
    icd11_category: str
    body_sites: list[str]
    onset_date: dt.date
    entered_at: dt.datetime
    chronic: bool


@router.get("", response={200: PatientList, **ERRORS}, url_name="patients_list")
def list_patients(request: HttpRequest) -> dict[str, Any]:
    """The patients the caller may see: themselves (patients) or those who shared with them (clinicians)."""
    patients = visible_patients(caller(request)).select_related("user").order_by("user__username")
    items = [serialise_patient(p) for p in patients]
    return {"items": items, "count": len(items)}


@router.get("/{patient_id}", response={200: PatientOut, **ERRORS}, url_name="patient_detail")
def get_patient(request: HttpRequest, patient_id: str) -> dict[str, Any]:
    return serialise_patient(patient_for(caller(request), patient_id, "diary"))


def _condition_out(condition: Any) -> dict[str, Any]:
    return serialise_condition(condition) | {"chronic": condition.chronic(timezone.localdate())}


@router.get("/{patient_id}/conditions", response={200: list[ConditionOut], **ERRORS}, url_name="conditions_list")
def list_conditions(request: HttpRequest, patient_id: str) -> list[dict[str, Any]]:
    """Pain conditions; `chronic` is derived (pain for longer than 3 months, ICD-11/IASP), never stored."""
    patient = patient_for(caller(request), patient_id, "diary")
    return [_condition_out(c) for c in patient.conditions.live().order_by("onset_date")]


@router.post(
    "/{patient_id}/conditions",
    response={201: ConditionOut, **ERRORS},
    url_name="conditions_create",
    auth=PatientAccess("diary"),
)
def create_condition(request: HttpRequest, patient_id: str, payload: ConditionIn) -> Status[Any]:
    patient = patient_for(caller(request), patient_id, "diary", write=True)
    condition = condition_create(actor=caller(request), patient=patient, data=payload.dict())
    return Status(201, _condition_out(condition))
