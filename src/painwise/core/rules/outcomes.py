"""Outcome and mood rules: no pain response after 8 weeks (IMMPACT); PHQ-9 item 9.

The PHQ-9 item 9 rules have the ids the app's immediate crisis path raises on submission
(``mood.self_harm``, ``mood.self_harm_unanswered``); evaluated here they find the same response, so the
flag raised on submission is not raised twice.
"""

from __future__ import annotations

import datetime as dt

from painwise.core.rules.base import Finding, Rule, days_between, mean, memo, rule
from painwise.core.rules.config import RulesConfig
from painwise.core.snapshot import PatientSnapshot, QuestionnaireResult

PLAN_KINDS = ("kratom", "physical_therapy", "cbt", "mindfulness")
ITEM9 = "Thoughts that you would be better off dead, or of hurting yourself in some way"


def plan_start(view: PatientSnapshot) -> dt.date | None:
    """The day the multimodal plan began: the snapshot's own plan start, else the first therapy's start."""
    if view.plan_start is not None:
        return view.plan_start
    starts = [item.start_date for item in view.plan if item.kind in PLAN_KINDS]
    return min(starts) if starts else None


@rule(
    "response.none",
    severity="routine",
    title="No meaningful pain response after 8 weeks on the plan",
    rationale="After at least 8 weeks on the plan, average pain (0-10) is not at least 30% below its baseline, "
    "the IMMPACT threshold for a moderately important improvement. IMMPACT thresholds were derived for groups; "
    "applying them to one patient is an extrapolation. Not computed when the baseline is below 2/10.",
    evidence=("dworkin2008",),
    consider="Consider reviewing the plan with the patient: engagement with physical therapy, CBT and "
    "mindfulness, sleep, mood (PHQ-9, GAD-7), and goals of function as well as pain.",
    thresholds=("response_weeks", "response_reduction", "response_baseline_days", "response_min_baseline"),
    patient_note="Your pain scores have not come down much since your plan started; your clinician {told} and "
    "can review the plan with you.",
)
def no_response(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    start = plan_start(view)
    if start is None or (as_of - start).days < config.response_weeks * 7:
        return []
    span = dt.timedelta(days=config.response_baseline_days)
    one = dt.timedelta(days=1)

    def nrs(first: dt.date, last: dt.date) -> list[int]:
        low, high = days_between(view.pain, first, last)
        return [p.nrs for p in view.pain[low:high]]

    before = nrs(start - span, start - one)
    basis = "before the plan"
    if not before:
        before = nrs(start, start + dt.timedelta(days=6))
        basis = "first week of the plan"
    baseline = mean(before)
    current = mean(nrs(as_of - span + one, as_of))
    if baseline is None or current is None or baseline < config.response_min_baseline:
        return []
    reduction = (baseline - current) / baseline
    if reduction >= config.response_reduction:
        return []
    return [
        self.finding(
            date=as_of,
            data={
                "plan_start": start.isoformat(),
                "weeks_on_plan": round((as_of - start).days / 7, 1),
                "baseline_nrs": round(baseline, 2),
                "baseline_basis": basis,
                "current_nrs": round(current, 2),
                "reduction_percent": round(reduction * 100, 1),
                "target_percent": round(config.response_reduction * 100),
            },
            rationale=f"Mean pain {current:.1f}/10 over the {config.response_baseline_days} days to "
            f"{as_of.isoformat()} versus baseline {baseline:.1f}/10 ({basis}): {reduction * 100:.0f}% lower, "
            f"below the {config.response_reduction * 100:.0f}% threshold after "
            f"{(as_of - start).days // 7} weeks on the plan.",
            subject="pain_response",
            occurrence=start.isoformat(),
        )
    ]


def _latest_phq9(view: PatientSnapshot) -> QuestionnaireResult | None:
    def build() -> QuestionnaireResult | None:
        return next((q for q in reversed(view.questionnaires) if q.code == "phq9"), None)

    return memo(view, "_rules_latest_phq9", build)


@rule(
    "mood.self_harm",
    severity="urgent",
    title="PHQ-9 item 9 positive: thoughts of death or self-harm reported",
    rationale=f'PHQ-9 item 9 ("{ITEM9}") answered 1 or more. Any positive answer is flagged for clinician review '
    "whatever the total score; item 9 screens for ideation and is not a risk assessment; the flag is not "
    "down-weighted for patients using kratom or opioids.",
    evidence=("kroenke2001",),
    consider="Same-day follow-up with the patient, including a structured suicide risk assessment (for example "
    "the C-SSRS, or the tool your clinic uses) and safety planning as your protocol requires. The patient "
    "was shown crisis resources when they submitted the questionnaire.",
    patient_note="Your answers on {date} were shared with your care team; your clinician {told}. If you are "
    "in danger now, use the crisis contacts shown after the questionnaire.",
)
def self_harm(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    latest = _latest_phq9(view)
    if latest is None or "self_harm" not in latest.flags:
        return []
    answer = latest.answers[8] if len(latest.answers) > 8 else None
    return [
        self.finding(
            date=latest.day,
            data={"item9": answer, "total": latest.total, "band": latest.band, "response_id": latest.id},
            rationale=f"PHQ-9 of {latest.day.isoformat()}: item 9 answered {answer}; total "
            f"{'not scorable' if latest.total is None else f'{latest.total:g}'}.",
            subject=latest.id,
            occurrence=latest.id,
            note_values={"date": latest.day.isoformat()},
        )
    ]


@rule(
    "mood.self_harm_unanswered",
    severity="high",
    title="PHQ-9 item 9 not answered",
    rationale=f'A PHQ-9 was completed without an answer to item 9 ("{ITEM9}"); a skipped item 9 must not be '
    'read as "no".',
    evidence=("kroenke2001",),
    consider="Ask the patient about item 9 at the next contact, or sooner if other answers or contact suggest "
    "risk; if positive, follow your protocol for a positive item 9 (same-day structured risk assessment, "
    "e.g. C-SSRS).",
)
def self_harm_unanswered(self: Rule, view: PatientSnapshot, as_of: dt.date, config: RulesConfig) -> list[Finding]:
    latest = _latest_phq9(view)
    if latest is None or "self_harm_unanswered" not in latest.flags:
        return []
    return [
        self.finding(
            date=latest.day,
            data={"item9": None, "total": latest.total, "response_id": latest.id},
            rationale=f"PHQ-9 of {latest.day.isoformat()} without an answer to item 9.",
            subject=latest.id,
            occurrence=latest.id,
        )
    ]
