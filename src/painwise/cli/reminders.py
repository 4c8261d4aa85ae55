"""`painwise reminders run`: send the reminders that are due (cron/systemd-safe, idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from painwise.cli import app
from painwise.cli.common import setup_django

reminders_app = typer.Typer(help="Reminders for recording, questionnaires, sessions and blood work.")
app.add_typer(reminders_app, name="reminders")


@reminders_app.command("run")
def run_command(
    now: Annotated[
        str | None, typer.Option(help="pretend it is this moment (ISO 8601 with offset); default: now")
    ] = None,
) -> None:
    """Create and e-mail every reminder due now; an occasion already sent is never sent again."""
    moment: dt.datetime | None = None
    if now is not None:
        try:
            moment = dt.datetime.fromisoformat(now)
        except ValueError:
            typer.echo(f"error [now]: {now!r} is not an ISO 8601 time, e.g. 2026-11-28T20:05:00+00:00", err=True)
            raise typer.Exit(2) from None
        if moment.tzinfo is None:
            typer.echo("error [now]: give a time zone offset, e.g. +00:00", err=True)
            raise typer.Exit(2)
    setup_django()
    from painwise.reminders.services import reminders_run

    report = reminders_run(now=moment)
    typer.echo(
        f"reminders: {report.created} new ({report.emailed} e-mailed), {report.skipped_existing} already sent, "
        f"{report.patients} patients with reminders on"
    )
