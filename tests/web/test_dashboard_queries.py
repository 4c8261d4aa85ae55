"""The dashboard reads a bounded number of queries however long the diary is (DESIGN.md: no N+1)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from painwise.diary.models import DoseEvent, PainEntry, SideEffect, TherapySession
from painwise.diary.selectors import diary_records
from painwise.web import selectors
from tests.personas import logged_in

pytestmark = pytest.mark.django_db


def fill(cast, days: int) -> None:
    """Bulk rows straight into the tables: two pain entries, two doses, a session most days."""
    rng = random.Random(days)
    now = timezone.now()
    patient = cast.alice_patient
    pain, doses, sessions, effects = [], [], [], []
    for d in range(days):
        base = now - dt.timedelta(days=d, hours=2)
        for h in (0, 8):
            pain.append(
                PainEntry(
                    patient=patient, occurred_at=base - dt.timedelta(hours=h), body_site="neck", nrs=rng.randint(0, 10)
                )
            )
            doses.append(DoseEvent(patient=patient, occurred_at=base - dt.timedelta(hours=h), product=cast.kratom,
                                   amount=Decimal(2), unit="capsule", status="taken"))  # fmt: skip
        if d % 2:
            sessions.append(
                TherapySession(patient=patient, occurred_at=base, modality="cbt", status="done", minutes=30)
            )
        if d % 30 == 0:
            effects.append(SideEffect(patient=patient, occurred_at=base, kind="hair_shedding", ctcae_grade=1))
    tables: tuple[tuple[Any, list[Any]], ...] = (
        (PainEntry, pain), (DoseEvent, doses), (TherapySession, sessions), (SideEffect, effects)
    )  # fmt: skip
    for model, rows in tables:
        model.objects.bulk_create(rows)


def dashboard_queries(client, window: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("web:home") + f"?window={window}")
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("window", ["90", "all"])
def test_it_uses_the_same_number_of_queries_for_few_and_many_records(cast, window, django_assert_max_num_queries):
    client = logged_in(cast.alice)
    fill(cast, 3)
    few = dashboard_queries(client, window)
    fill(cast, 400)
    with django_assert_max_num_queries(few):
        many = dashboard_queries(client, window)
    assert many == few
    assert few <= 15


def test_it_builds_the_same_daily_means_in_the_database_as_the_pure_reference(cast):
    from painwise.core.trends import daily_pain_from_events

    fill(cast, 40)
    series = selectors.trend_series(cast.alice_patient, "30")
    rows = diary_records(cast.alice_patient, "pain_entries").values_list("occurred_at", "nrs")
    reference = {d.day: d for d in daily_pain_from_events(rows, cast.alice_patient.time_zone)}
    shown = [d for d in series.days if d.mean is not None]
    assert len(shown) >= 29
    for d in shown:
        assert d.mean == round(reference[d.day].mean, 2) and d.max == reference[d.day].max


def test_it_keeps_the_clinician_overview_bounded_too(cast):
    client = logged_in(cast.bob)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("web:home"))
    fill(cast, 200)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("web:home"))
    assert len(many.captured_queries) == len(few.captured_queries)
