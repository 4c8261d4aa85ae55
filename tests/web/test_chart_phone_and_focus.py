"""Phone-legible chart text, and focus after the timeline's "Load more"."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from painwise.diary.services import diary_record_create
from painwise.labs import charts as lab_charts
from painwise.questionnaires import chart as q_chart
from painwise.web import charts as pain_charts
from tests.personas import logged_in

SRC = Path(__file__).resolve().parents[2] / "src" / "painwise"
APP_CSS = (SRC / "web/static/web/app.css").read_text()
LABS_CSS = (SRC / "labs/static/labs/labs.css").read_text()
PHONE_CHART_PX = 330  # a 390 px phone: the card's padding leaves about this much for the chart
LEGIBLE_PX = 10.5


def phone_rule(css: str, selector: str) -> float:
    block = css[css.index("@media (max-width: 40rem)") :]
    match = re.search(re.escape(selector) + r"\s*\{\s*font-size:\s*([\d.]+)px", block)
    assert match, selector
    return float(match.group(1))


@pytest.mark.parametrize(
    ("css", "selector", "viewbox_width"),
    [
        (APP_CSS, "svg.chart:not(.lab-chart) text", pain_charts.WIDTH),
        (APP_CSS, "svg.q-chart text", q_chart.WIDTH),
        (LABS_CSS, ".lab-chart .chart-label", lab_charts.WIDTH),
    ],
)
def test_chart_text_is_legible_on_a_390_px_phone(css, selector, viewbox_width):
    # The SVG is scaled to its box, so a font-size in viewBox units shrinks by box width / viewBox width.
    assert phone_rule(css, selector) * PHONE_CHART_PX / viewbox_width >= LEGIBLE_PX


def test_the_lab_chart_rows_leave_room_for_the_phone_text():
    assert phone_rule(LABS_CSS, ".lab-chart .chart-label") + 10 + 4 <= lab_charts.ROW  # text, bar, gap


@pytest.mark.django_db
def test_load_more_marks_the_first_new_item_for_focus(cast):
    moment = timezone.now() - dt.timedelta(hours=1)
    for i in range(25):
        diary_record_create(
            actor=cast.alice,
            patient=cast.alice_patient,
            kind="pain_entries",
            data={"occurred_at": moment, "body_site": "neck", "nrs": i % 11},
        )
    client = logged_in(cast.alice)
    home = client.get(reverse("web:home")).content.decode()
    button = re.search(r'hx-get="(/diary/timeline/\?cursor=[^"]+)"[^>]*data-focus-page="([^"]+)"', home)
    assert button, "Load more names the page it loads"
    more = client.get(button.group(1).replace("&amp;", "&"), HTTP_HX_REQUEST="true").content.decode()
    first = more[more.index("<li") : more.index(">", more.index("<li"))]
    assert f'data-page-cursor="{button.group(2)}"' in first and 'tabindex="-1"' in first
    assert more.count("data-page-cursor=") == 1  # only the first new item
    # app.js focuses it: the trigger's data-focus-page is looked up among the new items.
    js = (SRC / "web/static/web/app.js").read_text()
    assert 'getAttribute("data-focus-page")' in js and "[data-page-cursor=" in js
