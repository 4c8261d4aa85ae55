"""Validated questionnaires: metadata for forms and scoring exactly as published (clinical_reference.md §1a).

    from painwise.core.instruments import score, get, all_instruments, ScoringConfig
    score("phq9", [3] * 9).to_dict()
    # {"code": "phq9", "total": 27, "band": "severe", "subscales": {}, "flags": ["self_harm"], "answered": 9}

`answers` is a list in published order, None for a missing answer (for COWS: the published points of
each sign). Invalid input raises DomainError("instruments.<reason>"). The BPI is deliberately absent:
it needs a paid licence (clinical_reference.md §1b). See docs/instruments.md.
"""

from __future__ import annotations

from collections.abc import Callable

from painwise.core.errors import DomainError
from painwise.core.instruments import cows, gad7, pcs, peg, phq9, sows
from painwise.core.instruments.base import Band, Instrument, Item, Option, ScoreResult, ScoringConfig

__all__ = [
    "Band",
    "DomainError",
    "Instrument",
    "Item",
    "Option",
    "ScoreResult",
    "ScoringConfig",
    "all_instruments",
    "codes",
    "get",
    "score",
]

_Scorer = Callable[[object, ScoringConfig | None], ScoreResult]

_MODULES = (peg, phq9, gad7, pcs, sows, cows)  # the order lists and forms show them in
_REGISTRY: dict[str, tuple[Instrument, _Scorer]] = {m.INSTRUMENT.code: (m.INSTRUMENT, m.score) for m in _MODULES}


def _normalise(code: object) -> str:
    # Accept "PHQ-9", "phq_9" and " phq9 " as "phq9": codes come from CLI and form input.
    if not isinstance(code, str):
        return ""
    return code.strip().lower().replace("-", "").replace("_", "")


def codes() -> list[str]:
    return list(_REGISTRY)


def _lookup(code: object) -> tuple[Instrument, _Scorer]:
    try:
        return _REGISTRY[_normalise(code)]
    except KeyError:
        raise DomainError(
            "instruments.unknown_code",
            f"Unknown instrument {code!r}; choose one of: {', '.join(_REGISTRY)}.",
            "code",
        ) from None


def get(code: str) -> Instrument:
    """Metadata of one instrument (items, options, bands, licence, LOINC) by code, e.g. "phq9"."""
    return _lookup(code)[0]


def all_instruments() -> list[Instrument]:
    return [instrument for instrument, _ in _REGISTRY.values()]


def score(code: str, answers: object, config: ScoringConfig | None = None) -> ScoreResult:
    """Score `answers` (published order, None = missing) for instrument `code`; see ScoringConfig for options."""
    _, scorer = _lookup(code)
    return scorer(answers, config)
