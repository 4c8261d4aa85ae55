"""Reads behind the web pages that are page-specific: the dashboard bundle and the clinician overview.

The diary's reads (trend series, timeline) live in painwise.diary.selectors and the plan's in
painwise.treatment.selectors; they are re-exported here for the views. Access is cleared through
painwise.patients.access (which also audits reads by others), so a view cannot show what the user
may not see.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from painwise.core import trends
from painwise.core.errors import NotFound
from painwise.diary.selectors import (
    DOSE_TICK_STATUSES,
    TIMELINE_PAGE,
    TimelineItem,
    TimelinePage,
    last_entry_at,
    pain_events_since,
    timeline,
    trend_series,
)
from painwise.patients.access import allows, patient_for, readable_among, visible_patients
from painwise.patients.models import Patient
from painwise.treatment.models import Therapy
from painwise.treatment.selectors import kratom_products, plan_items, session_therapies

__all__ = [
    "DOSE_TICK_STATUSES", "SPARKLINE_DAYS", "TIMELINE_PAGE", "Dashboard", "PatientSummary", "TimelineItem",
    "TimelinePage", "clinician_overview", "dashboard", "kratom_products", "own_patient", "plan",
    "readable_patient", "readable_plan", "session_therapies", "timeline", "trend_series",
]  # fmt: skip

SPARKLINE_DAYS = 30
plan = plan_items


@dataclass(frozen=True)
class Dashboard:
    patient: Patient
    window: str
    series: trends.TrendSeries
    timeline: TimelinePage
    therapies: tuple[Therapy, ...]


@dataclass(frozen=True)
class PatientSummary:
    patient: Patient
    shares_diary: bool
    last_entry_at: dt.datetime | None
    sparkline: trends.TrendSeries | None


# --- access ------------------------------------------------------------------------------------


def own_patient(actor: Any) -> Patient:
    """The acting patient's own record, or NotFound (a patient account without one yet)."""
    patient = Patient.objects.select_related("user").filter(user=actor).first() if actor.is_authenticated else None
    if patient is None:
        raise NotFound("patient")
    return patient


def readable_patient(actor: Any, patient_id: uuid.UUID | str) -> Patient:
    """The patient whose diary `actor` may read (audited for others), or NotFound."""
    return patient_for(actor, patient_id, "diary")


# --- pages -------------------------------------------------------------------------------------


def dashboard(
    patient: Patient, window: str, *, cursor: str | None = None, with_plan: bool = True, today: dt.date | None = None
) -> Dashboard:
    """Everything the dashboard shows for a patient already cleared by own_patient/readable_patient.

    A fixed number of queries however long the diary is (asserted in tests/web/test_dashboard_queries.py).
    """
    window = window if window in trends.WINDOWS else trends.DEFAULT_WINDOW
    therapies = plan(patient) if with_plan else ()
    return Dashboard(patient, window, trend_series(patient, window, today), timeline(patient, cursor), therapies)


def readable_plan(actor: Any, patient: Patient) -> tuple[Therapy, ...] | None:
    """The plan if `actor` may read the plan scope too (audited by the access policy), else None."""
    return plan_items(patient) if allows(actor, patient, "plan") else None


def clinician_overview(actor: Any, today: dt.date | None = None) -> list[PatientSummary]:
    """Patients who shared with `actor`: last entry and a 30-day sparkline, in a fixed number of queries.

    Each sparkline is a read of that patient's diary: the access policy clears and audits each.
    """
    patients = list(visible_patients(actor).select_related("user").order_by("user__username"))
    if not patients:
        return []
    diary_ids = {p.id for p in readable_among(actor, patients, "diary", view="clinician_overview")}
    last = last_entry_at(diary_ids)
    now = timezone.now()
    events = pain_events_since(diary_ids, now - dt.timedelta(days=SPARKLINE_DAYS + trends.ROLLING_DAYS))
    summaries = []
    for patient in patients:
        if patient.id not in diary_ids:
            summaries.append(PatientSummary(patient, False, None, None))
            continue
        local_today = today or now.astimezone(zoneinfo.ZoneInfo(patient.time_zone)).date()
        daily = trends.daily_pain_from_events(events.get(patient.id, []), patient.time_zone)
        start = local_today - dt.timedelta(days=SPARKLINE_DAYS - 1)
        spark = trends.build_series(daily, {}, {}, start, local_today)
        summaries.append(PatientSummary(patient, True, last.get(patient.id), spark))
    return summaries
