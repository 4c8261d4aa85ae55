"""Pain Catastrophizing Scale (Sullivan 1995; clinical_reference.md §1a, §1b).

Sum of 13 items scored 0-4 (range 0-52), no reverse items. Subscales (sums): rumination items 8-11
(0-16), magnification 6, 7, 13 (0-12), helplessness 1-5, 12 (0-24). There are no severity bands; a total
of 30 or more raises the flag `catastrophizing` ("clinically relevant"). Sources say both "above 30" and
">= 30"; we use >= 30 so that the boundary score is flagged for review rather than missed.
Missing items: no rule in §1a, so the total and any subscale with a missing item are None.
Copyrighted (Sullivan), licence for app use UNCONFIRMED (§1b): no item wording is shipped.
"""

from __future__ import annotations

from painwise.core.instruments.base import Instrument, Number, ScoreResult, ScoringConfig
from painwise.core.instruments.common import (
    answered_count,
    checked_answers,
    checked_config,
    neutral_items,
    numeric_options,
    sum_score,
)

CODE = "pcs"

SUBSCALES: dict[str, tuple[int, ...]] = {
    "rumination": (8, 9, 10, 11),
    "magnification": (6, 7, 13),
    "helplessness": (1, 2, 3, 4, 5, 12),
}

CATASTROPHIZING_THRESHOLD = 30  # inclusive; see the module docstring


def _neutral_label(number: int) -> str:
    subscale = next(name for name, numbers in SUBSCALES.items() if number in numbers)
    return f"Item {number} ({subscale})"


INSTRUMENT = Instrument(
    code=CODE,
    name="PCS",
    title="Pain Catastrophizing Scale",
    items=neutral_items([_neutral_label(n) for n in range(1, 14)], numeric_options(range(5), ends=("least", "most"))),
    recall_period="thinking about past painful experiences",
    score_range=(0, 52),
    scoring="Sum of the 13 items; subscales are sums of their items.",
    subscales=SUBSCALES,
    source=(
        "Sullivan MJL, Bishop SR, Pivik J. The Pain Catastrophizing Scale: development and validation. "
        "Psychol Assess 1995;7(4):524-532; PCS User Manual (Sullivan, McGill University, 1995-2009)"
    ),
    licence_note=(
        "Copyrighted (M.J.L. Sullivan). Free for non-commercial clinical/research use per secondary sites; "
        "app use needs written permission (UNCONFIRMED terms). Item wording not shipped."
    ),
    wording_licensed=False,
)


def score(answers: object, config: ScoringConfig | None = None) -> ScoreResult:
    cfg = checked_config(INSTRUMENT, config)
    values = checked_answers(INSTRUMENT, answers)
    total = sum_score(values, cfg.max_missing)
    subscales: dict[str, Number | None] = {
        name: sum_score([values[n - 1] for n in numbers]) for name, numbers in SUBSCALES.items()
    }
    flags = ["catastrophizing"] if total is not None and total >= CATASTROPHIZING_THRESHOLD else []
    return ScoreResult(
        code=CODE, total=total, band=None, subscales=subscales, flags=flags, answered=answered_count(values)
    )
