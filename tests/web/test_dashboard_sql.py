"""The dashboard's hand-written statements (painwise.diary.dashboard_sql) read what the ORM reads.

Each test builds the expected answer with the ORM from the same rows, on SQLite and (rerun) PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from painwise.diary import dashboard_sql
from painwise.diary.models import DoseEvent, PainEntry, SideEffect, TherapySession
from painwise.diary.selectors import TIMELINE_KINDS, _describe, timeline

pytestmark = pytest.mark.django_db

FIELDS = {kind: tuple(name for name, _, _ in columns) for kind, (_, columns) in dashboard_sql.TIMELINE_SOURCES.items()}


def fill(cast, seed: int = 7) -> None:
    """Every kind for alice at a handful of shared instants (whole seconds and not), some deleted; dave's too."""
    rng = random.Random(seed)
    base = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)
    instants = [base - dt.timedelta(hours=h) for h in range(6)] + [base + dt.timedelta(microseconds=250_000)]
    rows = []
    for patient in (cast.alice_patient, cast.dave_patient):
        for _ in range(40):
            at = rng.choice(instants)
            deleted = at if rng.random() < 0.15 else None
            common = {"patient": patient, "occurred_at": at, "deleted_at": deleted}
            rows.append(rng.choice([
                PainEntry(**common, body_site="neck", nrs=rng.randint(0, 10), note=rng.choice(["", "after work"])),
                DoseEvent(**common, product=cast.kratom, amount=rng.choice([Decimal("2.5"), Decimal("0.125"),
                          Decimal(3)]), unit="g", status=rng.choice(["taken", "skipped", "as_needed"])),
                TherapySession(**common, modality="physical_therapy", status=rng.choice(["done", "skipped"]),
                               minutes=rng.choice([None, 0, 45]), home_practice=rng.random() < 0.5),
                SideEffect(**common, kind="hair_shedding", ctcae_grade=rng.choice([None, 1, 2]),
                           severity=rng.choice(["", "mild"]), free_text=rng.choice(["", "more on the brush"])),
            ]))  # fmt: skip
    for model in TIMELINE_KINDS.values():
        model.objects.bulk_create([row for row in rows if type(row) is model])


def orm_timeline(patient) -> list[tuple[str, object, dt.datetime, tuple[str, str]]]:
    """Every live record of the patient as the timeline shows it, in (time, kind, id) descending order."""
    items = []
    for kind, model in TIMELINE_KINDS.items():
        for row in model.objects.live().filter(patient=patient).values("id", "occurred_at", *FIELDS[kind]):
            items.append((kind, row["id"], row["occurred_at"], _describe(kind, row)))
    return sorted(items, key=lambda item: (item[2], item[0], item[1].hex), reverse=True)


@pytest.mark.parametrize("page_size", [1, 3, 20])
def test_paging_the_timeline_gives_every_live_record_once_in_order(cast, page_size):
    fill(cast)
    seen, cursor = [], None
    while True:
        page = timeline(cast.alice_patient, cursor, page_size=page_size)
        assert len(page.items) <= page_size
        seen += [(i.kind, i.id, i.occurred_at, (i.title, i.detail)) for i in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == orm_timeline(cast.alice_patient)
    assert all(when.tzinfo is not None and when.utcoffset() == dt.timedelta(0) for _, _, when, _ in seen)


def test_it_describes_values_the_text_columns_carry_as_the_orm_types_them(cast):
    at = timezone.now() - dt.timedelta(hours=1)
    TherapySession.objects.create(patient=cast.alice_patient, occurred_at=at, modality="cbt", status="done",
                                  minutes=0, home_practice=True)  # fmt: skip
    DoseEvent.objects.create(patient=cast.alice_patient, occurred_at=at - dt.timedelta(minutes=1),
                             product=cast.kratom, amount=Decimal("1.250"), unit="g", status="as_needed")  # fmt: skip
    items = {i.kind: i for i in timeline(cast.alice_patient).items}
    assert items["therapy_sessions"].detail == "Done (home practice)"  # no ", 0 min": 0 minutes is not shown
    assert items["dose_events"].detail.endswith(", 1.25 g")


def orm_epoch_rows(model, patient, since, *columns, **filters) -> list[tuple[int, ...]]:
    rows = model.objects.live().filter(patient=patient, occurred_at__gte=since, **filters)
    return sorted((math.floor(when.timestamp()), *rest) for when, *rest in rows.values_list("occurred_at", *columns))


@pytest.mark.parametrize("days_back", [None, 2])
def test_the_chart_rows_are_the_live_pain_doses_taken_and_sessions_done_in_the_window(cast, days_back):
    fill(cast)
    since = None if days_back is None else timezone.now() - dt.timedelta(days=3, hours=days_back)
    pain, doses, sessions = dashboard_sql.chart_rows(cast.alice_patient.id, since)
    lower = since or dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
    patient = cast.alice_patient
    assert sorted(map(tuple, pain.tolist())) == orm_epoch_rows(PainEntry, patient, lower, "nrs")
    taken = orm_epoch_rows(DoseEvent, patient, lower, status__in=["taken", "as_needed"])
    assert sorted(map(tuple, doses.tolist())) == taken
    assert sorted(map(tuple, sessions.tolist())) == orm_epoch_rows(TherapySession, patient, lower, status="done")
    assert pain.size and doses.size and sessions.size  # the fill gave each source rows to compare


def test_the_chart_rows_are_empty_arrays_of_the_right_width_for_an_empty_diary(cast):
    pain, doses, sessions = dashboard_sql.chart_rows(cast.dave_patient.id, None)
    assert (pain.shape, doses.shape, sessions.shape) == ((0, 2), (0, 1), (0, 1))
