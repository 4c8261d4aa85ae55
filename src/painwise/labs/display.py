"""How a stored result reads on a page: ranges in the unit they were reported in, who entered it."""

from __future__ import annotations

from dataclasses import dataclass

from painwise.core.labs import CATALOGUE
from painwise.core.labs.config import LabConfig
from painwise.core.labs.interpret import _threshold as category_threshold
from painwise.labs.models import LabResult, RangeSource


def number(value: float | None) -> str:
    """Up to 4 significant digits, no float noise: 221.34 → '221.3', 12.0 → '12'."""
    if value is None:
        return ""
    return f"{value:.4g}" if abs(value) < 10_000 else f"{value:,.0f}"


def bounds(low: float | None, high: float | None, unit: str) -> str:
    if low is not None and high is not None:
        return f"{number(low)}–{number(high)} {unit}"
    if low is not None:
        return f"≥ {number(low)} {unit}"
    if high is not None:
        return f"≤ {number(high)} {unit}"
    return ""


def display_name(analyte: str) -> str:
    entry = CATALOGUE.get(analyte)
    return entry.display_name if entry else analyte


@dataclass(frozen=True)
class Row:
    result: LabResult
    name: str
    value: str
    range_text: str
    range_label: str
    uln: str
    entered_by: str
    category_basis: str = ""  # the clinical cut-off the category comes from, e.g. "below 30 ng/mL"

    @property
    def flagged(self) -> bool:
        return self.result.out_of_range


def row(result: LabResult) -> Row:
    if result.range_source == RangeSource.LAB:
        # The lab's own limits, in the unit it reported (no rounding through a conversion).
        range_text = bounds(result.ref_low, result.ref_high, result.unit)
    else:
        range_text = bounds(result.range_low, result.range_high, result.canonical_unit)
    user = result.entered_by
    return Row(
        result=result,
        name=display_name(result.analyte),
        value=f"{number(result.value)} {result.unit}",
        range_text=range_text,
        range_label=result.get_range_source_display() if result.range_source else "no range",
        uln=f"×{number(result.multiple_of_uln)} ULN" if result.multiple_of_uln is not None else "",
        entered_by=f"{user.username} ({user.get_role_display().lower()})" if user else "imported",  # type: ignore[attr-defined]
        category_basis=category_basis(result),
    )


def category_basis(result: LabResult) -> str:
    """The cut-off behind a category, so a reader sees why "iron deficiency" can sit beside "Normal":
    the status compares with the reference range, the category with a clinical cut-off."""
    entry = CATALOGUE.get(result.analyte)
    if entry is None or not result.category:
        return ""
    try:
        config = LabConfig(**{k: v for k, v in (result.config or {}).items() if k in LabConfig.__dataclass_fields__})
    except TypeError:
        config = LabConfig()
    for rule in entry.categories:
        if rule.name == result.category:
            threshold = category_threshold(entry, rule, config)
            return f"clinical cut-off: below {number(threshold)} {entry.canonical_unit}"
    return ""
