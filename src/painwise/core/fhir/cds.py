"""CDS Hooks 2.0: the discovery document and the cards of the `patient-view` service. Pure: no Django.

An EHR calls the service when a clinician opens a patient's chart; painwise answers with that
patient's open monitoring flags addressed to the caller, one card each: the indicator from the
flag's severity, the summary from its title, the detail with what was observed, why it matters and
what to consider, and the source with the rule and its citation. Cards state findings and what to
check; they never advise starting or increasing kratom or any drug (the flags' wording is reviewed
in the monitoring rules).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from painwise.core.fhir import codes as c
from painwise.core.fhir.export import FlagRecord

SERVICE_ID = "painwise-open-flags"
HOOK = "patient-view"
SUMMARY_LIMIT = 140  # CDS Hooks: "SHOULD be under a 140-character limit"

DISCOVERY: dict[str, Any] = {
    "services": [
        {
            "hook": HOOK,
            "id": SERVICE_ID,
            "title": "painwise open monitoring flags",
            "description": (
                "The patient's open painwise monitoring flags addressed to the calling clinician "
                "(PHQ-9 item 9, lab and kratom monitoring findings), within the scopes the patient granted, "
                "as cards with the rationale, what to consider and the evidence."
            ),
            "usageRequirements": (
                "Send a painwise API bearer token of the clinician (Authorization: Bearer …); "
                "context.patientId is the painwise patient id, as in painwise's FHIR Patient resources."
            ),
        }
    ]
}

# The access scope a flag's source record belongs to (painwise.patients.access scopes); flags from
# other sources need only the grant itself (they are addressed to the clinician by monitoring).
SOURCE_SCOPE = {
    "questionnaire_response": "questionnaires",
    "lab_result": "labs",
    "pain_entry": "diary",
    "check_in": "diary",
    "dose_event": "diary",
    "therapy_session": "diary",
    "side_effect": "diary",
    "therapy": "plan",
}


def citation_for(rule_id: str) -> str:
    """The published source a rule rests on, for the card's source label."""
    from painwise.core.instruments import codes, get
    from painwise.core.rules import REGISTRY

    rule = REGISTRY.get(rule_id)
    if rule is not None and rule.citations:
        return "; ".join(citation.short() for citation in rule.citations)
    instrument = rule_id.split(".", 1)[0]
    if instrument in codes():
        return get(instrument).source
    return ""


# The scopes of the records each monitoring rule reads (painwise.core.rules), by rule family; a
# rule's card is shown only to a clinician whose grant covers all of them.
RULE_SCOPES = {
    "blood": ("labs",),
    "hormones": ("labs",),
    "labs": ("labs",),
    "nutrition": ("labs",),
    "liver": ("labs",),
    "liver.symptoms": ("diary",),
    "mood": ("questionnaires",),
    "hair": ("diary",),
    "hair.workup_due": ("diary", "labs"),
    "dose": ("diary",),
    "response": ("diary",),
    "product": ("plan",),
    "interaction": ("plan",),
}


def visible(source_type: str, scopes: Iterable[str], rule_id: str = "") -> bool:
    """May a clinician holding `scopes` see a flag from this source and rule?"""
    granted = set(scopes)
    needed = SOURCE_SCOPE.get(source_type)
    if needed is not None and needed not in granted:
        return False
    rule_scopes = RULE_SCOPES.get(rule_id) or RULE_SCOPES.get(rule_id.split(".", 1)[0], ())
    return set(rule_scopes) <= granted


def _summary(title: str) -> str:
    return title if len(title) < SUMMARY_LIMIT else title[: SUMMARY_LIMIT - 2].rstrip() + "…"


def _label(citation: str) -> str:
    """CDS Hooks source label: painwise and the (first) published source the rule rests on."""
    first = citation.split(";")[0].strip()
    if not first:
        return "painwise monitoring"
    return f"painwise monitoring — {first if len(first) <= 100 else first[:99].rstrip() + '…'}"


def card(flag: FlagRecord, *, flag_url: str | None = None, evidence_url: str | None = None) -> dict[str, Any]:
    """One CDS Hooks card for one open flag."""
    # Rule-engine flags carry what was observed in `rationale` and the citations in `evidence`; the
    # questionnaire safety flags carry the observation in `evidence` and have no separate rationale.
    observed, evidence = (flag.rationale, flag.evidence) if flag.rationale else (flag.evidence, flag.citation)
    parts = [observed.strip()]
    if flag.consider:
        parts.append(f"**Consider:** {flag.consider.strip()}")
    if evidence:
        parts.append(f"**Evidence:** {evidence.strip()}")
    source: dict[str, Any] = {
        "label": _label(flag.citation),
        "topic": {"system": c.RULE, "code": flag.rule_id, "display": flag.title},
    }
    if evidence_url:
        source["url"] = evidence_url
    out: dict[str, Any] = {
        "uuid": flag.id,
        "summary": _summary(flag.title),
        "indicator": c.SEVERITY_INDICATOR.get(flag.severity, "info"),
        "detail": "\n\n".join(p for p in parts if p),
        "source": source,
    }
    if flag_url:
        out["links"] = [{"label": "Open the flag in painwise", "url": flag_url, "type": "absolute"}]
    return out


ORDER = {"critical": 0, "warning": 1, "info": 2}


def cards(flags: Iterable[FlagRecord], *, flag_url: Any = None, evidence_url: str | None = None) -> dict[str, Any]:
    """The service's response: critical cards first, then warning, then info (newest first within)."""
    made = [card(f, flag_url=flag_url(f) if flag_url else None, evidence_url=evidence_url) for f in flags]
    made.sort(key=lambda c_: ORDER[c_["indicator"]])
    return {"cards": made}


def patient_id_of(context_patient_id: str) -> str:
    """`context.patientId` is a FHIR id; accept a `Patient/<id>` reference too."""
    text = context_patient_id.strip()
    return text.split("/", 1)[1] if text.startswith("Patient/") else text
