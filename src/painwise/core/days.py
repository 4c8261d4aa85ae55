"""Calendar-day bounds for date filters.

A filter day is turned into a local midnight and compared with stored UTC times; days near
0001-01-01 or 9999-12-31 overflow Python's datetime (and pandas' range ends in 2262). No record can
lie outside EARLIEST_DAY..LATEST_DAY (diary times are at most ten years old and never in the future,
lab and questionnaire dates likewise), so clamping a filter to that span changes no result.
"""

from __future__ import annotations

import datetime as dt

EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2200, 12, 31)


def clamp_day(day: dt.date) -> dt.date:
    return min(max(day, EARLIEST_DAY), LATEST_DAY)


def clamp_optional(day: dt.date | None) -> dt.date | None:
    return None if day is None else clamp_day(day)
