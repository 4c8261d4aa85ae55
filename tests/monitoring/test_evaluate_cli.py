"""`painwise evaluate FILE.json [--as-of] --json`: an export or a snapshot document, errors exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from painwise.cli import app

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXPORT = Path(__file__).resolve().parents[1] / "foundation" / "alice_export.json"
runner = CliRunner()


def test_it_prints_the_findings_of_the_documented_example_as_json():
    result = runner.invoke(app, ["evaluate", str(DOCS / "snapshot-example.json"), "--json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)
    rules = [f["rule"] for f in findings]
    assert rules[0] == "mood.self_harm"  # urgent first
    assert {"labs.out_of_range", "nutrition.iron_deficiency", "hair.workup_due"} <= set(rules)
    for finding in findings:
        assert {"rule", "severity", "title", "rationale", "evidence", "consider", "date", "data"} <= set(finding)
        assert "{told}" not in finding["patient_note"]


def test_as_of_limits_what_is_evaluated():
    result = runner.invoke(app, ["evaluate", str(DOCS / "snapshot-example.json"), "--as-of", "2026-06-05", "--json"])
    rules = {f["rule"] for f in json.loads(result.stdout)}
    assert "labs.out_of_range" not in rules and "mood.self_harm" in rules  # ferritin came on 2026-06-15


def test_it_reads_an_export_document_too():
    result = runner.invoke(app, ["evaluate", str(EXPORT), "--json"])
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), list)


def test_a_bad_field_exits_2_naming_its_path(tmp_path):
    document = json.loads((DOCS / "snapshot-example.json").read_text())
    document["labs"][0]["value"] = "twelve"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    result = runner.invoke(app, ["evaluate", str(bad), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stderr)["error"]["field"] == "labs[0].value"
    assert result.stdout == ""


def test_bad_as_of_and_bad_json_exit_2(tmp_path):
    result = runner.invoke(app, ["evaluate", str(DOCS / "snapshot-example.json"), "--as-of", "June"])
    assert result.exit_code == 2 and "--as-of" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert runner.invoke(app, ["evaluate", str(broken)]).exit_code == 2


def test_a_threshold_file_changes_the_findings(tmp_path):
    config = tmp_path / "rules.toml"
    config.write_text("[labs]\nferritin_cutoff = 10\n")
    result = runner.invoke(app, ["evaluate", str(DOCS / "snapshot-example.json"), "--json", "--config", str(config)])
    assert "nutrition.iron_deficiency" not in {f["rule"] for f in json.loads(result.stdout)}
    config.write_text("[rules]\nferritin_cutoff = 10\n")
    result = runner.invoke(app, ["evaluate", str(DOCS / "snapshot-example.json"), "--config", str(config)])
    assert result.exit_code == 2 and "rules.ferritin_cutoff" in result.stderr
