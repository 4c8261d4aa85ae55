"""Every monitoring threshold in one place, with its unit, limits and basis; TOML overrides validated.

A deployment overrides thresholds in a TOML file named by the ``PAINWISE_RULES_CONFIG`` setting::

    [rules]
    lab_interval_days = 120
    high_daily_leaf_g = 12

    [labs]                      # LabConfig fields (painwise.core.labs.config)
    ferritin_cutoff = 15

An unknown table or key, or a value of the wrong type or outside its limits, raises ``DomainError``
whose field names it (``rules.lab_interval_days``); the app refuses to start with that message.
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from painwise.core.errors import DomainError
from painwise.core.labs.config import DEFAULT_CONFIG, LabConfig


def _t(default: Any, unit: str, basis: str, minimum: float = 0, maximum: float = math.inf) -> Any:
    return field(default=default, metadata={"unit": unit, "basis": basis, "min": minimum, "max": maximum})


@dataclass(frozen=True)
class RulesConfig:
    # Kratom "in use" on a day: a dose taken within this many days, or a kratom product active in the plan.
    kratom_in_use_days: int = _t(14, "days", "painwise default (not a guideline)", 1, 365)
    # labs.overdue
    lab_interval_days: int = _t(
        180,
        "days",
        "painwise default: the monitoring interval is not standardised (LiverTox; Schimmel & Dart 2020)",
        7,
        3650,
    )
    # liver.injury (Aithal 2011) and liver.hys_law (FDA 2009)
    dili_alt_uln: float = _t(5.0, "×ULN", "Aithal 2011: ALT ≥5×ULN", 1, 100)
    dili_alp_uln: float = _t(2.0, "×ULN", "Aithal 2011: ALP ≥2×ULN", 1, 100)
    dili_alt_with_bilirubin_uln: float = _t(3.0, "×ULN", "Aithal 2011: ALT ≥3×ULN with bilirubin >2×ULN", 1, 100)
    dili_bilirubin_uln: float = _t(2.0, "×ULN", "Aithal 2011 / FDA 2009: total bilirubin >2×ULN", 1, 100)
    hys_transaminase_uln: float = _t(3.0, "×ULN", "FDA 2009: ALT or AST ≥3×ULN", 1, 100)
    r_hepatocellular: float = _t(5.0, "R", "Aithal 2011; Chalasani 2014: R ≥5 hepatocellular", 0.1, 100)
    r_cholestatic: float = _t(2.0, "R", "Aithal 2011; Chalasani 2014: R ≤2 cholestatic", 0.1, 100)
    symptom_lookback_days: int = _t(30, "days", "painwise default: symptoms reported this recently", 1, 365)
    # hair.*
    hair_workup_lookback_days: int = _t(
        90, "days", "painwise default: B12, ferritin and TSH from 90 days before the report onward", 0, 730
    )
    hair_episode_gap_days: int = _t(
        180, "days", "painwise default: shedding after this long without a report is a new episode", 14, 3650
    )
    hair_trigger_lookback_days: int = _t(
        120, "days", "Ozlu & Karadag 2017: shedding follows a trigger by 2-4 months", 30, 365
    )
    # dose.*
    escalation_window_days: int = _t(28, "days", "painwise default: 28-day averages", 7, 180)
    escalation_ratio: float = _t(1.5, "ratio", "painwise default: ≥50% above the previous window", 1.01, 100)
    high_daily_leaf_g: float = _t(
        15.0,
        "g leaf/day",
        "non-validated descriptive bands (>15 g: marked sedation); Smith 2022: no validated thresholds",
        0.1,
        1000,
    )
    # dependence.withdrawal
    sows_moderate: int = _t(11, "points", "common practice band 11-20 moderate (unconfirmed; Handelsman 1987)", 1, 64)
    cows_moderate: int = _t(13, "points", "Wesson & Ling 2003: 13-24 moderate", 1, 48)
    withdrawal_lookback_days: int = _t(30, "days", "painwise default: scores this recent", 1, 365)
    # interaction.cns_depressant
    heavy_drinks_female: int = _t(4, "drinks/day", "NIAAA: more than 3 drinks on any day (women)", 1, 50)
    heavy_drinks_male: int = _t(5, "drinks/day", "NIAAA: more than 4 drinks on any day (men)", 1, 50)
    alcohol_lookback_days: int = _t(30, "days", "painwise default: heavy drinking this recent", 1, 365)
    # response.none (IMMPACT)
    response_weeks: int = _t(8, "weeks", "painwise default: after ≥8 weeks on the plan", 1, 520)
    response_reduction: float = _t(0.30, "fraction", "Dworkin 2008 (IMMPACT): ≥30% = moderately important", 0.01, 1)
    response_baseline_days: int = _t(14, "days", "painwise default: mean NRS of the days before the plan", 1, 90)
    response_min_baseline: float = _t(
        2.0, "NRS", "Dworkin 2008 notes percent change is unstable at low baselines", 0, 10
    )
    # Deployment lab thresholds (ferritin, B12, female testosterone range, …): painwise.core.labs.LabConfig.
    labs: LabConfig = field(default=DEFAULT_CONFIG, metadata={"table": True})

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.metadata.get("table"):
                continue
            _check(f.name, getattr(self, f.name), f.type, f.metadata)
        if self.r_cholestatic >= self.r_hepatocellular:
            raise DomainError(
                "rules.invalid_config", "r_cholestatic must be below r_hepatocellular.", "rules.r_cholestatic"
            )


def _check(name: str, value: Any, kind: Any, meta: Mapping[str, Any]) -> None:
    want_int = kind in (int, "int")
    where = f"rules.{name}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DomainError("rules.invalid_config", f"{name} must be a number, got {value!r}.", where)
    if want_int and not isinstance(value, int):
        raise DomainError("rules.invalid_config", f"{name} must be a whole number, got {value!r}.", where)
    if not math.isfinite(value) or not meta["min"] <= value <= meta["max"]:
        raise DomainError(
            "rules.invalid_config",
            f"{name} must be between {meta['min']:g} and {meta['max']:g} {meta['unit']}, got {value!r}.",
            where,
        )


DEFAULT_RULES_CONFIG = RulesConfig()


def threshold_fields() -> list[tuple[str, Any, str, str]]:
    """(name, default, unit, basis) for every rule threshold (documentation)."""
    return [
        (f.name, f.default, f.metadata["unit"], f.metadata["basis"])
        for f in fields(RulesConfig)
        if not f.metadata.get("table")
    ]


def config_from_mapping(data: Mapping[str, Any], lab_overrides: Mapping[str, Any] | None = None) -> RulesConfig:
    """A RulesConfig from ``{"rules": {...}, "labs": {...}}``; anything unknown or invalid is refused."""
    if not isinstance(data, Mapping):
        raise DomainError("rules.invalid_config", "the configuration must be a table", None)
    unknown_tables = sorted(set(data) - {"rules", "labs"})
    if unknown_tables:
        raise DomainError(
            "rules.invalid_config",
            f"unknown table {unknown_tables[0]!r}; known tables: rules, labs.",
            unknown_tables[0],
        )
    rules = data.get("rules", {})
    labs = {**(lab_overrides or {}), **data.get("labs", {})}
    for table, values, known in (
        ("rules", rules, {name for name, *_ in threshold_fields()}),
        ("labs", labs, {f.name for f in fields(LabConfig)}),
    ):
        if not isinstance(values, Mapping):
            raise DomainError("rules.invalid_config", f"[{table}] must be a table", table)
        unknown = sorted(set(values) - known)
        if unknown:
            raise DomainError(
                "rules.invalid_config",
                f"unknown key {unknown[0]!r} in [{table}]; known keys: {', '.join(sorted(known))}.",
                f"{table}.{unknown[0]}",
            )
    try:
        lab_config = LabConfig(**labs)
    except DomainError as error:
        raise DomainError(error.code, error.message, f"labs.{error.field}") from error
    except TypeError as error:
        raise DomainError("rules.invalid_config", str(error), "labs") from error
    return replace(DEFAULT_RULES_CONFIG, labs=lab_config, **rules)


@functools.lru_cache(maxsize=8)
def _cached(path: str, mtime: float, overrides: tuple[tuple[str, Any], ...]) -> RulesConfig:
    return load_config(path, dict(overrides))


def load_config_cached(path: str | Path, lab_overrides: Mapping[str, Any] | None = None) -> RulesConfig:
    """``load_config`` read again only when the file changes (the app asks on every evaluation)."""
    try:
        mtime = Path(path).stat().st_mtime
    except OSError:
        mtime = -1.0
    return _cached(str(path), mtime, tuple(sorted((lab_overrides or {}).items())))


def load_config(path: str | Path, lab_overrides: Mapping[str, Any] | None = None) -> RulesConfig:
    """Read and validate a TOML threshold file (errors name the file and the key)."""
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise DomainError(
            "rules.invalid_config", f"cannot read {file}: {error.strerror}", "PAINWISE_RULES_CONFIG"
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise DomainError(
            "rules.invalid_config", f"{file} is not valid TOML: {error}", "PAINWISE_RULES_CONFIG"
        ) from error
    return config_from_mapping(data, lab_overrides)
