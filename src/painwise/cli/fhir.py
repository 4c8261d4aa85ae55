"""`painwise fhir export` and `painwise fhir import`: FHIR R4 Bundles (docs/fhir.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from painwise.cli import app
from painwise.cli.common import domain_errors, fail, find_patient, print_json, setup_django
from painwise.cli.data import read_document

fhir_app = typer.Typer(help="FHIR R4 exchange: export a patient as a Bundle, import a Bundle.", no_args_is_help=True)
app.add_typer(fhir_app, name="fhir")


ServerOpt = Annotated[
    str | None,
    typer.Option("--server", help="a painwise server URL: work over its API instead of the local database"),
]
TokenOpt = Annotated[str | None, typer.Option("--token", help="API bearer token for --server (painwise API token)")]


def remote(server: str, token: str | None, *, as_json: bool = False) -> Any:
    from painwise.client import ApiError, Client

    if not token:
        fail("--server needs --token (a painwise API token: POST /api/v1/auth/token)", field="--token", as_json=as_json)
    try:
        return Client(server, token)
    except ApiError as exc:
        fail(exc.message, code=exc.code, field=exc.field, as_json=as_json)


@contextmanager
def api_errors(as_json: bool = False) -> Iterator[None]:
    """Turn the client's ApiError into the CLI error shape (exit 2)."""
    from painwise.client import ApiError

    try:
        yield
    except ApiError as exc:
        fail(exc.message, code=exc.code, field=exc.field, as_json=as_json)


@fhir_app.command("export")
def fhir_export(
    patient: Annotated[str, typer.Option("--patient", help="patient id (UUID) or username")],
    out: Annotated[Path, typer.Option("--out", help="file to write the Bundle to (FILE.json)")],
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Write one patient's whole record as a FHIR R4 transaction Bundle (POST it to a FHIR server).

    With --server/--token: what that token may see on a remote painwise, as a searchset Bundle."""
    if server is not None:
        client = remote(server, token)
        with api_errors():
            found = client.find_patient(patient)
            bundle = client.fhir_bundle(found["id"])
        _write(out, bundle)
        typer.echo(f"exported {found['username']}: {len(bundle['entry'])} resources to {out}", err=True)
        return
    setup_django()
    from painwise.exchange.fhir import export_bundle

    match = find_patient(patient)
    with domain_errors():
        bundle = export_bundle(match, bundle_type="transaction")
    _write(out, bundle)
    typer.echo(f"exported {match.user.username}: {len(bundle['entry'])} resources to {out}", err=True)


def _write(out: Path, bundle: Any) -> None:
    try:
        out.write_text(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror}", field="--out")


@fhir_app.command("import")
def fhir_import(
    file: Annotated[Path, typer.Argument(help="a FHIR R4 Bundle (JSON)", metavar="FILE.json")],
    json_out: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    patient: Annotated[
        str | None,
        typer.Option("--patient", help="import only lab Observations into this existing patient (id or username)"),
    ] = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Import a Bundle as a new patient, or its lab Observations into an existing one (--patient).

    All-or-nothing; prints what was imported and what was skipped and why. Errors exit 2.
    """
    doc = read_document(file)
    if server is not None:
        if patient is None:
            fail(
                "over --server only lab Observations are imported: give --patient", field="--patient", as_json=json_out
            )
        client = remote(server, token, as_json=json_out)
        with api_errors(as_json=json_out):
            report: Any = client.fhir_import_labs(client.find_patient(patient)["id"], doc)
    else:
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
