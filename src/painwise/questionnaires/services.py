"""Questionnaire writes: submit (score, store, audit, safety flags in one transaction) and schedules."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.db import transaction
from django.utils import timezone

from painwise.audit.services import audit_record
from painwise.core.errors import DomainError
from painwise.core.instruments import Instrument, get, score
from painwise.core.rules import REGISTRY
from painwise.core.rules.outcomes import ITEM9
from painwise.monitoring.models import Flag
from painwise.monitoring.services import flags_raise
from painwise.patients.access import CLINICIAN_RATED, may
from painwise.patients.models import Patient
from painwise.questionnaires.due import MAX_INTERVAL_DAYS
from painwise.questionnaires.models import QuestionnaireResponse, Schedule
from painwise.questionnaires.serialise import published_total

CLOCK_SKEW = dt.timedelta(minutes=5)  # a device clock a little ahead is not a "future" completion


def check_author(actor: Any, patient: Patient, instrument: Instrument) -> None:
    """Self-reports come from the patient; clinician-rated instruments (COWS) from a clinician who may enter data."""
    if instrument.clinician_only:
        if not may(actor, patient, CLINICIAN_RATED, write=True):
            raise DomainError(
                "questionnaires.clinician_only",
                f"{instrument.name} is rated by a clinician with data-entry access to this patient; "
                "it cannot be self-reported.",
                "code",
                403,
            )
    elif not may(actor, patient, "questionnaires", write=True):
        raise DomainError(
            "questionnaires.self_report_only",
            f"{instrument.name} is a self-report: only the patient can submit it.",
            "code",
            403,
        )


def check_completed_at(completed_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    if not isinstance(completed_at, dt.datetime) or completed_at.tzinfo is None:
        raise DomainError("questionnaires.naive_time", "completed_at needs a time zone offset", "completed_at")
    if completed_at > now + CLOCK_SKEW:
        raise DomainError("questionnaires.future_time", "completed_at is in the future", "completed_at")
    return completed_at


def store_response(
    *,
    patient: Patient,
    code: str,
    answers: Any,
    completed_at: dt.datetime,
    entered_at: dt.datetime,
    entered_by: Any,
    entered_by_role: str,
    response_id: uuid.UUID | None = None,
) -> QuestionnaireResponse:
    """Score with the core (which validates every answer) and store answers and score together."""
    result = score(code, answers)
    if result.answered == 0:
        raise DomainError("questionnaires.no_answers", "at least one item must be answered", "answers")
    response = QuestionnaireResponse(
        patient=patient,
        code=result.code,
        answers=list(answers),
        total=result.total,
        band=result.band or "",
        subscales=dict(result.subscales),
        flags=list(result.flags),
        answered=result.answered,
        completed_at=completed_at,
        entered_at=entered_at,
        entered_by=entered_by,
        entered_by_role=entered_by_role,
    )
    if response_id is not None:
        response.id = response_id
    response.save(force_insert=True)
    return response


def raise_safety_flags(*, actor: Any, response: QuestionnaireResponse) -> list[Flag]:
    """PHQ-9 item 9 (docs/rules.md, mood.*): > 0 is urgent whatever the total; unanswered is high.

    The immediate crisis path: raised in the submitting transaction, through the same raise path and with
    the same rule ids as the monitoring engine, which then finds the flag already open."""
    if response.code != "phq9":
        return []
    if "self_harm" in response.flags:
        rule = REGISTRY["mood.self_harm"]
    elif "self_harm_unanswered" in response.flags:
        rule = REGISTRY["mood.self_harm_unanswered"]
    else:
        return []
    instrument = get(response.code)
    answer = response.answers[8]
    label = next((o.label for o in instrument.items[8].options if o.value == answer), "")
    local = response.completed_at.astimezone(zoneinfo.ZoneInfo(response.patient.time_zone))
    total = published_total(response.code, response.total)
    shown_total = "not scorable (items missing)" if total is None else total
    answered = f"answered {answer} ({label})" if answer is not None else "not answered"
    finding = rule.finding(
        date=local.date(),
        data={"item9": answer, "total": total, "band": response.band or None, "response_id": str(response.id)},
        rationale=f'PHQ-9 item 9 ("{ITEM9}") {answered} on {local:%Y-%m-%d %H:%M} ({response.patient.time_zone}); '
        f"PHQ-9 total {shown_total}.",
        subject=str(response.id),
        occurrence=str(response.id),
        note_values={"date": local.date().isoformat()},
    )
    return flags_raise(
        actor=actor,
        patient=response.patient,
        finding=finding,
        source_type="questionnaire_response",
        source_id=response.id,
    )


@transaction.atomic
def questionnaire_submit(
    *,
    actor: Any,
    patient: Patient,
    code: str,
    answers: Any,
    completed_at: dt.datetime | None = None,
    response_id: uuid.UUID | None = None,
) -> QuestionnaireResponse:
    """Validate, score and store one response; a positive or missing PHQ-9 item 9 raises flags in the same
    transaction, so a stored positive answer without its flag cannot exist.

    `response_id` lets the web form make a double submit (refresh, back button) store nothing twice.
    """
    instrument = get(code)
    check_author(actor, patient, instrument)
    now = timezone.now()
    response = store_response(
        patient=patient,
        code=instrument.code,
        answers=answers,
        completed_at=check_completed_at(completed_at or now, now),
        entered_at=now,
        entered_by=actor,
        entered_by_role=getattr(actor, "role", ""),
        response_id=response_id,
    )
    audit_record(
        actor=actor,
        action="create",
        patient_key=patient.audit_key,
        object_type="questionnaire_response",
        object_id=response.id,
        detail={"code": response.code},
    )
    raise_safety_flags(actor=actor, response=response)
    return response


@transaction.atomic
def schedule_set(*, actor: Any, patient: Patient, code: str, interval_days: int | None) -> Schedule:
    """Set how often the patient is asked for `code` (None = on demand). Clinicians with data-entry access only."""
    instrument = get(code)
    if not may(actor, patient, CLINICIAN_RATED, write=True):
        raise DomainError(
            "questionnaires.clinician_only", "schedules are set by a clinician with data-entry access", "code", 403
        )
    if instrument.clinician_only:
        raise DomainError(
            "questionnaires.not_schedulable",
            f"{instrument.name} is rated by a clinician at an assessment, so patients are never asked for it.",
            "code",
        )
    if interval_days is not None and (
        isinstance(interval_days, bool)
        or not isinstance(interval_days, int)
        or not 1 <= interval_days <= MAX_INTERVAL_DAYS
    ):
        raise DomainError(
            "questionnaires.bad_interval",
            f"interval_days must be a whole number of days from 1 to {MAX_INTERVAL_DAYS}, or empty for on demand",
            "interval_days",
        )
    schedule, _ = Schedule.objects.update_or_create(
        patient=patient,
        code=instrument.code,
        defaults={"interval_days": interval_days, "set_by": actor, "set_at": timezone.now()},
    )
    audit_record(
        actor=actor,
        action="update",
        patient_key=patient.audit_key,
        object_type="questionnaire_schedule",
        object_id=schedule.id,
        detail={"code": instrument.code, "interval_days": interval_days},
    )
    return schedule
