"""`painwise lab`: the CLI edge over the labs core (typer's CliRunner, no database)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from painwise.cli import app
from painwise.cli.lab import round_for_display
from painwise.core.labs import CATALOGUE

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["lab", *args])


def test_it_prints_the_interpretation_as_json():
    result = _run("interpret", "--analyte", "ferritin", "--value", "12", "--unit", "ng/mL", "--sex", "female", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["analyte"], data["status"], data["category"]) == ("ferritin", "low", "iron deficiency")
    assert (data["canonical_value"], data["canonical_unit"], data["critical"]) == (12.0, "ng/mL", False)
    assert data["range_used"]["source"] == "catalogue" and data["multiple_of_uln"] is None


def test_it_takes_a_loinc_code_the_labs_range_and_reports_multiples_of_uln():
    args = ["--analyte", "1742-6", "--value", "200", "--unit", "IU/L", "--sex", "male", "--ref-high", "40", "--json"]
    data = json.loads(_run("interpret", *args).stdout)
    assert (data["analyte"], data["unit"], data["multiple_of_uln"]) == ("alt", "U/L", 5.0)
    assert data["range_used"] == {"low": None, "high": 40.0, "source": "lab", "basis": "reporting lab's range"}


def test_it_passes_pregnancy_age_and_configured_thresholds_through():
    pregnant = _run(
        "interpret", "--analyte", "hb", "--value", "11.5", "--unit", "g/dL", "--sex", "female", "--pregnant"
    )
    assert pregnant.exit_code == 0 and "normal" in pregnant.stdout and "anaemia" not in pregnant.stdout
    child = _run(
        "interpret", "--analyte", "ferritin", "--value", "12", "--unit", "ng/mL", "--sex", "male", "--age", "9"
    )
    assert "unknown" in child.stdout
    args = ["--analyte", "ferritin", "--value", "40", "--unit", "ng/mL", "--sex", "female", "--ferritin-cutoff", "45"]
    assert "iron deficiency" in _run("interpret", *args).stdout


def test_it_prints_a_readable_line_with_notes_without_json():
    result = _run(
        "interpret", "--analyte", "alt", "--value", "200", "--unit", "U/L", "--sex", "male", "--ref-high", "40"
    )
    first = result.stdout.splitlines()[0]
    assert first == "alt 200 U/L: high (range ≤40 U/L, lab) 5×ULN"
    assert "note:" in result.stdout


def test_it_converts_and_rounds_for_display():
    result = _run("convert", "--analyte", "b12", "--value", "300", "--from", "pg/mL", "--to", "pmol/L")
    assert (result.exit_code, result.stdout) == (0, "221.34 pmol/L\n")


def test_it_converts_to_json():
    result = _run("convert", "--analyte", "alt", "--value", "40", "--from", "U/L", "--to", "µkat/L", "--json")
    assert json.loads(result.stdout) == {"value": 0.6667, "unit": "ukat/L"}


@pytest.mark.parametrize(
    ("value", "shown"), [(221.336874723, 221.34), (0.016667, 0.01667), (1.16541, 1.165), (12.872, 12.87), (0.0, 0.0)]
)
def test_it_rounds_to_two_decimals_or_four_significant_digits_whichever_keeps_more(value, shown):
    assert round_for_display(value) == shown


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["interpret", "--analyte", "ferritin", "--value", "12", "--unit", "mg/dL", "--sex", "female"], "unit"),
        (["interpret", "--analyte", "vitd", "--value", "12", "--unit", "ng/mL", "--sex", "female"], "analyte"),
        (["interpret", "--analyte", "ferritin", "--value", "12", "--unit", "ng/mL", "--sex", "f"], "sex"),
        (["interpret", "--analyte", "ferritin", "--value", "-2", "--unit", "ng/mL", "--sex", "male"], "value"),
        (["interpret", "--analyte", "hb", "--value", "140", "--unit", "g/dL", "--sex", "male"], "value"),
        (["convert", "--analyte", "b12", "--value", "300", "--from", "pg/mL", "--to", "mg"], "unit"),
    ],
)
def test_it_exits_2_naming_the_field(args, field):
    result = _run(*args)
    assert result.exit_code == 2
    assert f"error [{field}]:" in result.stderr


def test_it_prints_errors_in_the_json_shape_with_json():
    args = ["interpret", "--analyte", "ferritin", "--value", "12", "--unit", "furlong", "--sex", "female", "--json"]
    result = _run(*args)
    assert result.exit_code == 2
    error = json.loads(result.stderr)["error"]
    assert (error["code"], error["field"]) == ("labs.unknown_unit", "unit")
    assert "ng/mL" in error["message"]


def test_it_exits_2_when_a_required_option_is_missing():
    result = _run("interpret", "--analyte", "ferritin", "--value", "12", "--unit", "ng/mL")
    assert result.exit_code == 2
    assert "--sex" in result.stderr


def test_it_lists_the_catalogue():
    result = _run("analytes")
    assert result.exit_code == 0
    assert all(name in result.stdout for name in CATALOGUE)
    data = json.loads(_run("analytes", "--json").stdout)
    assert [entry["analyte"] for entry in data] == list(CATALOGUE)
