"""COWS: 11 clinician-rated signs with item-specific points (Wesson & Ling 2003, clinical_reference.md §1a)."""

import pytest

from painwise.core.errors import DomainError
from painwise.core.instruments import get, score

MAXIMA = [4, 4, 5, 5, 4, 4, 5, 4, 4, 4, 5]


def test_it_sums_the_published_maxima_to_48_severe():
    result = score("cows", MAXIMA)
    assert (result.total, result.band) == (48, "severe")


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([0] * 11, 0, "no significant withdrawal"),
        ([4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 4, "no significant withdrawal"),
        ([4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 5, "mild"),
        ([4, 4, 3, 1, 0, 0, 0, 0, 0, 0, 0], 12, "mild"),
        ([4, 4, 3, 2, 0, 0, 0, 0, 0, 0, 0], 13, "moderate"),
        ([4, 4, 5, 5, 4, 2, 0, 0, 0, 0, 0], 24, "moderate"),
        ([4, 4, 5, 5, 4, 1, 2, 0, 0, 0, 0], 25, "moderately severe"),
        ([4, 4, 5, 5, 4, 4, 5, 4, 1, 0, 0], 36, "moderately severe"),
        ([4, 4, 5, 5, 4, 4, 5, 4, 2, 0, 0], 37, "severe"),
    ],
)
def test_it_puts_band_boundaries_where_wesson_and_ling_do(answers, total, band):
    result = score("cows", answers)
    assert (result.total, result.band) == (total, band)


def test_it_rejects_pulse_3_because_pulse_scores_0_1_2_or_4():
    with pytest.raises(DomainError) as caught:
        score("cows", [3] + [0] * 10)
    assert caught.value.code == "instruments.out_of_range"
    assert caught.value.field == "answers[0]"
    assert "must be one of 0, 1, 2, 4; got 3" in caught.value.message


@pytest.mark.parametrize(("position", "value"), [(6, 4), (10, 1), (10, 4), (2, 2), (3, 4)])
def test_it_validates_each_sign_against_its_own_points(position, value):
    answers = [0] * 11
    answers[position] = value
    with pytest.raises(DomainError) as caught:
        score("cows", answers)
    assert caught.value.field == f"answers[{position}]"


def test_it_accepts_gi_upset_5_and_gooseflesh_3():
    answers = [0] * 11
    answers[6], answers[10] = 5, 3
    assert score("cows", answers).total == 8


def test_it_refuses_to_score_with_a_sign_not_rated():
    result = score("cows", [4] * 1 + [None] + [0] * 9)
    assert (result.total, result.band, result.answered) == (None, None, 10)


def test_it_is_marked_clinician_only_and_used_by_analogy_for_kratom():
    cows = get("cows")
    assert cows.clinician_only is True
    assert cows.validity_note == "validated for opioid withdrawal, used here by analogy for kratom"
    assert cows.items[0].label == "Resting pulse rate"
    assert cows.items[0].allowed == (0, 1, 2, 4)
    assert cows.items[6].allowed == (0, 1, 2, 3, 5)
    assert sum(max(item.allowed) for item in cows.items) == 48
