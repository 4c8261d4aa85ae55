"""Daily pain, dose and session series for charts (pure: no Django, no I/O).

The database (or a caller) aggregates rows to one line per local day; this module lays those days on a
continuous calendar, keeps gaps as gaps (None, never zero), and computes the 7-day rolling mean.
Nothing here ranks or bands exposure: dose events are counted as events, never as amounts.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

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


def rolling_mean(
    values: list[float | None], days: int = ROLLING_DAYS, min_days: int = ROLLING_MIN_DAYS
) -> list[float | None]:
    """Trailing mean over `days` calendar days, skipping gaps; None where fewer than `min_days` have data."""
    out: list[float | None] = []
    total, count = 0.0, 0
    for i, value in enumerate(values):
        if value is not None:
            total += value
            count += 1
        if i >= days:
            dropped = values[i - days]
            if dropped is not None:
                total -= dropped
                count -= 1
        out.append(round(total / count, 2) if count >= min_days else None)
    return out


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
    rolling = rolling_mean(all_means)[lead:]
    calendar, means = calendar[lead:], all_means[lead:]
    maxima = [by_day[d].max if d in by_day else None for d in calendar]
    days = tuple(
        Day(d, means[i], maxima[i], rolling[i], int(doses.get(d, 0)), int(sessions.get(d, 0)))
        for i, d in enumerate(calendar)
    )
    return TrendSeries(start=start, end=end, days=days)
