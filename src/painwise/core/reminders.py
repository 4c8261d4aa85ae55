"""Which reminders are due for one patient now. Pure: no Django, no I/O (docs/reminders.md).

Reminders are for *recording* and *care*: the daily check-in, questionnaires that are due, therapy
sessions of the plan, and blood work due by the monitoring interval. There is deliberately no kind
for taking a kratom dose or any medicine — painwise never prompts anyone to take something.

Each reminder has a `key` that is unique per patient and per occasion (e.g. `check_in:2026-11-28`):
the store refuses a second row with the same key, which makes sending idempotent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KINDS = ("check_in", "questionnaire", "session", "blood_work")
DEFAULT_BLOOD_WORK_INTERVAL_DAYS = 180
SESSION_QUIET_DAYS = 7  # a plan session item with nothing recorded for this long gets a weekly reminder


@dataclass(frozen=True)
class Preferences:
    check_in: bool = True
    questionnaires: bool = True
    sessions: bool = True
    blood_work: bool = True
    check_in_time: dt.time = dt.time(20, 0)  # local time after which the day's check-in reminder is due
    quiet_start: dt.time = dt.time(22, 0)  # no reminder is sent between quiet_start and quiet_end
    quiet_end: dt.time = dt.time(8, 0)


@dataclass(frozen=True)
class Facts:
    """What the reminder rules need to know about the patient, in their local calendar."""

    checked_in_today: bool
    due_questionnaires: tuple[tuple[str, str], ...]  # (code, name)
    session_items: tuple[tuple[str, str, dt.date | None], ...]  # (plan item id, name, last session day)
    monitoring_relevant: bool  # a kratom product in the plan, or any lab result on record
    last_blood_work: dt.date | None
    blood_work_interval_days: int = DEFAULT_BLOOD_WORK_INTERVAL_DAYS


@dataclass(frozen=True)
class Due:
    kind: str
    key: str
    title: str
    body: str


def in_quiet_hours(moment: dt.time, prefs: Preferences) -> bool:
    start, end = prefs.quiet_start, prefs.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # spans midnight (22:00-08:00)


def due_reminders(now_local: dt.datetime, prefs: Preferences, facts: Facts) -> list[Due]:
    """The reminders due at `now_local` (the patient's local time); none during quiet hours."""
    if in_quiet_hours(now_local.time(), prefs):
        return []
    today = now_local.date()
    week = today.isocalendar()
    found: list[Due] = []
    if prefs.check_in and not facts.checked_in_today and now_local.time() >= prefs.check_in_time:
        found.append(
            Due("check_in", f"check_in:{today.isoformat()}", "Daily check-in",
                "How did today go? Sleep, mood, activity: a minute in your diary.")
        )  # fmt: skip
    if prefs.questionnaires:
        for code, name in facts.due_questionnaires:
            found.append(
                Due("questionnaire", f"questionnaire:{code}:{today.isoformat()}", f"{name} is due",
                    f"Your {name} questionnaire is due; it takes a few minutes.")
            )  # fmt: skip
    if prefs.sessions:
        for item_id, name, last in facts.session_items:
            if last is None or (today - last).days >= SESSION_QUIET_DAYS:
                found.append(
                    Due("session", f"session:{item_id}:{week.year}-W{week.week:02d}", f"Sessions of {name}",
                        f"If you had a {name} session or practised at home, record it in your diary.")
                )  # fmt: skip
    if prefs.blood_work and facts.monitoring_relevant:
        interval = facts.blood_work_interval_days
        due_on = facts.last_blood_work + dt.timedelta(days=interval) if facts.last_blood_work else None
        if due_on is None or due_on <= today:
            since = (
                f"Your last results are from {facts.last_blood_work:%-d %b %Y}"
                if facts.last_blood_work
                else ("No blood results are on record yet")
            )
            # One reminder per interval period: the key names the day it fell due (or, with no results,
            # the month), so it is sent once, not daily.
            period = due_on.isoformat() if due_on else f"{today:%Y-%m}"
            found.append(
                Due("blood_work", f"blood_work:{period}", "Blood work may be due",
                    f"{since}; your monitoring interval is {interval} days. "
                    "Ask your clinician whether new tests are due, and add the results under Labs.")
            )  # fmt: skip
    return found
