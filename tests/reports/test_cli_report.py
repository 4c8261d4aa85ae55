"""`painwise report`: the operator's report for one patient and period (CliRunner, database)."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from painwise.cli import app

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


def test_it_writes_a_pdf_with_the_key_figures(erin, tmp_path):
    out = tmp_path / "erin.pdf"
    args = ["report", "--patient", "erin", "--from", erin.start.isoformat(), "--to", erin.end.isoformat()]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = PdfReader(str(out)).pages[0].extract_text()
    assert "erin" in text and erin.start.isoformat() in text and "IMMPACT category" in text
    assert "Open flags" in text


def test_it_accepts_the_patient_id_and_writes_html(erin, tmp_path):
    out = tmp_path / "erin.html"
    args = ["report", "--patient", str(erin.patient.id), "--from", erin.start.isoformat(), "--to", erin.end.isoformat()]
    result = runner.invoke(app, [*args, "--out", str(out), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "<h1>Pain care report</h1>" in out.read_text()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--patient", "nobody", "--from", "2026-01-01", "--to", "2026-02-01"], "--patient"),
        (["--patient", "erin", "--from", "2026-01-32", "--to", "2026-02-01"], "from must be a date"),
        (["--patient", "erin", "--from", "2026-03-01", "--to", "2026-02-01"], "to must not be before from"),
        (["--patient", "erin", "--from", "2026-01-01", "--to", "2026-02-01", "--format", "docx"], "--format"),
    ],
)
def test_bad_input_exits_2_with_the_reason(erin, tmp_path, args, needle):
    out = tmp_path / "x.pdf"
    result = runner.invoke(app, ["report", *args, "--out", str(out)])
    assert result.exit_code == 2
    assert needle in result.output
    assert not out.exists()
