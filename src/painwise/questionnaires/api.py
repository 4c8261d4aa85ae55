"""/api/v1/patients/{patient_id}/questionnaires: submit and read scored questionnaire responses.

Self-reports (PEG, PHQ-9, GAD-7, PCS, SOWS) are submitted by the patient. COWS is submitted by a
clinician whose grant has the questionnaires scope and can_enter_data (the policy table in painwise.patients.access).
Anyone who may read the patient's questionnaires but not submit this one gets 403 with the reason;
anyone else gets 404, as everywhere.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, StrictInt

from painwise.accounts.auth import PatientAccess
from painwise.api_common import ERRORS, ErrorOut, PageQuery, caller, paginate
from painwise.core.errors import NotFound
from painwise.core.instruments import codes, get
from painwise.patients.access import CLINICIAN_RATED, patient_for
from painwise.patients.models import Patient
from painwise.questionnaires.selectors import response_for, responses_for
from painwise.questionnaires.serialise import serialise_response
from painwise.questionnaires.services import questionnaire_submit

router = Router(tags=["questionnaires"])
SCOPE = "questionnaires"

WRITE_ERRORS: dict[int, Any] = {**ERRORS, 403: ErrorOut}


def _canonical_code(value: object) -> object:
    # "PHQ-9", "phq_9" and " phq9 " keep working (CLI and form spellings); the enum lists the canonical codes.
    spelled = str(value).strip().lower().replace("-", "").replace("_", "") if isinstance(value, str) else value
    return spelled if spelled in codes() else value


InstrumentCode = Annotated[Literal[tuple(codes())], BeforeValidator(_canonical_code)]  # type: ignore[valid-type]


class ResponseIn(Schema, extra="forbid"):  # type: ignore[call-arg]
    code: InstrumentCode  # type: ignore[valid-type]
    # Strict: "3", 3.0 and true are input mistakes, not answers (the core checks the allowed values).
    answers: list[StrictInt | None] = Field(
        ..., max_length=64, description="published order; null for a missing answer; COWS: the points of each sign"
    )
    completed_at: dt.datetime | None = Field(
        None, description="when it was completed (back-dating allowed); now if omitted"
    )


class ResponseOut(Schema):
    id: uuid.UUID
    code: str
    answers: list[int | None]
    completed_at: dt.datetime
    entered_at: dt.datetime
    entered_by_role: str | None
    total: int | float | None = Field(..., description="null when not scorable (items missing)")
    band: str | None
    subscales: dict[str, int | float | None]
    flags: list[str]
    answered: int


class ResponsePage(Schema):
    items: list[ResponseOut]
    count: int
    page: int
    page_size: int
    next_page: int | None


class ResponseQuery(PageQuery):
    code: InstrumentCode | None = Field(None, description="only this instrument")  # type: ignore[valid-type]


def _writable_patient(user: Any, patient_id: str, code: str) -> Patient:
    try:
        return patient_for(user, patient_id, CLINICIAN_RATED if get(code).clinician_only else SCOPE, write=True)
    except NotFound:
        # Whoever may read the questionnaires but not submit this one gets the service's 403 with its
        # reason; others 404.
        return patient_for(user, patient_id, SCOPE)


@router.get(
    "/{patient_id}/questionnaires",
    response={200: ResponsePage, **ERRORS},
    url_name="questionnaires_list",
    operation_id="questionnaires_list",
)
def list_responses(request: HttpRequest, patient_id: str, query: Query[ResponseQuery]) -> dict[str, Any]:  # type: ignore[type-arg]
    """Scored responses, newest first; `from`/`to` are the patient's local days."""
    patient = patient_for(caller(request), patient_id, SCOPE)
    code = get(query.code).code if query.code else None
    responses = responses_for(patient, code=code, date_from=query.date_from, date_to=query.date_to)
    return paginate(responses, query, serialise_response)


@router.post(
    "/{patient_id}/questionnaires",
    response={201: ResponseOut, **WRITE_ERRORS},
    url_name="questionnaires_create",
    auth=PatientAccess("questionnaires", write=False),
    operation_id="questionnaires_create",
)
def create_response(request: HttpRequest, patient_id: str, payload: ResponseIn) -> Status[Any]:
    """Score and store one response. PHQ-9 item 9 > 0 raises an urgent flag for every clinician with a grant."""
    patient = _writable_patient(caller(request), patient_id, payload.code)
    response = questionnaire_submit(
        actor=caller(request),
        patient=patient,
        code=payload.code,
        answers=payload.answers,
        completed_at=payload.completed_at,
    )
    return Status(201, serialise_response(response))


@router.get(
    "/{patient_id}/questionnaires/{response_id}",
    response={200: ResponseOut, **ERRORS},
    url_name="questionnaires_detail",
    operation_id="questionnaires_detail",
)
def get_response(request: HttpRequest, patient_id: str, response_id: str) -> dict[str, Any]:
    patient = patient_for(caller(request), patient_id, SCOPE)
    return serialise_response(response_for(patient, response_id))


# Questionnaire schedules (how often the patient is asked): their own module, mounted here.
from painwise.questionnaires.schedules_api import router as schedules_router  # noqa: E402

router.add_router("", schedules_router)
