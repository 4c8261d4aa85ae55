"""Change points: dated level shifts in pain.

Method: the daily means are averaged into consecutive 7-day weeks counted from the first pain entry
(weeks with fewer than MIN_DAYS_PER_WEEK days with entries are left out, so diary gaps do not create
shifts); PELT (Killick, Fearnhead & Eckley, JASA 2012;107(500):1590-1598,
doi:10.1080/01621459.2012.737745) from the ``ruptures`` library (``KernelCPD`` with the linear kernel: the
l2 cost in compiled code) finds the segmentation minimising the
within-segment squared error plus a penalty per change. The penalty is a BIC-type
PENALTY_FACTOR · σ² · log(n), with σ the week-to-week noise estimated robustly from the differences of
consecutive weeks (median absolute deviation / √2), so a level shift must stand out from ordinary
flares; segments are at least MIN_WEEKS weeks long. A shift is reported with the first day of the week
where the new level starts and the mean weekly pain before and after (within the neighbouring segments).
Shifts smaller than MIN_SHIFT NRS points are dropped as clinically negligible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import ruptures

from painwise.core.analytics.common import INSUFFICIENT, OK, Result, clean, fmt
from painwise.core.snapshot import PatientSnapshot

MIN_DAYS_PER_WEEK = 3
MIN_WEEKS = 4
MIN_TOTAL_WEEKS = 12
PENALTY_FACTOR = 3.0
MIN_SHIFT = 0.5
COLUMNS = ["day", "before", "after", "shift"]


@dataclass
class ChangePointResult(Result):
    weekly: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)
    shifts: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return clean({"status": self.status, "missing": self.missing, "sentence": self.sentence, "shifts": self.shifts})

    def chart(self, chart_id: str | None = None) -> str:
        from painwise.core.analytics import svg

        return svg.changepoint_chart(self, chart_id or "changepoint-chart")


def weekly_means(snapshot: PatientSnapshot) -> pd.Series:
    if not snapshot.pain:
        return pd.Series(dtype=float)
    frame = pd.DataFrame({"day": [p.day for p in snapshot.pain], "nrs": [p.nrs for p in snapshot.pain]})
    daily = frame.groupby("day")["nrs"].mean()
    first = daily.index.min()
    week = np.array([(d - first).days // 7 for d in daily.index])
    grouped = daily.groupby(week)
    weeks = grouped.mean()[grouped.size() >= MIN_DAYS_PER_WEEK]
    weeks.index = [first + dt.timedelta(days=7 * int(k)) for k in weeks.index]
    return weeks


def noise_sd(values: np.ndarray) -> float:
    diffs = np.diff(values)
    mad = float(np.median(np.abs(diffs - np.median(diffs)))) * 1.4826
    return max(mad / np.sqrt(2), 0.1)


def change_points(snapshot: PatientSnapshot) -> ChangePointResult:
    result = ChangePointResult(name="change_points")
    weekly = weekly_means(snapshot)
    result.weekly = weekly
    if len(weekly) < MIN_TOTAL_WEEKS:
        result.status = INSUFFICIENT
        result.missing = (
            f"needs at least {MIN_TOTAL_WEEKS} weeks with pain entries on {MIN_DAYS_PER_WEEK} or more days; "
            f"has {len(weekly)}"
        )
        result.sentence = f"Too few weeks of entries to look for shifts in pain: {result.missing}."
        result.summary = pd.DataFrame(columns=COLUMNS)
        return result
    values = weekly.to_numpy(dtype=float)
    penalty = PENALTY_FACTOR * noise_sd(values) ** 2 * np.log(len(values))
    # KernelCPD with the linear kernel is PELT on the same l2 cost, in compiled code.
    ends = (
        ruptures.KernelCPD(kernel="linear", min_size=MIN_WEEKS, jump=1).fit(values.reshape(-1, 1)).predict(pen=penalty)
    )
    bounds = [0, *ends]
    shifts = []
    for k in range(1, len(bounds) - 1):
        before = float(values[bounds[k - 1] : bounds[k]].mean())
        after = float(values[bounds[k] : bounds[k + 1]].mean())
        if abs(after - before) >= MIN_SHIFT:
            shifts.append({"day": weekly.index[bounds[k]], "before": before, "after": after, "shift": after - before})
    result.shifts = [clean(s) for s in shifts]
    result.summary = pd.DataFrame(shifts, columns=COLUMNS)
    result.status = OK
    if not shifts:
        result.sentence = (
            "No clear shift in the level of pain was found; week-to-week changes look like ordinary ups and downs."
        )
    else:
        result.sentence = (
            "Pain changed level "
            + "; ".join(
                f"in the week of {s['day']:%-d %b %Y} (from about {fmt(s['before'])} to {fmt(s['after'])})"
                for s in shifts
            )
            + "."
        )
    return result
