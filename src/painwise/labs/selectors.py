"""Lab reads, always for a patient that painwise.patients.access.patient_for() has already cleared."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from painwise.core.days import clamp_optional
from painwise.core.labs import resolve_analyte
from painwise.diary.selectors import local_day_bounds
from painwise.labs.models import LabResult
from painwise.patients.models import Patient
from painwise.treatment.models import Therapy, TherapyKind

# Plan items drawn under a lab chart: what plausibly moves B12, iron, hormones or liver tests.
OVERLAY_KINDS = (
    TherapyKind.SUPPLEMENT,
    TherapyKind.KRATOM,
    TherapyKind.MEDICATION,
    TherapyKind.PHYSICAL_THERAPY,
    TherapyKind.CBT,
    TherapyKind.MINDFULNESS,
)


def lab_results(
    patient: Patient,
    *,
    analyte: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[LabResult]:
    """Live results, newest first; `analyte` by short name, alias or LOINC; dates are local days, inclusive."""
    date_from, date_to = clamp_optional(date_from), clamp_optional(date_to)  # no overflow at 9999-12-31
    results = LabResult.objects.live().filter(patient=patient).select_related("entered_by")
    if analyte:
        results = results.filter(analyte=resolve_analyte(analyte)[0].short_name)
    if date_from is not None:
        results = results.filter(collected_at__gte=local_day_bounds(patient, date_from))
    if date_to is not None:
        results = results.filter(collected_at__lt=local_day_bounds(patient, date_to + dt.timedelta(days=1)))
    return results.order_by("-collected_at", "-id")


def analytes_measured(patient: Patient) -> list[str]:
    """Short names of analytes with at least one live result, alphabetically."""
    live = LabResult.objects.live().filter(patient=patient)
    return sorted(set(live.values_list("analyte", flat=True)))


def overlay_therapies(patient: Patient, start: dt.date, end: dt.date) -> list[Therapy]:
    """Live plan items of the overlay kinds whose period touches [start, end]."""
    therapies = (
        Therapy.objects.live()
        .filter(patient=patient, kind__in=OVERLAY_KINDS, start_date__lte=end)
        .exclude(stop_date__lt=start)
    )
    return list(therapies.order_by("start_date", "name"))


def same_result_exists(patient: Patient, data: dict[str, Any]) -> bool:
    """Whether a live result of the same test, value, unit and collection time is already stored
    (the web asks before saving a second copy of one report)."""
    try:
        value = float(str(data.get("value")))
    except ValueError:
        return False
    return (
        LabResult.objects.live()
        .filter(
            patient=patient,
            analyte=data.get("analyte"),
            collected_at=data["collected_at"],
            value=value,
            unit__iexact=str(data.get("unit") or "").strip(),
        )
        .exists()
    )
