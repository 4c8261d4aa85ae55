"""Flag rules as data: id, severity, title, evidence and what a clinician should consider checking.

Kept free of Django so the wording can be reviewed (and unit-tested) on its own. The wording states
what was observed and what to check; it never asserts a cause and never advises starting or increasing
any drug (clinical_reference.md scope note).
"""

from __future__ import annotations

from dataclasses import dataclass

# The same phrase the PHQ-9 module quotes for item 9 (clinical_reference.md §1c).
_ITEM9 = "Thoughts that you would be better off dead, or of hurting yourself in some way"


@dataclass(frozen=True)
class FlagRule:
    rule_id: str
    severity: str  # "urgent" | "high" | "routine" (monitoring.models.Severity)
    title: str
    evidence: str  # the source and why this is flagged; formatted with the observation
    consider: str


PHQ9_SELF_HARM = FlagRule(
    rule_id="phq9.self_harm",
    severity="urgent",
    title="PHQ-9 item 9 positive: thoughts of death or self-harm reported",
    evidence=(
        f'PHQ-9 item 9 ("{_ITEM9}") answered {{answer}} on {{when}}; PHQ-9 total {{total}}. '
        "clinical_reference.md §1c: any response of 1 or more is flagged for clinician review regardless of "
        "the total score; item 9 is a screen for ideation, not a risk assessment, and the flag is not "
        "down-weighted for patients using kratom or opioids."
    ),
    consider=(
        "Same-day follow-up with the patient, including a structured suicide risk assessment (for example "
        "the C-SSRS, or the tool your clinic uses) and safety planning as your protocol requires. The patient "
        "was shown crisis resources when they submitted the questionnaire."
    ),
)

PHQ9_SELF_HARM_UNANSWERED = FlagRule(
    rule_id="phq9.self_harm_unanswered",
    severity="high",
    title="PHQ-9 item 9 not answered",
    evidence=(
        f'PHQ-9 completed on {{when}} without an answer to item 9 ("{_ITEM9}"); PHQ-9 total {{total}}. '
        'clinical_reference.md §1c: a skipped item 9 must not be read as "no".'
    ),
    consider=(
        "Ask the patient about item 9 at the next contact, or sooner if other answers or contact suggest "
        "risk; if positive, follow your protocol for a positive item 9 (same-day structured risk assessment, "
        "e.g. C-SSRS)."
    ),
)

RULES = {rule.rule_id: rule for rule in (PHQ9_SELF_HARM, PHQ9_SELF_HARM_UNANSWERED)}
