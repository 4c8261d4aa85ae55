"""`painwise insights FILE.json [--as-of] [--baseline-start] --json` (typer's CliRunner, no database)."""

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from painwise.cli import app
from painwise.core.analytics.tests.builders import days, document, pain

runner = CliRunner()
START = dt.date(2026, 1, 5)


@pytest.fixture
def export_file(tmp_path):
    entries = [pain(d, 6) for d in days(START, 14)] + [pain(d, 4) for d in days(START + dt.timedelta(days=60), 14)]
    path = tmp_path / "alice.json"
    path.write_text(json.dumps(document(pain_entries=entries)))
    return path


def test_it_prints_one_json_object_with_every_section(export_file):
    result = runner.invoke(app, ["insights", str(export_file), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"response", "peg", "modalities", "dose_response", "hair_timeline", "change_points"} <= set(data)
    response = data["response"]
    assert response["baseline"] == {
        "start": "2026-01-05",
        "end": "2026-01-18",
        "days_with_entries": 14,
        "mean_nrs": 6.0,
    }
    assert response["current"] == {"start": "2026-03-06", "end": "2026-03-19", "days_with_entries": 14, "mean_nrs": 4.0}
    assert response["change"] == -2.0
    assert response["percent_change"] == pytest.approx(-100 / 3)
    assert response["category"] == "moderate"
    assert response["ci_low"] == pytest.approx(-2.0) and response["ci_high"] == pytest.approx(-2.0)


def test_as_of_and_baseline_start_are_honoured(export_file):
    result = runner.invoke(
        app, ["insights", str(export_file), "--as-of", "2026-01-25", "--baseline-start", "2026-01-05", "--json"]
    )
    assert result.exit_code == 0, result.output
    response = json.loads(result.stdout)["response"]
    assert response["current"]["start"] == "2026-01-12" and response["current"]["days_with_entries"] == 7
    assert response["current"]["end"] == "2026-01-25"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--as-of", "2026-13-01"], "--as-of"),
        (["--baseline-start", "yesterday"], "--baseline-start"),
        (["--as-of", "2026-01-01", "--baseline-start", "2026-02-01"], "before the baseline start"),
    ],
)
def test_bad_dates_exit_2_with_the_reason(export_file, args, needle):
    result = runner.invoke(app, ["insights", str(export_file), *args, "--json"])
    assert result.exit_code == 2
    assert needle in result.output


def test_a_file_that_is_not_an_export_exits_2(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"hello": 1}))
    result = runner.invoke(app, ["insights", str(path), "--json"])
    assert result.exit_code == 2
    assert "not a painwise export" in result.output


def test_a_missing_file_exits_2(tmp_path):
    result = runner.invoke(app, ["insights", str(tmp_path / "none.json"), "--json"])
    assert result.exit_code == 2


def test_a_malformed_record_names_its_path(tmp_path):
    doc = document(pain_entries=[{"id": "x", "occurred_at": "2026-01-01T10:00:00+00:00", "body_site": "neck"}])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    result = runner.invoke(app, ["insights", str(path), "--json"])
    assert result.exit_code == 2
    assert "pain_entries[0].nrs" in result.output


def test_with_json_errors_have_the_error_shape(export_file):
    result = runner.invoke(app, ["insights", str(export_file), "--as-of", "soon", "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stderr)["error"]
    assert error["field"] == "--as-of" and "YYYY-MM-DD" in error["message"]
