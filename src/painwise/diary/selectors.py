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

import numpy as np
from django.db.models import Aggregate, Max, QuerySet, TextField
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR

from painwise.core import trends
from painwise.core.days import clamp_optional
from painwise.core.vocabularies import DOSE_TAKEN, SessionStatus
from painwise.diary.keyset import cursor_of, older_than, parse_cursor
from painwise.diary.localday import EpochSeconds, local_day_ordinals
from painwise.diary.models import DoseEvent, PainEntry, SideEffect, TherapySession
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


def _live(model: Any, patient: Patient) -> QuerySet:
    return model.objects.live().filter(patient=patient)


class _CommaSeparated(Aggregate):
    """Every row's integer expressions as one text, "a1,b1,a2,b2,...", in no particular row order.

    One value crosses from the database instead of a Python tuple per row, which is most of the
    cost of reading thousands of rows; numpy parses it in one call. SQLite and PostgreSQL only.
    """

    output_field = TextField()

    def _joined(self, compiler: Any) -> tuple[str, list[Any]]:
        parts, params = [], []
        for expression in self.get_source_expressions()[:-1]:  # the last is Aggregate's filter (unused)
            sql, more = compiler.compile(expression)
            parts.append(f"CAST({sql} AS TEXT)")
            params.extend(more)
        return " || ',' || ".join(parts), params

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        joined, params = self._joined(compiler)
        return f"STRING_AGG({joined}, ',')", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        joined, params = self._joined(compiler)
        return f"GROUP_CONCAT({joined}, ',')", params


def _epoch_seconds(queryset: QuerySet, *columns: str) -> np.ndarray:
    """(seconds since the epoch, *columns) of every row as an int64 array, one line per record.

    Integers only, read in one aggregate: no datetime parsing, converters or model instances per row.
    """
    text = queryset.order_by().aggregate(rows=_CommaSeparated(EpochSeconds("occurred_at"), *columns))["rows"]
    width = 1 + len(columns)
    if not text:
        return np.empty((0, width), dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",").reshape(-1, width)


def trend_series(patient: Patient, window: str, today: dt.date | None = None) -> trends.TrendSeries:
    """Daily pain (mean, max, rolling), dose-event and session counts: three queries, integers only.

    The rows are mapped to the patient's local days and aggregated in numpy (localday.local_day_ordinals,
    trends.series_from_rows), which is cheaper than a GROUP BY on a local-day expression in SQL.
    """
    zone = zoneinfo.ZoneInfo(patient.time_zone)
    today = today or timezone.now().astimezone(zone).date()
    days = trends.WINDOWS.get(window, trends.WINDOWS[trends.DEFAULT_WINDOW])
    pain_q, dose_q, session_q = (
        _live(PainEntry, patient),
        _live(DoseEvent, patient).filter(status__in=DOSE_TICK_STATUSES),
        _live(TherapySession, patient).filter(status=SessionStatus.DONE),
    )
    if days is not None:
        # Six lead-in days feed the rolling mean of the first day shown; a day of slack covers offsets.
        since = dt.datetime.combine(today - dt.timedelta(days=days + trends.ROLLING_DAYS), dt.time.min, tzinfo=zone)
        pain_q, dose_q, session_q = (q.filter(occurred_at__gte=since) for q in (pain_q, dose_q, session_q))
    pain = _epoch_seconds(pain_q, "nrs")
    pain_days = local_day_ordinals(pain[:, 0], patient.time_zone)
    dose_days = local_day_ordinals(_epoch_seconds(dose_q)[:, 0], patient.time_zone)
    session_days = local_day_ordinals(_epoch_seconds(session_q)[:, 0], patient.time_zone)
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
        amount = f"{row['amount'].normalize():f} {row['unit']}"
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


TIMELINE_KINDS: dict[str, Any] = {
    "pain_entries": PainEntry,
    "dose_events": DoseEvent,
    "therapy_sessions": TherapySession,
    "side_effects": SideEffect,
}
# The columns _describe reads: the timeline loads these (values(), no model instances), not whole rows.
TIMELINE_FIELDS: dict[str, tuple[str, ...]] = {
    "pain_entries": ("body_site", "nrs", "note"),
    "dose_events": ("amount", "unit", "status", "product__name"),
    "therapy_sessions": ("minutes", "home_practice", "modality", "status"),
    "side_effects": ("ctcae_grade", "severity", "free_text", "kind"),
}


def timeline(patient: Patient, cursor: str | None = None, page_size: int = TIMELINE_PAGE) -> TimelinePage:
    """All diary kinds, newest first, keyset-paginated: one query per kind, each LIMITed, reading only
    the columns shown.

    The order is (occurred_at, kind, id) descending, so records sharing a timestamp are neither lost
    nor repeated across pages.
    """
    after = parse_cursor(cursor, TIMELINE_KINDS)
    items: list[TimelineItem] = []
    for kind, model in TIMELINE_KINDS.items():
        records = _live(model, patient)
        if after is not None:
            records = records.filter(older_than(after, kind, "occurred_at"))
        rows = records.order_by("-occurred_at", "-id").values("id", "occurred_at", *TIMELINE_FIELDS[kind])
        for row in rows[: page_size + 1]:
            title, detail = _describe(kind, row)
            items.append(TimelineItem(kind, row["id"], row["occurred_at"], title, detail))
    items.sort(key=lambda i: (i.occurred_at, i.kind, i.id.hex), reverse=True)
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
