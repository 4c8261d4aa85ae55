"""Interpret one blood result: convert, check plausibility, compare with a range, categorise.

Precedence (DESIGN.md "Data rules"; clinical_reference.md §3): the reporting lab's range first, then the
catalogue's default for the patient's sex/pregnancy/age. Categories are secondary decision aids with
their own thresholds (some configurable in LabConfig) and do not change `status`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

from painwise.core.errors import DomainError
from painwise.core.labs.analytes import ACG_HEALTHY_ALT_ULN, ACG_SOURCE
from painwise.core.labs.catalogue import resolve_analyte
from painwise.core.labs.config import DEFAULT_CONFIG, LabConfig
from painwise.core.labs.spec import Analyte, CategoryRule, LoincCode, RangeSpec, Sex, UnitSpec
from painwise.core.labs.units import check_value, clean, convert_spec, resolve_unit

Status = Literal["low", "normal", "high", "unknown"]
FEMALE_TESTOSTERONE_SOURCE = "Braunstein GD et al. J Sex Med 2011, doi:10.1111/j.1743-6109.2011.02380.x"
ADULT_AGE = 18  # the catalogue's ranges and categories are adult values
MAX_AGE = 130


@dataclass(frozen=True)
class LabInterpretation:
    analyte: str
    value: float
    unit: str
    canonical_value: float
    canonical_unit: str
    status: Status
    critical: bool
    category: str | None
    multiple_of_uln: float | None
    range_used: dict[str, Any] | None  # {"low", "high" (canonical unit), "source": "lab"|"catalogue", "basis"}
    unusual: bool
    loinc: str | None  # the code for the property the value was given in (mass and molar codes differ)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["notes"] = list(self.notes)
        return data


def interpret(
    analyte: str,
    value: float,
    unit: str,
    sex: str,
    reference_range: tuple[float | None, float | None] | None = None,
    age: float | None = None,
    pregnant: bool = False,
    config: LabConfig | None = None,
) -> LabInterpretation:
    entry, code_given = resolve_analyte(analyte)
    number = check_value(value)
    spec = resolve_unit(entry, unit)
    who = _check_sex(sex)
    years = _check_age(age)
    if pregnant and who == "male":
        raise DomainError("labs.invalid_pregnancy", "pregnant applies only when sex is female.", "pregnant")
    config = config or DEFAULT_CONFIG
    canonical_spec = entry.unit(entry.canonical_unit)
    canonical = number if spec.ucum == canonical_spec.ucum else convert_spec(entry, number, spec, canonical_spec)
    notes: list[str] = []

    unusual = _check_plausible(entry, number, spec, canonical, notes)
    adult = years is None or years >= ADULT_AGE
    range_used, compared = _pick_range(entry, number, spec, canonical, who, years, pregnant, reference_range, config)
    if range_used is None:
        notes.append(_why_no_range(entry, who, pregnant, adult))
    elif range_used["basis"] == ACG_SOURCE:
        notes.append("ALT read against the ACG 2017 healthy ULN (LabConfig.alt_uln='acg'), not the lab's ULN.")
    elif range_used["source"] == "catalogue":
        notes.append("No lab range given: catalogue default (typical adult values; labs differ).")
    status = _status(*compared) if compared else "unknown"
    category = _category(entry, canonical, who, pregnant, config, notes) if adult else None
    if not adult:
        notes.append("Adult thresholds not applied under 18 years.")
    multiple = _multiple_of_uln(entry, compared)
    _add_context_notes(entry, code_given, spec, who, range_used, notes)
    return LabInterpretation(
        analyte=entry.short_name,
        value=number,
        unit=spec.ucum,
        canonical_value=canonical,
        canonical_unit=entry.canonical_unit,
        status=status,
        critical=_critical(entry, canonical),
        category=category,
        multiple_of_uln=multiple,
        range_used=range_used,
        unusual=unusual,
        loinc=code.code if (code := entry.loinc_for(spec.kind)) else None,
        notes=tuple(notes),
    )


def _check_sex(sex: object) -> Sex:
    text = sex.strip().lower() if isinstance(sex, str) else ""
    if text == "female":
        return "female"
    if text == "male":
        return "male"
    raise DomainError("labs.invalid_sex", f"sex must be 'female' or 'male', got {sex!r}.", "sex")


def _check_age(age: object) -> float | None:
    if age is None:
        return None
    years = check_value(age, "age")
    if years > MAX_AGE:
        raise DomainError("labs.invalid_age", f"age must be between 0 and {MAX_AGE} years, got {age!r}.", "age")
    return years


def _check_plausible(entry: Analyte, value: float, spec: UnitSpec, canonical: float, notes: list[str]) -> bool:
    limits = entry.plausibility
    if canonical > limits.impossible_above:
        shown = f"{value:g} {spec.ucum}"
        if spec.ucum != entry.canonical_unit:
            shown += f" ({canonical:g} {entry.canonical_unit})"
        raise DomainError(
            "labs.implausible_value",
            f"{shown} is not a possible {entry.short_name} result (above {limits.impossible_above:g} "
            f"{entry.canonical_unit}); check the value and the unit.",
            "value",
        )
    low = limits.unusual_below is not None and canonical < limits.unusual_below
    if low or canonical > limits.unusual_above:
        notes.append("Unusual value: possible but rarely seen; check the value and the unit.")
        return True
    return False


# A range comparison: (value, low, high) all in one unit, plus how the range is reported.
Compared = tuple[float, float | None, float | None]


def _pick_range(
    entry: Analyte,
    value: float,
    spec: UnitSpec,
    canonical: float,
    sex: Sex,
    age: float | None,
    pregnant: bool,
    reference_range: tuple[float | None, float | None] | None,
    config: LabConfig,
) -> tuple[dict[str, Any] | None, Compared | None]:
    canonical_spec = entry.unit(entry.canonical_unit)
    if entry.short_name == "alt" and config.alt_uln == "acg":
        uln = ACG_HEALTHY_ALT_ULN[sex]
        return _range_dict(None, uln, "catalogue", ACG_SOURCE), (canonical, None, uln)
    lab = _lab_range(reference_range)
    if lab is not None:
        low, high = lab
        # Compare in the unit the lab reported, so 40 vs ULN 40 is exact; report the range canonically.
        as_canonical = [None if b is None else convert_spec(entry, b, spec, canonical_spec) for b in lab]
        return _range_dict(as_canonical[0], as_canonical[1], "lab", "reporting lab's range"), (value, low, high)
    if age is not None and age < ADULT_AGE:
        return None, None
    chosen = _catalogue_range(entry, sex, age, pregnant)
    if chosen is None and entry.short_name == "testosterone" and sex == "female" and not pregnant:
        chosen = RangeSpec(
            config.female_testosterone_low,
            config.female_testosterone_high,
            FEMALE_TESTOSTERONE_SOURCE,
            sex="female",
            note="premenopausal, ~30 y; assay-dependent (LabConfig.female_testosterone_low/high)",
        )
    if chosen is None:
        return None, None
    basis = f"{chosen.source}; {chosen.note}" if chosen.note else chosen.source
    return _range_dict(chosen.low, chosen.high, "catalogue", basis), (canonical, chosen.low, chosen.high)


def _range_dict(low: float | None, high: float | None, source: str, basis: str) -> dict[str, Any]:
    return {"low": low, "high": high, "source": source, "basis": basis}


def _lab_range(reference_range: object) -> tuple[float | None, float | None] | None:
    if reference_range is None:
        return None
    if not isinstance(reference_range, tuple | list) or len(reference_range) != 2:
        raise DomainError("labs.invalid_range", "reference_range must be a (low, high) pair.", "reference_range")
    low, high = (None if b is None else check_value(b, "reference_range") for b in reference_range)
    if low is None and high is None:
        return None  # an empty range is no range: fall back to the catalogue
    if low is not None and high is not None and low > high:
        raise DomainError(
            "labs.invalid_range", f"reference range low ({low:g}) is above high ({high:g}).", "reference_range"
        )
    return low, high


def _catalogue_range(entry: Analyte, sex: Sex, age: float | None, pregnant: bool) -> RangeSpec | None:
    for spec in entry.ranges:
        if spec.sex not in (None, sex) or spec.pregnancy != pregnant:
            continue
        if spec.older_than is not None and (age is None or age <= spec.older_than):
            continue
        return spec
    return None


def _status(value: float, low: float | None, high: float | None) -> Status:
    if low is not None and value < low:
        return "low"
    if high is not None and value > high:
        return "high"
    return "normal"


def _category(
    entry: Analyte, canonical: float, sex: Sex, pregnant: bool, config: LabConfig, notes: list[str]
) -> str | None:
    for rule in entry.categories:
        if rule.sex not in (None, sex) or rule.pregnancy not in (None, pregnant):
            continue
        if canonical < _threshold(entry, rule, config):
            if rule.note:
                notes.append(rule.note)
            return rule.name
    return None


def _threshold(entry: Analyte, rule: CategoryRule, config: LabConfig) -> float:
    if rule.config_field is not None:
        return float(getattr(config, rule.config_field))
    assert rule.below is not None, f"{entry.short_name} rule {rule.name} has no threshold"
    if rule.unit is None:
        return rule.below
    return convert_spec(entry, rule.below, entry.unit(rule.unit), entry.unit(entry.canonical_unit))


def _multiple_of_uln(entry: Analyte, compared: Compared | None) -> float | None:
    if not entry.liver or compared is None:
        return None
    value, _, high = compared
    if high is None or high == 0:
        return None
    return clean(value / high)


def _critical(entry: Analyte, canonical: float) -> bool:
    # §3 gives no sourced critical limits for these analytes, so this is False unless one is added there.
    low, high = entry.critical_low, entry.critical_high
    return (low is not None and canonical < low) or (high is not None and canonical > high)


def _why_no_range(entry: Analyte, sex: Sex, pregnant: bool, adult: bool) -> str:
    if not adult:
        return "No default range under 18 years: give the reporting lab's range."
    if pregnant:
        return "No default range in pregnancy for this test: give the reporting lab's range."
    return entry.no_range_note or f"No default range for {entry.short_name} ({sex}): give the reporting lab's range."


def _add_context_notes(
    entry: Analyte,
    code_given: LoincCode | None,
    spec: UnitSpec,
    sex: Sex,
    range_used: dict[str, Any] | None,
    notes: list[str],
) -> None:
    if code_given is not None and not code_given.confirmed:
        notes.append(f"LOINC {code_given.code} is unconfirmed (name not verified): verify on loinc.org.")
    if code_given is not None and code_given.kind != spec.kind:
        match = entry.loinc_for(spec.kind)
        better = f" (use {match.code})" if match else ""
        notes.append(f"LOINC {code_given.code} is for {code_given.kind} results, not {spec.ucum}{better}.")
    if entry.short_name == "ferritin":
        notes.append("Ferritin rises with inflammation: read with CRP (WHO: <70 µg/L if inflamed).")
    if entry.short_name == "alt" and range_used and range_used["source"] == "lab":
        high = range_used["high"]
        healthy = ACG_HEALTHY_ALT_ULN[sex]
        if high is not None and high > healthy and not math.isclose(high, healthy):
            notes.append(f"ACG 2017 healthy ALT ULN for {sex}s is {healthy:g} U/L (LabConfig.alt_uln='acg').")
