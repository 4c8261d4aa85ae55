"""Small export documents for analysis tests: pain entries at chosen local times and values."""

from __future__ import annotations

import datetime as dt
from typing import Any

ZONE = "America/New_York"


def document(**sections: Any) -> dict[str, Any]:
    return {
        "format": "painwise.export",
        "version": 1,
        "synthetic": True,
        "patient": {
            "id": "p1",
            "username": "alice",
            "date_of_birth": "1980-05-01",
            "sex_at_birth": "female",
            "time_zone": ZONE,
            "created_at": "2025-01-01T00:00:00+00:00",
        },
        **sections,
    }


def pain(day: dt.date, nrs: int, *, hour_utc: int = 16, site: str = "lower_back", n: int = 0) -> dict[str, Any]:
    moment = dt.datetime.combine(day, dt.time(hour_utc, n % 60), tzinfo=dt.UTC)
    return {
        "id": f"p-{day.isoformat()}-{hour_utc}-{n}",
        "occurred_at": moment.isoformat(),
        "body_site": site,
        "nrs": nrs,
        "qualities": [],
    }


def days(start: dt.date, count: int) -> list[dt.date]:
    return [start + dt.timedelta(days=k) for k in range(count)]
