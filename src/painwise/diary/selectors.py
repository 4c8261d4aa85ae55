"""Diary reads, always through a patient that access.patient_for() has already cleared.

Each reads a bounded number of queries whatever the size of the diary. Chart series read one integer
timestamp (and the NRS) per row; painwise.diary.localday maps them to the patient's local days and
painwise.core.trends aggregates them in numpy, lays the days out and computes the rolling line.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR

from painwise.core import trends
from painwise.core.days import clamp_optional
from painwise.core.exposure import amount_text
from painwise.core.vocabularies import DOSE_TAKEN
from painwise.diary import dashboard_sql
from painwise.diary.keyset import cursor_of, parse_cursor
from painwise.diary.localday import local_day_ordinals
from painwise.diary.models import DoseEvent, PainEntry, TherapySession
from painwise.diary.specs import SPECS, spec_for
from painwise.patients.models import Patient

TIMELINE_PAGE = 20
# Dose events that count as "took something" on the chart; skipped doses are in the timeline only.
DOSE_TICK_STATUSES = DOSE_TAKEN


@dataclass(frozen=True)
class TimelineItem:
    kind: str
    id: uuid.UUID
    occurred_at: dt.datetime
    title: str
    detail: str

    @property
    def cursor(self) -> str:
        return cursor_of(self.occurred_at, self.kind, self.id)

    @property
    def iso_utc(self) -> str:
        """What `occurred_at|utc|date:'c'` prints, without the template filters' per-call cost."""
        return self.occurred_at.astimezone(dt.UTC).isoformat()

    @property
    def local_label(self) -> str:
        """`occurred_at|date:"D j M Y, H:i"` in the current time zone, from the same translated names."""
        local = timezone.localtime(self.occurred_at)
        weekday, month = WEEKDAYS_ABBR[local.weekday()], MONTHS_3[local.month].title()
        return f"{weekday} {local.day} {month} {local.year:04d}, {local:%H:%M}"


@dataclass(frozen=True)
class TimelinePage:
    items: tuple[TimelineItem, ...]
    next_cursor: str | None


def local_day_bounds(patient: Patient, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(patient.time_zone))


