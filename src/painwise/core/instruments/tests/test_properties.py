"""Properties that must hold for any valid answers (Hypothesis)."""

from fractions import Fraction
from math import floor

from hypothesis import given
from hypothesis import strategies as st

from painwise.core.instruments import ScoringConfig, all_instruments, get, score

CODES = [instrument.code for instrument in all_instruments()]


@st.composite
def complete_answers(draw, code=None):
    code = code or draw(st.sampled_from(CODES))
    items = get(code).items
    return code, [draw(st.sampled_from(item.allowed)) for item in items]


@st.composite
def answers_with_gaps(draw, code):
    _, answers = draw(complete_answers(code))
    missing = draw(st.sets(st.integers(0, len(answers) - 1), max_size=len(answers) - 1))
    return [None if index in missing else value for index, value in enumerate(answers)]


@given(complete_answers())
def test_it_always_scores_within_the_instruments_range(case):
    code, answers = case
    result = score(code, answers)
    low, high = get(code).score_range
    assert result.total is not None
    assert low <= result.total <= high
    assert result.answered == len(answers)


@given(complete_answers())
def test_it_gives_a_published_band_whenever_the_instrument_has_bands(case):
    code, answers = case
    instrument = get(code)
    result = score(code, answers)
    if instrument.bands:
        assert result.band in {band.name for band in instrument.bands}
    else:
        assert result.band is None


@given(st.sampled_from(CODES).flatmap(lambda code: st.tuples(st.just(code), answers_with_gaps(code))))
def test_it_refuses_to_score_any_gap_by_default(case):
    code, answers = case
    result = score(code, answers)
    if None in answers:
        assert (result.total, result.band) == (None, None)
    else:
        assert result.total is not None


@given(answers_with_gaps("phq9"), st.integers(0, 8))
def test_it_prorates_phq9_to_the_documented_value_only_within_the_limit(answers, max_missing):
    result = score("phq9", answers, ScoringConfig(max_missing=max_missing))
    answered = [value for value in answers if value is not None]
    missing = len(answers) - len(answered)
    if missing > max_missing:
        assert result.total is None
    else:
        # Documented rule: round-half-up(sum of answered * 9 / answered).
        assert result.total == floor(Fraction(sum(answered) * 9, len(answered)) + Fraction(1, 2))
        assert 0 <= result.total <= 27
        assert ("prorated" in result.flags) == (missing > 0)


@given(answers_with_gaps("peg"))
def test_it_takes_the_peg_mean_of_answered_items_when_opted_in(answers):
    result = score("peg", answers, ScoringConfig(max_missing=2))
    answered = [value for value in answers if value is not None]
    assert result.total is not None
    assert abs(result.total - sum(answered) / len(answered)) <= 0.005


@given(answers_with_gaps("phq9"), st.integers(1, 3))
def test_it_always_flags_self_harm_when_item_9_is_above_0(answers, item9):
    answers[8] = item9
    for config in (None, ScoringConfig(max_missing=8)):
        assert "self_harm" in score("phq9", answers, config).flags


@given(complete_answers("pcs"))
def test_it_makes_the_pcs_subscales_add_up_to_the_total(case):
    _, answers = case
    result = score("pcs", answers)
    assert sum(v for v in result.subscales.values() if v is not None) == result.total
