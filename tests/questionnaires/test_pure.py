"""Pure parts, no database: crisis resources, due dates, the chart and the flag wording."""

import datetime as dt

import pytest

from painwise.core.crisis import is_known, resources_for
from painwise.core.instruments import get
from painwise.core.rules import REGISTRY
from painwise.questionnaires.chart import score_chart
from painwise.questionnaires.due import DEFAULT_INTERVALS, describe_interval, due_status

TODAY = dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("country", "first_name", "phone"),
    [
        ("US", "988 Suicide & Crisis Lifeline", "988"),
        ("uk", "Samaritans", "116 123"),
        ("GB", "Samaritans", "116 123"),
        ("CA", "9-8-8 Suicide Crisis Helpline", "988"),
        ("AU", "Lifeline", "13 11 14"),
        ("IE", "Samaritans", "116 123"),
    ],
)
def test_it_lists_the_national_line_first_and_emergency_services_last(country, first_name, phone):
    resources = resources_for(country)
    assert resources[0].name == first_name and resources[0].phone == phone
    assert resources[-1].name == "Emergency services"


def test_it_falls_back_to_the_generic_emergency_entry_for_an_unknown_country():
    resources = resources_for("FR")
    assert [r.name for r in resources] == ["Emergency services"]
    assert "local emergency number" in resources[0].how
    assert not is_known("FR") and is_known("usa")


def test_it_makes_a_dialable_tel_link():
    assert resources_for("AU")[0].tel == "tel:131114"


def test_it_uses_the_default_schedule_when_none_is_set():
    assert DEFAULT_INTERVALS["peg"] == 7
    assert DEFAULT_INTERVALS["phq9"] == DEFAULT_INTERVALS["gad7"] == 28
    assert DEFAULT_INTERVALS["sows"] is None and DEFAULT_INTERVALS["cows"] is None


def test_it_is_due_when_never_done():
    status = due_status("peg", 7, None, TODAY)
    assert status.is_due and status.due_on == TODAY


def test_it_counts_local_days_so_a_weekly_questionnaire_is_due_on_the_same_weekday():
    done = TODAY - dt.timedelta(days=7)
    assert due_status("peg", 7, done, TODAY).is_due
    not_yet = due_status("peg", 7, done + dt.timedelta(days=1), TODAY)
    assert not not_yet.is_due and not_yet.status == "not_due"
    assert not_yet.due_on == TODAY + dt.timedelta(days=1)


def test_it_never_marks_on_demand_instruments_as_due():
    status = due_status("sows", None, None, TODAY)
    assert status.status == "on_demand" and not status.is_due and status.due_on is None


def test_it_describes_intervals_in_words():
    assert [describe_interval(d) for d in (None, 1, 7, 28, 10)] == [
        "on demand",
        "every day",
        "every week",
        "every 4 weeks",
        "every 10 days",
    ]


def test_it_shades_every_published_band_and_escapes_text():
    phq9 = get("phq9")
    points = [(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 3), (dt.datetime(2026, 2, 1, tzinfo=dt.UTC), 16)]
    svg = score_chart(points, phq9.score_range, phq9.bands, "PHQ-9 <scores>")
    assert svg.count("<rect") == len(phq9.bands) == 5
    assert "moderately severe" in svg and "<polyline" in svg and svg.count("<circle") == 2
    assert "PHQ-9 &lt;scores&gt;" in svg and "<scores>" not in svg
    assert "style=" not in svg  # the CSP forbids inline styles


def test_it_draws_a_single_point_without_a_line():
    peg = get("peg")
    svg = score_chart([(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 4.67)], peg.score_range, peg.bands, "PEG")
    assert "<polyline" not in svg and svg.count("<circle") == 1 and "<rect" not in svg


MOOD_RULES = [REGISTRY["mood.self_harm"], REGISTRY["mood.self_harm_unanswered"]]


@pytest.mark.parametrize("rule", MOOD_RULES, ids=[r.id for r in MOOD_RULES])
def test_it_words_flags_as_observation_and_checks_never_causes_or_dosing(rule):
    text = " ".join((rule.title, rule.rationale, rule.consider)).lower()
    assert "Kroenke" in rule.cite() and "clinical_reference" not in rule.cite()
    for banned in ("caused by", "due to kratom", "increase", "start kratom", "dose"):
        assert banned not in text
    assert "c-ssrs" in rule.consider.lower()
