"""Time handling for generated records: local diary days, UTC output, realistic entry delays.

Records happen at local times on the patient's days and are written in UTC (docs/import-format.md).
Nothing may be later than the end of ``end_date`` in the patient's zone, nor later than the real clock.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

MINUTE = 60
HOUR = 3600
DAY = 86400


class IdSource:
    """Deterministic UUIDs drawn from the patient's generator (uuid4 would differ on every run)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng

    def take(self, n: int) -> list[str]:
        raw = self._rng.bytes(16 * n)
        return [str(uuid.UUID(bytes=raw[i * 16 : (i + 1) * 16], version=4)) for i in range(n)]

    def one(self) -> str:
        return self.take(1)[0]


@dataclass(frozen=True)
class Clock:
    """A patient's calendar: day 0 is ``start``, the last day is ``end``; times are epoch seconds (UTC)."""

    start: dt.date
    end: dt.date
    zone: str
    cap: int  # latest allowed instant: end of ``end`` locally, or now if that is earlier

    @classmethod
    def for_span(cls, start: dt.date, end: dt.date, zone: str, now: dt.datetime | None = None) -> Clock:
        last_local = dt.datetime.combine(end, dt.time(23, 59), tzinfo=ZoneInfo(zone))
        moment = now or dt.datetime.now(dt.UTC)
        return cls(start, end, zone, int(min(last_local.timestamp(), moment.timestamp())))

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    def weekdays(self) -> np.ndarray:
        """Weekday (Monday = 0) of every day index."""
        return (np.arange(self.n_days) + self.start.weekday()) % 7

    def date_of(self, day_index: int) -> dt.date:
        return self.start + dt.timedelta(days=int(day_index))

    def to_utc(self, day_index: np.ndarray, local_hours: np.ndarray) -> np.ndarray:
        """Local (day, hour-of-day) pairs to UTC epoch seconds, rounded to the minute (vectorised)."""
        minutes = np.clip(np.round(np.asarray(local_hours, dtype=float) * 60), 0, 23 * 60 + 59).astype("int64")
        base = np.datetime64(self.start, "m") + np.asarray(day_index, dtype="int64") * 1440 + minutes
        local = pd.DatetimeIndex(base.astype("datetime64[ns]"))
        # Ambiguous autumn hours read as standard time; spring-forward gaps move to the next valid minute.
        aware = local.tz_localize(self.zone, ambiguous=np.zeros(len(local), dtype=bool), nonexistent="shift_forward")
        return np.asarray(aware.tz_convert("UTC").asi8 // 1_000_000_000, dtype="int64")

    def entered_after(self, occurred: np.ndarray, rng: np.random.Generator, *, lab: bool = False) -> np.ndarray:
        """When each record was typed in: mostly minutes later, sometimes hours, occasionally days."""
        n = len(occurred)
        if lab:  # results reach the record when the lab reports, a day or a few later
            delay = rng.uniform(0.3, 4.0, n) * DAY
        else:
            kind = rng.choice(3, size=n, p=[0.82, 0.14, 0.04])
            delay = np.select(
                [kind == 0, kind == 1],
                [rng.exponential(8 * MINUTE, n) + MINUTE, rng.uniform(1, 14, n) * HOUR],
                rng.uniform(1, 5, n) * DAY,
            )
        return np.minimum(occurred + delay.astype("int64"), np.maximum(occurred, self.cap))

    def keep_past(self, occurred: np.ndarray) -> np.ndarray:
        """Mask of instants that are not after the cap (late-evening events on the last day may be)."""
        return occurred <= self.cap

    def utc_of_date(self, day: dt.date, hour: float = 12.0) -> int:
        index = np.array([(day - self.start).days])
        return int(self.to_utc(index, np.array([hour]))[0])


def iso(seconds: np.ndarray) -> list[str]:
    """Epoch seconds to the export's ISO 8601 UTC strings."""
    text = np.datetime_as_string(np.asarray(seconds, dtype="int64").astype("datetime64[s]"), unit="s")
    return [f"{value}+00:00" for value in text.tolist()]


def iso_one(seconds: int) -> str:
    return iso(np.array([seconds]))[0]
