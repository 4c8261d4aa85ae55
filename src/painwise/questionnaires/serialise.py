"""Responses → JSON-safe dicts: the API output and the `questionnaire_responses` export section."""

from __future__ import annotations

from typing import Any

from painwise.exchange.serialise import json_value
from painwise.questionnaires.models import QuestionnaireResponse

# The PEG score is a mean (a float, 2 decimals, e.g. 4.0); every other instrument's total is a sum (an int).
MEAN_SCORED = frozenset({"peg"})


def published_total(code: str, total: float | None) -> int | float | None:
    if total is None:
        return None
    return float(total) if code in MEAN_SCORED else round(total)


def serialise_response(response: QuestionnaireResponse) -> dict[str, Any]:
    return {
        "id": json_value(response.id),
        "code": response.code,
        "answers": list(response.answers),
        "completed_at": json_value(response.completed_at),
        "entered_at": json_value(response.entered_at),
        "entered_by_role": response.entered_by_role or None,
        "total": published_total(response.code, response.total),
        "band": response.band or None,
        "subscales": dict(response.subscales),
        "flags": list(response.flags),
        "answered": response.answered,
    }


def stored_score(response: QuestionnaireResponse) -> dict[str, Any]:
    """The stored score in ScoreResult.to_dict() form, to compare with a fresh score() of the answers."""
    out = serialise_response(response)
    return {key: out[key] for key in ("total", "band", "subscales", "flags", "answered")} | {"code": response.code}
