"""Unit spellings and conversions. pint does the arithmetic; this module only decides what a spelling means.

Mass <-> substance conversions go through pint's "chemistry" context with the analyte's molar mass.
Every unit here is a pure multiple (no offsets), so a factor computed once per unit pair is exact to reuse.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING

from painwise.core.errors import DomainError
from painwise.core.labs.catalogue import get_analyte
from painwise.core.labs.spec import Analyte, UnitSpec

if TYPE_CHECKING:
    import pint

MICRO_SIGNS = ("\u00b5", "\u03bc")  # MICRO SIGN and GREEK SMALL LETTER MU: keyboards produce either


@cache
def registry() -> pint.UnitRegistry:
    # Imported here: pint costs ~0.16 s to import and every `painwise` command loads this module.
    import pint

    ureg: pint.UnitRegistry = pint.UnitRegistry()
    # WHO international units are bioassay units with no SI equivalent: their own dimension, so pint
    # refuses to turn a TSH result into anything but another IU unit.
    ureg.define("international_unit = [biological_activity] = IU")
    return ureg


def normalise_spelling(unit: str) -> str:
    """Fold the spellings people type into one key: case, spaces, µ/μ/mcg -> u, UCUM [IU] -> iu."""
    text = "".join(unit.split()).lower()
    for micro in MICRO_SIGNS:
        text = text.replace(micro, "u")
    return text.replace("mcg", "ug").replace("[", "").replace("]", "")


def accepted_spellings(analyte: Analyte) -> list[str]:
    return [spelling for u in analyte.units for spelling in (u.ucum, *u.aliases)]


def resolve_unit(analyte: Analyte, unit: str) -> UnitSpec:
    key = normalise_spelling(unit) if isinstance(unit, str) else ""
    for spec in analyte.units:
        if key and key in {normalise_spelling(s) for s in (spec.ucum, spec.label, *spec.aliases)}:
            return spec
    raise DomainError(
        "labs.unknown_unit",
        f"Unknown unit {unit!r} for {analyte.short_name}; accepted: {', '.join(accepted_spellings(analyte))} "
        "(any case; µ, μ, u or mcg for micro).",
        "unit",
    )


def check_value(value: object, field: str = "value") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DomainError("labs.invalid_value", f"{field} must be a finite number, got {value!r}.", field)
    if value < 0:
        raise DomainError("labs.invalid_value", f"{field} cannot be negative, got {value!r}.", field)
    return float(value)


def clean(x: float) -> float:
    """Drop binary float noise (120.00000000000001 -> 120.0) so boundaries compare as people expect."""
    return float(f"{x:.12g}")


@cache
def factor(short_name: str, from_ucum: str, to_ucum: str) -> float:
    """Multiply a value in from_ucum by this to get it in to_ucum (for one analyte)."""
    analyte = get_analyte(short_name)
    source, target = analyte.unit(from_ucum), analyte.unit(to_ucum)
    if source.ucum == target.ucum:
        return 1.0
    ureg = registry()
    one = ureg.Quantity(1.0, source.pint)
    if analyte.molar_mass is None:
        return float(one.to(target.pint).magnitude)
    mw = ureg.Quantity(analyte.molar_mass, "g/mol")
    return float(one.to(target.pint, "chemistry", mw=mw).magnitude)


def convert_spec(analyte: Analyte, value: float, source: UnitSpec, target: UnitSpec) -> float:
    return clean(value * factor(analyte.short_name, source.ucum, target.ucum))


def convert(analyte: str, value: float, from_unit: str, to_unit: str) -> float:
    """Convert a result between two accepted units of one analyte (short name or LOINC code)."""
    entry = get_analyte(analyte)
    number = check_value(value)
    return convert_spec(entry, number, resolve_unit(entry, from_unit), resolve_unit(entry, to_unit))
