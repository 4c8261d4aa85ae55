"""Hair rules: a missing work-up after a shedding report; first shedding while kratom is in use.

No published study links kratom to hair loss: these rules record timing and what else happened, so a
clinician can look back 2-4 months from onset (telogen effluvium), and never name kratom as a cause.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from painwise.core.rules.base import Finding, Rule, kratom_in_use, kratom_start, leaf_grams, mean, rule
from painwise.core.rules.config import RulesConfig
from painwise.core.snapshot import PatientSnapshot, SideEffect

WORKUP = ("b12", "ferritin", "tsh")
TRIGGER_WORDS = (
    "weight", "diet", "fast", "ill", "fever", "flu", "covid", "infection", "surgery", "operation",
    "stress", "birth", "pregnan", "thyroid", "bereave",
)  # fmt: skip


def episodes(view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[list[SideEffect]]:
    """Shedding reports up to ``as_of`` grouped into episodes split by gaps of ``hair_episode_gap_days``."""
    groups: list[list[SideEffect]] = []
    for report in (s for s in view.side_effects if s.kind == "hair_shedding" and s.day <= as_of):
        if groups and (report.onset - groups[-1][-1].onset).days <= config.hair_episode_gap_days:
            groups[-1].append(report)
        else:
            groups.append([report])
    return groups


@rule(
    "hair.workup_due",
    severity="routine",
    title="Hair shedding reported without a B12, ferritin and TSH work-up",
    rationale="Hair shedding or thinning was reported and there is no B12, ferritin and TSH result from 90 days "
    "before the report onward. Iron deficiency and thyroid disease are recognised, testable contributors to "
    "diffuse hair loss; the evidence for B12 is weaker.",
    evidence=("malkud2015", "trost2006", "rasheed2013", "almohanna2019", "ozlu2017"),
    consider="Consider ferritin (with CRP), TSH (± free T4) and B12, and a history of triggers in the 2-4 months "
    "before onset (illness, weight loss or diet change, new or stopped medicines, stress).",
    thresholds=("hair_workup_lookback_days", "hair_episode_gap_days"),
    patient_note="You reported hair shedding on {date}; some blood tests can help find a cause, and your "
    "clinician {told}.",
)
def workup_due(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    groups = episodes(view, as_of, config)
    if not groups:
        return []
    first = groups[-1][0]
    since = first.day - dt.timedelta(days=config.hair_workup_lookback_days)
    present = {lab.analyte for lab in view.labs if since <= lab.day <= as_of and lab.analyte in WORKUP}
    missing = [analyte for analyte in WORKUP if analyte not in present]
    if not missing:
        return []
    return [
        self.finding(
            date=first.day,
            data={
                "report_date": first.day.isoformat(),
                "onset": first.onset.isoformat(),
                "searched_from": since.isoformat(),
                "missing": missing,
                "present": sorted(present),
            },
            rationale=f"Hair shedding reported on {first.day.isoformat()}; no {', '.join(missing)} result since "
            f"{since.isoformat()}.",
            subject="hair_workup",
            occurrence=first.id,
            note_values={"date": first.day.isoformat()},
        )
    ]


def _triggers(view: PatientSnapshot, onset: dt.date, config: RulesConfig) -> list[dict[str, Any]]:
    """Other events in the record in the months before onset that can precede telogen effluvium."""
    since = onset - dt.timedelta(days=config.hair_trigger_lookback_days)
    found: list[dict[str, Any]] = []
    for item in view.plan:
        label = item.name if item.kind != "medication" else f"{item.name} ({item.drug_class or 'medication'})"
        if since <= item.start_date <= onset:
            found.append({"date": item.start_date.isoformat(), "kind": f"{item.kind} started", "detail": label})
        if item.stop_date is not None and since <= item.stop_date <= onset:
            found.append({"date": item.stop_date.isoformat(), "kind": f"{item.kind} stopped", "detail": label})
    for effect in view.side_effects:
        if not since <= effect.day <= onset or effect.kind == "hair_shedding":
            continue
        text = effect.free_text.lower()
        if effect.kind == "other" and any(word in text for word in TRIGGER_WORDS):
            found.append({"date": effect.day.isoformat(), "kind": "note", "detail": effect.free_text})
        elif effect.kind in ("nausea", "gi_upset", "jaundice_dark_urine"):
            found.append({"date": effect.day.isoformat(), "kind": "side effect", "detail": effect.kind})
    for condition in view.conditions:
        if since <= condition.onset_date <= onset:
            found.append({"date": condition.onset_date.isoformat(), "kind": "condition", "detail": condition.label})
    for result in view.questionnaires:
        if result.code in ("sows", "cows") and since <= result.day <= onset and (result.total or 0) > 0:
            found.append({"date": result.day.isoformat(), "kind": "withdrawal score", "detail": result.code})
    for lab in view.labs:
        reading = lab.interpretation
        relevant = since <= lab.day <= onset and lab.analyte in ("ferritin", "tsh", "free_t4", "hemoglobin")
        if relevant and (reading.status in ("low", "high") or reading.category):
            what = reading.category or f"{reading.status} for its range"
            detail = f"{lab.analyte} {lab.value:g} {lab.unit} ({what})"
            found.append({"date": lab.day.isoformat(), "kind": "lab", "detail": detail})
    return sorted(found, key=lambda event: (event["date"], event["kind"], event["detail"]))


@rule(
    "hair.new_onset_on_kratom",
    severity="routine",
    title="New hair shedding while kratom is in use: timeline for review",
    rationale="The first shedding report of an episode came while kratom was in use. Telogen effluvium follows a "
    "trigger by about 2-4 months, so the timeline lists exposure and other recorded triggers (new or stopped "
    "medicines, weight or diet notes, illness, withdrawal scores, labs). No published study links kratom to "
    "hair loss: this records timing, not a cause.",
    evidence=("ozlu2017", "malkud2015", "ctcae_v5"),
    consider="Review the timeline for triggers 2-4 months before onset; consider the hair work-up (ferritin, TSH, "
    "B12) and the pattern of loss (diffuse shedding versus patterned thinning).",
    thresholds=("hair_trigger_lookback_days", "hair_episode_gap_days", "kratom_in_use_days"),
    patient_note="You reported hair shedding on {date}; your clinician {told} and can look at what else changed "
    "in the months before.",
)
def new_onset_on_kratom(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    groups = episodes(view, as_of, config)
    if not groups:
        return []
    first = groups[-1][0]
    onset = first.onset
    if not (kratom_in_use(view, onset, config) or kratom_in_use(view, first.day, config)):
        return []
    started = kratom_start(view)
    weeks = None if started is None or started > onset else round((onset - started).days / 7, 1)
    grams = leaf_grams(view, None, onset)
    cumulative = round(sum(grams.values()), 1)
    recent = mean(grams.get(onset - dt.timedelta(days=i), 0.0) for i in range(28))
    triggers = _triggers(view, onset, config)
    listed = "; ".join(f"{t['date']} {t['kind']}: {t['detail']}" for t in triggers) or "none recorded"
    exposure = f"{weeks:g} weeks" if weeks is not None else "an unknown time"
    return [
        self.finding(
            date=onset,
            data={
                "onset": onset.isoformat(),
                "report_date": first.day.isoformat(),
                "ctcae_grade": first.ctcae_grade,
                "kratom_start": started.isoformat() if started else None,
                "weeks_of_exposure": weeks,
                "cumulative_leaf_g": cumulative,
                "mean_daily_leaf_g_28d": None if recent is None else round(recent, 2),
                "look_back_from": (onset - dt.timedelta(days=config.hair_trigger_lookback_days)).isoformat(),
                "other_triggers": triggers,
            },
            rationale=f"First shedding report of this episode with onset {onset.isoformat()}, after {exposure} of "
            f"kratom use ({cumulative:g} g leaf-equivalent so far). Telogen effluvium follows a trigger by 2-4 "
            f"months; other recorded events in the {config.hair_trigger_lookback_days} days before: {listed}. "
            "No published study links kratom to hair loss: this is timing, not a cause.",
            subject="hair_onset",
            occurrence=first.id,
            note_values={"date": first.day.isoformat()},
        )
    ]
