"""The single entry point, metadata for forms, the error shape and the licence policy."""

import json
import pkgutil

import pytest

import painwise.core.instruments as instruments
from painwise.core.errors import DomainError
from painwise.core.instruments import ScoreResult, ScoringConfig, all_instruments, codes, get, score

EXPECTED_CODES = ["peg", "phq9", "gad7", "pcs", "sows", "cows"]


def test_it_lists_the_six_instruments_in_a_stable_order():
    assert codes() == EXPECTED_CODES
    assert [instrument.code for instrument in all_instruments()] == EXPECTED_CODES


def test_it_does_not_ship_the_bpi_which_needs_a_paid_licence():
    modules = {module.name for module in pkgutil.iter_modules(instruments.__path__)}
    assert not any("bpi" in name for name in modules)
    with pytest.raises(DomainError) as caught:
        get("bpi")
    assert caught.value.code == "instruments.unknown_code"


def test_it_accepts_codes_as_people_write_them():
    assert get("PHQ-9").code == "phq9"
    assert score(" GAD_7 ", [0] * 7).code == "gad7"


def test_it_names_the_choices_when_the_code_is_unknown():
    with pytest.raises(DomainError) as caught:
        score("promis", [1, 2, 3])
    assert caught.value.field == "code"
    assert "peg, phq9, gad7, pcs, sows, cows" in caught.value.message


def test_it_returns_exactly_the_documented_json_keys():
    data = score("pcs", [1] * 13).to_dict()
    assert set(data) == {"code", "total", "band", "subscales", "flags", "answered"}
    assert json.loads(json.dumps(data)) == data


def test_it_returns_a_frozen_result():
    result = score("gad7", [1] * 7)
    assert isinstance(result, ScoreResult)
    with pytest.raises(AttributeError):
        result.total = 0  # type: ignore[misc]


@pytest.mark.parametrize("answers", ["1,2,3", 3, None, {"a": 1}])
def test_it_rejects_answers_that_are_not_a_list(answers):
    with pytest.raises(DomainError) as caught:
        score("peg", answers)
    assert (caught.value.code, caught.value.field) == ("instruments.not_a_list", "answers")


@pytest.mark.parametrize("bad", [True, "2", 2.0])
def test_it_rejects_answers_that_are_not_plain_integers(bad):
    with pytest.raises(DomainError) as caught:
        score("peg", [1, bad, 1])
    assert (caught.value.code, caught.value.field) == ("instruments.not_an_integer", "answers[1]")


def test_it_accepts_a_tuple_of_answers():
    assert score("peg", (2, 2, 2)).total == 2.0


@pytest.mark.parametrize("max_missing", [-1, 3])
def test_it_rejects_an_impossible_missing_limit(max_missing):
    with pytest.raises(DomainError) as caught:
        score("peg", [1, 1, 1], ScoringConfig(max_missing=max_missing))
    assert caught.value.code == "instruments.bad_config"


def test_it_ships_wording_only_where_the_licence_is_confirmed():
    licensed = {instrument.code for instrument in all_instruments() if instrument.wording_licensed}
    assert licensed == {"phq9", "gad7"}
    for instrument in all_instruments():
        if not instrument.wording_licensed:
            assert instrument.instructions is None
            assert "not shipped" in instrument.licence_note
            # Neutral labels are short names, never question sentences.
            assert all(len(item.label) <= 40 and "?" not in item.label for item in instrument.items)


def test_it_gives_loinc_codes_only_where_the_reference_sheet_does():
    loinc = {instrument.code: instrument.loinc for instrument in all_instruments()}
    assert loinc["peg"] is None and loinc["pcs"] is None and loinc["sows"] is None and loinc["cows"] is None
    assert loinc["phq9"] is not None and loinc["phq9"]["item_9"] == "44260-8"
    assert loinc["gad7"] == {"panel": "69737-5", "total": "70274-6"}


def test_it_exposes_json_safe_metadata_for_the_web_form():
    for instrument in all_instruments():
        data = json.loads(json.dumps(instrument.to_dict()))
        assert {"code", "title", "items", "recall_period", "score_range", "bands", "source", "licence_note"} <= set(
            data
        )
        assert {"wording_licensed", "loinc"} <= set(data)
        assert len(data["items"]) == instrument.n_items
        assert all(item["options"] for item in data["items"])


def test_it_gives_each_instrument_a_score_range_that_matches_its_items():
    for instrument in all_instruments():
        low, high = instrument.score_range
        if instrument.code == "peg":  # a mean, not a sum
            assert (low, high) == (0, 10)
            continue
        assert low == sum(min(item.allowed) for item in instrument.items)
        assert high == sum(max(item.allowed) for item in instrument.items)


def test_it_covers_the_whole_range_with_published_bands_without_gaps():
    for instrument in all_instruments():
        if not instrument.bands:
            continue
        assert instrument.bands[0].low == instrument.score_range[0]
        assert instrument.bands[-1].high == instrument.score_range[1]
        for before, after in zip(instrument.bands, instrument.bands[1:], strict=False):
            assert after.low == before.high + 1
