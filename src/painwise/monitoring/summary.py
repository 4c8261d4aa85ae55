"""What the clinician's patient page opens with, and the plain-language notes a patient sees.

The summary is built from the same PatientSnapshot the rules read, one section per access scope the
clinician holds (each asked of patients.access, which audits the read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from painwise.core.rules.base import latest_labs, leaf_grams
from painwise.monitoring import charts
from painwise.monitoring.engine import local_today
from painwise.monitoring.models import ACTIVE, Flag
from painwise.monitoring.selectors import flags_for, flags_page
from painwise.patients.access import allows
from painwise.patients.models import Patient
from painwise.patients.snapshot import build_snapshot

INSTRUMENTS = ("peg", "phq9", "gad7")
SIDE_EFFECT_DAYS = 90


@dataclass
class Summary:
    flags: list[Flag] = field(default_factory=list)
    labs_out_of_range: list[dict[str, Any]] | None = None
    questionnaires: list[dict[str, Any]] | None = None
    exposure: dict[str, Any] | None = None
    side_effects: list[tuple[str, int]] | None = None
    hair_timeline: Any = None


def clinician_summary(user: Any, patient: Patient) -> Summary:
    summary = Summary(flags=flags_page(user, flags_for(user, status="active", patient_id=patient.id), 0, 20))
    # Each scope shown is asked of the access policy, which audits the read when it is allowed.
    scopes = {
        scope: allows(user, patient, scope, view="summary") for scope in ("labs", "questionnaires", "diary", "plan")
    }
    if not any(scopes.values()):
        return summary
    snapshot = build_snapshot(patient.id)
    today = local_today(patient)
    if scopes["labs"]:
        summary.labs_out_of_range = [
            {"analyte": a, "value": lab.value, "unit": lab.unit, "date": lab.day, "status": lab.interpretation.status}
            for a, lab in sorted(latest_labs(snapshot).items())
            if lab.interpretation.status in ("low", "high")
        ]
    if scopes["questionnaires"]:
        latest = {q.code: q for q in snapshot.questionnaires if q.code in INSTRUMENTS}
        summary.questionnaires = [
            {"code": code, "total": latest[code].total, "band": latest[code].band, "date": latest[code].day}
            for code in INSTRUMENTS
            if code in latest
        ]
    if scopes["diary"]:
        since = today - dt.timedelta(days=SIDE_EFFECT_DAYS)
        counts: dict[str, int] = {}
        for effect in snapshot.side_effects:
            if effect.day >= since:
                counts[effect.kind] = counts.get(effect.kind, 0) + 1
        summary.side_effects = sorted(counts.items())
        if scopes["plan"]:
            grams = leaf_grams(snapshot, today - dt.timedelta(days=55), today)
            recent = sum(g for d, g in grams.items() if d > today - dt.timedelta(days=28)) / 28
            previous = sum(g for d, g in grams.items() if d <= today - dt.timedelta(days=28)) / 28
            summary.exposure = {"recent": round(recent, 1), "previous": round(previous, 1)}
        if scopes["labs"]:
            summary.hair_timeline = charts.hair_timeline(snapshot, today, chart_id="summary-hair")
    return summary


def told(flag: Flag) -> str:
    """What the patient may truthfully be told about who knows."""
    if flag.recipient_id is not None:
        return "has been told"
    return (
        "has not been told automatically, because no clinician has access to your record yet: please share "
        "your record with your clinician or contact them"
    )


def patient_notes(patient: Patient) -> list[dict[str, Any]]:
    """One plain-language note per active finding about the patient (not per clinician copy)."""
    notes: dict[tuple[str, str], dict[str, Any]] = {}
    flags = Flag.objects.filter(patient=patient, status__in=ACTIVE).exclude(patient_note="").order_by("-created_at")
    for flag in flags:
        key = (flag.rule_id, flag.subject)
        entry = notes.setdefault(key, {"flag": flag, "text": "", "told": False, "severity": flag.severity})
        entry["told"] = entry["told"] or flag.recipient_id is not None
        if flag.recipient_id is not None:
            entry["flag"] = flag
    for entry in notes.values():
        entry["text"] = entry["flag"].patient_note.replace("{told}", told(entry["flag"]))
    return sorted(notes.values(), key=lambda e: ({"urgent": 0, "high": 1}.get(e["severity"], 2), e["text"]))
