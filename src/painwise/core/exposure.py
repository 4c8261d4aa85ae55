"""Kratom exposure arithmetic: what a patient's dose records add up to, per local day.

Exposure is computed from the dose records every time, never stored as truth (DESIGN.md, data rules).
The figures describe use; they are deliberately not banded into "low/moderate/high" because no
validated dose bands exist (clinical_reference.md §6).

Conventions
- A product's ``leaf_g_per_unit`` converts one dose unit into grams of leaf-equivalent product.
  Leaf powder and tea counted in grams are leaf grams even when ``leaf_g_per_unit`` is unset.
- ``mitragynine_mg_per_g`` is per gram of leaf-equivalent product. When it is unknown the estimate is
  an interval spanning measured products (MITRAGYNINE_CONTENT_RANGE), never a single number.
- A dose that cannot be converted to leaf grams is kept as a count in its own unit
  (``units_without_leaf_equivalent``) so nothing disappears silently.
- Concentrated 7-OH products are not kratom leaf (clinical_reference.md §6): they are tracked in their
  own columns, get no mitragynine estimate and never add to leaf-equivalent grams.
- Skipped doses count zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from painwise.core.errors import DomainError
from painwise.core.vocabularies import DoseStatus

FORMS = ("leaf_powder", "capsule", "extract", "tea", "7oh")
UNITS = ("g", "capsule", "mL", "mg")
STATUSES = DoseStatus.values()
SEVEN_OH_FORM = "7oh"
# Forms whose grams are grams of leaf even without an explicit per-unit factor.
LEAF_FORMS_IN_GRAMS = ("leaf_powder", "tea")
# Units that count things take a plural; measures (g, mL, mg) never do.
COUNTED_UNITS = ("capsule",)


def amount_text(amount: Decimal | float, unit: str) -> str:
    """A dose as people write it: "2.5 g", "1 capsule", "5 capsules" (no trailing zeros)."""
    exact = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    plural = "s" if unit in COUNTED_UNITS and exact != 1 else ""
    return f"{exact.normalize():f} {unit}{plural}"


@dataclass(frozen=True)
class ContentRange:
    low_mg_per_g: float
    high_mg_per_g: float
    source: str


# The range of mitragynine content measured in real products, used when a product's content is unknown.
MITRAGYNINE_CONTENT_RANGE = ContentRange(
    low_mg_per_g=0.8,
    high_mg_per_g=19.5,
    source=(
        "DILIN-analysed products 0.8-2.0 mg/g (Ahmad J et al. Drug Alcohol Depend 2021;218:108426) up to a "
        "characterised US product with 19.5 mg/g (Tanna RS et al. Clin Pharmacol Ther 2023); docs/evidence.md"
    ),
)

ROLLING_WINDOWS = (7, 28)


@dataclass(frozen=True)
class Product:
    id: str
    form: str
    unit: str
    leaf_g_per_unit: float | None = None
    mitragynine_mg_per_g: float | None = None


@dataclass(frozen=True)
class Dose:
    product_id: str
    day: dt.date  # the patient's local day
    amount: float
    unit: str
    status: str = DoseStatus.TAKEN.value


@dataclass
class ExposureResult:
    """Per-day exposure between ``start`` and ``end`` (inclusive); ``summary`` is indexed by day.

    Columns: leaf_g, leaf_g_rolling_7d, leaf_g_rolling_28d, leaf_g_cumulative, mitragynine_mg_known
    (from products with measured content), mitragynine_mg_low / _high (known part plus the interval for
    products of unknown content), mitragynine_exact (True when no interval was needed that day),
    unconverted_<unit> (amounts with no leaf equivalent), seven_oh_doses and seven_oh_<unit>.
    Rolling averages are empty (NaN) until a full window of days is covered.
    """

    start: dt.date
    end: dt.date
    summary: pd.DataFrame
    has_7oh: bool
    units_without_leaf_equivalent: dict[str, float] = field(default_factory=dict)
    seven_oh_total: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def cumulative_leaf_g(self) -> float:
        return float(self.summary["leaf_g_cumulative"].iloc[-1]) if len(self.summary) else 0.0

    def to_dict(self) -> dict[str, Any]:
        frame = self.summary.reset_index()
        frame["day"] = frame["day"].dt.strftime("%Y-%m-%d")
        # NaN is not JSON: an empty rolling window becomes null.
        records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "has_7oh": self.has_7oh,
            "cumulative_leaf_g": round(self.cumulative_leaf_g, 3),
            "units_without_leaf_equivalent": self.units_without_leaf_equivalent,
            "seven_oh_total": self.seven_oh_total,
            "mitragynine_content_range_mg_per_g": [
                MITRAGYNINE_CONTENT_RANGE.low_mg_per_g,
                MITRAGYNINE_CONTENT_RANGE.high_mg_per_g,
            ],
            "mitragynine_content_range_source": MITRAGYNINE_CONTENT_RANGE.source,
            "notes": list(self.notes),
            "days": records,
        }


def _check_products(products: Iterable[Product]) -> dict[str, Product]:
    catalogue: dict[str, Product] = {}
    for product in products:
        if product.form not in FORMS:
            raise DomainError("exposure.unknown_form", f"product form must be one of {', '.join(FORMS)}", "form")
        if product.unit not in UNITS:
            raise DomainError("exposure.unknown_unit", f"product unit must be one of {', '.join(UNITS)}", "unit")
        for name in ("leaf_g_per_unit", "mitragynine_mg_per_g"):
            value = getattr(product, name)
            if value is not None and not (np.isfinite(value) and value >= 0):
                raise DomainError("exposure.invalid_number", f"{name} must be a number >= 0 or null", name)
        catalogue[str(product.id)] = product
    return catalogue


def _dose_frame(doses: Sequence[Dose], catalogue: dict[str, Product]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "product_id": pd.Series([str(d.product_id) for d in doses], dtype=object),
            "day": pd.to_datetime([d.day for d in doses]),
            "amount": np.asarray([float(d.amount) for d in doses], dtype=float),
            "unit": pd.Series([d.unit for d in doses], dtype=object),
            "status": pd.Series([d.status for d in doses], dtype=object),
        }
    )
    return _checked_frame(frame, catalogue)


def leaf_grams(products: Iterable[Product], doses: pd.DataFrame) -> np.ndarray:
    """Leaf-equivalent grams of each dose in a frame (columns product_id, amount, unit, status), by the same
    rules as `compute_exposure`: for many patients at once (product ids unique across them), e.g. a cohort."""
    frame = doses[["product_id", "amount", "unit", "status"]].astype({"product_id": object, "amount": float})
    return _convert(_checked_frame(frame.assign(day=pd.NaT), _check_products(products)))["leaf_g"].to_numpy()


def _checked_frame(frame: pd.DataFrame, catalogue: dict[str, Product]) -> pd.DataFrame:
    unknown = set(frame["product_id"]) - set(catalogue)
    if unknown:
        raise DomainError(
            "exposure.unknown_product", f"dose refers to unknown product {sorted(unknown)[0]}", "product_id"
        )
    bad_status = set(frame["status"]) - set(STATUSES)
    if bad_status:
        raise DomainError("exposure.unknown_status", f"dose status must be one of {', '.join(STATUSES)}", "status")
    if len(frame) and (~np.isfinite(frame["amount"]) | (frame["amount"] < 0)).any():
        raise DomainError("exposure.invalid_number", "dose amount must be a finite number >= 0", "amount")
    # Skipped doses contribute nothing, whatever amount was planned.
    frame.loc[frame["status"] == DoseStatus.SKIPPED.value, "amount"] = 0.0
    products = pd.DataFrame(
        [(pid, p.form, p.unit, p.leaf_g_per_unit, p.mitragynine_mg_per_g) for pid, p in catalogue.items()],
        columns=["product_id", "form", "product_unit", "leaf_g_per_unit", "mitragynine_mg_per_g"],
    ).astype({"product_id": object, "leaf_g_per_unit": float, "mitragynine_mg_per_g": float})
    return frame.merge(products, on="product_id", how="left")


def _convert(frame: pd.DataFrame) -> pd.DataFrame:
    """Add per-dose leaf grams and mitragynine figures (vectorised)."""
    seven_oh = (frame["form"] == SEVEN_OH_FORM).to_numpy()
    same_unit = (frame["unit"] == frame["product_unit"]).to_numpy()
    factor = frame["leaf_g_per_unit"].to_numpy()
    amount = frame["amount"].to_numpy()
    leaf_in_grams = frame["form"].isin(LEAF_FORMS_IN_GRAMS).to_numpy() & (frame["unit"] == "g").to_numpy()
    leaf_g = np.where(same_unit & ~np.isnan(factor), amount * np.nan_to_num(factor), np.nan)
    leaf_g = np.where(np.isnan(leaf_g) & leaf_in_grams, amount, leaf_g)
    leaf_g = np.where(seven_oh, np.nan, leaf_g)
    converted = ~np.isnan(leaf_g)
    content = frame["mitragynine_mg_per_g"].to_numpy()
    known = converted & ~np.isnan(content)
    interval = converted & np.isnan(content)
    grams = np.nan_to_num(leaf_g)
    mg_known = np.where(known, grams * np.nan_to_num(content), 0.0)
    rng = MITRAGYNINE_CONTENT_RANGE
    frame = frame.assign(
        leaf_g=grams,
        converted=converted,
        seven_oh=seven_oh,
        interval_g=np.where(interval, grams, 0.0),
        mitragynine_mg_known=mg_known,
        mitragynine_mg_low=mg_known + np.where(interval, grams * rng.low_mg_per_g, 0.0),
        mitragynine_mg_high=mg_known + np.where(interval, grams * rng.high_mg_per_g, 0.0),
    )
    return frame


def compute_exposure(
    products: Iterable[Product], doses: Sequence[Dose], start: dt.date, end: dt.date
) -> ExposureResult:
    """Daily exposure for ``start``..``end``; doses before ``start`` still count towards cumulative and
    rolling figures (they are part of the history), doses after ``end`` are ignored."""
    if end < start:
        raise DomainError("exposure.bad_span", f"end ({end}) is before start ({start})", "end")
    catalogue = _check_products(products)
    frame = _convert(_dose_frame(doses, catalogue))
    frame = frame[frame["day"] <= pd.Timestamp(end)]
    first = min(pd.Timestamp(start), frame["day"].min()) if len(frame) else pd.Timestamp(start)
    days = pd.date_range(first, pd.Timestamp(end), freq="D", name="day")

    sums = ["leaf_g", "mitragynine_mg_known", "mitragynine_mg_low", "mitragynine_mg_high", "interval_g"]
    daily = frame.groupby("day")[sums].sum().reindex(days, fill_value=0.0)
    daily["mitragynine_exact"] = daily.pop("interval_g") == 0
    for window in ROLLING_WINDOWS:
        daily[f"leaf_g_rolling_{window}d"] = daily["leaf_g"].rolling(window, min_periods=window).mean()
    daily["leaf_g_cumulative"] = daily["leaf_g"].cumsum()

    leftovers = frame[~frame["converted"] & ~frame["seven_oh"]]
    unconverted = leftovers.pivot_table(index="day", columns="unit", values="amount", aggfunc="sum")
    for unit in unconverted.columns:
        daily[f"unconverted_{unit}"] = unconverted[unit].reindex(days, fill_value=0.0).fillna(0.0)
    seven = frame[frame["seven_oh"]]
    has_7oh = bool(any(p.form == SEVEN_OH_FORM for p in catalogue.values()) or len(seven))
    seven_daily = seven.pivot_table(index="day", columns="unit", values="amount", aggfunc="sum")
    taken_7oh = seven[seven["status"] != DoseStatus.SKIPPED.value].groupby("day").size()
    daily["seven_oh_doses"] = taken_7oh.reindex(days, fill_value=0).astype(int)
    for unit in seven_daily.columns:
        daily[f"seven_oh_{unit}"] = seven_daily[unit].reindex(days, fill_value=0.0).fillna(0.0)

    summary = daily.loc[pd.Timestamp(start) :]
    in_span = frame[frame["day"] >= pd.Timestamp(start)]
    units_without = _totals(in_span[~in_span["converted"] & ~in_span["seven_oh"]])
    seven_total = _totals(in_span[in_span["seven_oh"]])
    notes = _notes(units_without, summary, has_7oh)
    return ExposureResult(start, end, summary, has_7oh, units_without, seven_total, notes)


def _totals(frame: pd.DataFrame) -> dict[str, float]:
    totals = frame.groupby("unit")["amount"].sum()
    return {str(unit): round(float(value), 3) for unit, value in totals.items()}


def _notes(units_without: dict[str, float], summary: pd.DataFrame, has_7oh: bool) -> list[str]:
    notes = []
    if units_without:
        listed = ", ".join(f"{amount:g} {unit}" for unit, amount in units_without.items())
        notes.append(
            f"{listed} could not be converted to leaf grams (the product has no leaf equivalent per unit); "
            "these amounts are counted in their own units and are not in leaf_g."
        )
    if len(summary) and not bool(summary["mitragynine_exact"].all()):
        rng = MITRAGYNINE_CONTENT_RANGE
        notes.append(
            "Mitragynine is given as an interval where a product's content is unknown "
            f"({rng.low_mg_per_g}-{rng.high_mg_per_g} mg/g; {rng.source})."
        )
    if has_7oh:
        notes.append("A concentrated 7-OH product is recorded: it is tracked separately and not counted as leaf.")
    return notes


def exposure_series(products: Iterable[Product], doses: Sequence[Dose], start: dt.date, end: dt.date) -> ExposureResult:
    """Convenience alias: the per-day exposure result for a span."""
    return compute_exposure(products, doses, start, end)
