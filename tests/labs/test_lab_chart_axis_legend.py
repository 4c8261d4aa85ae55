"""The lab trend chart's time axis stops at today, and its dashed plan-start lines have a key."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from painwise.labs import charts
from painwise.labs.services import lab_result_create
from painwise.treatment.services import therapy_create
from tests.labs.helpers import days_ago
from tests.personas import logged_in

pytestmark = pytest.mark.django_db


def add(cast, value, days):
    data = {"analyte": "ferritin", "value": value, "unit": "ng/mL", "collected_at": days_ago(days)}
    return lab_result_create(actor=cast.alice, patient=cast.alice_patient, data=data)


def chart_page(cast):
    url = reverse("labs:analyte_chart", args=[cast.alice_patient.id, "ferritin"])
    return logged_in(cast.alice).get(url).content.decode()


def axis_dates(html):
    svg = html[html.index("<svg") : html.index("</svg>")]
    texts = re.findall(
        r'<text x="[^"]+" y="[^"]+" text-anchor="(?:start|middle|end)" class="chart-label">([^<]+)</text>', svg
    )
    return [dt.datetime.strptime(t, "%d %b %Y").date() for t in texts if re.fullmatch(r"\d{1,2} \w{3} \d{4}", t)]


def test_the_time_axis_ends_at_today_when_the_last_result_is_recent(cast):
    add(cast, 20, 400)
    add(cast, 19.3, 3)  # padding (400 days / 25 = 16 days) would run 13 days into the future
    with timezone.override(cast.alice_patient.time_zone):
        today = timezone.localdate()
        dates = axis_dates(chart_page(cast))
    assert dates and max(dates) == today


def test_the_time_axis_keeps_its_padding_for_old_results_and_never_ends_before_the_last_one():
    class Result:
        def __init__(self, day):
            self.collected_at = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)

    today = dt.date(2026, 6, 1)
    old = [Result(dt.date(2024, 1, 1)), Result(dt.date(2025, 1, 1))]
    assert charts.time_window(old, today=today)[1] == dt.date(2025, 1, 15)  # 366 // 25 days of padding
    lone = [Result(today - dt.timedelta(days=5))]
    assert charts.time_window(lone, today=today) == (today - dt.timedelta(days=35), today)
    future = [Result(today + dt.timedelta(days=2))]  # a clock skew must not cut the result off
    assert charts.time_window(future, today=today)[1] == today + dt.timedelta(days=2)


def test_dashed_plan_start_lines_have_a_key_and_there_is_none_without_them(cast):
    add(cast, 20, 200)
    add(cast, 30, 10)
    therapy_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        data={"kind": "supplement", "name": "Ferrous sulfate 200 mg", "start_date": days_ago(60).date()},
    )
    html = chart_page(cast)
    assert 'stroke-dasharray="4 3"' in html and "lab-therapy-start" in html
    legend = html[html.index('<ul class="legend lab-legend"') :]
    legend = legend[: legend.index("</ul>")]
    assert 'aria-label="Chart key"' in legend and "Dashed vertical line" in legend
    assert 'class="key key-dashed" data-kind="supplement"' in legend


def test_no_key_when_no_plan_item_starts_inside_the_window():
    class Item:
        kind, start_date = "kratom", dt.date(2025, 1, 1)

    assert charts.legend([], dt.date(2026, 1, 1)) == ""
    assert charts.legend([Item()], dt.date(2026, 1, 1)) == ""  # started before the window: no dashed line
    assert "key-dashed" in charts.legend([Item()], dt.date(2024, 12, 1))
