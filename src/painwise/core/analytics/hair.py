"""Hair-loss timeline: shedding reports against exposure, labs and other possible triggers on one axis.

Telogen effluvium starts about 2-4 months after its trigger (clinical_reference §5b; Ozlu & Karadag,
"Telogen Effluvium", InTech 2017, doi:10.5772/66975), so for each shedding episode this lists what changed
in the months before onset: weeks since kratom use was first recorded and since each recorded change in
daily amount, the cumulative leaf-equivalent exposure at onset, the latest B12, ferritin, iron,
haemoglobin, thyroid and hormone results before onset, and other recorded triggers (medications and
supplements started or stopped, other side effects). It lays out timings for a clinician; it never says
what caused the shedding — no published study links kratom to hair loss (clinical_reference §5d).

Episode: hair-shedding side-effect records sharing an onset date (follow-up reports of the same episode);
its grade is the highest CTCAE grade reported, its resolution the latest resolved date.
Dose change: the daily amount averaged over consecutive 30-day blocks from the first recorded use; a
block whose mean differs from the previous block's by at least 25% (or that starts or stops use) is a
change, dated at the block's first day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from painwise.core.analytics.common import INSUFFICIENT, OK, Result, clean, fmt
from painwise.core.snapshot import LabResult, PatientSnapshot

LAB_ANALYTES = ("ferritin", "iron", "hemoglobin", "b12", "tsh", "free_t4", "testosterone", "estradiol")
TE_WINDOW_DAYS = (56, 122)  # 2-4 months before onset
LOOKBACK_DAYS = 122
BLOCK_DAYS = 30
CHANGE_RATIO = 0.25
EVENT_COLUMNS = ["day", "kind", "label", "value"]


@dataclass
class HairTimelineResult(Result):
    episodes: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    exposure: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)
    first_exposure: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return clean(
            {
                "status": self.status,
                "missing": self.missing,
                "sentence": self.sentence,
                "first_exposure": self.first_exposure,
                "episodes": self.episodes,
                "events": self.events,
            }
        )

    def chart(self, chart_id: str | None = None) -> str:
        from painwise.core.analytics import svg

        return svg.hair_chart(self, chart_id or "hair-chart")


def _episodes(snapshot: PatientSnapshot) -> list[dict[str, Any]]:
    by_onset: dict[dt.date, dict[str, Any]] = {}
    for record in snapshot.side_effects:
        if record.kind != "hair_shedding":
            continue
        episode = by_onset.setdefault(record.onset, {"onset": record.onset, "grade": None, "resolved": None})
        if record.ctcae_grade is not None:
            episode["grade"] = max(episode["grade"] or 0, record.ctcae_grade)
        if record.resolved_date is not None:
            episode["resolved"] = max(episode["resolved"] or record.resolved_date, record.resolved_date)
    return [by_onset[k] for k in sorted(by_onset)]


def dose_changes(daily_leaf_g: pd.Series, first_use: dt.date) -> list[tuple[dt.date, float, float]]:
    """(block start, previous block's mean g/day, this block's mean g/day) for every change."""
    series = daily_leaf_g[daily_leaf_g.index >= pd.Timestamp(first_use)]
    blocks = series.groupby((series.index - pd.Timestamp(first_use)).days // BLOCK_DAYS)
    means = blocks.mean()
    starts = blocks.apply(lambda s: s.index[0].date())
    changes = []
    for k in range(1, len(means)):
        before, after = float(means.iloc[k - 1]), float(means.iloc[k])
        started_or_stopped = (before == 0) != (after == 0)
        relative = abs(after - before) / before if before > 0 else 0.0
        if started_or_stopped or relative >= CHANGE_RATIO:
            changes.append((starts.iloc[k], before, after))
    return changes


def _lab_text(lab: LabResult) -> str:
    status = lab.interpretation.status
    flag = "" if status in ("normal", "unknown") else f" ({status})"
    return f"{lab.analyte} {lab.value:g} {lab.unit}{flag} on {lab.day.isoformat()}"


def hair_timeline(snapshot: PatientSnapshot) -> HairTimelineResult:
    result = HairTimelineResult(name="hair_timeline")
    episodes = _episodes(snapshot)
    taken = [d.day for d in snapshot.doses if d.status != "skipped"]
    result.first_exposure = min(taken) if taken else None
    events: list[dict[str, Any]] = []
    changes: list[tuple[dt.date, float, float]] = []
    cumulative = pd.Series(dtype=float)
    if snapshot.first_day and snapshot.last_day and snapshot.kratom_products:
        exposure = snapshot.exposure(snapshot.first_day, max(snapshot.last_day, snapshot.first_day)).summary
        cumulative = exposure["leaf_g_cumulative"].copy()
        cumulative.index = pd.to_datetime(cumulative.index)
        leaf = exposure["leaf_g"].copy()
        leaf.index = pd.to_datetime(leaf.index)
        if result.first_exposure is not None:
            events.append(
                {"day": result.first_exposure, "kind": "exposure_start", "label": "kratom use first recorded"}
            )
            changes = dose_changes(leaf, result.first_exposure)
            events += [
                {"day": d, "kind": "dose_change", "label": f"daily amount {fmt(b)} → {fmt(a)} g/day", "value": a}
                for d, b, a in changes
            ]
    result.exposure = cumulative
    labs = [lab for lab in snapshot.labs if lab.analyte in LAB_ANALYTES]
    events += [{"day": lab.day, "kind": "lab", "label": _lab_text(lab), "value": lab.value} for lab in labs]
    for item in snapshot.plan:
        if item.kind in ("medication", "supplement"):
            events.append({"day": item.start_date, "kind": "plan_start", "label": f"{item.name} started"})
            if item.stop_date:
                events.append({"day": item.stop_date, "kind": "plan_stop", "label": f"{item.name} stopped"})
    for ep in episodes:
        grade = f" (CTCAE grade {ep['grade']})" if ep["grade"] else ""
        events.append({"day": ep["onset"], "kind": "shedding_onset", "label": f"hair shedding began{grade}"})
        if ep["resolved"]:
            events.append({"day": ep["resolved"], "kind": "shedding_resolved", "label": "hair shedding resolved"})
    events.sort(key=lambda e: (e["day"], e["kind"]))
    result.events = [clean({**{"value": None}, **e}) for e in events]
    result.summary = pd.DataFrame(result.events, columns=EVENT_COLUMNS)
    for ep in episodes:
        result.episodes.append(clean(_episode_detail(snapshot, ep, result.first_exposure, changes, cumulative, labs)))
    if not episodes:
        result.status = INSUFFICIENT
        result.missing = "needs a hair-shedding report; none is recorded"
        result.sentence = "No hair shedding is recorded."
        return result
    result.status = OK
    result.sentence = " ".join(_episode_sentence(e) for e in result.episodes) + (
        " Telogen effluvium usually begins 2–4 months after its trigger, so the months before onset are"
        " listed; these are timings for a clinician to weigh, not causes. No published study links kratom to"
        " hair loss."
    )
    return result


def _episode_detail(
    snapshot: PatientSnapshot,
    ep: dict[str, Any],
    first: dt.date | None,
    changes: list[tuple[dt.date, float, float]],
    cumulative: pd.Series,
    labs: list[LabResult],
) -> dict[str, Any]:
    onset: dt.date = ep["onset"]
    before = [c for c in changes if c[0] <= onset]
    last_change = before[-1] if before else None
    in_window = [c for c in changes if TE_WINDOW_DAYS[0] <= (onset - c[0]).days <= TE_WINDOW_DAYS[1]]
    at_onset = cumulative[cumulative.index <= pd.Timestamp(onset)]
    latest: dict[str, Any] = {}
    for lab in labs:
        if lab.day <= onset:
            latest[lab.analyte] = {
                "day": lab.day,
                "value": lab.value,
                "unit": lab.unit,
                "status": lab.interpretation.status,
                "days_before_onset": (onset - lab.day).days,
            }
    lookback = onset - dt.timedelta(days=LOOKBACK_DAYS)
    triggers = [
        f"{item.name} started {item.start_date.isoformat()}"
        for item in snapshot.plan
        if item.kind in ("medication", "supplement") and lookback <= item.start_date <= onset
    ]
    triggers += [
        f"{item.name} stopped {item.stop_date.isoformat()}"
        for item in snapshot.plan
        if item.kind in ("medication", "supplement") and item.stop_date and lookback <= item.stop_date <= onset
    ]
    triggers += [
        f"{s.kind.replace('_', ' ')} recorded {s.day.isoformat()}" + (f" ({s.free_text})" if s.free_text else "")
        for s in snapshot.side_effects
        if s.kind != "hair_shedding" and s.kind in ("other", "jaundice_dark_urine") and lookback <= s.day <= onset
    ]
    return {
        "onset": onset,
        "resolved": ep["resolved"],
        "ctcae_grade": ep["grade"],
        "weeks_from_first_exposure": round((onset - first).days / 7, 1) if first and first <= onset else None,
        "cumulative_leaf_kg_at_onset": round(float(at_onset.iloc[-1]) / 1000, 3) if len(at_onset) else None,
        "last_dose_change": last_change[0] if last_change else None,
        "weeks_from_last_dose_change": round((onset - last_change[0]).days / 7, 1) if last_change else None,
        "dose_changes_2_to_4_months_before": [c[0] for c in in_window],
        "labs_before_onset": latest,
        "other_triggers_recorded": triggers,
    }


def _episode_sentence(ep: dict[str, Any]) -> str:
    grade = f" (CTCAE grade {ep['ctcae_grade']})" if ep["ctcae_grade"] else ""
    text = f"Hair shedding began on {ep['onset']}{grade}"
    text += f" and resolved on {ep['resolved']}." if ep["resolved"] else " and is not recorded as resolved."
    if ep["weeks_from_first_exposure"] is not None:
        text += f" It began {ep['weeks_from_first_exposure']:g} weeks after kratom use was first recorded"
        if ep["weeks_from_last_dose_change"] is not None:
            text += f" and {ep['weeks_from_last_dose_change']:g} weeks after the last recorded change in daily amount"
        text += "."
    ferritin = ep["labs_before_onset"].get("ferritin")
    if ferritin:
        text += (
            f" The latest ferritin before onset was {ferritin['value']:g} {ferritin['unit']} ({ferritin['status']}),"
            f" {ferritin['days_before_onset']} days earlier."
        )
    if ep["other_triggers_recorded"]:
        text += " Other possible triggers recorded: " + "; ".join(ep["other_triggers_recorded"]) + "."
    return text
