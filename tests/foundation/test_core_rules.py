"""Pure-core rules without a database: chronicity and diary validation."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painwise.core.conditions import add_months, is_chronic
from painwise.core.diary import validate_dose, validate_pain_entry, validate_side_effect
from painwise.core.errors import DomainError

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def test_it_calls_pain_chronic_only_after_three_months():
    onset = dt.date(2026, 1, 31)
    assert add_months(onset, 3) == dt.date(2026, 4, 30)
    assert not is_chronic(onset, dt.date(2026, 4, 30))
    assert is_chronic(onset, dt.date(2026, 5, 1))


@given(st.integers(min_value=0, max_value=10))
def test_it_accepts_every_nrs_from_0_to_10(nrs):
    validate_pain_entry({"occurred_at": NOW, "body_site": "neck", "nrs": nrs}, NOW)


@given(st.integers().filter(lambda n: n < 0 or n > 10))
def test_it_refuses_every_nrs_outside_0_to_10(nrs):
    with pytest.raises(DomainError) as caught:
        validate_pain_entry({"occurred_at": NOW, "body_site": "neck", "nrs": nrs}, NOW)
    assert caught.value.field == "nrs"


def test_it_refuses_control_characters_in_notes():
    with pytest.raises(DomainError) as caught:
        validate_pain_entry({"occurred_at": NOW, "body_site": "neck", "nrs": 2, "note": "a\x00b"}, NOW)
    assert caught.value.code == "diary.control_characters"


def test_it_allows_a_zero_amount_only_for_a_skipped_dose():
    validate_dose({"occurred_at": NOW, "unit": "g", "status": "skipped", "amount": 0}, NOW)
    with pytest.raises(DomainError) as caught:
        validate_dose({"occurred_at": NOW, "unit": "g", "status": "taken", "amount": 0}, NOW)
    assert caught.value.field == "amount"


def test_it_grades_hair_loss_by_ctcae_grades_1_and_2_only():
    base = {"occurred_at": NOW, "kind": "hair_shedding"}
    validate_side_effect(base | {"ctcae_grade": 2}, NOW)
    with pytest.raises(DomainError):
        validate_side_effect(base | {"ctcae_grade": 3}, NOW)
    with pytest.raises(DomainError) as caught:
        validate_side_effect({"occurred_at": NOW, "kind": "nausea", "ctcae_grade": 1}, NOW)
    assert caught.value.field == "ctcae_grade"


def test_it_refuses_a_naive_event_time():
    with pytest.raises(DomainError) as caught:
        validate_pain_entry({"occurred_at": NOW.replace(tzinfo=None), "body_site": "neck", "nrs": 2}, NOW)
    assert caught.value.code == "diary.naive_time"
