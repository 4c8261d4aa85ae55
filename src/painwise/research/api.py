"""/api/v1/me/research-consent: a patient reads the consent text and their decision, and opts in or out.

Only the patient decides (docs/research.md); nobody else reads or writes it (the access policy's
`research` scope grants no one a patient's record), so every other caller gets 404. Each decision
goes through painwise.research.services.research_consent_set, which stores the version and the text
shown and audits the decision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from painwise.api_common import ERRORS, caller
from painwise.core.errors import NotFound
from painwise.patients.access import patient_by_user
from painwise.patients.models import Patient
from painwise.research import selectors
from painwise.research.consent import CONSENT_TEXT, CONSENT_VERSION
from painwise.research.services import research_consent_set

PREFIX = "/me"  # mounted at /api/v1/me by painwise.api

router = Router(tags=["research"])

EXAMPLE = {
    "version": CONSENT_VERSION,
    "text": "You can choose to let researchers use your painwise records ...",
    "decision": "opt_in",
    "decided_version": CONSENT_VERSION,
    "decided_at": "2026-11-27T08:30:00+00:00",
    "current": True,
}


class ConsentOut(Schema):
    version: str = Field(..., description="the version of the consent text in force")
    text: str = Field(..., description="the consent text in force (read it before deciding)")
    decision: Literal["opt_in", "opt_out"] | None = Field(None, description="the decision in force; null: none yet")
    decided_version: str | None = Field(None, description="the version of the text the decision was made on")
    decided_at: dt.datetime | None = None
    current: bool = Field(..., description="whether the decision was made on the text in force")

    model_config = {"json_schema_extra": {"example": EXAMPLE}}  # type: ignore[dict-item]


class ConsentIn(Schema, extra="forbid"):  # type: ignore[call-arg]
    decision: Literal["opt_in", "opt_out"]
    version: str = Field(..., max_length=32, description="the version of the text read (from GET)")

    model_config = {"json_schema_extra": {"example": {"decision": "opt_in", "version": CONSENT_VERSION}}}  # type: ignore[dict-item]


def _own_patient(request: HttpRequest) -> Patient:
    patient = patient_by_user(caller(request))
    if patient is None:
        raise NotFound("patient")
    return patient


def _out(patient: Patient) -> dict[str, Any]:
    consent = selectors.current_consent(patient)
    return {
        "version": CONSENT_VERSION,
        "text": CONSENT_TEXT,
        "decision": consent.decision if consent else None,
        "decided_version": consent.version if consent else None,
        "decided_at": consent.decided_at if consent else None,
        "current": bool(consent and consent.version == CONSENT_VERSION),
    }


@router.get(
    "/research-consent",
    response={200: ConsentOut, **ERRORS},
    url_name="research_consent",
    operation_id="research_consent",
    summary="My research consent",
)
def research_consent(request: HttpRequest) -> dict[str, Any]:
    """The consent text in force and my decision (patients only; 404 for other accounts)."""
    return _out(_own_patient(request))


@router.put(
    "/research-consent",
    response={200: ConsentOut, **ERRORS},
    url_name="research_consent_set",
    operation_id="research_consent_set",
    summary="Opt in or out of research use",
)
def research_consent_put(request: HttpRequest, payload: ConsentIn) -> dict[str, Any]:
    """Record my decision on the text I read: `version` must be the one in force (else 422
    `research.stale_consent`: read the text again). Applies to every export made after it."""
    patient = _own_patient(request)
    research_consent_set(actor=caller(request), patient=patient, decision=payload.decision, version=payload.version)
    return _out(patient)
