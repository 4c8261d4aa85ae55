"""Interpretation vignettes: a woman's ferritin, a man's ALT, a pregnant woman's haemoglobin ..."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from painwise.core.errors import DomainError
from painwise.core.labs import ANALYTES, LabConfig, LabInterpretation, interpret

REQUIRED_KEYS = {
    "analyte",
    "value",
    "unit",
    "canonical_value",
    "canonical_unit",
    "status",
    "critical",
    "category",
    "multiple_of_uln",
    "range_used",
}


def _used(result: LabInterpretation) -> dict[str, Any]:
    assert result.range_used is not None
    return result.range_used


def test_it_reads_ferritin_12_in_a_woman_as_low_and_iron_deficiency():
    result = interpret("ferritin", 12, "ng/mL", "female")
    assert (result.status, result.category) == ("low", "iron deficiency")
    assert result.range_used == {"low": 30.0, "high": 300.0, "source": "catalogue", "basis": _used(result)["basis"]}
    assert any("CRP" in note for note in result.notes)


def test_it_lets_the_configured_ferritin_cut_off_change_the_category():
    assert interpret("ferritin", 40, "ng/mL", "female").category is None
    assert interpret("ferritin", 40, "ng/mL", "female", config=LabConfig(ferritin_cutoff=45)).category == (
        "iron deficiency"
    )
    assert interpret("ferritin", 20, "ng/mL", "female", config=LabConfig(ferritin_cutoff=15)).category is None


def test_it_prefers_the_labs_own_range_over_the_catalogue():
    result = interpret("ferritin", 20, "ug/L", "female", reference_range=(11, 307))
    assert result.status == "normal"
    assert result.range_used is not None
    assert (_used(result)["low"], _used(result)["high"], _used(result)["source"]) == (11.0, 307.0, "lab")
    # The category is a decision aid with its own threshold: the lab's range does not hide it.
    assert result.category == "iron deficiency"


def test_it_reports_a_lab_range_given_in_molar_units_in_the_canonical_unit():
    result = interpret("b12", 140, "pmol/L", "male", reference_range=(148, 665))
    assert result.status == "low"
    assert result.canonical_unit == "pg/mL"
    assert result.canonical_value == pytest.approx(189.75, abs=0.01)
    assert _used(result)["low"] == pytest.approx(200.6, abs=0.1)
    assert result.category == "deficient"
    assert result.loinc == "14685-2"


def test_it_falls_back_to_the_catalogue_when_the_lab_range_is_empty():
    assert _used(interpret("iron", 40, "ug/dL", "male", reference_range=(None, None)))["source"] == "catalogue"


def test_it_uses_a_one_sided_lab_range_as_given():
    result = interpret("alt", 30, "U/L", "female", reference_range=(None, 25))
    assert (result.status, _used(result)["low"], _used(result)["high"]) == ("high", None, 25.0)


def test_it_leaves_estradiol_in_a_woman_unknown_without_the_labs_range():
    result = interpret("estradiol", 150, "pg/mL", "female")
    assert (result.status, result.range_used) == ("unknown", None)
    assert any("cycle" in note for note in result.notes)
    with_lab = interpret("estradiol", 150, "pg/mL", "female", reference_range=(30, 400))
    assert (with_lab.status, _used(with_lab)["source"]) == ("normal", "lab")


def test_it_uses_the_catalogue_range_for_estradiol_in_a_man():
    assert interpret("estradiol", 50, "pg/mL", "male").status == "high"


def test_it_reads_a_womans_testosterone_against_the_configurable_default_and_a_mans_against_the_harmonized_range():
    woman = interpret("testosterone", 80, "ng/dL", "female")
    assert (woman.status, woman.category) == ("high", None)
    assert woman.range_used is not None and (woman.range_used["low"], woman.range_used["high"]) == (15.0, 46.0)
    assert "Braunstein" in woman.range_used["basis"]
    assert interpret("testosterone", 40, "ng/dL", "female").status == "normal"
    wider = LabConfig(female_testosterone_low=10, female_testosterone_high=90)
    assert interpret("testosterone", 80, "ng/dL", "female", config=wider).status == "normal"
    assert interpret("testosterone", 80, "ng/dL", "female", reference_range=(8, 60)).status == "high"
    assert interpret("estradiol", 80, "pg/mL", "female").status == "unknown"  # estradiol stays unknown
    man = interpret("testosterone", 250, "ng/dL", "male")
    assert (man.status, man.category) == ("low", "low testosterone")


def test_it_applies_the_configured_testosterone_cut_off():
    assert interpret("testosterone", 280, "ng/dL", "male").category == "low testosterone"  # AUA 300
    assert interpret("testosterone", 280, "ng/dL", "male", config=LabConfig(testosterone_cutoff=264)).category is None


def test_it_gives_alt_200_with_uln_40_as_five_times_uln():
    result = interpret("alt", 200, "U/L", "male", reference_range=(None, 40))
    assert (result.status, result.multiple_of_uln) == ("high", 5.0)


def test_it_computes_multiples_of_uln_in_the_unit_reported():
    result = interpret("alt", 2.0, "ukat/L", "male", reference_range=(0.1, 0.5))
    assert result.multiple_of_uln == 4.0
    assert result.canonical_value == pytest.approx(120.0)


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "uln", "multiple"),
    [
        ("alt", 150, "U/L", 50, 3.0),
        ("ast", 120, "U/L", 40, 3.0),
        ("alp", 260, "U/L", 130, 2.0),
        ("ggt", 170, "U/L", 85, 2.0),
        ("bilirubin", 2.4, "mg/dL", 1.2, 2.0),
    ],
)
def test_it_reports_multiples_of_uln_for_every_liver_test(analyte, value, unit, uln, multiple):
    assert interpret(analyte, value, unit, "female", reference_range=(None, uln)).multiple_of_uln == multiple


def test_it_reports_no_multiple_of_uln_outside_the_liver_tests():
    assert interpret("ferritin", 600, "ng/mL", "female", reference_range=(None, 300)).multiple_of_uln is None


def test_it_uses_the_catalogue_uln_for_multiples_when_the_lab_gives_none():
    result = interpret("bilirubin", 3.0, "mg/dL", "male")
    assert result.multiple_of_uln == 2.5
    assert _used(result)["source"] == "catalogue"


def test_it_uses_the_acg_healthy_alt_uln_only_when_configured():
    acg = LabConfig(alt_uln="acg")
    assert interpret("alt", 30, "U/L", "female").status == "normal"
    configured = interpret("alt", 30, "U/L", "female", config=acg)
    assert (configured.status, configured.multiple_of_uln, _used(configured)["high"]) == ("high", 1.2, 25.0)
    assert any("ACG 2017 healthy ULN" in note for note in configured.notes)
    assert _used(interpret("alt", 30, "U/L", "male", config=acg))["high"] == 33.0


def test_it_mentions_the_acg_healthy_uln_when_the_labs_alt_uln_is_higher():
    result = interpret("alt", 45, "U/L", "male", reference_range=(7, 55))
    assert result.status == "normal"
    assert any("33 U/L" in note for note in result.notes)


def test_it_reads_haemoglobin_11_5_as_anaemia_in_a_non_pregnant_woman_but_not_in_pregnancy():
    not_pregnant = interpret("hemoglobin", 11.5, "g/dL", "female")
    assert (not_pregnant.status, not_pregnant.category) == ("low", "anaemia")
    pregnant = interpret("hemoglobin", 11.5, "g/dL", "female", pregnant=True)
    assert (pregnant.status, pregnant.category) == ("normal", None)
    assert interpret("hemoglobin", 10.9, "g/dL", "female", pregnant=True).category == "anaemia"


@pytest.mark.parametrize(("value", "unit", "category"), [(12.9, "g/dL", "anaemia"), (130, "g/L", None)])
def test_it_uses_the_who_male_haemoglobin_threshold_in_any_mass_unit(value, unit, category):
    assert interpret("hemoglobin", value, unit, "male").category == category


def test_it_converts_haemoglobin_from_millimoles_of_monomer():
    result = interpret("hemoglobin", 7.0, "mmol/L", "female")
    assert result.canonical_value == pytest.approx(11.28, abs=0.01)
    assert result.category == "anaemia"
    assert result.loinc is None  # §3 gives no molar haemoglobin code


@pytest.mark.parametrize(
    ("value", "config", "category"),
    [
        (150, None, "deficient"),
        (200, None, "borderline"),
        (299, None, "borderline"),
        (300, None, None),
        (190, LabConfig(b12_deficient_below=180, b12_borderline_below=350), "borderline"),
        (340, LabConfig(b12_deficient_below=180, b12_borderline_below=350), "borderline"),
        (170, LabConfig(b12_deficient_below=180, b12_borderline_below=350), "deficient"),
    ],
)
def test_it_bands_b12_by_the_configured_borderline_band(value, config, category):
    result = interpret("b12", value, "pg/mL", "female", config=config)
    assert result.category == category
    assert (category == "borderline") == any("methylmalonic" in note for note in result.notes)


@pytest.mark.parametrize(
    ("value", "unit", "category"),
    [
        (2.5, "ng/mL", "deficient"),
        (4.0, "ng/mL", "possible deficiency"),
        (8, "nmol/L", "possible deficiency"),
        (12, "nmol/L", None),
    ],
)
def test_it_bands_folate_by_the_who_thresholds_stated_in_nmol_per_litre(value, unit, category):
    assert interpret("folate", value, unit, "male").category == category


@pytest.mark.parametrize(("value", "unit"), [(15, "%"), (0.15, "fraction")])
def test_it_reads_a_low_transferrin_saturation_as_iron_deficiency_in_either_unit(value, unit):
    result = interpret("tsat", value, unit, "female")
    assert (result.status, result.category, result.canonical_value) == ("low", "iron deficiency", 15.0)


def test_it_widens_the_tsh_range_over_80_years():
    assert interpret("tsh", 6.0, "mIU/L", "female", age=50).status == "high"
    assert interpret("tsh", 6.0, "mIU/L", "female", age=85).status == "normal"


def test_it_applies_no_adult_default_to_a_child():
    result = interpret("ferritin", 12, "ng/mL", "female", age=10)
    assert (result.status, result.category, result.range_used) == ("unknown", None, None)
    assert interpret("ferritin", 12, "ng/mL", "female", age=10, reference_range=(7, 140)).status == "normal"


def test_it_needs_the_labs_range_in_pregnancy_except_for_haemoglobin():
    result = interpret("tsh", 3.0, "mIU/L", "female", pregnant=True)
    assert result.status == "unknown"
    assert any("pregnancy" in note for note in result.notes)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"value": -1}, "value"),
        ({"value": float("nan")}, "value"),
        ({"value": float("inf")}, "value"),
        ({"sex": "other"}, "sex"),
        ({"sex": None}, "sex"),
        ({"age": -3}, "age"),
        ({"age": 200}, "age"),
        ({"sex": "male", "pregnant": True}, "pregnant"),
        ({"reference_range": (300, 30)}, "reference_range"),
        ({"reference_range": (30,)}, "reference_range"),
        ({"reference_range": (-1, 30)}, "reference_range"),
        ({"unit": "mmol/L"}, "unit"),
        ({"analyte": "vitamin_d"}, "analyte"),
    ],
)
def test_it_names_the_field_of_a_bad_input(kwargs, field):
    args = {"analyte": "ferritin", "value": 12, "unit": "ng/mL", "sex": "female"} | kwargs
    with pytest.raises(DomainError) as caught:
        interpret(**args)
    assert caught.value.field == field


def test_it_rejects_a_physiologically_impossible_value_and_suggests_the_unit():
    with pytest.raises(DomainError) as caught:
        interpret("hemoglobin", 120, "g/dL", "male")  # g/L typed as g/dL
    error = caught.value
    assert (error.code, error.field) == ("labs.implausible_value", "value")
    assert "unit" in error.message


def test_it_accepts_an_unusual_but_possible_value_and_marks_it():
    result = interpret("ferritin", 8000, "ng/mL", "male")
    assert (result.unusual, result.status) == (True, "high")
    assert interpret("ferritin", 80, "ng/mL", "male").unusual is False


@pytest.mark.parametrize("analyte", ANALYTES, ids=lambda a: a.short_name)
def test_it_never_calls_a_result_critical_without_a_sourced_limit(analyte):
    top = analyte.plausibility.unusual_above
    assert interpret(analyte.short_name, top, analyte.canonical_unit, "male").critical is False


def test_it_notes_an_unconfirmed_loinc_code_and_a_code_that_does_not_match_the_unit():
    by_code = interpret("2276-4", 50, "ng/mL", "female")
    assert by_code.analyte == "ferritin"
    assert any("2276-4 is unconfirmed" in note for note in by_code.notes)
    mismatch = interpret("14685-2", 300, "pg/mL", "female")
    assert any("use 2132-9" in note for note in mismatch.notes)


def test_it_returns_a_frozen_result_whose_dict_is_json_ready():
    result = interpret("ast", 80, "IU/L", "female")
    data = result.to_dict()
    assert set(data) >= REQUIRED_KEYS
    assert data["unit"] == "U/L" and data["multiple_of_uln"] == 3.2
    assert json.loads(json.dumps(data)) == data
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = "normal"  # type: ignore[misc]
