"""Response vs baseline: has pain (and PEG) changed since the plan began, and by how much?

Definitions (issue 10; checked from outside, keep them exactly):
- daily mean = the mean NRS of all pain entries (all sites) on one local day in the patient's zone;
  a window's ``mean_nrs`` = the mean of the daily means of its days that have entries;
- ``baseline`` = the 14 local days starting on ``baseline_start`` (default: the local date of the
  earliest pain entry); ``current`` = the 14 local days ending on ``as_of`` (default: the local date of
  the latest pain entry);
- ``change`` = current − baseline (NRS points); ``percent_change`` = 100 × change / baseline;
- ``category`` (IMMPACT; Dworkin et al., J Pain 2008;9(2):105-121, doi:10.1016/j.jpain.2007.09.005):
  ``substantial`` (≤ −50%), ``moderate`` (≤ −30%), ``minimal`` (≤ −10%), ``no_improvement``
  otherwise; ``insufficient_data`` when either window has fewer than 7 days with entries or the
  baseline mean is below 1 (then change, percent and the interval are null);
- ``ci_low``/``ci_high``: 95% circular block bootstrap interval over days (bootstrap.py).

PEG is reported the same way on PEG totals (one value per local day: the mean of that day's responses).
PEG is weekly, so a 14-day window holds about two responses: the category needs at least 2 responses in
each window and the interval at least 3 (otherwise null, with the reason in ``missing_interval``). The
IMMPACT percentages were derived for pain intensity in trials; for PEG they are used by analogy, and
applying either to one person is an extrapolation (clinical_reference §2a; Reed et al., J Pain 2024).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from painwise.core.analytics import bootstrap
from painwise.core.analytics.common import INSUFFICIENT, OK, Result, clean, fmt, iso
from painwise.core.errors import DomainError
from painwise.core.snapshot import PatientSnapshot

WINDOW_DAYS = 14
MIN_DAYS = 7
MIN_BASELINE = 1.0
PEG_MIN_RESPONSES = 2
PEG_MIN_FOR_INTERVAL = 3

CATEGORY_WORDS = {
    "substantial": "a substantial improvement (at least 50% lower)",
    "moderate": "a moderate improvement (at least 30% lower)",
    "minimal": "a minimal improvement (at least 10% lower)",
    "no_improvement": "no improvement (less than 10% lower, or higher)",
    "insufficient_data": "too few data to tell",
}


def category_for(percent_change: float | None) -> str:
    """The IMMPACT category of a percent change (None: insufficient data)."""
    if percent_change is None:
        return INSUFFICIENT
    if percent_change <= -50:
        return "substantial"
    if percent_change <= -30:
        return "moderate"
    if percent_change <= -10:
        return "minimal"
    return "no_improvement"


@dataclass
class Window:
    start: dt.date | None
    end: dt.date | None
    days_with_entries: int
    mean_nrs: float | None
    values: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)

    def to_dict(self, mean_key: str = "mean_nrs") -> dict[str, Any]:
        return {
            "start": iso(self.start),
            "end": iso(self.end),
            "days_with_entries": self.days_with_entries,
            mean_key: self.mean_nrs,
        }


@dataclass
class ResponseResult(Result):
    measure: str = "pain"  # "pain" (NRS) or "peg"
    baseline: Window | None = None
    current: Window | None = None
    change: float | None = None
    percent_change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    category: str = INSUFFICIENT
    missing_interval: str | None = None
    overlap: bool = False
    daily: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)

    def to_dict(self) -> dict[str, Any]:
        empty = Window(None, None, 0, None)
        out = {
            "baseline": (self.baseline or empty).to_dict(),
            "current": (self.current or empty).to_dict(),
            "change": self.change,
            "percent_change": self.percent_change,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "category": self.category,
            "status": self.status,
            "missing": self.missing,
            "sentence": self.sentence,
        }
        if self.measure == "peg":
            out["missing_interval"] = self.missing_interval
        if self.overlap:
            out["windows_overlap"] = True
        return clean(out)

    def chart(self, chart_id: str | None = None) -> str:
        from painwise.core.analytics import svg

        return svg.response_chart(self, chart_id or f"{self.measure}-response-chart")


def _daily_pain(snapshot: PatientSnapshot) -> pd.Series:
    if not snapshot.pain:
        return pd.Series(dtype=float)
    frame = pd.DataFrame({"day": [p.day for p in snapshot.pain], "nrs": [p.nrs for p in snapshot.pain]})
    return frame.groupby("day")["nrs"].mean().sort_index()


def _daily_peg(snapshot: PatientSnapshot) -> pd.Series:
    rows = [(q.day, q.total) for q in snapshot.questionnaires if q.code == "peg" and q.total is not None]
    if not rows:
        return pd.Series(dtype=float)
    frame = pd.DataFrame(rows, columns=["day", "total"])
    return frame.groupby("day")["total"].mean().sort_index()


def _window(daily: pd.Series, start: dt.date, end: dt.date) -> Window:
    inside = daily[(daily.index >= start) & (daily.index <= end)]
    values = inside.to_numpy(dtype=float)
    return Window(start, end, len(values), float(values.mean()) if len(values) else None, values)


def resolve_dates(
    snapshot: PatientSnapshot, as_of: dt.date | None, baseline_start: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """The baseline start and as-of dates, defaulting to the first and last pain entry's local day."""
    days = [p.day for p in snapshot.pain]
    start = baseline_start or (min(days) if days else None)
    end = as_of or (max(days) if days else None)
    if start is not None and end is not None and end < start:
        raise DomainError(
            "insights.dates_order",
            f"--as-of ({end.isoformat()}) is before the baseline start ({start.isoformat()})",
            "as_of",
        )
    return start, end


