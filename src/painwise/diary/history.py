"""One timeline of everything in a patient's record: pain, check-ins, doses, sessions, side effects,
lab results, questionnaires and plan changes, newest first, filterable by kind.

Keyset-paginated like the dashboard's diary timeline: each database source is one LIMITed query
ordered by (time, id); plan changes (a handful of rows) are built in Python. A page therefore costs
at most one query per selected kind, however long the record.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from painwise.core.diary import SHEDDING_RATINGS
from painwise.core.exposure import amount_text
from painwise.diary.keyset import Cursor, cursor_of, older_than, parse_cursor
from painwise.diary.models import CheckIn, DoseEvent, PainEntry, SideEffect, TherapySession
from painwise.labs.models import LabResult
from painwise.patients.models import Patient
from painwise.questionnaires.models import QuestionnaireResponse
from painwise.treatment.models import Therapy

PAGE = 25


@dataclass(frozen=True)
class HistoryItem:
    kind: str  # a key of KINDS
    id: uuid.UUID
    at: dt.datetime
    title: str
    detail: str
    record_kind: str = ""  # the diary spec kind when the patient may edit/delete it on the web

    @property
    def cursor(self) -> str:
        return cursor_of(self.at, self.kind, self.id)


@dataclass(frozen=True)
class HistoryPage:
    items: tuple[HistoryItem, ...]
    next_cursor: str | None
    kinds: tuple[str, ...]


def _words(code: str) -> str:
    return code.replace("_", " ")


def _pain(r: Any) -> tuple[str, str]:
    return f"Pain {r.nrs}/10", _words(r.body_site) + (f" — {r.note}" if r.note else "")


def _check_in(r: Any) -> tuple[str, str]:
    parts = []
    if r.sleep_hours is not None:
        parts.append(f"slept {r.sleep_hours.normalize():f} h")
    for name, label in (("sleep_quality", "sleep quality"), ("mood", "mood"), ("interference", "interference")):
        if getattr(r, name) is not None:
            parts.append(f"{label} {getattr(r, name)}/10")
    if r.activity_minutes is not None:
        parts.append(f"{r.activity_minutes} min active")
    if r.alcoholic_drinks is not None:
        parts.append(f"{r.alcoholic_drinks} drink{'s' if r.alcoholic_drinks != 1 else ''}")
    return "Check-in", ", ".join(parts)


def _dose(r: Any) -> tuple[str, str]:
    return f"Kratom: {r.get_status_display().lower()}", f"{r.product.name}, {amount_text(r.amount, r.unit)}"


def _session(r: Any) -> tuple[str, str]:
    minutes = f", {r.minutes} min" if r.minutes else ""
    home = " (home practice)" if r.home_practice else ""
    return f"Session: {_words(r.modality)}", f"{r.get_status_display()}{minutes}{home}"


def _side_effect(r: Any) -> tuple[str, str]:
    parts = [r.severity] if r.severity else []
    if r.ctcae_grade:
        parts.append(f"CTCAE grade {r.ctcae_grade}")
    if r.shedding_rating is not None:
        parts.append(f"own rating {r.shedding_rating}/4 ({SHEDDING_RATINGS[r.shedding_rating].lower()})")
    if r.onset_date:
        parts.append(f"since {r.onset_date:%-d %b %Y}")
    if r.resolved_date:
        parts.append(f"ended {r.resolved_date:%-d %b %Y}")
    if r.free_text:
        parts.append(r.free_text)
    return f"Side effect: {_words(r.kind)}", ", ".join(parts)


def _lab(r: Any) -> tuple[str, str]:
    return f"Lab: {r.analyte_entered or r.analyte}", f"{r.value:g} {r.unit} ({r.get_status_display().lower()})"


def _questionnaire(r: Any) -> tuple[str, str]:
    total = f"score {r.total:g}" if r.total is not None else "answered"
    return f"Questionnaire: {r.get_code_display()}", total + (f" — {r.band}" if r.band else "")


@dataclass(frozen=True)
class Source:
    label: str
    model: type[Any] | None  # None: plan changes, built in Python
    time_field: str = "occurred_at"
    describe: Callable[[Any], tuple[str, str]] | None = None
    record_kind: str = ""
    related: tuple[str, ...] = ()
    soft_deleted: bool = True  # the model has deleted_at (questionnaire responses are never deleted)


KINDS: dict[str, Source] = {
    "pain": Source("Pain", PainEntry, describe=_pain, record_kind="pain_entries"),
    "check_ins": Source("Check-ins", CheckIn, describe=_check_in, record_kind="check_ins"),
    "doses": Source("Kratom doses", DoseEvent, describe=_dose, record_kind="dose_events", related=("product",)),
    "sessions": Source("Sessions", TherapySession, describe=_session, record_kind="therapy_sessions"),
    "side_effects": Source("Side effects", SideEffect, describe=_side_effect, record_kind="side_effects"),
    "labs": Source("Lab results", LabResult, time_field="collected_at", describe=_lab),
    "questionnaires": Source(
        "Questionnaires", QuestionnaireResponse, "completed_at", _questionnaire, soft_deleted=False
    ),
    "plan": Source("Plan changes", None),
}


def parse_kinds(values: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(k for k in KINDS if k in set(values))
    return chosen or tuple(KINDS)


def _is_older(item: HistoryItem, after: Cursor | None) -> bool:
    if after is None:
        return True
    return (item.at, item.kind, item.id.hex) < (after[0], after[1], after[2].hex)


def _db_items(patient: Patient, kind: str, source: Source, after: Cursor | None, limit: int) -> list[HistoryItem]:
    assert source.model is not None and source.describe is not None
    manager = source.model.objects
    records: QuerySet[Any] = (manager.live() if source.soft_deleted else manager.all()).filter(patient=patient)
    if after is not None:
        records = records.filter(older_than(after, kind, source.time_field))
    if source.related:
        records = records.select_related(*source.related)
    rows = records.order_by(f"-{source.time_field}", "-id")[:limit]
    items = []
    for row in rows:
        title, detail = source.describe(row)
        items.append(HistoryItem(kind, row.id, getattr(row, source.time_field), title, detail, source.record_kind))
    return items


def _plan_items(patient: Patient) -> list[HistoryItem]:
    """Each plan item's start and stop, at the start of that local day (plans are dated, not timed)."""
    zone = zoneinfo.ZoneInfo(patient.time_zone)
    items = []
    for therapy in Therapy.objects.live().filter(patient=patient):
        kind_label = therapy.get_kind_display()
        start = dt.datetime.combine(therapy.start_date, dt.time.min, tzinfo=zone)
        # Distinct ids for the two events of one item keep the keyset order total.
        items.append(HistoryItem("plan", therapy.id, start, f"Plan: started {therapy.name}", kind_label))
        if therapy.stop_date is not None:
            stop = dt.datetime.combine(therapy.stop_date, dt.time.min, tzinfo=zone)
            stop_id = uuid.uuid5(therapy.id, "stop")
            items.append(HistoryItem("plan", stop_id, stop, f"Plan: stopped {therapy.name}", kind_label))
    return items


def history(
    patient: Patient, kinds: Iterable[str] = (), cursor: str | None = None, page_size: int = PAGE
) -> HistoryPage:
    """The patient's own record, all kinds or the chosen ones, newest first. Callers check access."""
    chosen = parse_kinds(kinds)
    after = parse_cursor(cursor, KINDS)
    items: list[HistoryItem] = []
    for kind in chosen:
        source = KINDS[kind]
        if source.model is None:
            items.extend(i for i in _plan_items(patient) if _is_older(i, after))
        else:
            items.extend(_db_items(patient, kind, source, after, page_size + 1))
    items.sort(key=lambda i: (i.at, i.kind, i.id.hex), reverse=True)
    page = tuple(items[:page_size])
    return HistoryPage(page, page[-1].cursor if len(items) > page_size else None, chosen)
