"""Findings, the rule registry and the record helpers rules share.

A rule is a small function ``check(view, as_of, config) -> list[Finding]`` registered with its id,
severity, title, rationale, evidence (citation keys), what to consider checking and the names of the
thresholds it reads. Wording states what was observed and what a clinician may check; it never advises
starting, increasing or optimising any drug and never says kratom caused a finding.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from painwise.core.exposure import LEAF_FORMS_IN_GRAMS, SEVEN_OH_FORM
from painwise.core.rules.config import RulesConfig
from painwise.core.rules.evidence import CITATIONS, Citation
from painwise.core.snapshot import LabResult, PatientSnapshot, PlanItem

SEVERITIES = ("urgent", "high", "routine")  # the vocabulary flags use (monitoring.models.Severity)
SEVERITY_ORDER = {name: rank for rank, name in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class Finding:
    """One observation a rule made. ``subject`` says what it is about within the patient (an analyte,
    a drug class; "" for the patient as a whole): the app keeps one open flag per rule and subject.
    ``occurrence`` identifies the triggering record(s), so a resolved flag is not reopened by the same
    record but a new occurrence opens a new flag."""

    rule: str
    severity: str
    title: str
    rationale: str
    evidence: str
    consider: str
    date: dt.date
    data: dict[str, Any]
    subject: str = ""
    occurrence: str = ""
    patient_note: str = ""
    evidence_keys: tuple[str, ...] = ()

    def note_for_patient(self, told: str) -> str:
        """The plain-language note with what actually happened (``told``: "has been told", …)."""
        return self.patient_note.replace("{told}", told)

    def to_dict(self, told: str = "should be told") -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "title": self.title,
            "rationale": self.rationale,
            "evidence": self.evidence,
            "evidence_sources": [
                {"key": key, "citation": CITATIONS[key].full(), "link": CITATIONS[key].link}
                for key in self.evidence_keys
            ],
            "consider": self.consider,
            "date": self.date.isoformat(),
            "data": self.data,
            "subject": self.subject,
            "occurrence": self.occurrence,
            "patient_note": self.note_for_patient(told),
        }


Check = Callable[["Rule", PatientSnapshot, dt.date, RulesConfig], list[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    rationale: str
    evidence: tuple[str, ...]  # citation keys (painwise.core.rules.evidence)
    consider: str
    thresholds: tuple[str, ...]  # RulesConfig / LabConfig field names the rule reads
    check: Check
    patient_note: str = ""  # plain language; {placeholders} filled from the finding's data
    notes: str = ""  # what else the docs page should say (e.g. "dose bands have no validated basis")

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(CITATIONS[key] for key in self.evidence)

    @functools.cached_property
    def cited(self) -> str:
        return "; ".join(c.short() for c in self.citations) + " (full references: docs/evidence.md)"

    def cite(self) -> str:
        """The evidence line a flag shows: short citations and where the full references are."""
        return self.cited

    def finding(
        self,
        *,
        date: dt.date,
        data: dict[str, Any],
        rationale: str,
        subject: str = "",
        occurrence: str = "",
        title: str | None = None,
        severity: str | None = None,
        note_values: dict[str, Any] | None = None,
    ) -> Finding:
        # "{told}" stays a placeholder: what the patient is told depends on who received the flag.
        note = self.patient_note.format(**{"told": "{told}", **(note_values or {})}) if self.patient_note else ""
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            title=title or self.title,
            rationale=rationale,
            evidence=self.cite(),
            consider=self.consider,
            date=date,
            data=data,
            subject=subject,
            occurrence=occurrence,
            patient_note=note,
            evidence_keys=self.evidence,
        )

    def lab_finding(
        self,
        labs: Iterable[LabResult],
        *,
        data: dict[str, Any],
        rationale: str,
        subject: str,
        title: str | None = None,
        note_values: dict[str, Any] | None = None,
    ) -> Finding:
        """A finding about lab results, dated the day of the newest; its occurrence is their ids, so only a
        new result reopens a resolved flag; the patient note gets that ``date`` besides ``note_values``."""
        results = list(labs)
        day = max(results, key=lambda lab: lab.collected_at).day
        return self.finding(
            date=day,
            data=data,
            rationale=rationale,
            subject=subject,
            occurrence=",".join(sorted(lab.id for lab in results)),
            title=title,
            note_values={"date": day.isoformat(), **(note_values or {})},
        )


REGISTRY: dict[str, Rule] = {}


def rule(
    rule_id: str,
    *,
    severity: str,
    title: str,
    rationale: str,
    evidence: Iterable[str],
    consider: str,
    thresholds: Iterable[str] = (),
    patient_note: str = "",
    notes: str = "",
) -> Callable[[Check], Check]:
    """Register a rule function under ``rule_id`` (ids are unique; evidence keys must exist)."""

    def register(check: Check) -> Check:
        if rule_id in REGISTRY:
            raise ValueError(f"duplicate rule id {rule_id}")
        if severity not in SEVERITIES:
            raise ValueError(f"{rule_id}: unknown severity {severity}")
        keys = tuple(evidence)
        missing = [key for key in keys if key not in CITATIONS]
        if missing or not keys:
            raise ValueError(f"{rule_id}: unknown or no evidence {missing}")
        REGISTRY[rule_id] = Rule(
            rule_id, severity, title, rationale, keys, consider, tuple(thresholds), check, patient_note, notes
        )
        return check

    return register


# --- helpers over the snapshot -----------------------------------------------------------------------
# Derived values several rules need are computed once per evaluated view and kept in the view's own
# __dict__ (as functools.cached_property does; the snapshot stays frozen and compares equal).

T = TypeVar("T")


def memo(view: PatientSnapshot, key: str, build: Callable[[], T]) -> T:
    store = view.__dict__
    if key not in store:
        store[key] = build()
    return store[key]  # type: ignore[no-any-return]


def latest_labs(view: PatientSnapshot) -> dict[str, LabResult]:
    """The latest result per analyte (labs are sorted by time, so later ones overwrite)."""

    def build() -> dict[str, LabResult]:
        latest: dict[str, LabResult] = {}
        for lab in view.labs:
            latest[lab.analyte] = lab
        return latest

    return memo(view, "_rules_latest_labs", build)


def days_between(records: Sequence[Any], start: dt.date, end: dt.date) -> tuple[int, int]:
    """Index range of ``records`` (sorted by time, so by local day) whose day is within start..end."""
    return bisect.bisect_left(records, start, key=_day), bisect.bisect_right(records, end, key=_day)


def _day(record: Any) -> dt.date:
    return record.day  # type: ignore[no-any-return]


def lab_data(lab: LabResult) -> dict[str, Any]:
    reading = lab.interpretation
    used = reading.range_used or {}
    return {
        "analyte": lab.analyte,
        "date": lab.day.isoformat(),
        "value": lab.value,
        "unit": lab.unit,
        "canonical_value": round(reading.canonical_value, 4),
        "canonical_unit": reading.canonical_unit,
        "status": reading.status,
        "category": reading.category,
        "range_low": used.get("low"),
        "range_high": used.get("high"),
        "range_source": used.get("source"),
        "multiple_of_uln": reading.multiple_of_uln,
        "lab_id": lab.id,
    }


def range_text(lab: LabResult) -> str:
    used = lab.interpretation.range_used
    if not used:
        return "no reference range"
    low, high = used.get("low"), used.get("high")
    unit = lab.interpretation.canonical_unit
    bounds = (
        f"{low:g}–{high:g}" if low is not None and high is not None else (f"≤{high:g}" if low is None else f"≥{low:g}")
    )
    who = "the lab's range" if used.get("source") == "lab" else "the catalogue's default range"
    return f"{who} {bounds} {unit}"


def value_text(lab: LabResult) -> str:
    return f"{lab.value:g} {lab.unit} on {lab.day.isoformat()}"


def kratom_products(view: PatientSnapshot) -> dict[str, PlanItem]:
    return {p.id: p for p in view.kratom_products}


def leaf_grams(view: PatientSnapshot, start: dt.date | None = None, end: dt.date | None = None) -> dict[dt.date, float]:
    """Leaf-equivalent grams per local day for start..end (default: all), by painwise.core.exposure's
    conventions (skipped doses count zero; 7-OH products and doses without a leaf equivalent are not
    leaf), in plain Python over only the doses of those days, so a batch over thousands of patients
    stays fast. tests check it against compute_exposure."""
    doses = view.doses
    low = 0 if start is None else bisect.bisect_left(doses, start, key=_day)
    high = len(doses) if end is None else bisect.bisect_right(doses, end, key=_day)
    factors = memo(
        view,
        "_rules_leaf_factors",
        lambda: {
            p.id: (p.unit, p.leaf_g_per_unit, p.form in LEAF_FORMS_IN_GRAMS)
            for p in view.kratom_products
            if p.form != SEVEN_OH_FORM
        },
    )
    grams_by_day: dict[dt.date, float] = {}
    factor_of = factors.get
    for dose in view.doses[low:high]:
        factor = factor_of(dose.product_id)
        if factor is None or dose.status == "skipped":
            continue
        unit, per_unit, leaf = factor
        if dose.unit == unit and per_unit is not None:
            grams = dose.amount * per_unit
        elif leaf and dose.unit == "g":
            grams = dose.amount
        else:
            continue
        grams_by_day[dose.day] = grams_by_day.get(dose.day, 0.0) + grams
    return grams_by_day


def recent_grams(view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> dict[dt.date, float]:
    """Leaf grams per day over the span the dose rules read (two escalation windows, or the in-use
    window if longer), computed once per evaluation."""
    span = max(2 * config.escalation_window_days, config.kratom_in_use_days)
    return memo(view, "_rules_recent_grams", lambda: leaf_grams(view, as_of - dt.timedelta(days=span - 1), as_of))


def _logged_products(view: PatientSnapshot) -> frozenset[str]:
    return memo(view, "_rules_logged", lambda: frozenset(d.product_id for d in view.doses if d.status != "skipped"))


def kratom_in_use(view: PatientSnapshot, day: dt.date, config: RulesConfig) -> bool:
    """A kratom dose taken within ``kratom_in_use_days`` up to ``day``; or, for a product whose doses
    are not logged at all, the product active in the plan on ``day``."""
    products = kratom_products(view)
    if not products:
        return False
    low, high = days_between(view.doses, day - dt.timedelta(days=config.kratom_in_use_days - 1), day)
    for dose in view.doses[low:high]:
        if dose.status != "skipped" and dose.product_id in products:
            return True
    logged = _logged_products(view)
    return any(p.active_on(day) and p.id not in logged for p in products.values())


def kratom_start(view: PatientSnapshot) -> dt.date | None:
    products = kratom_products(view)
    starts = [p.start_date for p in products.values()]
    first = next((d.day for d in view.doses if d.status != "skipped" and d.product_id in products), None)
    if first is not None:
        starts.append(first)
    return min(starts) if starts else None


def alcohol_between(view: PatientSnapshot, start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
    """Drinks per check-in day for start..end (summed over a day's check-ins), by day."""
    low, high = days_between(view.check_ins, start, end)
    totals: dict[dt.date, int] = {}
    for check_in in view.check_ins[low:high]:
        if check_in.alcoholic_drinks is not None:
            totals[check_in.day] = totals.get(check_in.day, 0) + check_in.alcoholic_drinks
    return sorted(totals.items())


def mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None
