"""Daily pain, dose and session series for charts (pure: no Django, no I/O).

Either a caller aggregates rows to one line per local day (build_series), or it hands over the raw
rows as arrays of local-day ordinals and NRS values and this module aggregates them vectorised
(series_from_rows: bincount, no Python loop over rows). Both lay the days on a continuous calendar,
keep gaps as gaps (None, never zero), and compute the 7-day rolling mean the same way.
Nothing here ranks or bands exposure: dose events are counted as events, never as amounts.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

ROLLING_DAYS = 7
# A rolling mean from one or two days in a week is noise; below this the rolling line breaks.
ROLLING_MIN_DAYS = 3
WINDOWS: dict[str, int | None] = {"30": 30, "90": 90, "365": 365, "all": None}
DEFAULT_WINDOW = "90"


@dataclass(frozen=True)
class DailyPain:
    """One local day's pain, already aggregated over body sites and entries."""

    day: dt.date
    mean: float
    max: int
    count: int


class Day(NamedTuple):
    """One calendar day of a series (a NamedTuple: a five-year window builds ~1,800 of these per page)."""

    day: dt.date
    mean: float | None
    max: int | None
    rolling: float | None
    doses: int
    sessions: int


@dataclass(frozen=True)
class TrendSeries:
    start: dt.date
    end: dt.date
    days: tuple[Day, ...] = field(default_factory=tuple)

    @property
    def days_with_pain(self) -> int:
        return sum(1 for d in self.days if d.mean is not None)

    @property
    def is_empty(self) -> bool:
        return not any(d.mean is not None or d.doses or d.sessions for d in self.days)

    def mean_of_means(self) -> float | None:
        values = [d.mean for d in self.days if d.mean is not None]
        return round(sum(values) / len(values), 1) if values else None

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": [
                {
                    "day": d.day.isoformat(),
                    "mean": d.mean,
                    "max": d.max,
                    "rolling": d.rolling,
                    "doses": d.doses,
                    "sessions": d.sessions,
                }
                for d in self.days
            ],
        }


def window_start(window: str, today: dt.date, first_day: dt.date | None) -> dt.date:
    """First day shown for a window name ("30", "90", "365", "all"); unknown names mean the default."""
    days = WINDOWS.get(window, WINDOWS[DEFAULT_WINDOW])
    if days is None:
        return min(first_day, today) if first_day is not None else today
    return today - dt.timedelta(days=days - 1)


def daily_pain_from_events(events: Iterable[tuple[dt.datetime, int]], tz: str) -> list[DailyPain]:
    """Aggregate raw (aware time, NRS) pairs to local days: the reference the database path must match."""
    zone = zoneinfo.ZoneInfo(tz)
    buckets: dict[dt.date, list[int]] = {}
    for moment, nrs in events:
        buckets.setdefault(moment.astimezone(zone).date(), []).append(nrs)
    return [
        DailyPain(day, sum(values) / len(values), max(values), len(values)) for day, values in sorted(buckets.items())
    ]


def round2(values: np.ndarray) -> np.ndarray:
    """Python's round(v, 2) of every value, vectorised (NaN stays NaN).

    rint(v * 100) / 100 picks the same hundredth as round() unless v * 100 lies within a hair of a
    half (where the product's rounding error could matter); those few go through round() itself.
    """
    values = np.asarray(values, dtype=np.float64)
    scaled = values * 100
    out = np.rint(scaled) / 100
    for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        out[i] = round(float(values[i]), 2)
    return out


def _with_gaps(values: np.ndarray, present: np.ndarray) -> list[Any]:
    """Plain Python numbers where `present`, None elsewhere."""
    return [v if ok else None for v, ok in zip(values.tolist(), present.tolist(), strict=True)]


def rolling_mean(
    values: list[float | None], days: int = ROLLING_DAYS, min_days: int = ROLLING_MIN_DAYS
) -> list[float | None]:
    """Trailing mean over `days` calendar days, skipping gaps; None where fewer than `min_days` have data.

    Vectorised, with the same floating-point steps as a running total (add today's value, then
    subtract the one leaving the window): a cumulative sum over those interleaved steps is exactly
    that sequence of additions, so the results match the loop to the last bit.
    """
    n = len(values)
    present = np.array([v is not None for v in values], dtype=bool)
    filled = np.array([0.0 if v is None else v for v in values], dtype=np.float64)
    steps = np.zeros(2 * n, dtype=np.float64)
    steps[0::2] = filled
    steps[2 * days + 1 :: 2] = -filled[: max(n - days, 0)]
    totals = np.cumsum(steps)[1::2]
    counts = np.cumsum(present, dtype=np.int64)
    counts[days:] -= counts[: max(n - days, 0)]
    enough = counts >= min_days
    means = np.divide(totals, counts, out=np.zeros(n), where=enough)
    return _with_gaps(round2(means), enough)


