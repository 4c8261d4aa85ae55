"""PHQ-9: published sum and bands (Kroenke 2001) and the item 9 safety flag (clinical_reference.md §1c)."""

import pytest

from painwise.core.errors import DomainError
from painwise.core.instruments import ScoringConfig, get, score


def answers_with_total(total: int, item9: int = 0) -> list[int | None]:
    """Items 1-8 filled greedily with 3s so the sum is `total`; item 9 as given."""
    rest = total - item9
    items: list[int | None] = []
    for _ in range(8):
        value = min(3, rest)
        items.append(value)
        rest -= value
    assert rest == 0
    return [*items, item9]


def test_it_scores_all_threes_as_27_severe_with_self_harm():
    result = score("phq9", [3] * 9)
    assert (result.total, result.band, result.flags) == (27, "severe", ["self_harm"])


def test_it_scores_all_zeros_as_minimal_without_flags():
    result = score("phq9", [0] * 9)
    assert (result.total, result.band, result.flags, result.answered) == (0, "minimal", [], 9)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
    ],
)
def test_it_puts_band_boundaries_where_kroenke_2001_does(total, band):
    result = score("phq9", answers_with_total(total))
    assert result.total == total
    assert result.band == band


def test_it_flags_self_harm_even_when_the_total_is_minimal():
    result = score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert result.band == "minimal"
    assert result.flags == ["self_harm"]


def test_it_flags_self_harm_even_when_other_items_are_missing():
    result = score("phq9", [None] * 8 + [2])
    assert result.total is None
    assert result.flags == ["self_harm"]
    assert result.answered == 1


def test_it_flags_an_unanswered_item_9_so_a_skip_is_never_read_as_no():
    result = score("phq9", [0] * 8 + [None])
    assert result.total is None
    assert result.flags == ["self_harm_unanswered"]


def test_it_refuses_to_score_with_a_missing_item_by_default():
    result = score("phq9", [1, None, 1, 1, 1, 1, 1, 1, 0])
    assert (result.total, result.band, result.answered) == (None, None, 8)


def test_it_prorates_missing_items_only_when_configured():
    # 7 answered summing to 10: 10 * 9 / 7 = 12.86 -> 13, moderate.
    answers = [2, 2, 2, 2, 1, 1, None, None, 0]
    result = score("phq9", answers, ScoringConfig(max_missing=2))
    assert (result.total, result.band, result.flags) == (13, "moderate", ["prorated"])


def test_it_rounds_a_prorated_half_up():
    # 6 answered summing to 3: 3 * 9 / 6 = 4.5 -> 5 (mild), not banker's 4 (minimal).
    result = score("phq9", [1, 1, 1, 0, 0, None, None, None, 0], ScoringConfig(max_missing=3))
    assert result.total == 5
    assert result.band == "mild"


def test_it_refuses_to_prorate_beyond_the_configured_limit():
    result = score("phq9", [1, 1, 1, 1, 1, 1, None, None, None], ScoringConfig(max_missing=2))
    assert result.total is None
    assert result.flags == ["self_harm_unanswered"]


def test_it_rejects_a_4_with_the_item_and_position():
    with pytest.raises(DomainError) as caught:
        score("phq9", [0, 0, 0, 4, 0, 0, 0, 0, 0])
    assert caught.value.code == "instruments.out_of_range"
    assert caught.value.field == "answers[3]"
    assert "item 4" in caught.value.message


def test_it_refuses_replacement_bands_for_a_published_scale():
    with pytest.raises(DomainError) as caught:
        score("phq9", [0] * 9, ScoringConfig(bands=()))
    assert caught.value.code == "instruments.config_not_supported"


def test_it_ships_the_published_wording_and_loinc_codes():
    phq9 = get("phq9")
    assert phq9.wording_licensed is True
    assert phq9.items[0].label == "Little interest or pleasure in doing things"
    assert phq9.items[8].label.startswith("Thoughts that you would be better off dead")
    assert [o.label for o in phq9.items[0].options] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert phq9.loinc is not None
    assert (phq9.loinc["panel"], phq9.loinc["total"], phq9.loinc["item_9"]) == ("44249-1", "44261-6", "44260-8")
