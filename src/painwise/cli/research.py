"""`painwise research analyze DIR` and `painwise research export --out DIR` (docs/research.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from painwise.cli import app
from painwise.cli.common import domain_errors, fail, print_json, setup_django

research_app = typer.Typer(help="Consented, de-identified research cohorts and their analyses.", no_args_is_help=True)
app.add_typer(research_app, name="research")


@research_app.command("analyze")
def analyze_command(
    directory: Annotated[
        Path, typer.Argument(help="a cohort: `painwise synth` output or a research export", metavar="DIR")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object keyed by analysis name")] = False,
    analysis: Annotated[
        list[str] | None, typer.Option("--analysis", help="run only this analysis (repeatable); default all")
    ] = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="bootstrap resamples for mediation (>= 20)")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="seed of the mediation bootstrap")] = 1,
) -> None:
    """Run the cohort analyses (exposure vs ferritin, B12, testosterone, haemoglobin; hair shedding; mediation).

    Associations in observational data are not proof of cause; every result names what it cannot rule out.
    """
    from painwise.core.research.analyses import ANALYSIS_NAMES, analyze
    from painwise.core.research.analyses import as_json as results_json
    from painwise.core.research.cohort import load_cohort

    names = tuple(analysis) if analysis else ANALYSIS_NAMES
    for name in names:
        if name not in ANALYSIS_NAMES:
            fail(f"unknown analysis {name!r}; known: {', '.join(ANALYSIS_NAMES)}", field="--analysis", as_json=as_json)
    if bootstrap < 20:
        fail("the bootstrap needs at least 20 resamples", field="--bootstrap", as_json=as_json)
    console = Console(stderr=True)
    with domain_errors(as_json=as_json), console.status("loading the cohort") as status:
        cohort = load_cohort(directory)
        status.update(f"{cohort.n_patients} patients loaded")
        results = analyze(
            cohort, names, n_bootstrap=bootstrap, seed=seed,
            progress=lambda name: status.update(f"{cohort.n_patients} patients: running {name}"),
        )  # fmt: skip
    data = results_json(results)
    if as_json:
        print_json(data)
        return
    console = Console()
    console.print(f"[bold]{cohort.n_patients} patients[/bold] from {directory} ({cohort.kind})")
    for name, item in data.items():
        if item.get("error"):
            console.print(f"{name}: not run — {item['error']['message']}")
            continue
        head = "hazard ratio" if "hazard_ratio" in item else "estimate"
        console.print(
            f"{name}: {head} {item['estimate']:.4g} (95% CI {item['ci_low']:.4g} to {item['ci_high']:.4g}), "
            f"p = {item['p_value']:.3g} — {item['measure']}"
        )
    console.print(next(iter(data.values())).get("association_is_not_cause", ""))


@research_app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", help="directory to write (created; must be empty if it exists)")],
    sex: Annotated[str | None, typer.Option("--sex", help="only female or male patients")] = None,
    age_band: Annotated[list[str] | None, typer.Option("--age-band", help="only these age bands (repeatable)")] = None,
    kratom_only: Annotated[bool, typer.Option("--kratom-only", help="only patients with kratom exposure")] = False,
    actor: Annotated[str | None, typer.Option("--as", help="researcher account recorded in the audit trail")] = None,
) -> None:
    """Write a de-identified cohort of the consenting patients (Parquet, CSV, per-patient JSON, dictionary)."""
    setup_django()
    from painwise.accounts.models import Role, User
    from painwise.research.exports import CohortFilters, research_export_create

    user = None
    if actor is not None:
        user = User.objects.filter(username=actor, is_active=True).first()
        if user is None or user.role != Role.RESEARCHER:
            fail(f"no active researcher account {actor!r}", field="--as")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        fail(f"{out} exists and is not an empty directory", field="--out")
    with domain_errors():
        filters = CohortFilters.parse(sex=sex, age_bands=age_band or [], kratom_only=kratom_only)
        try:
            manifest = research_export_create(actor=user, out_dir=out, filters=filters)
        except OSError as exc:
            fail(f"cannot write to {out}: {exc.strerror or exc}", field="--out")
    typer.echo(
        f"exported {manifest['patients']} consenting patient(s), de-identified, to {out} "
        f"(consent versions: {', '.join(f'{k}: {v}' for k, v in manifest['consent_versions'].items()) or 'none'})",
        err=True,
    )
