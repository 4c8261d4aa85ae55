"""/api/v1/patients/{id}/questionnaire-schedules: how often the patient is asked for each
self-report, with its due state (read: questionnaires scope); set by a clinician whose grant has the
questionnaires scope and data entry (as on the web page). Patients read theirs; setting answers 403."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import BeforeValidator, StrictInt

from painwise.accounts.auth import PatientAccess
from painwise.api_common import ERRORS, ErrorOut, caller
from painwise.core.errors import NotFound
from painwise.core.instruments import all_instruments, get
from painwise.patients.access import CLINICIAN_RATED, patient_for
from painwise.questionnaires.api import _canonical_code
from painwise.questionnaires.due import MAX_INTERVAL_DAYS, describe_interval
from painwise.questionnaires.models import Schedule
from painwise.questionnaires.selectors import due_list
from painwise.questionnaires.services import schedule_set

# Self-report instruments only: clinician-rated ones (COWS) are never scheduled.
SchedulableCode = Annotated[  # type: ignore[valid-type]
    Literal[tuple(i.code for i in all_instruments() if not i.clinician_only)], BeforeValidator(_canonical_code)
]

router = Router(tags=["questionnaires"])
SCOPE = "questionnaires"


class ScheduleOut(Schema):
    code: str
    interval_days: int | None = Field(..., description="null: on demand (never due)")
    describe: str = Field(..., description='e.g. "every 4 weeks"')
    set_by_clinician: bool = Field(..., description="false: painwise's default interval")
    set_at: dt.datetime | None
    last_completed: dt.date | None = Field(..., description="local day of the last response")
    due_on: dt.date | None
    status: str = Field(..., description="due, not_due or on_demand")

    model_config = {  # type: ignore[assignment]
        "json_schema_extra": {
            "example": {
                "code": "phq9",
                "interval_days": 28,
                "describe": "every 4 weeks",
                "set_by_clinician": False,
                "set_at": None,
                "last_completed": "2026-11-02",
                "due_on": "2026-11-30",
                "status": "not_due",
            }
        }
    }


class ScheduleIn(Schema, extra="forbid"):  # type: ignore[call-arg]
    interval_days: StrictInt | None = Field(
        ..., ge=1, le=MAX_INTERVAL_DAYS, description="days between requests; null for on demand"
    )


def _schedules(patient: Any) -> list[dict[str, Any]]:
    set_rows = {s.code: s for s in Schedule.objects.filter(patient=patient)}
    out = []
    for status in due_list(patient):
        row = set_rows.get(status.code)
        out.append(
            {
                "code": status.code,
                "interval_days": status.interval_days,
                "describe": describe_interval(status.interval_days),
                "set_by_clinician": row is not None,
                "set_at": row.set_at if row else None,
                "last_completed": status.last_completed,
                "due_on": status.due_on,
                "status": status.status,
            }
        )
    return out


@router.get(
    "/{patient_id}/questionnaire-schedules",
    response={200: list[ScheduleOut], **ERRORS},
    url_name="questionnaire_schedules",
    operation_id="questionnaire_schedules",
)
def list_schedules(request: HttpRequest, patient_id: str) -> list[dict[str, Any]]:
    """Every self-report instrument with its interval (set by the clinician or painwise's default) and
    whether it is due, on the patient's local days."""
    return _schedules(patient_for(caller(request), patient_id, SCOPE, view="questionnaire_schedules"))


@router.put(
    "/{patient_id}/questionnaire-schedules/{code}",
    response={200: ScheduleOut, 403: ErrorOut, **ERRORS},
    url_name="questionnaire_schedule_set",
    operation_id="questionnaire_schedule_set",
    auth=PatientAccess(SCOPE, write=False),
)
def set_schedule(request: HttpRequest, patient_id: str, code: SchedulableCode, payload: ScheduleIn) -> dict[str, Any]:  # type: ignore[valid-type]
    """Set how often the patient is asked for `code` (`null`: on demand). Clinicians with the
    questionnaires scope and data entry only; the patient (and a read-only clinician) get 403 with the
    reason; COWS is never scheduled (422)."""
    user = caller(request)
    instrument = get(code)
    try:
        patient = patient_for(user, patient_id, CLINICIAN_RATED, write=True)
    except NotFound:
        # The patient or a read-only clinician: schedule_set answers 403 with its reason; others 404.
        patient = patient_for(user, patient_id, SCOPE)
    schedule_set(actor=user, patient=patient, code=instrument.code, interval_days=payload.interval_days)
    return next(s for s in _schedules(patient) if s["code"] == instrument.code)
