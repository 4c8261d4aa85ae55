"""`painwise synth` writes the documented files and refuses bad input with exit code 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from painwise.cli import app

runner = CliRunner()
BASE = ["synth", "--years", "0.5", "--seed", "9", "--end-date", "2026-10-31"]


def test_it_writes_patients_ground_truth_and_readme(tmp_path):
    result = runner.invoke(app, [*BASE, "--patients", "6", "--out", str(tmp_path / "cohort")])
    assert result.exit_code == 0, result.output
    root = tmp_path / "cohort"
    names = sorted(p.name for p in (root / "patients").iterdir())
    assert names == [f"synth-{i:04d}.json" for i in range(1, 7)]
    patient = json.loads((root / "patients" / "synth-0001.json").read_text())
    truth = json.loads((root / "ground_truth.json").read_text())
    assert patient["format"] == "painwise.export" and patient["synthetic"] is True
    assert truth["generator"]["effect_strength"] == 1.0 and len(truth["patients"]) == 6
    assert "FICTIONAL" in (root / "README.md").read_text()


def test_it_plants_nothing_with_no_effects(tmp_path):
    result = runner.invoke(app, [*BASE, "--patients", "1", "--no-effects", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    truth = json.loads((tmp_path / "ground_truth.json").read_text())
    assert truth["mechanism"]["parameters"]["effect_strength"] == 0.0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--patients", "0"], "whole number >= 1"),
        (["--patients", "1", "--years", "-1"], "years must be"),
        (["--patients", "1", "--effect-strength", "-2"], "effect strength"),
        (["--patients", "1", "--end-date", "31/10/2026"], "YYYY-MM-DD"),
        (["--patients", "1", "--no-effects", "--effect-strength", "2"], "contradict"),
    ],
)
def test_it_refuses_bad_numbers_with_a_clear_message(tmp_path, arguments, message):
    result = runner.invoke(app, ["synth", *arguments, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.output


def test_it_refuses_an_unwritable_destination(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory")
    result = runner.invoke(app, [*BASE, "--patients", "1", "--out", str(blocker)])
    assert result.exit_code == 2
    assert "not a directory" in result.output
