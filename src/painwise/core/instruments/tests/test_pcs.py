"""PCS: sum of 13 items with three subscales; flag at >= 30 (Sullivan 1995, clinical_reference.md §1a)."""

import pytest

from painwise.core.errors import DomainError
from painwise.core.instruments import ScoringConfig, get, score


def test_it_scores_the_total_and_subscales_worked_by_hand():
    # item:     1  2  3  4  5  6  7  8  9 10 11 12 13
    answers = [1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3]
    result = score("pcs", answers)
    assert result.total == 26
    # rumination 8-11: 3+4+0+1; magnification 6, 7, 13: 1+2+3; helplessness 1-5, 12: 1+2+3+4+0+2
    assert result.subscales == {"rumination": 8, "magnification": 6, "helplessness": 12}
    assert result.band is None
    assert result.flags == []


def test_it_reaches_each_subscale_maximum_with_all_fours():
    result = score("pcs", [4] * 13)
    assert result.total == 52
    assert result.subscales == {"rumination": 16, "magnification": 12, "helplessness": 24}


def test_it_flags_catastrophizing_from_30_inclusive():
    at_30 = [4, 4, 4, 4, 4, 4, 4, 2, 0, 0, 0, 0, 0]
    at_29 = [4, 4, 4, 4, 4, 4, 4, 1, 0, 0, 0, 0, 0]
    assert (score("pcs", at_30).total, score("pcs", at_30).flags) == (30, ["catastrophizing"])
    assert (score("pcs", at_29).total, score("pcs", at_29).flags) == (29, [])


def test_it_never_gives_a_severity_band():
    assert score("pcs", [4] * 13).band is None
    assert get("pcs").bands == ()


def test_it_keeps_subscales_that_are_complete_when_another_item_is_missing():
    answers = [1, 1, 1, 1, 1, None, 1, 2, 2, 2, 2, 1, 1]  # item 6 (magnification) missing
    result = score("pcs", answers)
    assert result.total is None
    assert result.subscales == {"rumination": 8, "magnification": None, "helplessness": 6}
    assert result.flags == []


def test_it_rejects_a_5():
    with pytest.raises(DomainError) as caught:
        score("pcs", [0] * 12 + [5])
    assert (caught.value.code, caught.value.field) == ("instruments.out_of_range", "answers[12]")


def test_it_does_not_allow_prorating():
    with pytest.raises(DomainError):
        score("pcs", [0] * 13, ScoringConfig(max_missing=1))


def test_it_ships_item_numbers_and_neutral_labels_only():
    pcs = get("pcs")
    assert pcs.wording_licensed is False
    assert pcs.items[7].label == "Item 8 (rumination)"
    assert dict(pcs.subscales)["magnification"] == (6, 7, 13)
