"""Diary vocabularies and validation, shared by the API, the web forms, import and the generator.

Every check raises DomainError naming the field, so every edge reports bad input the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from painwise.core.errors import DomainError
from painwise.core.vocabularies import DoseStatus, DoseUnit, SessionModality, SessionStatus, Severity

BODY_SITES = (
    "head", "neck", "shoulder_left", "shoulder_right", "upper_back", "lower_back", "chest", "abdomen",
    "pelvis", "hip_left", "hip_right", "arm_left", "arm_right", "hand_left", "hand_right",
    "knee_left", "knee_right", "leg_left", "leg_right", "foot_left", "foot_right", "widespread", "other",
)  # fmt: skip
PAIN_QUALITIES = ("aching", "burning", "shooting", "stabbing", "throbbing", "tingling", "cramping", "dull", "sharp")
DOSE_UNITS = DoseUnit.values()
DOSE_STATUSES = DoseStatus.values()
SESSION_MODALITIES = SessionModality.values()
SESSION_STATUSES = SessionStatus.values()
SIDE_EFFECT_KINDS = (
    "drowsiness", "nausea", "constipation", "gi_upset", "hair_shedding", "itching", "sweating",
    "jaundice_dark_urine", "other",
)  # fmt: skip
SEVERITIES = Severity.values()
# CTCAE v5 alopecia has grades 1-2 only (clinical_reference.md §5a).
HAIR_CTCAE_GRADES = (1, 2)
# The patient's own rating of hair shedding: a neutral 0-4 scale, not the Sinclair scale, whose
# photographs have no licence we could confirm (docs/diary.md, "Hair shedding").
SHEDDING_RATINGS = {
    0: "No more than usual",
    1: "A little more than usual",
    2: "Clearly more than usual",
    3: "A lot more than usual",
    4: "Very heavy shedding",
}

MAX_NOTE = 2000
MAX_FREE_TEXT = 500
# Dose plausibility: far above any reported use (clinical_reference.md §6 reports up to ~50 g/day
# in a case of escalation); larger single amounts are treated as entry errors.
MAX_DOSE = {"g": Decimal(100), "capsule": Decimal(100), "mL": Decimal(1000), "mg": Decimal(5000)}
# How far back a diary entry may be dated (back-dating is normal; decades are an entry error).
MAX_BACKDATE_DAYS = 366 * 10
FUTURE_TOLERANCE = dt.timedelta(minutes=5)  # clock skew between device and server


def require(condition: bool, code: str, message: str, field: str) -> None:
    if not condition:
        raise DomainError(code=code, message=message, field=field)


def check_choice(value: object, allowed: Iterable[object], field: str) -> None:
    options = tuple(allowed)
    require(value in options, "diary.invalid_choice", f"{field} must be one of: {', '.join(map(str, options))}", field)


def check_int_range(value: object, low: int, high: int, field: str, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    valid = isinstance(value, int) and not isinstance(value, bool)
    require(valid, "diary.not_a_whole_number", f"{field} must be a whole number from {low} to {high}", field)
    require(low <= value <= high, "diary.out_of_range", f"{field} must be from {low} to {high}, got {value}", field)  # type: ignore[operator]


def to_decimal(value: object, field: str) -> Decimal:
    if isinstance(value, bool):
        raise DomainError("diary.not_a_number", f"{field} must be a number", field)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError("diary.not_a_number", f"{field} must be a number", field) from exc
    if not number.is_finite():
        raise DomainError("diary.not_a_number", f"{field} must be a finite number", field)
    return number


def check_number_range(value: object, low: float, high: float, field: str, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    number = to_decimal(value, field)
    require(
        Decimal(str(low)) <= number <= Decimal(str(high)),
        "diary.out_of_range",
        f"{field} must be from {low} to {high}, got {number}",
        field,
    )


def check_event_time(occurred_at: dt.datetime, now: dt.datetime, field: str = "occurred_at") -> None:
    require(occurred_at.tzinfo is not None, "diary.naive_time", f"{field} needs a time zone offset", field)
    require(occurred_at <= now + FUTURE_TOLERANCE, "diary.future_time", f"{field} is in the future", field)
    require(
        occurred_at >= now - dt.timedelta(days=MAX_BACKDATE_DAYS),
        "diary.too_old",
        f"{field} is more than {MAX_BACKDATE_DAYS // 366} years ago",
        field,
    )


def check_text(value: object, limit: int, field: str) -> None:
    if value in (None, ""):
        return
    require(isinstance(value, str), "diary.not_text", f"{field} must be text", field)
    text = str(value)
    require(len(text) <= limit, "diary.too_long", f"{field} is longer than {limit} characters", field)
    # Control characters other than newline/tab have no place in a diary and break exports.
    require(
        not any(ord(ch) < 32 and ch not in "\n\t\r" for ch in text),
        "diary.control_characters",
        f"{field} contains control characters",
        field,
    )


def validate_pain_entry(data: Mapping[str, object], now: dt.datetime) -> None:
    check_event_time(data["occurred_at"], now)  # type: ignore[arg-type]
    check_choice(data.get("body_site"), BODY_SITES, "body_site")
    check_int_range(data.get("nrs"), 0, 10, "nrs")
    qualities = data.get("qualities") or []
    if not isinstance(qualities, list | tuple):
        raise DomainError("diary.invalid_choice", "qualities must be a list", "qualities")
    for quality in qualities:
        check_choice(quality, PAIN_QUALITIES, "qualities")
    check_text(data.get("note"), MAX_NOTE, "note")


def validate_check_in(data: Mapping[str, object], now: dt.datetime) -> None:
    check_event_time(data["occurred_at"], now)  # type: ignore[arg-type]
    check_number_range(data.get("sleep_hours"), 0, 24, "sleep_hours", optional=True)
    for name in ("sleep_quality", "mood", "interference"):
        check_int_range(data.get(name), 0, 10, name, optional=True)
    check_int_range(data.get("activity_minutes"), 0, 24 * 60, "activity_minutes", optional=True)
    check_int_range(data.get("alcoholic_drinks"), 0, 60, "alcoholic_drinks", optional=True)
    fields = ("sleep_hours", "sleep_quality", "mood", "interference", "activity_minutes", "alcoholic_drinks")
    require(
        any(data.get(name) is not None for name in fields),
        "diary.empty_check_in",
        "a check-in needs at least one answer",
        "sleep_hours",
    )


def validate_dose(data: Mapping[str, object], now: dt.datetime) -> None:
    check_event_time(data["occurred_at"], now)  # type: ignore[arg-type]
    check_choice(data.get("unit"), DOSE_UNITS, "unit")
    check_choice(data.get("status"), DOSE_STATUSES, "status")
    amount = to_decimal(data.get("amount"), "amount")
    require(amount >= 0, "diary.out_of_range", "amount cannot be negative", "amount")
    if data.get("status") != DoseStatus.SKIPPED:
        require(amount > 0, "diary.out_of_range", "amount must be above 0 for a dose taken", "amount")
    limit = MAX_DOSE[str(data["unit"])]
    require(
        amount <= limit, "diary.implausible", f"amount above {limit} {data['unit']} looks like an entry error", "amount"
    )


def validate_session(data: Mapping[str, object], now: dt.datetime) -> None:
    check_event_time(data["occurred_at"], now)  # type: ignore[arg-type]
    check_choice(data.get("modality"), SESSION_MODALITIES, "modality")
    check_choice(data.get("status"), SESSION_STATUSES, "status")
    check_int_range(data.get("minutes"), 0, 600, "minutes", optional=True)


def validate_side_effect(data: Mapping[str, object], now: dt.datetime) -> None:
    check_event_time(data["occurred_at"], now)  # type: ignore[arg-type]
    kind = data.get("kind")
    check_choice(kind, SIDE_EFFECT_KINDS, "kind")
    check_text(data.get("free_text"), MAX_FREE_TEXT, "free_text")
    if kind == "other":
        require(bool(data.get("free_text")), "diary.missing", "describe the side effect in free_text", "free_text")
    if data.get("severity"):
        check_choice(data.get("severity"), SEVERITIES, "severity")
    grade = data.get("ctcae_grade")
    if grade is not None:
        require(
            kind == "hair_shedding", "diary.invalid_choice", "ctcae_grade applies to hair shedding only", "ctcae_grade"
        )
        check_choice(grade, HAIR_CTCAE_GRADES, "ctcae_grade")
    rating = data.get("shedding_rating")
    if rating is not None:
        require(
            kind == "hair_shedding",
            "diary.invalid_choice",
            "shedding_rating applies to hair shedding only",
            "shedding_rating",
        )
        check_int_range(rating, 0, 4, "shedding_rating")
    onset, resolved = data.get("onset_date"), data.get("resolved_date")
    today = now.date()
    for name, day in (("onset_date", onset), ("resolved_date", resolved)):
        if day is not None:
            require(isinstance(day, dt.date), "diary.not_a_date", f"{name} must be a date", name)
            require(day <= today + dt.timedelta(days=1), "diary.future_time", f"{name} is in the future", name)  # type: ignore[operator]
    if onset is not None and resolved is not None:
        require(resolved >= onset, "diary.out_of_range", "resolved_date is before onset_date", "resolved_date")  # type: ignore[operator]
