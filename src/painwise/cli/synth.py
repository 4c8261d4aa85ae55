"""`painwise synth`: write a synthetic (FICTIONAL) cohort as export documents plus its ground truth."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from painwise.cli import app
from painwise.cli.common import domain_errors, fail

# Below this many patients a progress bar only flickers.
PROGRESS_FROM = 5


@app.command("synth")
def synth_command(
    patients: Annotated[int, typer.Option("--patients", help="number of synthetic patients (>= 1)")],
    out: Annotated[Path, typer.Option("--out", help="directory to write (created if missing)")],
    years: Annotated[float, typer.Option("--years", help="years of history per patient (0.25-10)")] = 2.0,
    seed: Annotated[int, typer.Option("--seed", help="random seed; the same seed gives the same files")] = 1,
    no_effects: Annotated[bool, typer.Option("--no-effects", help="plant no effects (effect strength 0)")] = False,
    effect_strength: Annotated[
        float | None, typer.Option("--effect-strength", help="scale of the planted FICTIONAL effects (default 1)")
    ] = None,
    end_date: Annotated[
        str | None, typer.Option("--end-date", help="last diary day, YYYY-MM-DD (default: yesterday, UTC)")
    ] = None,
) -> None:
    """Generate synthetic patients: DIR/patients/<username>.json, DIR/ground_truth.json, DIR/README.md.

    All data are synthetic and every planted effect is fictional (docs/synthetic-data.md).
    """
    from painwise.core.synth import generate_cohort, write_cohort

    if no_effects and effect_strength not in (None, 0):
        fail("--no-effects and --effect-strength contradict each other; use one", field="--effect-strength")
    strength = 0.0 if no_effects else (1.0 if effect_strength is None else effect_strength)
    end = _parse_date(end_date) if end_date else None
    _check_writable(out)
    console = Console(stderr=True)
    with domain_errors():
        if patients < PROGRESS_FROM:
            cohort = generate_cohort(patients, years, seed, effect_strength=strength, end_date=end)
        else:
            columns = (TextColumn("synthetic patients"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=console, transient=True) as bar:
                task = bar.add_task("patients", total=patients)
                cohort = generate_cohort(
                    patients, years, seed, effect_strength=strength, end_date=end,
                    progress=lambda done, _total: bar.update(task, completed=done),
                )  # fmt: skip
    try:
        written = write_cohort(cohort, out)
    except OSError as exc:
        fail(f"cannot write to {out}: {exc.strerror or exc}", field="--out")
    console.print(
        f"Wrote {len(cohort.patients)} synthetic patient(s) to {out / 'patients'} "
        f"and {out / 'ground_truth.json'} ({len(written)} files; effect strength {strength:g}). All data are fictional."
    )


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"end date must be YYYY-MM-DD, got {text!r}", field="--end-date")


def _check_writable(out: Path) -> None:
    """Fail before minutes of generation, not after."""
    if out.exists() and not out.is_dir():
        fail(f"{out} exists and is not a directory", field="--out")
    probe = out
    while not probe.exists():
        probe = probe.parent
    import os

    if not os.access(probe, os.W_OK | os.X_OK):
        fail(f"cannot write to {out}: permission denied", field="--out")
