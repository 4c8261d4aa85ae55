"""`painwise lab interpret|convert|analytes`: blood results from the command line.

A thin edge over painwise.core.labs. Bad input exits 2 with a message naming the field (stderr).
`convert` rounds for display to 2 decimals, or 4 significant digits when that keeps more (small values).
"""

from __future__ import annotations

import math
from typing import Annotated

import typer

from painwise.cli import app
from painwise.cli.common import domain_errors, print_json
from painwise.core import labs

lab_app = typer.Typer(help="Blood work: interpret a result, convert units, list the analyte catalogue.")
app.add_typer(lab_app, name="lab", no_args_is_help=True)

AnalyteOpt = Annotated[str, typer.Option("--analyte", help="Short name (e.g. ferritin) or LOINC code.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def round_for_display(value: float) -> float:
    """2 decimals (221.34), but never fewer than 4 significant digits (0.01667, 1.165)."""
    if value == 0:
        return 0.0
    decimals = max(2, 3 - math.floor(math.log10(abs(value))))
    return round(value, decimals)


@lab_app.command("interpret")
def interpret_command(
    analyte: AnalyteOpt,
    value: Annotated[float, typer.Option("--value", help="The result as reported.")],
    unit: Annotated[str, typer.Option("--unit", help="The unit as reported, e.g. ng/mL, µmol/L, U/L.")],
    sex: Annotated[str, typer.Option("--sex", help="female or male.")],
    ref_low: Annotated[float | None, typer.Option("--ref-low", help="Lab's lower limit (same unit).")] = None,
    ref_high: Annotated[float | None, typer.Option("--ref-high", help="Lab's upper limit (same unit).")] = None,
    age: Annotated[float | None, typer.Option("--age", help="Age in years.")] = None,
    pregnant: Annotated[bool, typer.Option("--pregnant", help="Currently pregnant.")] = False,
    ferritin_cutoff: Annotated[
        float, typer.Option(help="Ferritin iron-deficiency cut-off, ng/mL (WHO 15, AAFP/BSG 30, AGA 45).")
    ] = labs.DEFAULT_CONFIG.ferritin_cutoff,
    tsat_cutoff: Annotated[float, typer.Option(help="TSAT iron-deficiency cut-off, %.")] = (
        labs.DEFAULT_CONFIG.tsat_cutoff
    ),
    b12_deficient_below: Annotated[float, typer.Option(help="B12 deficient below, pg/mL.")] = (
        labs.DEFAULT_CONFIG.b12_deficient_below
    ),
    b12_borderline_below: Annotated[float, typer.Option(help="B12 borderline below, pg/mL.")] = (
        labs.DEFAULT_CONFIG.b12_borderline_below
    ),
    alt_uln: Annotated[str, typer.Option(help="ALT upper limit: lab (lab/catalogue range) or acg (33 M / 25 F).")] = (
        labs.DEFAULT_CONFIG.alt_uln
    ),
    testosterone_cutoff: Annotated[float, typer.Option(help="Male low-testosterone cut-off, ng/dL.")] = (
        labs.DEFAULT_CONFIG.testosterone_cutoff
    ),
    as_json: JsonOpt = False,
) -> None:
    """Interpret one result against the lab's range (if given) or the catalogue's default."""
    with domain_errors(as_json=as_json):
        config = labs.LabConfig(
            ferritin_cutoff=ferritin_cutoff,
            tsat_cutoff=tsat_cutoff,
            b12_deficient_below=b12_deficient_below,
            b12_borderline_below=b12_borderline_below,
            alt_uln=alt_uln,  # type: ignore[arg-type]  # LabConfig validates the value
            testosterone_cutoff=testosterone_cutoff,
        )
        reference = None if ref_low is None and ref_high is None else (ref_low, ref_high)
        result = labs.interpret(analyte, value, unit, sex, reference, age=age, pregnant=pregnant, config=config)
    if as_json:
        print_json(result.to_dict())
        return
    typer.echo(_summary(result))
    for note in result.notes:
        typer.echo(f"  note: {note}")


def _summary(result: labs.LabInterpretation) -> str:
    parts = [f"{result.analyte} {result.value:g} {result.unit}: {result.status}"]
    if result.range_used:
        bounds = _bounds(result.range_used["low"], result.range_used["high"])
        parts.append(f"(range {bounds} {result.canonical_unit}, {result.range_used['source']})")
    if result.category:
        parts.append(f"category: {result.category}")
    if result.multiple_of_uln is not None:
        parts.append(f"{result.multiple_of_uln:g}×ULN")
    if result.unusual:
        parts.append("unusual")
    return " ".join(parts)


def _bounds(low: float | None, high: float | None) -> str:
    if low is None:
        return f"≤{high:g}"
    return f"≥{low:g}" if high is None else f"{low:g}–{high:g}"


@lab_app.command("convert")
def convert_command(
    analyte: AnalyteOpt,
    value: Annotated[float, typer.Option("--value", help="The value to convert.")],
    from_unit: Annotated[str, typer.Option("--from", help="Unit of the value.")],
    to_unit: Annotated[str, typer.Option("--to", help="Unit wanted.")],
    as_json: JsonOpt = False,
) -> None:
    """Convert a value between two units of one analyte (prints '<value> <unit>')."""
    with domain_errors(as_json=as_json):
        converted = labs.convert(analyte, value, from_unit, to_unit)
        entry = labs.get_analyte(analyte)
        target = labs.resolve_unit(entry, to_unit).ucum
    shown = round_for_display(converted)
    if as_json:
        print_json({"value": shown, "unit": target})
        return
    typer.echo(f"{shown} {target}")


@lab_app.command("analytes")
def analytes_command(as_json: JsonOpt = False) -> None:
    """List the analyte catalogue: short name, LOINC codes (* = unconfirmed), canonical and accepted units."""
    if as_json:
        print_json([entry.to_dict() for entry in labs.ANALYTES])
        return
    for entry in labs.ANALYTES:
        codes = ", ".join(c.code + ("" if c.confirmed else "*") for c in entry.loinc)
        units = ", ".join(labs.accepted_spellings(entry))
        typer.echo(f"{entry.short_name:<13} {entry.display_name:<42} LOINC {codes:<18} units: {units}")
    typer.echo("* LOINC code not yet confirmed (docs/labs.md): verify on loinc.org.")
