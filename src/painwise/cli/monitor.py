"""`painwise evaluate FILE.json` (rules over a file, no database) and `painwise monitor run` (all patients).

The file, the app and the batch job run the same code (painwise.core.rules.evaluate) on the same
snapshot type. Bad input exits 2 with a message naming the field's path.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from painwise.cli import app
from painwise.cli.common import domain_errors, fail, print_json, setup_django
from painwise.cli.data import read_document
from painwise.core.errors import DomainError
from painwise.core.rules import RulesConfig, evaluate, load_config

monitor_app = typer.Typer(help="Safety monitoring: evaluate every patient's record and raise flags.")
app.add_typer(monitor_app, name="monitor", no_args_is_help=True)


def _config(path: Path | None) -> RulesConfig:
    """--config FILE, else the deployment's thresholds (PAINWISE_RULES_CONFIG via Django settings)."""
    if path is not None:
        return load_config(path)
    from django.core.exceptions import ImproperlyConfigured

    try:
        setup_django()  # reads settings only; no database is opened
        from painwise.monitoring.config import rules_config

        return rules_config()
    except ImproperlyConfigured as error:
        fail(str(error), code="rules.invalid_config", field="PAINWISE_RULES_CONFIG")


def _as_of(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of must be a date YYYY-MM-DD, got {text!r}", field="--as-of")


@app.command("evaluate")
def evaluate_command(
    file: Annotated[Path, typer.Argument(help="an export document or a snapshot document (JSON)", metavar="FILE")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="evaluate as of this day (YYYY-MM-DD); default: the file's")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the findings as a JSON list")] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML thresholds; default: PAINWISE_RULES_CONFIG")
    ] = None,
) -> None:
    """Run every monitoring rule over one patient file and print the findings (docs/snapshot-format.md)."""
    from painwise.core.rules.document import snapshot_from_document

    day = _as_of(as_of)
    document = read_document(file)
    with domain_errors(as_json=as_json):
        rules_config = _config(config)
        snapshot, own = snapshot_from_document(document, rules_config.labs)
        day = day or own or snapshot.last_day
        if day is None:
            raise DomainError("snapshot.no_date", "the file has no records and no as_of: give --as-of", "as_of")
        findings = evaluate(snapshot, day, rules_config)
    if as_json:
        print_json([finding.to_dict() for finding in findings])
        return
    if not findings:
        typer.echo(f"no findings as of {day.isoformat()}")
    for finding in findings:
        typer.echo(f"[{finding.severity}] {finding.rule} ({finding.date.isoformat()}): {finding.title}")
        typer.echo(f"  observed: {finding.rationale}")
        typer.echo(f"  consider: {finding.consider}")
        typer.echo(f"  evidence: {finding.evidence}")


@monitor_app.command("run")
def monitor_run_command(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="evaluate as of this day (YYYY-MM-DD); default: today (UTC)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the totals as JSON")] = False,
) -> None:
    """Evaluate every patient and raise, deduplicate or clear flags (idempotent; safe to run concurrently)."""
    day = _as_of(as_of)
    setup_django()
    from rich.progress import Progress

    from painwise.monitoring.engine import monitor_all

    with Progress(transient=True) as progress:
        task = progress.add_task("evaluating patients", total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        with domain_errors(as_json=as_json):
            totals = monitor_all(as_of=day, progress=tick)
    if as_json:
        print_json(totals)
    else:
        typer.echo(
            f"{totals['patients']} patients evaluated as of {totals['as_of']}: {totals['findings']} findings, "
            f"{totals['raised']} flags raised, {totals['kept']} already open, {totals['cleared']} conditions cleared"
        )


@monitor_app.command("work")
def monitor_work_command(
    once: Annotated[bool, typer.Option("--once", help="serve what is queued now, then stop")] = False,
    poll: Annotated[float, typer.Option("--poll", min=0.05, max=60, help="seconds between looks at the queue")] = 0.5,
    delay: Annotated[
        float,
        typer.Option("--delay", min=0, max=300, help="seconds a request waits so a burst of writes coalesces"),
    ] = 1.0,
    parent: Annotated[
        int | None, typer.Option("--parent", hidden=True, help="stop when this process is gone (painwise serve)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the totals as JSON (with --once)")] = False,
) -> None:
    """Evaluate patients whose records changed (PAINWISE_EVALUATION=queue), as their requests come in."""
    setup_django()
    import signal

    from painwise.monitoring.queue import parent_gone, queue_depth, work

    stopping: list[bool] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    gone = parent_gone(parent) if parent is not None else (lambda: False)
    waiting, oldest = queue_depth()
    if not as_json:
        since = f", the oldest since {oldest:%Y-%m-%d %H:%M:%S} UTC" if oldest else ""
        typer.echo(f"{waiting} patients waiting for an evaluation{since}", err=not once)
    stats = work(once=once, poll=poll, delay=delay, should_stop=lambda: bool(stopping) or gone())
    if as_json:
        print_json({"evaluated": stats.evaluated, "failed": stats.failed, "waiting": queue_depth()[0]})
    else:
        typer.echo(f"{stats.evaluated} patients evaluated, {stats.failed} failed (kept for a retry)")
    if stats.failed and once:
        raise typer.Exit(1)
