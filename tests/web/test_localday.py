"""The local-day mappings (SQL LocalDate, numpy local_day_ordinals) agree with Python's zoneinfo around DST."""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections import Counter
from decimal import Decimal

import numpy as np
import pytest
from django.utils import timezone

from painwise.core.trends import daily_pain_from_events
from painwise.diary.dashboard_sql import chart_rows, fixed_width_rows
from painwise.diary.localday import LocalDate, local_day_ordinals, offset_segments
from painwise.diary.models import DoseEvent, PainEntry
from painwise.web import selectors

pytestmark = pytest.mark.django_db


def test_it_finds_the_two_london_transitions_of_a_year_to_the_second():
    segments = offset_segments("Europe/London", 2025, 2025)
    changes = [(start, minutes) for start, minutes in segments[1:] if start.year == 2025]
    assert changes == [
        (dt.datetime(2025, 3, 30, 1, 0, tzinfo=dt.UTC), 60),
        (dt.datetime(2025, 10, 26, 1, 0, tzinfo=dt.UTC), 0),
    ]


@pytest.mark.parametrize("tz", ["Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC"])
def test_it_puts_each_entry_on_the_same_local_day_as_python(cast, tz):
    zone = zoneinfo.ZoneInfo(tz)
    year = timezone.now().year - 1
    moments = [
        dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)
        for month, day in ((3, 8), (3, 9), (3, 29), (3, 30), (3, 31), (4, 5), (6, 30), (10, 25), (10, 26), (11, 2))
        for hour, minute in ((0, 0), (0, 59), (1, 0), (4, 30), (6, 59), (11, 0), (12, 30), (18, 15), (22, 59), (23, 30))
    ]
    PainEntry.objects.bulk_create(
        PainEntry(patient=cast.alice_patient, occurred_at=m, body_site="neck", nrs=1) for m in moments
    )
    rows = PainEntry.objects.annotate(day=LocalDate("occurred_at", tzinfo=zone)).values_list("occurred_at", "day")
    mismatches = [(when, day) for when, day in rows if when.astimezone(zone).date() != day]
    assert len(rows) == len(moments)
    assert mismatches == []


def dst_moments(year: int) -> list[dt.datetime]:
    return [
        dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=dt.UTC)
        for month, day in ((3, 8), (3, 9), (3, 29), (3, 30), (3, 31), (4, 5), (6, 30), (10, 25), (10, 26), (11, 2))
        for hour, minute, second, micro in (
            (0, 0, 0, 0), (0, 59, 59, 999_999), (1, 0, 0, 0), (4, 30, 0, 0), (6, 59, 59, 500_000),
            (11, 0, 0, 0), (12, 30, 0, 0), (18, 15, 0, 0), (22, 59, 59, 999_999), (23, 30, 0, 0),
        )
    ]  # fmt: skip


ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "UTC", "Australia/Lord_Howe"]


@pytest.mark.parametrize("tz", ZONES)
def test_the_numpy_mapping_puts_each_moment_on_the_same_local_day_as_python(tz):
    zone = zoneinfo.ZoneInfo(tz)
    moments = dst_moments(timezone.now().year - 1)
    seconds = np.array([math.floor(m.timestamp()) for m in moments], dtype=np.int64)
    days = local_day_ordinals(seconds, tz).tolist()
    assert days == [m.astimezone(zone).date().toordinal() for m in moments]


def test_the_chart_reads_whole_seconds_since_the_epoch_floored_in_the_database(cast):
    moments = dst_moments(timezone.now().year - 1)  # fractions up to .999999: never rounded up
    PainEntry.objects.bulk_create(
        PainEntry(patient=cast.alice_patient, occurred_at=m, body_site="neck", nrs=i % 11)
        for i, m in enumerate(moments)
    )
    pain, _, _ = chart_rows(cast.alice_patient.id, None)
    expected = sorted((math.floor(m.timestamp()), i % 11) for i, m in enumerate(moments))
    assert sorted(map(tuple, pain.tolist())) == expected


def test_it_refuses_chart_rows_that_are_not_fixed_width():
    assert fixed_width_rows("2026-01-02 03:04:0500007", with_number=True).tolist() == [[1767323045, 7]]
    with pytest.raises(ValueError, match="24 characters"):
        fixed_width_rows("2026-01-02 03:04:057", with_number=True)


@pytest.mark.parametrize("tz", ["Europe/London", "Pacific/Auckland", "America/New_York"])
def test_the_dashboard_series_puts_entries_on_the_patients_local_days_across_dst(cast, tz):
    patient = cast.alice_patient
    patient.time_zone = tz
    patient.save(update_fields=["time_zone"])
    PainEntry.objects.filter(patient=patient).delete()
    DoseEvent.objects.filter(patient=patient).delete()
    moments = dst_moments(timezone.now().year - 1)
    PainEntry.objects.bulk_create(
        PainEntry(patient=patient, occurred_at=m, body_site="neck", nrs=i % 11) for i, m in enumerate(moments)
    )
    DoseEvent.objects.bulk_create(
        DoseEvent(patient=patient, occurred_at=m, product=cast.kratom, amount=Decimal(1), unit="g", status="taken")
        for m in moments[::3]
    )
    series = selectors.trend_series(patient, "all")
    reference = {d.day: d for d in daily_pain_from_events(((m, i % 11) for i, m in enumerate(moments)), tz)}
    doses = Counter(m.astimezone(zoneinfo.ZoneInfo(tz)).date() for m in moments[::3])
    shown = {d.day: d for d in series.days}
    assert series.start == min(reference)
    assert {day for day, d in shown.items() if d.mean is not None} == set(reference)
    for day, ref in reference.items():
        assert (shown[day].mean, shown[day].max) == (round(ref.mean, 2), ref.max)
    assert {day: d.doses for day, d in shown.items() if d.doses} == doses