def _compare(
    daily: pd.Series,
    start: dt.date | None,
    end: dt.date | None,
    *,
    measure: str,
    min_days: int,
    min_for_interval: int,
    unit: str,
) -> ResponseResult:
    result = ResponseResult(name=f"{measure}_response", measure=measure, daily=daily)
    noun = "days with pain entries" if measure == "pain" else "PEG responses"
    if start is None or end is None:
        result.status = INSUFFICIENT
        result.missing = f"needs {noun}; the record has none"
        result.sentence = f"There are no {noun} yet, so a change cannot be measured."
        return result
    base = _window(daily, start, start + dt.timedelta(days=WINDOW_DAYS - 1))
    cur = _window(daily, end - dt.timedelta(days=WINDOW_DAYS - 1), end)
    result.baseline, result.current = base, cur
    result.overlap = bool(cur.start is not None and base.end is not None and cur.start <= base.end)
    short = []
    if base.days_with_entries < min_days:
        short.append(f"the baseline has {base.days_with_entries}")
    if cur.days_with_entries < min_days:
        short.append(f"the current window has {cur.days_with_entries}")
    if short:
        result.status = INSUFFICIENT
        result.missing = f"needs at least {min_days} {noun} in each window; " + " and ".join(short)
    elif base.mean_nrs is not None and base.mean_nrs < MIN_BASELINE:
        result.status = INSUFFICIENT
        result.missing = (
            f"the baseline mean ({base.mean_nrs:.2f}) is below {MIN_BASELINE:g}, so a percent change would mislead"
        )
    if result.status == INSUFFICIENT:
        result.category = INSUFFICIENT
        result.sentence = f"Too few data to tell whether {unit} has changed: {result.missing}."
        result.summary = _summary(result)
        return result
    assert base.mean_nrs is not None and cur.mean_nrs is not None
    result.change = cur.mean_nrs - base.mean_nrs
    result.percent_change = 100 * result.change / base.mean_nrs
    result.category = category_for(result.percent_change)
    if min(base.days_with_entries, cur.days_with_entries) >= min_for_interval:
        result.ci_low, result.ci_high = bootstrap.difference_interval(base.values, cur.values)
    else:
        result.missing_interval = f"an interval needs at least {min_for_interval} {noun} in each window"
    result.status = OK
    result.sentence = _sentence(result, unit)
    result.summary = _summary(result)
    return result


def _sentence(result: ResponseResult, unit: str) -> str:
    base, cur = result.baseline, result.current
    assert base and cur and base.mean_nrs is not None and cur.mean_nrs is not None and result.change is not None
    direction = "lower" if result.change < 0 else "higher" if result.change > 0 else "the same"
    text = (
        f"Average {unit} was {fmt(cur.mean_nrs)} in the 14 days to {cur.end:%-d %b %Y}, against "
        f"{fmt(base.mean_nrs)} in the 14 days from {base.start:%-d %b %Y}: "
        f"{fmt(abs(result.change))} points {direction} ({result.percent_change:+.0f}%), "
        f"{CATEGORY_WORDS[result.category]}."
    )
    if result.ci_low is not None and result.ci_high is not None:
        text += f" The change is likely between {result.ci_low:+.1f} and {result.ci_high:+.1f} points"
        if result.ci_low <= 0 <= result.ci_high:
            text += ", which includes no change at all."
        else:
            text += "."
    elif result.missing_interval:
        text += f" No uncertainty range: {result.missing_interval}."
    return text


def _summary(result: ResponseResult) -> pd.DataFrame:
    rows = []
    for label, window in (("baseline", result.baseline), ("current", result.current)):
        if window is not None:
            rows.append(
                {
                    "window": label,
                    "start": window.start,
                    "end": window.end,
                    "days_with_entries": window.days_with_entries,
                    "mean": window.mean_nrs,
                }
            )
    frame = pd.DataFrame(rows, columns=["window", "start", "end", "days_with_entries", "mean"])
    frame.attrs.update(
        change=result.change,
        percent_change=result.percent_change,
        ci_low=result.ci_low,
        ci_high=result.ci_high,
        category=result.category,
    )
    return frame


def response_vs_baseline(
    snapshot: PatientSnapshot, *, as_of: dt.date | None = None, baseline_start: dt.date | None = None
) -> ResponseResult:
    start, end = resolve_dates(snapshot, as_of, baseline_start)
    return _compare(
        _daily_pain(snapshot),
        start,
        end,
        measure="pain",
        min_days=MIN_DAYS,
        min_for_interval=MIN_DAYS,
        unit="pain",
    )


def peg_vs_baseline(
    snapshot: PatientSnapshot, *, as_of: dt.date | None = None, baseline_start: dt.date | None = None
) -> ResponseResult:
    """The same comparison on PEG totals, over the same two windows as pain."""
    start, end = resolve_dates(snapshot, as_of, baseline_start)
    daily = _daily_peg(snapshot)
    if start is None and len(daily):
        start = daily.index.min()
    if end is None and len(daily):
        end = daily.index.max()
    result = _compare(
        daily,
        start,
        end,
        measure="peg",
        min_days=PEG_MIN_RESPONSES,
        min_for_interval=PEG_MIN_FOR_INTERVAL,
        unit="PEG score (pain, enjoyment of life, general activity)",
    )
    return result
