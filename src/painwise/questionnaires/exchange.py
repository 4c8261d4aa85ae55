"""The `questionnaire_responses` section of the export format: the API output, id and entered_at included.

Import re-scores every response with the core and refuses one whose stored total disagrees (a file edited
by hand, or scored under other rules); band, subscales, flags and answered are recomputed, never trusted.
So an imported PHQ-9 with item 9 missing gets `self_harm_unanswered` and item 9 > 0 raises the urgent flag,
exactly as a new submission would.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.utils import timezone

from painwise.core.errors import DomainError
from painwise.core.instruments import get, score
from painwise.exchange.coerce import coerce, field_for, record_shape, with_path
from painwise.exchange.sections import Section, register_section
from painwise.patients.models import Patient
from painwise.questionnaires.models import QuestionnaireResponse
from painwise.questionnaires.serialise import serialise_response
from painwise.questionnaires.services import CLOCK_SKEW, check_completed_at, raise_safety_flags, store_response

KEY = "questionnaire_responses"
REQUIRED = ("id", "code", "answers", "completed_at", "entered_at", "total")
# Present in every export; recomputed on import (entered_by_role is kept as given).
OPTIONAL = ("entered_by_role", "band", "subscales", "flags", "answered")
ROLES = ("patient", "clinician")


def export_responses(patient: Patient) -> list[dict[str, Any]]:
    responses = QuestionnaireResponse.objects.filter(patient=patient).order_by("completed_at", "id")
    return [serialise_response(r) for r in responses]


def _fail(code: str, message: str, field: str, status: int = 422) -> DomainError:
    return DomainError(code, message, field, status)


def _same_total(stored: Any, scored: float | None) -> bool:
    if stored is None or scored is None:
        return stored is None and scored is None
    if isinstance(stored, bool) or not isinstance(stored, int | float):
        return False
    return math.isclose(float(stored), float(scored), abs_tol=0.005)


def _load_one(patient: Patient, raw: Any, path: str, now: dt.datetime) -> None:
    data = record_shape(raw, path, REQUIRED, OPTIONAL)
    model = QuestionnaireResponse
    response_id = coerce(field_for(model, "id"), data["id"], f"{path}.id")
    completed_at = coerce(field_for(model, "completed_at"), data["completed_at"], f"{path}.completed_at")
    entered_at = coerce(field_for(model, "entered_at"), data["entered_at"], f"{path}.entered_at")
    try:
        instrument = get(data["code"])
        result = score(instrument.code, data["answers"])
        check_completed_at(completed_at, now)
    except DomainError as exc:
        raise with_path(exc, path) from exc
    if entered_at > now + CLOCK_SKEW:
        raise _fail("import.future_time", f"{path}.entered_at is in the future", f"{path}.entered_at")
    if not _same_total(data["total"], result.total):
        raise _fail(
            "import.score_mismatch",
            f"{path}.total is {data['total']!r} but its answers score {result.total!r} under the published "
            f"{instrument.name} rules; correct the answers or the total",
            f"{path}.total",
        )
    role = data.get("entered_by_role") or ""
    if role and role not in ROLES:
        raise _fail("import.invalid_value", f"{path}.entered_by_role must be patient, clinician or null", path)
    if instrument.clinician_only and role != "clinician":
        raise _fail(
            "import.clinician_only",
            f"{path}: {instrument.name} is clinician-rated; entered_by_role must be clinician",
            f"{path}.entered_by_role",
        )
    if QuestionnaireResponse.objects.filter(id=response_id).exists():
        raise _fail("import.duplicate", f"{path}.id already exists", f"{path}.id", 409)
    try:
        response = store_response(
            patient=patient,
            code=instrument.code,
            answers=data["answers"],
            completed_at=completed_at,
            entered_at=entered_at,
            entered_by=None,
            entered_by_role=role,
            response_id=response_id,
        )
    except DomainError as exc:
        raise _fail(exc.code, f"{path}: {exc.message}", f"{path}.{exc.field}" if exc.field else path) from exc
    raise_safety_flags(actor=None, response=response)


def load_responses(patient: Patient, items: list[dict[str, Any]]) -> None:
    """Runs inside the importer's transaction (all-or-nothing); the importer records the audit event."""
    now = timezone.now()
    for index, raw in enumerate(items):
        _load_one(patient, raw, f"{KEY}[{index}]", now)


register_section(Section(key=KEY, export=export_responses, load=load_responses))
