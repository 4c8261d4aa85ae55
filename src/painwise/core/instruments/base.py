"""Shared shapes for questionnaires: metadata (for forms), scoring configuration and the result object.

Pure data: no Django, no I/O. Each instrument module builds one `Instrument` and a `score()` function
from these (clinical_reference.md §1a for scoring, §1b for codes and licences).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

Number = int | float


class Band(NamedTuple):
    """A severity band, inclusive at both ends: low <= total <= high."""

    low: float
    high: float
    name: str


@dataclass(frozen=True)
class Option:
    """One allowed answer: the value scored and the label shown (neutral where wording is not licensed)."""

    value: int
    label: str
    loinc: str | None = None  # LOINC answer code, only where clinical_reference.md §1b gives it


@dataclass(frozen=True)
class Item:
    number: int  # 1-based, in published order
    label: str  # exact published wording if licensed, else a short neutral label
    options: tuple[Option, ...]

    @property
    def allowed(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "label": self.label,
            "options": [{"value": o.value, "label": o.label, "loinc": o.loinc} for o in self.options],
        }


@dataclass(frozen=True)
class Instrument:
    """What a form or report needs to know about one questionnaire. Scoring lives in its module."""

    code: str  # CLI/API code, e.g. "phq9"
    name: str  # short display name, e.g. "PHQ-9"
    title: str
    items: tuple[Item, ...]
    recall_period: str
    score_range: tuple[Number, Number]
    scoring: str  # one line: how the total is computed
    source: str
    licence_note: str
    wording_licensed: bool
    bands: tuple[Band, ...] = ()
    subscales: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # name -> item numbers
    instructions: str | None = None  # published stem; only where the wording is licensed
    loinc: Mapping[str, str] | None = None  # only codes given in clinical_reference.md §1b; never invented
    clinician_only: bool = False  # True: entered by a clinician, never shown to patients as a self-report
    validity_note: str | None = None  # e.g. SOWS/COWS used by analogy for kratom
    missing_rule: str = "Not scorable when any item is missing."
    missing_configurable: bool = False  # may ScoringConfig.max_missing opt in to pro-rating?
    bands_configurable: bool = False  # may ScoringConfig.bands replace the (absent) published bands?
    opt_in_bands: tuple[Band, ...] = ()  # an UNCONFIRMED preset a deployment may choose; never default

    @property
    def n_items(self) -> int:
        return len(self.items)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe metadata for the web form and `painwise score --list --json`."""
        return {
            "code": self.code,
            "name": self.name,
            "title": self.title,
            "items": [item.to_dict() for item in self.items],
            "recall_period": self.recall_period,
            "score_range": list(self.score_range),
            "scoring": self.scoring,
            "bands": [list(band) for band in self.bands],
            "subscales": {name: list(numbers) for name, numbers in self.subscales.items()},
            "instructions": self.instructions,
            "source": self.source,
            "licence_note": self.licence_note,
            "wording_licensed": self.wording_licensed,
            "loinc": dict(self.loinc) if self.loinc is not None else None,
            "clinician_only": self.clinician_only,
            "validity_note": self.validity_note,
            "missing_rule": self.missing_rule,
            "missing_configurable": self.missing_configurable,
            "bands_configurable": self.bands_configurable,
            "opt_in_bands": [list(band) for band in self.opt_in_bands],
        }


@dataclass(frozen=True)
class ScoringConfig:
    """Choices a deployment may make where the source is silent. The defaults are the conservative ones.

    max_missing: how many missing items may be pro-rated. Default 0 = refuse to score (total None) when
        any item is missing. Only instruments with `missing_configurable` accept more (PEG, PHQ-9, SOWS);
        PHQ-9 pro-rating is UNCONFIRMED (clinical_reference.md §1a). Pro-rated sum =
        round-half-up(sum of answered * number of items / number answered); PEG = mean of answered items.
    bands: replacement severity bands, only for instruments without published bands (PEG, SOWS).
        Default None = the instrument's own bands (none for PEG and SOWS). E.g. `sows.OPT_IN_BANDS`.
    """

    max_missing: int = 0
    bands: tuple[Band, ...] | None = None


DEFAULT_CONFIG = ScoringConfig()


@dataclass(frozen=True)
class ScoreResult:
    """The outcome of scoring one set of answers. `total` is None when the answers are not scorable."""

    code: str
    total: Number | None
    band: str | None
    subscales: dict[str, Number | None]
    flags: list[str]
    answered: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "total": self.total,
            "band": self.band,
            "subscales": dict(self.subscales),
            "flags": list(self.flags),
            "answered": self.answered,
        }
