"""Checking one lab result's input and interpreting it with the core — shared by the API, the web
form, the CSV import and the export-format import, so every path accepts and refuses the same things.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from painwise.core.errors import DomainError
from painwise.core.labs import LabConfig, LabInterpretation, interpret, resolve_analyte
from painwise.labs.models import LabResult
from painwise.patients.models import Patient

FIELDS = ("analyte", "value", "unit", "collected_at", "ref_low", "ref_high", "lab_name", "note")
REQUIRED = ("analyte", "value", "unit", "collected_at")
MAX_LAB_NAME = 200
MAX_NOTE = 2000
# Clocks of phones and servers disagree by a little; a result "collected" a minute ahead is not fiction.
CLOCK_SKEW = dt.timedelta(minutes=5)


def lab_config() -> LabConfig:
    """Thresholds from settings.PAINWISE_LAB_CONFIG (a dict of LabConfig fields); defaults otherwise."""
    overrides = getattr(settings, "PAINWISE_LAB_CONFIG", None) or {}
    known = {f.name for f in dataclasses.fields(LabConfig)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ImproperlyConfigured(
            f"PAINWISE_LAB_CONFIG: unknown field {unknown[0]!r}; known: {', '.join(sorted(known))}"
        )
    config = LabConfig(**overrides)
    path = getattr(settings, "PAINWISE_RULES_CONFIG", "")
    if path:  # the TOML file's [labs] table overrides these (docs/rules.md#thresholds)
        from painwise.core.rules.config import load_config_cached

        return load_config_cached(path, overrides).labs
    return config


def age_at(patient: Patient, when: dt.datetime) -> int:
    """Whole years of age on the patient's local date of `when`."""
    day = when.astimezone(zoneinfo.ZoneInfo(patient.time_zone)).date()
    born = patient.date_of_birth
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _number_or_none(value: Any, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise DomainError("labs.invalid_value", f"{field} must be a number of 0 or more, got {value!r}.", field)
    return float(value)


def _text(value: Any, limit: int, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DomainError("labs.invalid_value", f"{field} must be text.", field)
    if len(value) > limit:
        raise DomainError("labs.too_long", f"{field} is longer than {limit} characters.", field)
    return value.strip()


def _collected_at(patient: Patient, value: Any, now: dt.datetime) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise DomainError("labs.missing", "collected_at is required (ISO 8601 date-time with offset).", "collected_at")
    if value.tzinfo is None:
        raise DomainError("labs.naive_time", "collected_at needs a time zone offset.", "collected_at")
    if value > now + CLOCK_SKEW:
        raise DomainError("labs.future_time", "collected_at is in the future.", "collected_at")
    if value.astimezone(zoneinfo.ZoneInfo(patient.time_zone)).date() < patient.date_of_birth:
        raise DomainError("labs.before_birth", "collected_at is before the patient's date of birth.", "collected_at")
    return value.astimezone(dt.UTC)


def check_entry(
    patient: Patient, data: dict[str, Any], *, now: dt.datetime, config: LabConfig
) -> tuple[dict[str, Any], LabInterpretation]:
    """Clean input values and the core's interpretation of them, or DomainError naming the field."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise DomainError("labs.unknown_field", f"{unknown[0]} is not a field of a lab result.", unknown[0])
    for name in REQUIRED:
        if data.get(name) is None:
            raise DomainError("labs.missing", f"{name} is required.", name)
    entry, _ = resolve_analyte(data["analyte"])
    unit = data["unit"].strip() if isinstance(data["unit"], str) else data["unit"]
    ref_low = _number_or_none(data.get("ref_low"), "ref_low")
    ref_high = _number_or_none(data.get("ref_high"), "ref_high")
    if ref_low is not None and ref_high is not None and ref_low > ref_high:
        raise DomainError("labs.invalid_range", f"ref_low ({ref_low:g}) is above ref_high ({ref_high:g}).", "ref_low")
    values = {
        "analyte": entry.short_name,
        "analyte_entered": data["analyte"].strip()[:32],
        "value": data["value"],
        "unit": unit,
        "ref_low": ref_low,
        "ref_high": ref_high,
        "collected_at": _collected_at(patient, data["collected_at"], now),
        "lab_name": _text(data.get("lab_name"), MAX_LAB_NAME, "lab_name"),
        "note": _text(data.get("note"), MAX_NOTE, "note"),
    }
    has_range = ref_low is not None or ref_high is not None
    # The core checks value (finite, ≥ 0, plausible) and unit (accepted spelling), naming those fields.
    result = interpret(
        data["analyte"],
        data["value"],
        unit,
        patient.sex_at_birth,
        reference_range=(ref_low, ref_high) if has_range else None,
        age=age_at(patient, values["collected_at"]),
        config=config,
    )
    values["value"] = result.value
    return values, result


def apply(
    record: LabResult, patient: Patient, values: dict[str, Any], result: LabInterpretation, config: LabConfig
) -> None:
    """Copy the input and its interpretation onto `record` (not saved)."""
    for name, value in values.items():
        setattr(record, name, value)
    record.sex = patient.sex_at_birth
    record.age_years = age_at(patient, values["collected_at"])
    record.config = dataclasses.asdict(config)
    used = result.range_used or {}
    record.loinc = result.loinc or ""
    record.unit_ucum = result.unit
    record.canonical_value = result.canonical_value
    record.canonical_unit = result.canonical_unit
    record.status = result.status
    record.category = result.category or ""
    record.multiple_of_uln = result.multiple_of_uln
    record.range_low, record.range_high = used.get("low"), used.get("high")
    record.range_source = used.get("source", "")
    record.range_basis = used.get("basis") or ""
    record.unusual = result.unusual
    record.critical = result.critical
    record.notes = list(result.notes)


def recompute(record: LabResult) -> LabInterpretation:
    """The core's interpretation of a stored result's input, with the thresholds it was stored under."""
    return interpret(**record.interpretation_input(), config=LabConfig(**record.config))
