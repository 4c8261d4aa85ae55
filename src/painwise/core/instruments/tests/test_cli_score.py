"""`painwise score`: the CLI edge over the instruments (typer's CliRunner, no database)."""

import json

import typer.core
import typer.main
from typer.testing import CliRunner

from painwise.cli import app

runner = CliRunner()


def run(*args: str):
    # While `score` is the only registered command typer runs it as the whole app; once other
    # command modules exist it is a sub-command. Either way the arguments below are the same.
    prefix = ["score"] if isinstance(typer.main.get_command(app), typer.core.TyperGroup) else []
    return runner.invoke(app, [*prefix, *args])


def test_it_prints_the_result_as_json():
    result = run("phq9", "--answers", "3,3,3,3,3,3,3,3,3", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "code": "phq9",
        "total": 27,
        "band": "severe",
        "subscales": {},
        "flags": ["self_harm"],
        "answered": 9,
    }


def test_it_reads_na_and_empty_fields_as_missing():
    result = run("peg", "--answers", "5,NA,", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["total"], data["answered"]) == (None, 1)


def test_it_reads_lowercase_na_as_missing():
    result = run("gad7", "--answers", "1,na,1,1,1,1,1", "--json")
    assert json.loads(result.stdout)["answered"] == 6


def test_it_prorates_only_when_asked():
    result = run("phq9", "--answers", "1,1,1,1,1,1,1,,0", "--max-missing", "2", "--json")
    data = json.loads(result.stdout)
    assert (data["total"], data["flags"]) == (8, ["prorated"])


def test_it_prints_subscales_for_pcs():
    result = run("pcs", "--answers", "1,2,3,4,0,1,2,3,4,0,1,2,3", "--json")
    assert json.loads(result.stdout)["subscales"] == {"rumination": 8, "magnification": 6, "helplessness": 12}


def test_it_prints_a_readable_summary_without_json():
    result = run("phq9", "--answers", "0,0,0,0,0,0,0,0,1")
    assert result.exit_code == 0
    assert "total:    1 (range 0-27)" in result.stdout
    assert "band:     minimal" in result.stdout
    assert "self_harm" in result.stdout and "ATTENTION" in result.stdout


def test_it_notes_the_kratom_analogy_in_the_summary():
    result = run("cows", "--answers", "0,0,0,0,0,0,0,0,0,0,0")
    assert "no significant withdrawal" in result.stdout
    assert "by analogy for kratom" in result.stdout


def test_it_exits_2_with_the_count_on_stderr():
    result = run("peg", "--answers", "1,2")
    assert result.exit_code == 2
    assert "PEG needs 3 answers, got 2." in result.stderr
    assert result.stdout == ""


def test_it_exits_2_for_an_out_of_range_value():
    result = run("cows", "--answers", "3,0,0,0,0,0,0,0,0,0,0")
    assert result.exit_code == 2
    assert "Resting pulse rate" in result.stderr


def test_it_exits_2_for_a_non_numeric_value():
    result = run("peg", "--answers", "1,x,2")
    assert result.exit_code == 2
    assert "Answer 2 ('x') is not a whole number" in result.stderr


def test_it_exits_2_for_an_unknown_code_with_a_json_error():
    result = run("bpi", "--answers", "1", "--json")
    assert result.exit_code == 2
    error = json.loads(result.stderr)["error"]
    assert (error["code"], error["field"]) == ("instruments.unknown_code", "code")


def test_it_exits_2_without_answers():
    result = run("phq9")
    assert result.exit_code == 2
    assert "--answers is required" in result.stderr


def test_it_lists_the_instruments():
    for args in (["--list"], ["list"]):
        result = run(*args)
        assert result.exit_code == 0
        codes = [line.split()[0] for line in result.stdout.splitlines()]
        assert codes == ["peg", "phq9", "gad7", "pcs", "sows", "cows"]


def test_it_lists_metadata_as_json():
    result = run("--list", "--json")
    data = json.loads(result.stdout)
    assert [d["code"] for d in data] == ["peg", "phq9", "gad7", "pcs", "sows", "cows"]
    assert data[-1]["clinician_only"] is True


def test_it_applies_the_sows_opt_in_bands_only_on_request():
    answers = ",".join(["1"] * 16)
    assert json.loads(run("sows", "--answers", answers, "--json").stdout)["band"] is None
    opted = json.loads(run("sows", "--answers", answers, "--opt-in-bands", "--json").stdout)
    assert opted["band"] == "moderate"


def test_it_refuses_opt_in_bands_for_a_published_scale():
    result = run("gad7", "--answers", "0,0,0,0,0,0,0", "--opt-in-bands")
    assert result.exit_code == 2
    assert "no opt-in bands" in result.stderr
