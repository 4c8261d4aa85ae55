"""Modality effects: within one person, is pain lower on days with more of a modality (and the day after)?

For each modality (kratom daily leaf-equivalent grams, physical therapy / CBT / mindfulness sessions
done, sleep hours) and each outcome (same-day mean pain, next-day mean pain) an ordinary least squares
regression over the patient's own days:

    pain = a + b·modality + day-of-week (6 indicators) + c·trend (years since the first day) + error

``b`` is the association per unit (per gram, per session, per hour of sleep). Standard errors are
heteroskedasticity- and autocorrelation-consistent (Newey & West, Econometrica 1987;55(3):703-708,
doi:10.2307/1913610) with the usual lag rule floor(4·(n/100)^(2/9)), so runs of bad days do not make the
interval too narrow; the 95% interval is b ± t·SE. Days without pain entries are left out (no
imputation); the lag structure then treats consecutive analysed rows as neighbours — an approximation
stated in docs/insights.md.

"Not enough data" rather than noise: an estimate needs at least MIN_DAYS analysable days and, for the
sessions and kratom, at least MIN_CONTRAST days with the modality and as many without; sleep needs a
spread of at least one hour. This is an association in one person's record, not proof that a modality
works or does not; it says nothing about what dose to take.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from painwise.core.analytics.common import (
    INSUFFICIENT,
    MODALITY_LABELS,
    OK,
    SESSION_MODALITIES,
    Result,
    clean,
    daily_frame,
    frame_records,
)
from painwise.core.snapshot import PatientSnapshot

MIN_DAYS = 28
MIN_CONTRAST = 7
MIN_SLEEP_SPREAD_H = 1.0
MODALITIES = ("kratom", *SESSION_MODALITIES, "sleep")
OUTCOMES = ("same_day", "next_day")
COLUMNS = {"kratom": "kratom_leaf_g", "sleep": "sleep_hours", **{m: m for m in SESSION_MODALITIES}}
UNITS = {"kratom": "gram", "sleep": "hour", **{m: "session" for m in SESSION_MODALITIES}}
SUMMARY_COLUMNS = ["modality", "outcome", "status", "estimate", "ci_low", "ci_high", "p_value", "n_days", "missing"]


def hac_lags(n: int) -> int:
    return max(1, math.floor(4 * (n / 100) ** (2 / 9)))


def fit(pain: np.ndarray, exposure: np.ndarray, days: pd.DatetimeIndex) -> dict[str, float]:
    """OLS of pain on exposure + day of week + linear trend, Newey-West standard errors.

    Computed with the normal equations on a small (k ≤ 9) cross-product matrix: the same numbers as
    statsmodels' ``OLS(...).fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": True})``
    (a test checks this), without QR/SVD of the n×k design, which multi-threaded BLAS makes slow on a busy
    machine. Intervals and p-values use the normal distribution, as statsmodels does for HAC.
    """
    n = len(pain)
    weekday = np.asarray(days.dayofweek)
    dow = (weekday[:, None] == np.arange(1, 7)[None, :]).astype(float)
    trend = np.asarray((days - days[0]).days, dtype=float) / 365.25
    design = np.column_stack([np.ones(n), exposure, dow, trend])
    keep = np.asarray(design.any(axis=0), dtype=bool)  # a weekday never seen would make the design singular
    keep[0] = keep[1] = True
    x = design[:, keep]
    k = x.shape[1]
    bread = np.linalg.pinv(x.T @ x)
    beta = bread @ (x.T @ pain)
    scores = x * (pain - x @ beta)[:, None]
    meat = scores.T @ scores
    lags = hac_lags(n)
    for lag in range(1, lags + 1):
        weight = 1 - lag / (lags + 1)
        gamma = scores[lag:].T @ scores[:-lag]
        meat += weight * (gamma + gamma.T)
    cov = bread @ meat @ bread * n / (n - k)
    se = float(np.sqrt(cov[1, 1]))
    estimate = float(beta[1])
    z = stats.norm.ppf(0.975)
    return {
        "estimate": estimate,
        "ci_low": estimate - z * se,
        "ci_high": estimate + z * se,
        "p_value": float(2 * stats.norm.sf(abs(estimate / se))) if se > 0 else 0.0,
    }


@dataclass
class ModalityResult(Result):
    effects: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return clean(
            {"status": self.status, "missing": self.missing, "sentence": self.sentence, "effects": self.effects}
        )

    def chart(self, chart_id: str | None = None) -> str:
        from painwise.core.analytics import svg

        return svg.modality_chart(self, chart_id or "modality-chart")


def _one(frame: pd.DataFrame, modality: str, outcome: str) -> dict[str, Any]:
    column = COLUMNS[modality]
    pain = frame["pain_mean"] if outcome == "same_day" else frame["pain_mean"].shift(-1)
    exposure = frame[column]
    usable = pain.notna() & exposure.notna() & frame["recorded"]
    n = int(usable.sum())
    row: dict[str, Any] = {
        "modality": modality,
        "outcome": outcome,
        "unit": UNITS[modality],
        "status": INSUFFICIENT,
        "estimate": None,
        "ci_low": None,
        "ci_high": None,
        "p_value": None,
        "n_days": n,
        "missing": None,
    }
    x = exposure[usable].to_numpy(dtype=float)
    if n < MIN_DAYS:
        row["missing"] = f"needs at least {MIN_DAYS} days with pain entries and {MODALITY_LABELS[modality]}; has {n}"
        return row
    if modality == "sleep":
        spread = float(x.max() - x.min())
        if spread < MIN_SLEEP_SPREAD_H:
            row["missing"] = f"sleep hours vary by {spread:.1f} h; needs at least {MIN_SLEEP_SPREAD_H:g} h of spread"
            return row
    else:
        with_it, without = int((x > 0).sum()), int((x == 0).sum())
        if with_it < MIN_CONTRAST or without < MIN_CONTRAST:
            row["missing"] = (
                f"needs at least {MIN_CONTRAST} days with and {MIN_CONTRAST} without {MODALITY_LABELS[modality]}; "
                f"has {with_it} with and {without} without"
            )
            return row
    row.update(fit(pain[usable].to_numpy(dtype=float), x, pd.DatetimeIndex(frame.index[usable])))
    row["status"] = OK
    return row


def _describe(row: dict[str, Any]) -> str:
    label = MODALITY_LABELS[row["modality"]]
    when = "the same day" if row["outcome"] == "same_day" else "the next day"
    if row["status"] != OK:
        return f"{label.capitalize()}: not enough data ({row['missing']})."
    est, low, high = row["estimate"], row["ci_low"], row["ci_high"]
    if low <= 0 <= high:
        verdict = "no clear difference in pain"
    elif est < 0:
        verdict = "lower pain"
    else:
        verdict = "higher pain"
    return (
        f"{label.capitalize()}: {verdict} {when} — {est:+.2f} points per {row['unit']} "
        f"(95% interval {low:+.2f} to {high:+.2f})."
    )


def modality_effects(snapshot: PatientSnapshot) -> ModalityResult:
    frame = daily_frame(snapshot)
    rows = [_one(frame, m, o) for m in MODALITIES for o in OUTCOMES] if len(frame) else []
    result = ModalityResult(name="modalities", effects=[clean(r) for r in rows])
    result.summary = (
        pd.DataFrame(rows, columns=[*SUMMARY_COLUMNS, "unit"]) if rows else pd.DataFrame(columns=SUMMARY_COLUMNS)
    )
    estimated = [r for r in rows if r["status"] == OK]
    if not estimated:
        result.status = INSUFFICIENT
        result.missing = (
            f"needs at least {MIN_DAYS} days with pain entries and days with and without each modality"
            if rows
            else "needs pain entries; the record has none"
        )
        result.sentence = "Not enough data yet to relate pain to kratom, therapy sessions or sleep."
        return result
    same_day = [r for r in rows if r["outcome"] == "same_day"]
    result.sentence = (
        " ".join(_describe(r) for r in same_day)
        + " These are associations in your own record, adjusted for weekday and long-term trend; they do not"
        " show cause and effect."
    )
    return result


def records(result: ModalityResult) -> list[dict[str, Any]]:
    return frame_records(result.summary)
