"""The cohort analyses recover the planted (FICTIONAL) mechanism of `painwise synth` within their intervals,
and report no effect when nothing was planted (`painwise synth --no-effects`), through the CLI a researcher
uses: `painwise research analyze DIR --json`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from painwise.cli import app
from painwise.core.synth import EffectParameters

# Small enough for seconds on an idle machine, large enough to see a hazard ratio of ~1.5 per kg.
N_PATIENTS, SEED, END, BOOT = "80", "11", "2026-10-31", "100"
BETA = EffectParameters().beta_per_leaf_kg
LAB_ANALYSES = ("ferritin_exposure", "b12_exposure", "testosterone_exposure", "haemoglobin_exposure")


def _analyze(tmp_path_factory: pytest.TempPathFactory, *synth_options: str) -> dict:
    runner = CliRunner()
    out = tmp_path_factory.mktemp("cohort")
    made = runner.invoke(
        app, ["synth", "--patients", N_PATIENTS, "--seed", SEED, "--end-date", END, "--out", str(out), *synth_options]
    )
    assert made.exit_code == 0, made.output
    result = runner.invoke(app, ["research", "analyze", str(out), "--json", "--bootstrap", BOOT])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _analyze(tmp_path_factory)


@pytest.fixture(scope="module")
def null(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _analyze(tmp_path_factory, "--no-effects")


def test_it_prints_one_object_with_every_analysis_and_its_interval(planted):
    assert set(planted) == {*LAB_ANALYSES, "shedding_exposure", "mediation"}
    for name, item in planted.items():
        for key in ("estimate", "ci_low", "ci_high", "p_value"):
            assert isinstance(item[key], float), (name, key)
        assert item["ci_low"] <= item["estimate"] <= item["ci_high"], name
        assert "not proof of cause" in item["association_is_not_cause"]
        assert len(item["confounders_not_ruled_out"]) >= 3
    assert planted["shedding_exposure"]["hazard_ratio"] == planted["shedding_exposure"]["estimate"]


def test_it_recovers_the_planted_ferritin_drop_within_its_interval(planted):
    ferritin = planted["ferritin_exposure"]
    assert ferritin["ci_low"] <= -BETA <= ferritin["ci_high"]
    assert ferritin["p_value"] < 0.001
    assert ferritin["patients"] >= 60


def test_it_finds_more_shedding_with_more_exposure_when_planted(planted):
    shedding = planted["shedding_exposure"]
    assert shedding["ci_low"] > 1
    assert shedding["p_value"] < 0.01
    assert shedding["events"] >= 20


def test_it_attributes_part_of_the_shedding_association_to_ferritin_and_none_to_b12(planted):
    through = planted["mediation"]["through"]
    assert through["ferritin"]["indirect_ci_low"] > 0
    assert 0 < through["ferritin"]["estimate"] <= 1.5
    assert through["b12"]["indirect_ci_low"] <= 0 <= through["b12"]["indirect_ci_high"]


def test_it_finds_no_exposure_effect_where_none_was_planted(planted):
    for name in ("b12_exposure", "testosterone_exposure", "haemoglobin_exposure"):
        assert planted[name]["ci_low"] <= 0 <= planted[name]["ci_high"], name


def test_it_reports_no_effect_at_all_with_no_effects(null):
    for name in LAB_ANALYSES:
        assert null[name]["ci_low"] <= 0 <= null[name]["ci_high"], name
    assert null["shedding_exposure"]["ci_low"] <= 1 <= null["shedding_exposure"]["ci_high"]
    through = null["mediation"]["through"]
    for mediator in ("ferritin", "b12"):
        assert through[mediator]["indirect_ci_low"] <= 0 <= through[mediator]["indirect_ci_high"], mediator
