"""Clinical Opiate Withdrawal Scale, Wesson & Ling 2003 (clinical_reference.md §1a, §1b, §6).

11 clinician-rated signs, each with its own published point set (e.g. resting pulse 0/1/2/4, GI upset
0/1/2/3/5); total = sum (0-48). Bands: <5 no significant withdrawal, 5-12 mild, 13-24 moderate, 25-36
moderately severe, >36 severe. Clinician-entered only. Validated for opioid withdrawal; used here by
analogy for kratom. No missing-item rule is published: every sign must be rated (not configurable).
Licence UNCONFIRMED (§1b): neutral sign names and point values only, no anchor descriptions.
"""

from __future__ import annotations

from painwise.core.instruments.base import Band, Instrument, Item, Option, ScoreResult, ScoringConfig
from painwise.core.instruments.common import scored

CODE = "cows"

VALIDITY_NOTE = "validated for opioid withdrawal, used here by analogy for kratom"

# (neutral sign name, published allowed points) in published order; the maxima sum to 48.
SIGNS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("Resting pulse rate", (0, 1, 2, 4)),
    ("Sweating", (0, 1, 2, 3, 4)),
    ("Restlessness", (0, 1, 3, 5)),
    ("Pupil size", (0, 1, 2, 5)),
    ("Bone or joint aches", (0, 1, 2, 4)),
    ("Runny nose or tearing", (0, 1, 2, 4)),
    ("GI upset", (0, 1, 2, 3, 5)),
    ("Tremor", (0, 1, 2, 4)),
    ("Yawning", (0, 1, 2, 4)),
    ("Anxiety or irritability", (0, 1, 2, 4)),
    ("Gooseflesh skin", (0, 3, 5)),
)


def _points(values: tuple[int, ...]) -> tuple[Option, ...]:
    return tuple(Option(value, "1 point" if value == 1 else f"{value} points") for value in values)


INSTRUMENT = Instrument(
    code=CODE,
    name="COWS",
    title="Clinical Opiate Withdrawal Scale",
    items=tuple(Item(number, name, _points(points)) for number, (name, points) in enumerate(SIGNS, start=1)),
    recall_period="at the time of the clinician's assessment",
    score_range=(0, 48),
    scoring="Sum of the points of the 11 signs.",
    bands=(
        Band(0, 4, "no significant withdrawal"),
        Band(5, 12, "mild"),
        Band(13, 24, "moderate"),
        Band(25, 36, "moderately severe"),
        Band(37, 48, "severe"),
    ),
    source=(
        "Wesson DR, Ling W. The Clinical Opiate Withdrawal Scale (COWS). J Psychoactive Drugs "
        "2003;35(2):253-259, doi:10.1080/02791072.2003.10400007"
    ),
    licence_note=(
        "Reproduced in NIDA/SAMHSA materials as freely copiable for clinical use; formal status UNCONFIRMED. "
        "Anchor descriptions not shipped."
    ),
    wording_licensed=False,
    clinician_only=True,
    validity_note=VALIDITY_NOTE,
)

clinician_only = INSTRUMENT.clinician_only  # module-level too, for callers that check the module


def score(answers: object, config: ScoringConfig | None = None) -> ScoreResult:
    return scored(INSTRUMENT, answers, config)