def diary_records(
    patient: Patient, kind: str, *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet:
    """Live records of one kind, newest first; date bounds are the patient's local days, inclusive."""
    date_from, date_to = clamp_optional(date_from), clamp_optional(date_to)  # no overflow at 9999-12-31
    spec = spec_for(kind)
    records = spec.model.objects.live().filter(patient=patient)  # type: ignore[attr-defined]
    if date_from is not None:
        records = records.filter(occurred_at__gte=local_day_bounds(patient, date_from))
    if date_to is not None:
        records = records.filter(occurred_at__lt=local_day_bounds(patient, date_to + dt.timedelta(days=1)))
    return records.order_by("-occurred_at", "-id")


# --- chart series ------------------------------------------------------------------------------


def trend_series(patient: Patient, window: str, today: dt.date | None = None) -> trends.TrendSeries:
    """Daily pain (mean, max, rolling), dose-event and session counts: three queries, integers only.

    The rows are mapped to the patient's local days and aggregated in numpy (localday.local_day_ordinals,
    trends.series_from_rows), which is cheaper than a GROUP BY on a local-day expression in SQL.
    """
    zone = zoneinfo.ZoneInfo(patient.time_zone)
    today = today or timezone.now().astimezone(zone).date()
    days = trends.WINDOWS.get(window, trends.WINDOWS[trends.DEFAULT_WINDOW])
    since = None
    if days is not None:
        # Six lead-in days feed the rolling mean of the first day shown; a day of slack covers offsets.
        since = dt.datetime.combine(today - dt.timedelta(days=days + trends.ROLLING_DAYS), dt.time.min, tzinfo=zone)
    pain, doses, sessions = dashboard_sql.chart_rows(patient.id, since)
    pain_days = local_day_ordinals(pain[:, 0], patient.time_zone)
    dose_days = local_day_ordinals(doses[:, 0], patient.time_zone)
    session_days = local_day_ordinals(sessions[:, 0], patient.time_zone)
    start = trends.window_start(window, today, trends.first_day(pain_days, dose_days, session_days))
    return trends.series_from_rows(pain_days, pain[:, 1], dose_days, session_days, start, today)


# --- timeline ----------------------------------------------------------------------------------


def _status_label(model: Any, value: str) -> str:
    """What get_status_display() would say, without a model instance."""
    return str(dict(model._meta.get_field("status").flatchoices).get(value, value))


def _describe(kind: str, row: dict[str, Any]) -> tuple[str, str]:
    if kind == "pain_entries":
        site = row["body_site"].replace("_", " ")
        return f"Pain {row['nrs']}/10", site + (f" — {row['note']}" if row["note"] else "")
    if kind == "dose_events":
        amount = amount_text(row["amount"], row["unit"])
        status = _status_label(DoseEvent, row["status"])
        return f"Kratom: {status.lower()}", f"{row['product__name']}, {amount}"
    if kind == "therapy_sessions":
        minutes = f", {row['minutes']} min" if row["minutes"] else ""
        home = " (home practice)" if row["home_practice"] else ""
        status = _status_label(TherapySession, row["status"])
        return f"Session: {row['modality'].replace('_', ' ')}", f"{status}{minutes}{home}"
    if kind == "side_effects":
        grade = f", CTCAE grade {row['ctcae_grade']}" if row["ctcae_grade"] else ""
        severity = f"{row['severity']}" if row["severity"] else ""
        parts = ", ".join(p for p in (severity + grade, row["free_text"]) if p)
        return f"Side effect: {row['kind'].replace('_', ' ')}", parts.lstrip(", ")
    return SPECS[kind].label.capitalize(), ""


TIMELINE_KINDS: dict[str, Any] = {kind: model for kind, (model, _) in dashboard_sql.TIMELINE_SOURCES.items()}


def timeline(patient: Patient, cursor: str | None = None, page_size: int = TIMELINE_PAGE) -> TimelinePage:
    """All diary kinds, newest first, keyset-paginated: one statement reading only the columns shown.

    The order is (occurred_at, kind, id) descending, so records sharing a timestamp are neither lost
    nor repeated across pages.
    """
    after = parse_cursor(cursor, TIMELINE_KINDS)
    rows = dashboard_sql.timeline_rows(patient.id, after, page_size + 1)
    items = [TimelineItem(kind, key, at, *_describe(kind, fields)) for kind, key, at, fields in rows]
    page = tuple(items[:page_size])
    return TimelinePage(page, page[-1].cursor if len(items) > page_size else None)


# --- across patients (the clinician overview) --------------------------------------------------


def last_entry_at(patient_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, dt.datetime]:
    """Each patient's latest live diary record time (timeline kinds): one query per kind."""
    last: dict[uuid.UUID, dt.datetime] = {}
    for model in TIMELINE_KINDS.values():
        rows = model.objects.live().filter(patient_id__in=patient_ids).values("patient_id")
        for row in rows.annotate(last=Max("occurred_at")).order_by():
            if row["patient_id"] not in last or row["last"] > last[row["patient_id"]]:
                last[row["patient_id"]] = row["last"]
    return last


def pain_events_since(
    patient_ids: Collection[uuid.UUID], since: dt.datetime
) -> dict[uuid.UUID, list[tuple[dt.datetime, int]]]:
    """(occurred_at, NRS) of each patient's live pain entries since `since`, in one query.

    Raw rows, not a GROUP BY: each patient has their own local day, and the window bounds the rows.
    """
    recent = (
        PainEntry.objects.live()
        .filter(patient_id__in=patient_ids, occurred_at__gte=since)
        .order_by()
        .values_list("patient_id", "occurred_at", "nrs")
    )
    events: dict[uuid.UUID, list[tuple[dt.datetime, int]]] = {}
    for patient_id, occurred_at, nrs in recent:
        events.setdefault(patient_id, []).append((occurred_at, nrs))
    return events
