"""`painwise fhir export` and `painwise fhir import`: FHIR R4 Bundles (docs/fhir.md)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from painwise.cli import app
from painwise.cli.common import domain_errors, fail, print_json, setup_django
from painwise.cli.data import read_document

fhir_app = typer.Typer(help="FHIR R4 exchange: export a patient as a Bundle, import a Bundle.", no_args_is_help=True)
app.add_typer(fhir_app, name="fhir")


def find_patient(text: str, *, as_json: bool = False) -> Any:
    from painwise.patients.models import Patient

    patients = Patient.objects.select_related("user")
    match = patients.filter(user__username=text).first()
    if match is None:
        try:
            match = patients.filter(id=uuid.UUID(text)).first()
        except ValueError:
            match = None
    if match is None:
        fail(f"no patient with id or username {text!r}", field="--patient", as_json=as_json)
    return match


@fhir_app.command("export")
def fhir_export(
    patient: Annotated[str, typer.Option("--patient", help="patient id (UUID) or username")],
    out: Annotated[Path, typer.Option("--out", help="file to write the Bundle to (FILE.json)")],
) -> None:
    """Write one patient's whole record as a FHIR R4 transaction Bundle (POST it to a FHIR server)."""
    setup_django()
    from painwise.exchange.fhir import export_bundle

    match = find_patient(patient)
    with domain_errors():
        bundle = export_bundle(match, bundle_type="transaction")
    try:
        out.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror}", field="--out")
    typer.echo(f"exported {match.user.username}: {len(bundle['entry'])} resources to {out}", err=True)


@fhir_app.command("import")
def fhir_import(
    file: Annotated[Path, typer.Argument(help="a FHIR R4 Bundle (JSON)", metavar="FILE.json")],
    json_out: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    patient: Annotated[
        str | None,
        typer.Option("--patient", help="import only lab Observations into this existing patient (id or username)"),
    ] = None,
) -> None:
    """Import a Bundle as a new patient, or its lab Observations into an existing one (--patient).

    All-or-nothing; prints what was imported and what was skipped and why. Errors exit 2.
    """
    doc = read_document(file)
    setup_django()
    from painwise.exchange.fhir import import_bundle

    target = find_patient(patient, as_json=json_out) if patient is not None else None
    with domain_errors(as_json=json_out):
        report = import_bundle(doc, patient=target)
    if json_out:
        print_json(report)
        return
    imported = ", ".join(f"{kind} {count}" for kind, count in report["imported"].items()) or "nothing"
    typer.echo(f"imported: {imported}")
    if report["skipped"]:
        typer.echo(f"skipped {len(report['skipped'])}:")
        for item in report["skipped"]:
            typer.echo(f"  {item['resource']}: {item['reason']}")
