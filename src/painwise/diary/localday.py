"""The patient's local calendar day of a stored UTC time: in SQL (LocalDate) or in numpy (local_day_ordinals).

Django's TruncDate(tzinfo=...) is native on PostgreSQL (AT TIME ZONE) but on SQLite it calls a
Python function for every row, which made a five-year dashboard ~10x slower than reading the rows.
A time zone is just a short list of UTC offsets that change at known instants, so on SQLite we
write those into the SQL: date(occurred_at, CASE WHEN occurred_at >= '<transition>' THEN '+60
minutes' ... END). SQLite's date() does the rest in C. Other databases use TruncDate unchanged.

The dashboard reads whole seconds since the epoch instead (diary.dashboard_sql, one fixed-width text per
row, parsed by numpy) and maps them to local days with the same offset table in numpy
(local_day_ordinals): one searchsorted over the transitions, no per-row Python and no CASE per row.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any

import numpy as np
from django.db.models.functions import TruncDate

# Diary times may be back-dated up to ten years (painwise.core.diary.MAX_BACKDATE_DAYS); cover that
# plus a margin each side. Rows outside the span get the nearest segment's offset.
YEARS_BACK, YEARS_AHEAD = 12, 2


def _offset_minutes(zone: zoneinfo.ZoneInfo, moment: dt.datetime) -> int:
    offset = moment.astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


@functools.lru_cache(maxsize=64)
def offset_segments(tz: str, first_year: int, last_year: int) -> tuple[tuple[dt.datetime, int], ...]:
    """[(UTC instant from which it applies, offset in minutes)], oldest first; the first applies from -inf.

    Found by sampling every UTC midnight and bisecting each change to the second (offsets change a
    handful of times a year, so this is ~5,000 cheap calls once per zone per process).
    """
    zone = zoneinfo.ZoneInfo(tz)
    moment = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    current = _offset_minutes(zone, moment)
    segments = [(moment, current)]
    step = dt.timedelta(days=1)
    while moment < end:
        nxt = moment + step
        offset = _offset_minutes(zone, nxt)
        if offset != current:
            low, high = moment, nxt  # offset(low) == current, offset(high) != current
            while (high - low) > dt.timedelta(seconds=1):
                mid = low + (high - low) / 2
                if _offset_minutes(zone, mid) == current:
                    low = mid
                else:
                    high = mid
            segments.append((high.replace(microsecond=0), offset))
            current = offset
        moment = nxt
    return tuple(segments)


def _modifier(minutes: int) -> str:
    return f"{minutes:+d} minutes"


class LocalDate(TruncDate):
    """TruncDate(expression, tzinfo=zone), with a native SQLite implementation."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.lhs)
        tz = self.get_tzname()
        this_year = dt.datetime.now(dt.UTC).year
        segments = offset_segments(tz, this_year - YEARS_BACK, this_year + YEARS_AHEAD)
        if len(segments) == 1:
            return f"date({sql}, %s)", (*params, _modifier(segments[0][1]))
        whens: list[str] = []
        when_params: list[Any] = []
        # Newest first: most diary rows are recent, and CASE stops at the first match.
        for start, minutes in reversed(segments[1:]):
            whens.append(f"WHEN {sql} >= %s THEN %s")
            # Stored as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC, so text comparison orders by time.
            when_params += [*params, start.strftime("%Y-%m-%d %H:%M:%S"), _modifier(minutes)]
        case = f"CASE {' '.join(whens)} ELSE %s END"
        return f"date({sql}, {case})", (*params, *when_params, _modifier(segments[0][1]))


# --- whole seconds since the epoch, mapped to local days in numpy --------------------------------

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
SECONDS_PER_DAY = 86_400


@functools.lru_cache(maxsize=64)
def _offset_table(tz: str, first_year: int, last_year: int) -> tuple[np.ndarray, np.ndarray]:
    """offset_segments as arrays: transition instants (epoch seconds) and offsets in seconds (one more)."""
    segments = offset_segments(tz, first_year, last_year)
    starts = np.array([int(start.timestamp()) for start, _ in segments[1:]], dtype=np.int64)
    offsets = np.array([minutes * 60 for _, minutes in segments], dtype=np.int64)
    return starts, offsets


def local_day_ordinals(epoch_seconds: np.ndarray, tz: str) -> np.ndarray:
    """Each UTC instant's local calendar day in `tz` as a date ordinal (dt.date.fromordinal), vectorised.

    Uses the same offset table as LocalDate, so both agree with zoneinfo over the covered span; rows
    outside it get the nearest segment's offset, as in SQL.
    """
    this_year = dt.datetime.now(dt.UTC).year
    starts, offsets = _offset_table(tz, this_year - YEARS_BACK, this_year + YEARS_AHEAD)
    seconds = np.asarray(epoch_seconds, dtype=np.int64)
    local = seconds + offsets[np.searchsorted(starts, seconds, side="right")]
    return local // SECONDS_PER_DAY + EPOCH_ORDINAL
