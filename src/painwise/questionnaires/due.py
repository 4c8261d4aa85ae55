"""When is a questionnaire due? Pure date arithmetic on the patient's local days (no Django).

A weekly PEG done on Monday evening is due again on the next Monday, not at the same minute a week
later: patients think in days, so intervals count local calendar days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Defaults when the clinician has set no schedule. None = on demand. COWS is clinician-rated and never
# appears on a patient's list; PCS is not part of routine monitoring, so it is on demand too.
DEFAULT_INTERVALS: dict[str, int | None] = {
    "peg": 7,
    "phq9": 28,
    "gad7": 28,
    "pcs": None,
    "sows": None,
    "cows": None,
}

MAX_INTERVAL_DAYS = 365


@dataclass(frozen=True)
class DueStatus:
    code: str
    interval_days: int | None
    last_completed: dt.date | None
    due_on: dt.date | None  # None when on demand
    status: str  # "due" | "not_due" | "on_demand"

    @property
    def is_due(self) -> bool:
        return self.status == "due"


def due_status(code: str, interval_days: int | None, last_completed: dt.date | None, today: dt.date) -> DueStatus:
    """Due when never done, or when `interval_days` local days have passed since the last completion."""
    if interval_days is None:
        return DueStatus(code, None, last_completed, None, "on_demand")
    due_on = today if last_completed is None else last_completed + dt.timedelta(days=interval_days)
    return DueStatus(code, interval_days, last_completed, due_on, "due" if today >= due_on else "not_due")


def describe_interval(interval_days: int | None) -> str:
    if interval_days is None:
        return "on demand"
    if interval_days % 7 == 0:
        weeks = interval_days // 7
        return "every week" if weeks == 1 else f"every {weeks} weeks"
    return "every day" if interval_days == 1 else f"every {interval_days} days"
