"""Timeline times are written in Python; they must read exactly as the template filters wrote them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from painwise.diary.selectors import TimelineItem

FILTERS = Template("""{% load tz %}{{ when|utc|date:'c' }}|{{ when|date:"D j M Y, H:i" }}""")
MOMENTS = [
    dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),  # the night Europe/London moves to summer time
    dt.datetime(2026, 10, 25, 1, 15, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 31, 23, 59, 59, 123456, tzinfo=dt.UTC),
    dt.datetime(2027, 1, 1, 5, 4, tzinfo=dt.timezone(dt.timedelta(hours=-8))),
]


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Kiritimati"])
@pytest.mark.parametrize("when", MOMENTS)
def test_labels_match_the_date_filters(zone, when):
    item = TimelineItem("pain_entries", uuid.uuid4(), when, "Pain", "")
    with timezone.override(zone), translation.override("en"):
        assert f"{item.iso_utc}|{item.local_label}" == FILTERS.render(Context({"when": when}))
