"""GAD-7: sum of 7 items, cut-offs 5 / 10 / 15 (Spitzer 2006, clinical_reference.md §1a)."""

import pytest

from painwise.core.errors import DomainError
from painwise.core.instruments import ScoringConfig, get, score


def answers_with_total(total: int) -> list[int | None]:
    items: list[int | None] = []
    for _ in range(7):
        value = min(3, total)
        items.append(value)
        total -= value
    return items


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"), (15, "severe")],
)
def test_it_puts_band_boundaries_at_5_10_and_15(total, band):
    result = score("gad7", answers_with_total(total))
    assert (result.total, result.band) == (total, band)


def test_it_scores_all_threes_as_21_severe():
    result = score("gad7", [3] * 7)
    assert (result.total, result.band, result.flags, result.subscales) == (21, "severe", [], {})


def test_it_refuses_to_score_with_any_item_missing():
    result = score("gad7", [3, 3, 3, None, 3, 3, 3])
    assert (result.total, result.band, result.answered) == (None, None, 6)


def test_it_does_not_allow_prorating_because_no_rule_is_published():
    with pytest.raises(DomainError) as caught:
        score("gad7", [3] * 7, ScoringConfig(max_missing=1))
    assert caught.value.code == "instruments.config_not_supported"


def test_it_says_how_many_answers_it_needs():
    with pytest.raises(DomainError) as caught:
        score("gad7", [1] * 6)
    assert caught.value.code == "instruments.wrong_count"
    assert caught.value.message == "GAD-7 needs 7 answers, got 6."
    assert caught.value.field == "answers"


def test_it_ships_the_published_wording_and_its_loinc_codes():
    gad7 = get("gad7")
    assert gad7.wording_licensed is True
    assert gad7.items[1].label == "Not being able to stop or control worrying"
    assert gad7.loinc == {"panel": "69737-5", "total": "70274-6"}
    assert gad7.bands[0] == (0, 4, "minimal")
