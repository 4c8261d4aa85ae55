"""`painwise insights FILE.json [--as-of YYYY-MM-DD] [--baseline-start YYYY-MM-DD] --json`.

Runs every analysis of painwise.core.analytics on an export document (docs/import-format.md) and prints
one JSON object (docs/insights.md): response, peg, modalities, dose_response, hair_timeline,
change_points. Pure core: no database. Errors (unreadable file, not an export, bad date) exit 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from painwise.cli import app
from painwise.cli.common import domain_errors, fail, print_json
from painwise.cli.data import read_document


def parse_day(text: str | None, option: str, *, as_json: bool = False) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"{option} must be a date YYYY-MM-DD, got {text!r}", code="insights.invalid_date", field=option,
             as_json=as_json)  # fmt: skip


@app.command("insights")
def insights_command(
    file: Annotated[Path, typer.Argument(help="a painwise export document (JSON)", metavar="FILE.json")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="last day of the current 14-day window (default: last pain entry)")
    ] = None,
    baseline_start: Annotated[
        str | None,
        typer.Option("--baseline-start", help="first day of the 14-day baseline (default: first pain entry)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Is the plan working? Response vs baseline, PEG, modality effects, dose-response, hair timeline,
    change points — each with its uncertainty, or what is missing."""
    from painwise.core.analytics import insights
    from painwise.core.snapshot import snapshot_from_export

    as_of_day = parse_day(as_of, "--as-of", as_json=as_json)
    start_day = parse_day(baseline_start, "--baseline-start", as_json=as_json)
    document = read_document(file)
    with domain_errors(as_json=as_json):
        snapshot = snapshot_from_export(document)  # type: ignore[arg-type]
        result = insights(snapshot, as_of=as_of_day, baseline_start=start_day)
    data = result.to_dict()
    if as_json:
        print_json(data)
        return
    for name, section in data.items():
        typer.echo(f"{name.replace('_', ' ')}: {section.get('sentence') or section.get('missing') or ''}")
