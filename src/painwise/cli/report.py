"""`painwise report --patient ID|USERNAME --from YYYY-MM-DD --to YYYY-MM-DD --out FILE [--format pdf|html]`.

The visit report (docs/reports.md) for one patient and period, written by an operator: every section is
shown. Bad input (unknown patient, bad or reversed dates, unknown format, unwritable file) exits 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from painwise.cli import app
from painwise.cli.common import domain_errors, fail, find_patient, setup_django


@app.command("report")
def report_command(
    patient: Annotated[str, typer.Option("--patient", help="patient id (UUID) or username")],
    start: Annotated[str, typer.Option("--from", help="first local day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="last local day, YYYY-MM-DD")],
    out: Annotated[Path, typer.Option("--out", help="file to write")],
    fmt: Annotated[str, typer.Option("--format", help="pdf (default) or html")] = "pdf",
) -> None:
    """Write the visit report: page-one summary, then charts, lab tables, questionnaires, diary summary."""
    if fmt not in ("pdf", "html"):
        fail(f"unknown format {fmt!r}; supported: pdf, html", field="--format")
    setup_django()
    from painwise.reports import services

    with domain_errors():
        first, last = services.parse_period(start, end)
    match = find_patient(patient)
    with domain_errors():
        data = services.render(services.report_content(match, first, last), fmt)
    try:
        out.write_bytes(data)
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror}", field="--out")
    typer.echo(f"wrote {fmt} report for {match.user.username} ({first} to {last}) to {out}", err=True)
