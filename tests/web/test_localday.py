"""The SQL local-day expression agrees with Python's zoneinfo, including around DST changes."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from painwise.diary.models import PainEntry
from painwise.web.localday import LocalDate, offset_segments

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
