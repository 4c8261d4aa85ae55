"""The visit report's content, from a snapshot (pure: no Django; rendering lives in painwise.reports).

Page one is a summary a clinician reads in a minute; the appendix holds charts, lab tables, questionnaire
histories and the diary summary. Which sections appear depends on the scopes the reader holds
(``sections``): the caller (painwise.reports) asks the access policy for each scope; a section whose
scope is missing is listed in ``withheld`` and the report says it was not shared.

Section → scopes it needs:
  pain, side effects, diary summary ............ diary
  conditions and plan .......................... plan
  kratom use, dose-response, modality effects .. diary + plan (exposure is derived from the plan's products)
  questionnaires ............................... questionnaires
  labs out of range, lab tables ................ labs
  hair timeline (exposure, labs) ............... diary + plan + labs
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from painwise.core.analytics import (
    change_points,
    dose_response,
    hair_timeline,
    modality_effects,
    response_vs_baseline,
)
from painwise.core.analytics.common import fmt
from painwise.core.analytics.response import CATEGORY_WORDS, ResponseResult
from painwise.core.conditions import ICD11_CATEGORIES
from painwise.core.snapshot import PatientSnapshot

ALL_SCOPES = frozenset({"diary", "plan", "questionnaires", "labs"})
SECTION_SCOPES: dict[str, frozenset[str]] = {
    "pain": frozenset({"diary"}),
    "side_effects": frozenset({"diary"}),
    "diary_summary": frozenset({"diary"}),
    "plan": frozenset({"plan"}),
    "kratom": frozenset({"diary", "plan"}),
    "analyses": frozenset({"diary", "plan"}),
    "questionnaires": frozenset({"questionnaires"}),
    "labs": frozenset({"labs"}),
    "hair_timeline": frozenset({"diary", "plan", "labs"}),
}
SECTION_TITLES = {
    "pain": "Pain trend",
    "side_effects": "Side effects",
    "diary_summary": "Diary summary",
    "plan": "Conditions and plan",
    "kratom": "Kratom use",
    "analyses": "Modality effects and dose-response",
    "questionnaires": "Questionnaires",
    "labs": "Labs",
    "hair_timeline": "Hair-loss timeline",
}
# Kratom: the 28-day average at the end of the period at least this many times the one at its start is
# reported as escalation (a description of the record, not a diagnosis; the monitoring rules decide flags).
ESCALATION_RATIO = 1.5
QUESTIONNAIRE_NAMES = {"peg": "PEG", "phq9": "PHQ-9", "gad7": "GAD-7", "pcs": "PCS", "sows": "SOWS", "cows": "COWS"}


KIND_LABELS = {
    "kratom": "Kratom",
    "physical_therapy": "Physical therapy",
    "cbt": "CBT",
    "mindfulness": "Mindfulness",
    "medication": "Medication",
    "supplement": "Supplement",
}
DRUG_CLASS_LABELS = {"ssri_snri": "SSRI/SNRI", "nsaid": "NSAID"}
CATEGORY_LABELS = {
    "substantial": "Substantial improvement",
    "moderate": "Moderate improvement",
    "minimal": "Minimal improvement",
    "no_improvement": "No improvement",
    "insufficient_data": "Too few data to tell",
}


def _signed(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:+.{digits}f}".replace("-", "−")


def age_band(age: int) -> str:
    low = age // 10 * 10
    return f"{low}–{low + 9}"


@dataclass
class Figure:
    id: str
    title: str
    svg: str
    alt: str


@dataclass
class ReportContent:
    display_name: str
    age_band: str
    sex: str
    start: dt.date
    end: dt.date
    generated_on: dt.date
    sections: frozenset[str]
    withheld: list[str]
    synthetic: bool = False
    conditions: list[dict[str, Any]] = field(default_factory=list)
    plan: list[dict[str, Any]] = field(default_factory=list)
    pain: dict[str, Any] = field(default_factory=dict)
    questionnaires_latest: list[dict[str, Any]] = field(default_factory=list)
    questionnaire_history: list[dict[str, Any]] = field(default_factory=list)
    kratom: dict[str, Any] = field(default_factory=dict)
    side_effects: list[dict[str, Any]] = field(default_factory=list)
    hair: dict[str, Any] = field(default_factory=dict)
    labs_out_of_range: list[dict[str, Any]] = field(default_factory=list)
    lab_table: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] | None = field(default_factory=list)  # None: the reader has no flag list
    figures: list[Figure] = field(default_factory=list)
    modality_rows: list[dict[str, Any]] = field(default_factory=list)
    dose_bins: list[dict[str, Any]] = field(default_factory=list)
    dose_disclaimer: str = ""
    diary_summary: list[dict[str, Any]] = field(default_factory=list)
    monthly_pain: list[dict[str, Any]] = field(default_factory=list)
    # Compact appendix tables (a five-year report stays a few pages): one row per month / per lab draw.
    questionnaire_months: list[dict[str, Any]] = field(default_factory=list)
    months: list[dict[str, Any]] = field(default_factory=list)  # monthly pain and questionnaires, one table
    lab_draws: list[dict[str, Any]] = field(default_factory=list)

    def shows(self, section: str) -> bool:
        return section in self.sections


def visible_sections(scopes: Iterable[str]) -> frozenset[str]:
    held = frozenset(scopes)
    return frozenset(name for name, needed in SECTION_SCOPES.items() if needed <= held)


def build_report(
    snapshot: PatientSnapshot,
    start: dt.date,
    end: dt.date,
    *,
    scopes: Iterable[str] = ALL_SCOPES,
    display_name: str | None = None,
    flags: Sequence[dict[str, Any]] | None = (),
    today: dt.date | None = None,
) -> ReportContent:
    """The report for local days ``start``..``end`` showing only the sections ``scopes`` allow."""
    sections = visible_sections(scopes)
    today = today or end
    period = snapshot.window(start, end)
    content = ReportContent(
        display_name=display_name or snapshot.profile.username,
        age_band=age_band(snapshot.profile.age_on(end)),
        sex=snapshot.profile.sex,
        start=start,
        end=end,
        generated_on=today,
        sections=sections,
        withheld=[SECTION_TITLES[name] for name in SECTION_SCOPES if name not in sections],
        synthetic=snapshot.profile.synthetic,
        flags=None if flags is None else list(flags),
    )
    if content.shows("plan"):
        _plan(content, snapshot, start, end)
    if content.shows("pain"):
        _pain(content, period, start, end)
    if content.shows("questionnaires"):
        _questionnaires(content, period)
    if content.shows("kratom"):
        _kratom(content, snapshot, start, end)
    if content.shows("side_effects"):
        _side_effects(content, period)
    if content.shows("labs"):
        _labs(content, period)
    if content.shows("analyses"):
        _analyses(content, period)
    if content.shows("hair_timeline"):
        # The whole history up to the end: exposure and labs before the period matter for timing.
        history = snapshot.window(min(snapshot.first_day or start, start), end)
        hair = hair_timeline(history)
        if any(_overlaps(e, start) for e in hair.episodes):
            content.figures.append(Figure("hair-chart", "Hair-loss timeline", hair.chart("hair-chart"), hair.sentence))
            content.hair["timeline"] = hair.sentence
    if content.shows("diary_summary"):
        _diary_summary(content, period)
    merged: dict[str, dict[str, Any]] = {}
    for row in content.monthly_pain + content.questionnaire_months:
        merged.setdefault(row["month"], {}).update(row)
    content.months = [merged[month] for month in sorted(merged)]
    return content


def _overlaps(episode: dict[str, Any], start: dt.date) -> bool:
    return episode["resolved"] is None or dt.date.fromisoformat(episode["resolved"]) >= start


def _plan(content: ReportContent, snapshot: PatientSnapshot, start: dt.date, end: dt.date) -> None:
    content.conditions = [
        {
            "label": c.label,
            "category": ICD11_CATEGORIES[c.icd11_category].label if c.icd11_category in ICD11_CATEGORIES else "",
            "code": ICD11_CATEGORIES[c.icd11_category].code if c.icd11_category in ICD11_CATEGORIES else "",
            "onset": c.onset_date,
            "sites": ", ".join(s.replace("_", " ") for s in c.body_sites),
        }
        for c in snapshot.conditions
    ]
    content.plan = [
        {
            "kind": KIND_LABELS.get(item.kind, item.kind.replace("_", " ")),
            "name": item.name,
            "detail": DRUG_CLASS_LABELS.get(item.drug_class, item.drug_class.replace("_", " "))
            if item.drug_class
            else item.form.replace("_", " "),
            "start": item.start_date,
            "stop": item.stop_date,
        }
        for item in snapshot.plan
        if item.overlaps(start, end)
    ]


def _pain(content: ReportContent, period: PatientSnapshot, start: dt.date, end: dt.date) -> None:
    response: ResponseResult = response_vs_baseline(period, as_of=end, baseline_start=start)
    days_with = len({p.day for p in period.pain})
    content.pain = {
        "days_with_entries": days_with,
        "days": (end - start).days + 1,
        "entries": len(period.pain),
        "baseline_mean": response.baseline.mean_nrs if response.baseline else None,
        "current_mean": response.current.mean_nrs if response.current else None,
        "change": response.change,
        "percent_change": response.percent_change,
        "ci_low": response.ci_low,
        "ci_high": response.ci_high,
        "category": response.category,
        "category_words": CATEGORY_WORDS[response.category],
        "category_label": CATEGORY_LABELS[response.category],
        "change_text": _signed(response.change, 1),
        "percent_text": _signed(response.percent_change, 0) + "%" if response.percent_change is not None else "",
        "ci_text": f"{_signed(response.ci_low, 1)} to {_signed(response.ci_high, 1)}"
        if response.ci_low is not None
        else "",
        "sentence": response.sentence,
        "missing": response.missing,
    }
    content.figures.append(
        Figure("pain-chart", "Daily pain over the period", response.chart("pain-chart"), response.sentence)
    )
    shifts = change_points(period)
    content.pain["shifts"] = shifts.sentence
    if shifts.ok:
        content.figures.append(
            Figure(
                "changepoint-chart", "Weekly pain and level shifts", shifts.chart("changepoint-chart"), shifts.sentence
            )
        )


def _questionnaires(content: ReportContent, period: PatientSnapshot) -> None:
    latest: dict[str, Any] = {}
    for q in period.questionnaires:
        latest[q.code] = q
        content.questionnaire_history.append(
            {
                "day": q.day,
                "name": QUESTIONNAIRE_NAMES.get(q.code, q.code),
                "total": q.total,
                "band": (q.band or "").replace("_", " "),
                "flags": ", ".join(q.flags),
            }
        )
    months: dict[str, dict[str, list[str]]] = {}
    for q in period.questionnaires:
        score = "not scorable" if q.total is None else f"{q.total:g}"
        band = f" {q.band.replace('_', ' ')}" if q.band else ""
        flags = f" [{', '.join(q.flags)}]" if q.flags else ""
        cell = months.setdefault(q.day.strftime("%Y-%m"), {})
        cell.setdefault(q.code, []).append(f"{score}{band}{flags}")
    content.questionnaire_months = [
        {
            "month": month,
            **{code: ", ".join(values) for code, values in codes.items() if code in ("peg", "phq9", "gad7")},
            "other": "; ".join(
                f"{QUESTIONNAIRE_NAMES.get(code, code)} {', '.join(values)}"
                for code, values in codes.items()
                if code not in ("peg", "phq9", "gad7")
            ),
        }
        for month, codes in sorted(months.items())
    ]
    for code in ("peg", "phq9", "gad7"):
        last = latest.get(code)
        content.questionnaires_latest.append(
            {
                "name": QUESTIONNAIRE_NAMES[code],
                "day": last.day if last else None,
                "total": last.total if last else None,
                "band": (last.band or "no band").replace("_", " ") if last else None,
                "flags": ", ".join(last.flags) if last else "",
            }
        )


def _kratom(content: ReportContent, snapshot: PatientSnapshot, start: dt.date, end: dt.date) -> None:
    if not snapshot.kratom_products:
        content.kratom = {"used": False}
        return
    summary = snapshot.exposure(start, end).summary
    leaf = summary["leaf_g"].to_numpy(dtype=float)
    rolling = summary["leaf_g_rolling_28d"].to_numpy(dtype=float)
    days_used = int((leaf > 0).sum())
    first = float(rolling[min(27, len(rolling) - 1)]) if len(rolling) else 0.0
    last = float(rolling[-1]) if len(rolling) else 0.0
    escalation = first > 0 and last >= ESCALATION_RATIO * first
    trend = "rising" if last > first * 1.1 else "falling" if last < first * 0.9 else "stable"
    content.kratom = {
        "used": days_used > 0,
        "days_used": days_used,
        "days": len(leaf),
        "mean_daily_g": float(np.mean(leaf)) if len(leaf) else 0.0,
        "mean_use_day_g": float(leaf[leaf > 0].mean()) if days_used else 0.0,
        "first_28d_g": first,
        "last_28d_g": last,
        "trend": trend,
        "escalation": escalation,
        "products": [p.name for p in snapshot.kratom_products if p.overlaps(start, end)],
        "cumulative_kg": float(summary["leaf_g_cumulative"].iloc[-1]) / 1000 if len(summary) else 0.0,
    }


def _side_effects(content: ReportContent, period: PatientSnapshot) -> None:
    counts = Counter(s.kind for s in period.side_effects)
    content.side_effects = [{"kind": kind.replace("_", " "), "reports": n} for kind, n in counts.most_common()]
    hair = [s for s in period.side_effects if s.kind == "hair_shedding"]
    if hair:
        latest = hair[-1]
        grades = [s.ctcae_grade for s in hair if s.ctcae_grade is not None]
        content.hair = {
            "reported": True,
            "latest_grade": latest.ctcae_grade,
            "highest_grade": max(grades) if grades else None,
            "onset": latest.onset,
            "resolved": latest.resolved_date,
        }
    else:
        content.hair = {"reported": False}


def _labs(content: ReportContent, period: PatientSnapshot) -> None:
    for lab in period.labs:
        reading = lab.interpretation
        low, high = lab.ref_low, lab.ref_high
        if low is None and high is None and reading.range_used:
            used = reading.range_used
            range_text = f"{fmt(used.get('low'), 2)}–{fmt(used.get('high'), 2)} {reading.canonical_unit}"
        else:
            range_text = f"{'' if low is None else f'{low:g}'}–{'' if high is None else f'{high:g}'} {lab.unit}"
        row = {
            "day": lab.day,
            "analyte": lab.analyte,
            "value": f"{lab.value:g}",
            "unit": lab.unit,
            "range": range_text,
            "status": reading.status,
            "critical": reading.critical,
        }
        content.lab_table.append(row)
        flag = "" if reading.status in ("normal", "unknown") else f", {reading.status.upper()}"
        text = f"{lab.analyte} {row['value']} {lab.unit} ({range_text.strip()}{flag})"
        if content.lab_draws and content.lab_draws[-1]["day"] == lab.day:
            content.lab_draws[-1]["results"].append(text)
        else:
            content.lab_draws.append({"day": lab.day, "results": [text]})
        if reading.status in ("low", "high") or reading.critical:
            content.labs_out_of_range.append(row)


def _analyses(content: ReportContent, period: PatientSnapshot) -> None:
    effects = modality_effects(period)
    content.modality_rows = [e for e in effects.effects if e["outcome"] == "same_day"]
    if effects.ok:
        content.figures.append(
            Figure(
                "modality-chart", "Modality effects (same-day pain)", effects.chart("modality-chart"), effects.sentence
            )
        )
    doses = dose_response(period)
    content.dose_bins = doses.bins
    content.dose_disclaimer = doses.disclaimer
    if doses.ok:
        content.figures.append(
            Figure("dose-chart", "Pain by the day's kratom amount", doses.chart("dose-chart"), doses.sentence)
        )


def _diary_summary(content: ReportContent, period: PatientSnapshot) -> None:
    content.diary_summary = [
        {"record": "pain entries", "count": len(period.pain), "days": len({r.day for r in period.pain})},
        {"record": "check-ins", "count": len(period.check_ins), "days": len({r.day for r in period.check_ins})},
        {"record": "kratom dose records", "count": len(period.doses), "days": len({r.day for r in period.doses})},
        {"record": "therapy sessions", "count": len(period.sessions), "days": len({r.day for r in period.sessions})},
        {
            "record": "side-effect reports",
            "count": len(period.side_effects),
            "days": len({r.day for r in period.side_effects}),
        },
    ]
    months: dict[str, list[float]] = {}
    daily: dict[dt.date, list[int]] = {}
    for p in period.pain:
        daily.setdefault(p.day, []).append(p.nrs)
    for day, values in sorted(daily.items()):
        months.setdefault(day.strftime("%Y-%m"), []).append(sum(values) / len(values))
    content.monthly_pain = [
        {"month": month, "days": len(values), "mean": sum(values) / len(values)} for month, values in months.items()
    ]
