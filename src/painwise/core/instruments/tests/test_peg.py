"""PEG: mean of 3 items, no published bands or missing rule (Krebs 2009, clinical_reference.md §1a)."""

import pytest

from painwise.core.errors import DomainError
from painwise.core.instruments import Band, ScoringConfig, get, score


def test_it_scores_the_mean_rounded_to_two_decimals():
    result = score("peg", [5, 6, 9])  # 20 / 3 = 6.666...
    assert result.total == 6.67
    assert isinstance(result.total, float)


def test_it_scores_a_whole_mean_as_a_float():
    result = score("peg", [4, 4, 4])
    assert result.total == 4.0
    assert result.to_dict()["total"] == 4.0


def test_it_gives_no_band_by_default_because_none_is_validated():
    assert score("peg", [10, 10, 10]).band is None
    assert get("peg").bands == ()


def test_it_uses_bands_a_deployment_configures():
    bands = (Band(0, 3.9, "mild"), Band(4, 6.9, "moderate"), Band(7, 10, "severe"))
    assert score("peg", [3, 4, 4], ScoringConfig(bands=bands)).band == "mild"  # 3.67
    assert score("peg", [7, 7, 6], ScoringConfig(bands=bands)).band == "moderate"  # 6.67
    assert score("peg", [7, 7, 7], ScoringConfig(bands=bands)).band == "severe"


def test_it_refuses_to_score_with_a_missing_item_by_default():
    result = score("peg", [5, None, 9])
    assert (result.total, result.answered, result.flags) == (None, 2, [])


def test_it_takes_the_mean_of_answered_items_when_configured():
    result = score("peg", [5, None, 8], ScoringConfig(max_missing=1))
    assert (result.total, result.flags) == (6.5, ["prorated"])


def test_it_refuses_overlapping_configured_bands():
    bands = (Band(0, 5, "low"), Band(5, 10, "high"))
    with pytest.raises(DomainError) as caught:
        score("peg", [1, 1, 1], ScoringConfig(bands=bands))
    assert caught.value.code == "instruments.bad_config"


def test_it_refuses_bands_outside_the_range():
    with pytest.raises(DomainError) as caught:
        score("peg", [1, 1, 1], ScoringConfig(bands=(Band(0, 11, "any"),)))
    assert caught.value.field == "config"


@pytest.mark.parametrize(("answers", "field"), [([11, 0, 0], "answers[0]"), ([0, -1, 0], "answers[1]")])
def test_it_rejects_values_outside_0_to_10(answers, field):
    with pytest.raises(DomainError) as caught:
        score("peg", answers)
    assert (caught.value.code, caught.value.field) == ("instruments.out_of_range", field)


def test_it_rejects_fractional_answers():
    with pytest.raises(DomainError) as caught:
        score("peg", [2.5, 3, 4])
    assert (caught.value.code, caught.value.field) == ("instruments.not_an_integer", "answers[0]")


def test_it_ships_neutral_labels_not_item_wording():
    peg = get("peg")
    assert peg.wording_licensed is False
    assert [item.label for item in peg.items] == [
        "Average pain intensity",
        "Interference with enjoyment of life",
        "Interference with general activity",
    ]
    assert peg.loinc is None