def build_series(
    pain: Iterable[DailyPain],
    doses: Mapping[dt.date, int],
    sessions: Mapping[dt.date, int],
    start: dt.date,
    end: dt.date,
) -> TrendSeries:
    """Lay daily aggregates on every calendar day from start to end inclusive (gaps stay None).

    Pain days up to six days before `start` (the lead-in) feed the rolling mean of the first days
    shown, so a window's line does not start cold; they are not shown themselves.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}: pass the window's first day first")
    by_day = {p.day: p for p in pain}
    lead = ROLLING_DAYS - 1
    span = (end - start).days + 1
    calendar = [start + dt.timedelta(days=i) for i in range(-lead, span)]
    all_means = [round(by_day[d].mean, 2) if d in by_day else None for d in calendar]
    maxima = [by_day[d].max if d in by_day else None for d in calendar[lead:]]
    dose_counts = [int(doses.get(d, 0)) for d in calendar[lead:]]
    session_counts = [int(sessions.get(d, 0)) for d in calendar[lead:]]
    return _lay_out(start, end, all_means, maxima, dose_counts, session_counts)


def _lay_out(
    start: dt.date,
    end: dt.date,
    all_means: list[float | None],
    maxima: list[int | None],
    doses: list[int],
    sessions: list[int],
) -> TrendSeries:
    """The series from per-day lists: means include the lead-in days, the other lists start at `start`."""
    lead = ROLLING_DAYS - 1
    rolling = rolling_mean(all_means)[lead:]
    calendar = map(dt.date.fromordinal, range(start.toordinal(), end.toordinal() + 1))
    days = tuple(map(Day, calendar, all_means[lead:], maxima, rolling, doses, sessions))
    return TrendSeries(start=start, end=end, days=days)


def first_day(*day_ordinals: np.ndarray) -> dt.date | None:
    """The earliest local day in any of the arrays of day ordinals, or None if all are empty."""
    firsts = [int(a.min()) for a in day_ordinals if a.size]
    return dt.date.fromordinal(min(firsts)) if firsts else None


def series_from_rows(
    pain_days: np.ndarray,
    pain_nrs: np.ndarray,
    dose_days: np.ndarray,
    session_days: np.ndarray,
    start: dt.date,
    end: dt.date,
) -> TrendSeries:
    """The series from raw rows: one local-day ordinal (dt.date.toordinal) per pain entry, dose, session.

    Aggregates per day with bincount (mean, highest and count of NRS; dose and session counts), then
    lays the days out exactly as build_series does: the same rounding, lead-in and rolling mean.
    Rows outside the lead-in..end span are ignored.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}: pass the window's first day first")
    lead = ROLLING_DAYS - 1
    first = start.toordinal() - lead
    n = end.toordinal() - first + 1

    def positions(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        index = np.asarray(days, dtype=np.int64) - first
        keep = (index >= 0) & (index < n)
        return index[keep], keep

    pain_at, keep = positions(pain_days)
    nrs = np.asarray(pain_nrs, dtype=np.int64)[keep]
    counts = np.bincount(pain_at, minlength=n)
    sums = np.bincount(pain_at, weights=nrs, minlength=n)
    highest = np.full(n, -1, dtype=np.int64)
    np.maximum.at(highest, pain_at, nrs)
    has_pain = counts > 0
    all_means = _with_gaps(round2(sums / np.maximum(counts, 1)), has_pain)
    maxima = _with_gaps(highest[lead:], has_pain[lead:])
    dose_counts = np.bincount(positions(dose_days)[0], minlength=n)[lead:].tolist()
    session_counts = np.bincount(positions(session_days)[0], minlength=n)[lead:].tolist()
    return _lay_out(start, end, all_means, maxima, dose_counts, session_counts)
