"""The history page: the chart's end dates stay inside it, and the table is paged, latest first."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from painwise.core.instruments import get
from painwise.questionnaires.chart import HEIGHT, RIGHT, WIDTH, score_chart
from painwise.questionnaires.services import questionnaire_submit
from tests.personas import logged_in


def test_the_end_dates_are_anchored_inside_the_chart():
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    points = [(start + dt.timedelta(days=i), 3.0) for i in range(3)]
    svg = score_chart(points, (0, 10), get("peg").bands, "PEG")
    dates = re.findall(rf'<text x="([\d.]+)" y="{HEIGHT - 8}" text-anchor="(\w+)"[^>]*>([^<]+)</text>', svg)
    assert [(anchor, text) for _, anchor, text in dates] == [("start", "01 Jan 2026"), ("end", "03 Jan 2026")]
    assert float(dates[-1][0]) <= WIDTH - RIGHT  # ends at the last point: nothing past the viewBox
    lone = score_chart(points[:1], (0, 10), get("peg").bands, "PEG")
    assert 'text-anchor="middle"' in lone and lone.count('class="q-date"') == 1


@pytest.mark.django_db
def test_the_history_table_shows_twenty_rows_a_page_with_links_between_pages(cast):
    for i in range(45):
        questionnaire_submit(actor=cast.alice, patient=cast.alice_patient, code="peg", answers=[i % 11, 2, 2])
    client = logged_in(cast.alice)
    url = reverse("questionnaires:history", args=["peg"])
    first = client.get(url).content.decode()
    assert first.count("<tr>") - 1 == 20  # minus the header row
    assert "Results 1–20 of 45, latest first" in first and "Page 1 of 3" in first
    assert f'<nav class="pager" aria-label="{get("peg").name} results pages">' in first
    assert '?page=2#q-rows-heading" rel="next"' in first and 'rel="prev"' not in first
    last = client.get(url + "?page=3").content.decode()
    assert last.count("<tr>") - 1 == 5 and 'rel="prev"' in last and 'rel="next"' not in last
    assert last.count("<circle") == 45  # the chart still shows every result
    assert client.get(url + "?page=nonsense").status_code == 200  # a bad page number falls back, never a 500
