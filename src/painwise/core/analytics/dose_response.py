"""Dose-response, descriptive only: pain and side effects against the day's kratom amount, in bins.

Days analysed: every local day with at least one diary record (a day with no records at all is not
assumed to be a day without kratom). Bins: "none" (no leaf-equivalent grams that day), then the
patient's own days with use split at their quartiles (so the bins follow this person's record, not any
fixed dose band: no validated kratom dose bands exist, clinical_reference §6). Each bin reports its
number of days, the days with pain entries, mean pain, and the share of days with a side effect
recorded (hair shedding excluded: it is a months-long episode, see the hair timeline).

This is an association in one person's record, not a recommended dose: bad-pain days may bring extra
doses (reverse direction), and nothing here is adjusted for anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from painwise.core.analytics.common import INSUFFICIENT, OK, Result, clean, daily_frame, fmt, frame_records
from painwise.core.snapshot import PatientSnapshot

MIN_USE_DAYS = 14
DISCLAIMER = (
    "This describes an association in one person's record, not a recommended dose; it cannot show cause and effect."
)
COLUMNS = [
    "bin",
    "low_g",
    "high_g",
    "days",
    "days_with_pain",
    "mean_pain",
    "side_effect_days",
    "side_effect_share",
]


@dataclass
class DoseResponseResult(Result):
    disclaimer: str = DISCLAIMER
    bins: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return clean(
            {
                "status": self.status,
                "missing": self.missing,
                "sentence": self.sentence,
                "disclaimer": self.disclaimer,
                "bins": self.bins,
            }
        )

    def chart(self, chart_id: str | None = None) -> str:
        from painwise.core.analytics import svg

        return svg.dose_chart(self, chart_id or "dose-chart")


def _bin_row(label: str, low: float | None, high: float | None, days: pd.DataFrame) -> dict[str, Any]:
    with_pain = days["pain_mean"].notna()
    effect_days = int((days["side_effects"] > 0).sum())
    return {
        "bin": label,
        "low_g": low,
        "high_g": high,
        "days": len(days),
        "days_with_pain": int(with_pain.sum()),
        "mean_pain": float(days.loc[with_pain, "pain_mean"].mean()) if with_pain.any() else None,
        "side_effect_days": effect_days,
        "side_effect_share": effect_days / len(days) if len(days) else None,
    }


def dose_response(snapshot: PatientSnapshot) -> DoseResponseResult:
    result = DoseResponseResult(name="dose_response")
    frame = daily_frame(snapshot)
    if not len(frame) or not snapshot.kratom_products:
        result.status = INSUFFICIENT
        result.missing = "needs kratom products in the plan and dose records"
        result.sentence = "No kratom use is recorded, so there is nothing to describe."
        result.summary = pd.DataFrame(columns=COLUMNS)
        return result
    days = frame[frame["recorded"]]
    amount = days["kratom_leaf_g"].to_numpy(dtype=float)
    use = days[amount > 0]
    if len(use) < MIN_USE_DAYS:
        result.status = INSUFFICIENT
        result.missing = (
            f"needs at least {MIN_USE_DAYS} days with kratom recorded in leaf-equivalent grams; has {len(use)}"
        )
        result.sentence = f"Too few days with kratom recorded to describe pain by amount: {result.missing}."
        result.summary = pd.DataFrame(columns=COLUMNS)
        return result
    rows = [_bin_row("none", 0.0, 0.0, days[amount == 0])] if (amount == 0).any() else []
    edges = np.unique(np.quantile(use["kratom_leaf_g"], [0, 0.25, 0.5, 0.75, 1.0]))
    grams = use["kratom_leaf_g"].to_numpy(dtype=float)
    for k in range(len(edges) - 1):
        low, high = float(edges[k]), float(edges[k + 1])
        last = k == len(edges) - 2
        inside = (grams >= low) & ((grams <= high) if last else (grams < high))
        if inside.any():
            label = f"{fmt(low)} to {fmt(high)} g" if last else f"{fmt(low)} to under {fmt(high)} g"
            rows.append(_bin_row(label, low, high, use[inside]))
    if len(edges) == 1:
        rows.append(_bin_row(f"{fmt(float(edges[0]))} g", float(edges[0]), float(edges[0]), use))
    result.summary = pd.DataFrame(rows, columns=COLUMNS)
    result.bins = frame_records(result.summary)
    pained = [r for r in rows if r["mean_pain"] is not None]
    result.sentence = (
        "Average pain by the day's kratom amount: "
        + "; ".join(f"{r['bin']}: {fmt(r['mean_pain'])} ({r['days']} days)" for r in pained)
        + ". "
        + DISCLAIMER
    )
    result.status = OK
    return result
