"""Validation and arithmetic shared by the instrument modules (clinical_reference.md §1a).

Invalid input raises DomainError with an `instruments.<reason>` code; a merely incomplete set of answers
is not an error: it scores as `total=None` unless the configuration opts in to pro-rating.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from math import floor

from painwise.core.errors import DomainError
from painwise.core.instruments.base import (
    DEFAULT_CONFIG,
    Band,
    Instrument,
    Item,
    Number,
    Option,
    ScoreResult,
    ScoringConfig,
)

Answers = Sequence[int | None]


def numeric_options(values: Sequence[int], ends: tuple[str, str] | None = None) -> tuple[Option, ...]:
    """Options labelled by their number (unlicensed wording), optionally with neutral words at the ends."""
    labels = [str(value) for value in values]
    if ends is not None:
        labels[0] = f"{values[0]} ({ends[0]})"
        labels[-1] = f"{values[-1]} ({ends[1]})"
    return tuple(Option(value, label) for value, label in zip(values, labels, strict=True))


def neutral_items(labels: Sequence[str], options: tuple[Option, ...]) -> tuple[Item, ...]:
    return tuple(Item(number, label, options) for number, label in enumerate(labels, start=1))


def checked_config(instrument: Instrument, config: ScoringConfig | None) -> ScoringConfig:
    """Refuse configuration the instrument does not allow, rather than silently ignoring it."""
    config = config or DEFAULT_CONFIG
    if not isinstance(config, ScoringConfig):
        raise DomainError("instruments.bad_config", "config must be a ScoringConfig.", "config")
    if isinstance(config.max_missing, bool) or not isinstance(config.max_missing, int) or config.max_missing < 0:
        raise DomainError("instruments.bad_config", "max_missing must be a whole number >= 0.", "config")
    if config.max_missing and not instrument.missing_configurable:
        raise DomainError(
            "instruments.config_not_supported",
            f"{instrument.name} has a fixed missing-item rule: {instrument.missing_rule}",
            "config",
        )
    if config.max_missing >= instrument.n_items:
        raise DomainError(
            "instruments.bad_config",
            f"max_missing must be below {instrument.n_items} for {instrument.name}: at least one answer is needed.",
            "config",
        )
    if config.bands is not None:
        if not instrument.bands_configurable:
            raise DomainError(
                "instruments.config_not_supported",
                f"{instrument.name} uses its published bands; they cannot be replaced.",
                "config",
            )
        _check_bands(instrument, config.bands)
    return config


def _check_bands(instrument: Instrument, bands: Sequence[Band]) -> None:
    low, high = instrument.score_range
    previous_high: float | None = None
    for band in sorted(bands):
        if not (low <= band.low <= band.high <= high) or not band.name:
            raise DomainError(
                "instruments.bad_config",
                f"Band {tuple(band)} must be named and lie within {instrument.name}'s range {low}-{high}.",
                "config",
            )
        if previous_high is not None and band.low <= previous_high:
            raise DomainError("instruments.bad_config", f"Band {tuple(band)} overlaps the band before it.", "config")
        previous_high = band.high


def checked_answers(instrument: Instrument, answers: object) -> list[int | None]:
    """Check count, type and allowed values item by item; None marks a missing answer."""
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise DomainError(
            "instruments.not_a_list", f"{instrument.name} answers must be a list in published order.", "answers"
        )
    if len(answers) != instrument.n_items:
        raise DomainError(
            "instruments.wrong_count",
            f"{instrument.name} needs {instrument.n_items} answers, got {len(answers)}.",
            "answers",
        )
    checked: list[int | None] = []
    for index, (item, answer) in enumerate(zip(instrument.items, answers, strict=True)):
        where = f"answers[{index}]"
        if answer is None:
            checked.append(None)
            continue
        # bool is an int subclass; True as an answer is a bug upstream, not a 1.
        if isinstance(answer, bool) or not isinstance(answer, int):
            raise DomainError(
                "instruments.not_an_integer",
                f"{instrument.name} item {item.number} must be a whole number, got {answer!r}.",
                where,
            )
        if answer not in item.allowed:
            allowed = ", ".join(str(value) for value in item.allowed)
            raise DomainError(
                "instruments.out_of_range",
                f"{instrument.name} item {item.number} ({item.label}) must be one of {allowed}; got {answer}.",
                where,
            )
        checked.append(answer)
    return checked


def answered_count(values: Sequence[int | None]) -> int:
    return sum(value is not None for value in values)


def round_half_up(value: Fraction, places: int = 0) -> Fraction:
    """Exact half-up rounding (Python's round() rounds halves to even)."""
    scale = 10**places
    return Fraction(floor(value * scale + Fraction(1, 2)), scale)


def sum_score(values: Sequence[int | None], max_missing: int = 0) -> int | None:
    """Published sum; with missing items, None unless pro-rating is configured and enough were answered."""
    answered = [value for value in values if value is not None]
    missing = len(values) - len(answered)
    if missing == 0:
        return sum(answered)
    if missing > max_missing:
        return None
    return int(round_half_up(Fraction(sum(answered) * len(values), len(answered))))


def mean_score(values: Sequence[int | None], max_missing: int = 0, places: int = 2) -> float | None:
    """Mean of the answered items rounded half-up to `places` decimals; None beyond `max_missing` missing."""
    answered = [value for value in values if value is not None]
    if not answered or len(values) - len(answered) > max_missing:
        return None
    return float(round_half_up(Fraction(sum(answered), len(answered)), places))


def band_for(bands: Sequence[Band], total: Number | None) -> str | None:
    if total is None:
        return None
    for band in bands:
        if band.low <= total <= band.high:
            return band.name
    return None


def effective_bands(instrument: Instrument, config: ScoringConfig) -> tuple[Band, ...]:
    return tuple(config.bands) if config.bands is not None else instrument.bands


def prorated(values: Sequence[int | None], total: Number | None) -> bool:
    """True when a total was produced despite missing items: the result must say so."""
    return total is not None and None in values


def scored(
    instrument: Instrument,
    answers: object,
    config: ScoringConfig | None,
    *,
    total_of: Callable[[Sequence[int | None], int], Number | None] = sum_score,
    flags_of: Callable[[list[int | None]], list[str]] = lambda values: [],
) -> ScoreResult:
    """The whole scoring path of a single-total instrument: validate, total, band, flags.

    Pro-rating is flagged whenever a total was produced despite missing answers (only instruments
    whose configuration allows missing items can reach that).
    """
    cfg = checked_config(instrument, config)
    values = checked_answers(instrument, answers)
    total = total_of(values, cfg.max_missing)
    flags = flags_of(values)
    if prorated(values, total):
        flags.append("prorated")
    return ScoreResult(
        code=instrument.code,
        total=total,
        band=band_for(effective_bands(instrument, cfg), total),
        subscales={},
        flags=flags,
        answered=answered_count(values),
    )
