"""`painwise pv ingest|signals`: disproportionality signal detection over adverse-event report databases.

A thin edge over painwise.core.pv. Bad input exits 2 with a message naming the file, line and column;
nothing is written then. Progress (rich) goes to stderr so stdout stays clean for --json.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from painwise.cli import app
from painwise.cli.common import domain_errors, fail, print_json

pv_app = typer.Typer(help="Pharmacovigilance: ingest FAERS/CAERS and compute PRR, ROR, IC and MGPS signals.")
app.add_typer(pv_app, name="pv", no_args_is_help=True)
ingest_app = typer.Typer(help="Convert FAERS, CAERS or a raw long table to the long table id,var1,var2,…")
pv_app.add_typer(ingest_app, name="ingest", no_args_is_help=True)

OutOpt = Annotated[Path, typer.Option("--out", help="Output file: .csv or .parquet.")]
SynOpt = Annotated[Path | None, typer.Option("--synonyms", help="CSV name,canonical[,match] mapping product synonyms.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@contextmanager
def _progress(enabled: bool = True) -> Iterator[callable]:  # type: ignore[valid-type]
    console = Console(stderr=True)
    started = time.perf_counter()
    if not enabled:
        yield lambda _msg: None
        return
    with console.status("starting…") as status:

        def say(message: str) -> None:
            status.update(f"{message} ({time.perf_counter() - started:.0f} s)")

        yield say


def _ingest(
    step: str, read: Callable[..., dict[str, int]], source: Path, out: Path, as_json: bool, **options: Any
) -> None:
    """The body every `pv ingest` subcommand shares; they differ only by the reader and its options."""
    with domain_errors(as_json=as_json), _progress(not as_json) as say:
        say(step)
        summary = read(source, out, **options)
    if as_json:
        print_json({"out": str(out), **summary})
    else:
        typer.echo(
            f"wrote {out}: {summary['rows']:,} rows, {summary['reports']:,} reports, "
            f"{summary['products']:,} products, {summary['events']:,} events"
        )


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


@ingest_app.command("faers")
def ingest_faers_command(
    directory: Annotated[Path, typer.Argument(help="Folder with the quarter's DEMO, DRUG and REAC .txt files.")],
    out: OutOpt,
    roles: Annotated[
        str, typer.Option("--roles", help="Drug roles to keep: PS,SS (default); add C (concomitant), I (interacting).")
    ] = "PS,SS",
    synonyms: SynOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """FAERS quarterly ASCII extract → long table (latest version of each case; suspect drugs by default)."""
    from painwise.core.pv import ingest

    _ingest("reading FAERS", ingest.ingest_faers, directory, out, as_json, roles=roles.split(","), synonyms=synonyms)


@ingest_app.command("caers")
def ingest_caers_command(
    path: Annotated[Path, typer.Argument(help="CAERS export (CSV).")],
    out: OutOpt,
    roles: Annotated[str, typer.Option("--roles", help="Product roles: suspect (default), concomitant.")] = "suspect",
    synonyms: SynOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """CAERS export → long table (one row per report × product × MedDRA term)."""
    from painwise.core.pv import ingest

    _ingest("reading CAERS", ingest.ingest_caers, path, out, as_json, roles=roles.split(","), synonyms=synonyms)


@ingest_app.command("table")
def ingest_table_command(
    path: Annotated[Path, typer.Argument(help="Long table id,var1,var2[,strata…] (CSV or Parquet).")],
    out: OutOpt,
    strata: Annotated[list[str] | None, typer.Option("--strata", help="Stratification columns to keep.")] = None,
    synonyms: SynOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Normalise and map the product names of a long table; drop duplicate rows."""
    from painwise.core.pv import ingest

    _ingest("normalising products", ingest.ingest_table, path, out, as_json, synonyms=synonyms, strata=_split(strata))


def _prior_table(prior: dict[str, object]) -> Table:
    t = Table(title="fitted two-gamma prior (MGPS)")
    for name in ("alpha1", "beta1", "alpha2", "beta2", "P"):
        t.add_column(name, justify="right")
    t.add_row(*(f"{float(prior[n]):.8g}" for n in ("alpha1", "beta1", "alpha2", "beta2", "P")))  # type: ignore[arg-type]
    return t


@pv_app.command("signals", context_settings={"allow_extra_args": True, "ignore_unknown_options": False})
def signals_command(
    ctx: typer.Context,
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="Long table id,var1,var2[,strata…].")],
    out: Annotated[Path, typer.Option("--out", help="CSV to write: one row per product–event pair.")],
    strata: Annotated[
        list[str] | None,
        typer.Option("--strata", help="Stratification column(s): --strata sex age_group (or repeat the flag)."),
    ] = None,
    min_n: Annotated[int, typer.Option("--min-n", help="Write only pairs with N >= this (the prior uses all).")] = 1,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")] = "duckdb",
    as_json: JsonOpt = False,
) -> None:
    """PRR, ROR (95% CIs), BCPNN IC/IC025 and MGPS EBGM/EB05/EB95 for every product–event pair."""
    from painwise.core.pv import signals

    extra = list(ctx.args)
    if extra and not strata:
        fail(f"unexpected argument(s): {' '.join(extra)}", code="pv.usage", as_json=as_json)
    columns = _split(strata) + _split(extra)
    if engine not in signals.ENGINES:
        fail(f"--engine must be duckdb or spark, got {engine!r}", code="pv.engine", field="engine", as_json=as_json)
    if not str(out).lower().endswith(".csv"):
        fail("--out must be a .csv file", code="pv.file_type", field="out", as_json=as_json)
    spark = None
    if engine == "spark":
        from painwise.cli.common import setup_django

        setup_django()  # the Spark master and partitions are settings (docs/settings.md)
        from django.conf import settings

        spark = signals.SparkOptions(settings.PV_SPARK_MASTER, settings.PV_SPARK_SHUFFLE_PARTITIONS)
    with domain_errors(as_json=as_json), _progress(not as_json) as say:
        result = signals.detect_signals(
            input_path, strata=columns, min_n=min_n, engine=engine, progress=say, spark=spark
        )
        say(f"writing {len(result.table):,} rows")
        signals.write_csv(result.table, out)
    info: dict[str, Any] = result.to_dict()
    if as_json:
        info["prior"] = {k: v for k, v in info["prior"].items() if k != "starts"}
        print_json({"out": str(out), **info} | {"prior": _finite(info["prior"])})
        return
    console = Console()
    console.print(_prior_table(info["prior"]))  # type: ignore[arg-type]
    console.print(str(info["prior"]["description"]))  # type: ignore[index]
    console.print(
        f"{result.n_reports:,} reports, {result.n_pairs:,} pairs; wrote {len(result.table):,} rows to {out} "
        f"(engine {engine}{', strata ' + ', '.join(columns) if columns else ''})"
    )


def _finite(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value
