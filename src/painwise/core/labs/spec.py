"""The shapes of a catalogue entry. Plain frozen data: the values live in catalogue.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Sex = Literal["female", "male"]
# What a unit measures. Mass and molar results carry different LOINC codes (clinical_reference.md §3).
UnitKind = Literal["mass", "substance", "catalytic", "arbitrary", "fraction"]


@dataclass(frozen=True)
class LoincCode:
    code: str
    kind: UnitKind
    name: str
    # False for codes §3 marks [C] (check digit valid, name not verified): never present them as checked.
    confirmed: bool


@dataclass(frozen=True)
class UnitSpec:
    ucum: str  # the code we print, e.g. "ug/dL"
    label: str  # for people, e.g. "µg/dL"
    pint: str  # how pint spells it (pint is case-sensitive, UCUM brackets are not pint syntax)
    kind: UnitKind
    # Extra spellings that mean the same unit for this analyte, e.g. IU/L for an enzyme's U/L.
    # Case, micro signs, "mcg" and UCUM brackets are normalised anyway (see units.normalise_spelling).
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RangeSpec:
    """A default reference range in the analyte's canonical unit. None on a side = no limit there."""

    low: float | None
    high: float | None
    source: str
    sex: Sex | None = None  # None: both sexes
    pregnancy: bool = False  # ranges apply either only in pregnancy or only outside it
    older_than: float | None = None  # age band, years (strictly older than)
    note: str | None = None


@dataclass(frozen=True)
class CategoryRule:
    """`name` applies when the value is below a threshold; rules are tried in order, first match wins.

    The threshold is `below` in `unit` (the unit the source states it in), or a LabConfig field when the
    threshold is contested (config_field), so the rule and its source stay together here.
    """

    name: str
    source: str
    below: float | None = None
    unit: str | None = None  # None: the analyte's canonical unit
    config_field: str | None = None
    sex: Sex | None = None
    pregnancy: bool | None = None  # None: regardless of pregnancy
    note: str | None = None


@dataclass(frozen=True)
class Plausibility:
    """Data-entry guards in the canonical unit, not clinical thresholds.

    Above `impossible_above` no living person has been reported: the value is rejected (usually a unit
    mix-up such as g/L entered as g/dL). Outside the `unusual_*` limits the value is accepted and marked.
    """

    unusual_above: float
    impossible_above: float
    unusual_below: float | None = None


@dataclass(frozen=True)
class Analyte:
    short_name: str
    display_name: str
    loinc: tuple[LoincCode, ...]
    canonical_unit: str  # UCUM code of the unit values are stored and compared in
    units: tuple[UnitSpec, ...]  # the canonical unit first
    ranges: tuple[RangeSpec, ...]
    plausibility: Plausibility
    sources: tuple[str, ...]
    molar_mass: float | None = None  # g/mol, for mass <-> substance conversion
    molar_mass_source: str | None = None
    categories: tuple[CategoryRule, ...] = ()
    liver: bool = False  # report value as a multiple of the upper limit of normal (clinical_reference.md §4)
    # Sourced critical (panic) limits. §3 gives none for any analyte here, so all are None: do not invent.
    critical_low: float | None = None
    critical_high: float | None = None
    # Why there is no default range for some groups (shown when status is unknown).
    no_range_note: str | None = None
    aliases: tuple[str, ...] = field(default=())

    def unit(self, ucum: str) -> UnitSpec:
        return next(u for u in self.units if u.ucum == ucum)

    def loinc_for(self, kind: UnitKind) -> LoincCode | None:
        # Enzyme activity in U/L or µkat/L is one LOINC property; so is TSAT as % or fraction.
        return next((c for c in self.loinc if c.kind == kind), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "analyte": self.short_name,
            "display_name": self.display_name,
            "loinc": [{"code": c.code, "kind": c.kind, "name": c.name, "confirmed": c.confirmed} for c in self.loinc],
            "canonical_unit": self.canonical_unit,
            "units": [
                {"ucum": u.ucum, "label": u.label, "kind": u.kind, "aliases": list(u.aliases)} for u in self.units
            ],
            "molar_mass": self.molar_mass,
            "ranges": [
                {
                    "low": r.low,
                    "high": r.high,
                    "sex": r.sex,
                    "pregnancy": r.pregnancy,
                    "older_than": r.older_than,
                    "source": r.source,
                    "note": r.note,
                }
                for r in self.ranges
            ],
            "categories": [
                {
                    "name": c.name,
                    "below": c.below,
                    "unit": c.unit or self.canonical_unit,
                    "config_field": c.config_field,
                }
                | {"sex": c.sex, "pregnancy": c.pregnancy, "source": c.source}
                for c in self.categories
            ],
            "plausibility": {
                "unusual_below": self.plausibility.unusual_below,
                "unusual_above": self.plausibility.unusual_above,
                "impossible_above": self.plausibility.impossible_above,
            },
            "critical_low": self.critical_low,
            "critical_high": self.critical_high,
            "liver": self.liver,
            "no_range_note": self.no_range_note,
            "sources": list(self.sources),
        }
