"""SOWS (Handelsman): 16 items 0-4 summed; no published bands (clinical_reference.md §1a)."""

import pytest

from painwise.core.errors import DomainError
from painwise.core.instruments import ScoringConfig, get, score, sows


def test_it_sums_16_items_scored_0_to_4():
    answers = [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0]
    assert score("sows", answers).total == 30
    assert score("sows", [4] * 16).total == 64


def test_it_gives_no_band_unless_configured():
    assert score("sows", [4] * 16).band is None


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, None), (1, "mild"), (10, "mild"), (11, "moderate"), (20, "moderate"), (21, "severe"), (64, "severe")],
)
def test_it_applies_the_opt_in_common_practice_bands(total, band):
    answers = [min(4, max(0, total - 4 * i)) for i in range(16)]
    result = score("sows", answers, ScoringConfig(bands=sows.OPT_IN_BANDS))
    assert (result.total, result.band) == (total, band)


def test_it_refuses_to_score_with_a_missing_item_by_default():
    result = score("sows", [2] * 15 + [None])
    assert (result.total, result.answered) == (None, 15)


def test_it_prorates_when_configured():
    # 14 answered summing to 14: 14 * 16 / 14 = 16.
    result = score("sows", [1] * 14 + [None, None], ScoringConfig(max_missing=2))
    assert (result.total, result.flags) == (16, ["prorated"])


def test_it_needs_16_answers_not_the_short_scales_10():
    with pytest.raises(DomainError) as caught:
        score("sows", [1] * 10)
    assert caught.value.message == "SOWS needs 16 answers, got 10."


def test_it_is_labelled_as_used_by_analogy_for_kratom():
    instrument = get("sows")
    assert instrument.validity_note == "validated for opioid withdrawal, used here by analogy for kratom"
    assert instrument.wording_licensed is False
    assert instrument.items[0].label == "Anxiety"
    assert len(instrument.items) == 16
