"""Subjective Opiate Withdrawal Scale, Handelsman 1987 (clinical_reference.md §1a, §1b, §6).

16 symptoms rated "right now" 0-4; total = sum (0-64). Not the 10-item Short OWS (Gossop 1990).
Validated for opioid withdrawal; used here by analogy for kratom. The source defines no bands and no
missing-item rule: by default no band and not scorable with any item missing. OPT_IN_BANDS offers the
UNCONFIRMED common-practice bands 1-10 mild / 11-20 moderate / 21-30 severe; that table stops at 30, and
we extend "severe" to the scale maximum (64) so a higher score is never shown with a milder or no band.
Licence UNCONFIRMED (§1b): short neutral symptom names only, no item wording.
"""

from __future__ import annotations

from painwise.core.instruments.base import Band, Instrument, ScoreResult, ScoringConfig
from painwise.core.instruments.common import (
    neutral_items,
    numeric_options,
    scored,
)

CODE = "sows"

VALIDITY_NOTE = "validated for opioid withdrawal, used here by analogy for kratom"

# Short neutral names for the 16 symptoms, in published order (not the item wording).
SYMPTOMS = (
    "Anxiety",
    "Yawning",
    "Perspiring",
    "Tearing eyes",
    "Runny nose",
    "Gooseflesh",
    "Shaking",
    "Hot flushes",
    "Cold flushes",
    "Bone and muscle aches",
    "Restlessness",
    "Nausea",
    "Urge to vomit",
    "Muscle twitching",
    "Stomach cramps",
    "Craving to use",
)

OPT_IN_BANDS = (Band(1, 10, "mild"), Band(11, 20, "moderate"), Band(21, 64, "severe"))

INSTRUMENT = Instrument(
    code=CODE,
    name="SOWS",
    title="Subjective Opiate Withdrawal Scale (Handelsman)",
    items=neutral_items(SYMPTOMS, numeric_options(range(5), ends=("not at all", "extremely"))),
    recall_period="right now",
    score_range=(0, 64),
    scoring="Sum of the 16 items.",
    source=(
        "Handelsman L et al. Two new rating scales for opiate withdrawal. Am J Drug Alcohol Abuse 1987;13(3):293-308"
    ),
    licence_note="Journal publication; reprint permission status UNCONFIRMED. Item wording not shipped.",
    wording_licensed=False,
    validity_note=VALIDITY_NOTE,
    missing_rule=(
        "No rule published. Default: not scorable when any item is missing. Opt in with "
        "ScoringConfig(max_missing=N) to pro-rate (sum x 16 / answered, rounded half-up)."
    ),
    missing_configurable=True,
    bands_configurable=True,
    opt_in_bands=OPT_IN_BANDS,
)


def score(answers: object, config: ScoringConfig | None = None) -> ScoreResult:
    return scored(INSTRUMENT, answers, config)
