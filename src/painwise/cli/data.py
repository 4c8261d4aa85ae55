"""`painwise demo`, `painwise export`, `painwise import`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from painwise.cli import app
from painwise.cli.common import domain_errors, fail, find_patient, print_json, setup_django

MAX_IMPORT_BYTES = 200 * 1024 * 1024


@app.command("export")
def export_command(
    patient: Annotated[str, typer.Option("--patient", help="patient id (UUID) or username")],
    fmt: Annotated[str, typer.Option("--format", help="only json for now")] = "json",
    out: Annotated[Path | None, typer.Option("--out", help="file to write; default stdout")] = None,
) -> None:
    """Write one patient's whole record in the documented JSON format (docs/import-format.md)."""
    if fmt != "json":
        fail(f"unknown format {fmt!r}; supported: json", field="--format")
    setup_django()
    from painwise.exchange.export import export_patient

    match = find_patient(patient)
    with domain_errors():
        doc = export_patient(match)
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {out}: {exc.strerror}", field="--out")
        typer.echo(f"exported {match.user.username} to {out}", err=True)


def read_document(path: Path) -> object:
    try:
        size = path.stat().st_size
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}", field="FILE")
    if size > MAX_IMPORT_BYTES:
        fail(f"{path} is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB", field="FILE")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        fail(f"{path} is not UTF-8 text", field="FILE")
    except json.JSONDecodeError as exc:
        fail(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", field="FILE")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="a painwise export (JSON)", metavar="FILE")],
) -> None:
    """Import one patient document, all-or-nothing: any invalid record aborts with its path."""
    doc = read_document(file)
    setup_django()
    from rich.console import Console

    from painwise.exchange.importer import import_patient

    console = Console(stderr=True)
    with domain_errors(), console.status(f"importing {file.name} …"):
        patient = import_patient(doc)
    console.print(f"imported {patient.user.username} ({patient.id})")


@app.command("demo")
def demo_command(
    patients: Annotated[
        int, typer.Option(help="extra synthetic patients besides the demo logins", min=0, max=200)
    ] = 10,
    json_out: Annotated[bool, typer.Option("--json", help="print the demo logins as JSON")] = False,
) -> None:
    """Seed the synthetic demo cohort and demo logins (idempotent; demo mode only)."""
    setup_django()
    from painwise.demo import seed_demo

    with domain_errors():
        summary = seed_demo(extra_patients=patients)
    if json_out:
        print_json(summary)
        return
    typer.echo("Demo logins (demo mode only; all data are synthetic):")
    for login in summary["logins"]:
        typer.echo(f"  {login['username']:<17} {login['role']:<11} {login['note']}")
    typer.echo(f"  password for all: {summary['password']}  (set PAINWISE_DEMO_PASSWORD to change it)")
