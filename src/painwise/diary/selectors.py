"""Diary reads, always through a patient that access.patient_for() has already cleared."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db.models import QuerySet

from painwise.core.days import clamp_optional
from painwise.diary.specs import spec_for
from painwise.patients.models import Patient


def local_day_bounds(patient: Patient, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(patient.time_zone))


def diary_records(
    patient: Patient, kind: str, *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet:
    """Live records of one kind, newest first; date bounds are the patient's local days, inclusive."""
    date_from, date_to = clamp_optional(date_from), clamp_optional(date_to)  # no overflow at 9999-12-31
    spec = spec_for(kind)
    records = spec.model.objects.filter(patient=patient, deleted_at__isnull=True)  # type: ignore[attr-defined]
    if date_from is not None:
        records = records.filter(occurred_at__gte=local_day_bounds(patient, date_from))
    if date_to is not None:
        records = records.filter(occurred_at__lt=local_day_bounds(patient, date_to + dt.timedelta(days=1)))
    return records.order_by("-occurred_at", "-id")
