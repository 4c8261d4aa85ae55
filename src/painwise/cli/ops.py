"""`painwise backup` and `painwise restore`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from painwise.cli import app
from painwise.cli.common import domain_errors, setup_django


@app.command("backup")
def backup_command(
    file: Annotated[Path, typer.Argument(help="where to write the backup (must not exist)", metavar="FILE")],
) -> None:
    """Online, consistent backup, verified by reopening it and comparing every table's rows and checksum."""
    setup_django()
    from rich.console import Console

    from painwise.audit.services import audit_record
    from painwise.ops.backup import backup

    console = Console(stderr=True)
    with domain_errors(exit_code=1), console.status("backing up and verifying …"):
        report = backup(file)
    audit_record(actor=None, action="backup", patient_key=None, object_type="database", detail={"rows": report.rows})
    console.print(
        f"backup written and verified: {file} ({report.engine}, {len(report.tables)} tables, {report.rows} rows)"
    )


@app.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="a backup made by painwise backup", metavar="FILE")],
) -> None:
    """Restore a backup into the database named by DATABASE_URL, which must be empty."""
    setup_django()
    from rich.console import Console

    from painwise.ops.backup import restore

    console = Console(stderr=True)
    with domain_errors(exit_code=1), console.status("restoring …"):
        report = restore(file)
    console.print(f"restored {file}: {len(report.tables)} tables, {report.rows} rows")
