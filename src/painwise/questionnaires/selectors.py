"""Questionnaire reads, always for a patient that an access check has already cleared."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

from django.db.models import Max, QuerySet
from django.utils import timezone

from painwise.core.days import clamp_optional
from painwise.core.errors import NotFound
from painwise.core.instruments import all_instruments
from painwise.monitoring.models import Flag
from painwise.patients.models import Patient
from painwise.questionnaires.due import DEFAULT_INTERVALS, DueStatus, due_status
from painwise.questionnaires.models import QuestionnaireResponse, Schedule


def responses_for(
    patient: Patient, *, code: str | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[QuestionnaireResponse]:
    """Newest first; date bounds are the patient's local days, inclusive."""
    date_from, date_to = clamp_optional(date_from), clamp_optional(date_to)  # no overflow at 9999-12-31
    responses = QuestionnaireResponse.objects.filter(patient=patient)
    if code:
        responses = responses.filter(code=code)
    zone = zoneinfo.ZoneInfo(patient.time_zone)
    if date_from is not None:
        responses = responses.filter(completed_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=zone))
    if date_to is not None:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        responses = responses.filter(completed_at__lt=end)
    return responses.order_by("-completed_at", "-id")


def response_for(patient: Patient, response_id: uuid.UUID | str) -> QuestionnaireResponse:
    try:
        key = uuid.UUID(str(response_id))
    except ValueError as exc:
        raise NotFound("questionnaire response") from exc
    response = QuestionnaireResponse.objects.select_related("patient").filter(patient=patient, id=key).first()
    if response is None:
        raise NotFound("questionnaire response")
    return response


def intervals_for(patient: Patient) -> dict[str, int | None]:
    intervals = dict(DEFAULT_INTERVALS)
    for code, interval in Schedule.objects.filter(patient=patient).values_list("code", "interval_days"):
        intervals[code] = interval
    return intervals


def due_list(patient: Patient, now: dt.datetime | None = None) -> list[DueStatus]:
    """Every self-report instrument with its schedule and due state: two queries whatever the history size."""
    zone = zoneinfo.ZoneInfo(patient.time_zone)
    today = (now or timezone.now()).astimezone(zone).date()
    last = dict(
        QuestionnaireResponse.objects.filter(patient=patient)
        .values("code")
        .annotate(last=Max("completed_at"))
        .values_list("code", "last")
    )
    intervals = intervals_for(patient)
    statuses = []
    for instrument in all_instruments():
        if instrument.clinician_only:
            continue
        done = last.get(instrument.code)
        statuses.append(
            due_status(
                instrument.code, intervals.get(instrument.code), done.astimezone(zone).date() if done else None, today
            )
        )
    return statuses


def clinician_notified(response: QuestionnaireResponse) -> bool:
    """Did the safety flags of this response reach at least one clinician (rather than wait as pending)?"""
    return Flag.objects.filter(
        source_type="questionnaire_response", source_id=str(response.id), recipient__isnull=False
    ).exists()
