"""PEG: Pain intensity, Enjoyment of life, General activity (Krebs 2009; clinical_reference.md §1a, §1b).

Score = mean of the 3 items (0-10 each), rounded half-up to 2 decimals so that e.g. 20/3 is 6.67.
The source gives no missing-item rule and no severity bands, so by default any missing item makes the
PEG not scorable and no band is given; both are configurable (ScoringConfig). Item wording is not
shipped: its licence status is UNCONFIRMED (§1b), so items carry short neutral labels.
"""

from __future__ import annotations

from painwise.core.instruments.base import Instrument, ScoreResult, ScoringConfig
from painwise.core.instruments.common import (
    mean_score,
    neutral_items,
    numeric_options,
    scored,
)

CODE = "peg"

INSTRUMENT = Instrument(
    code=CODE,
    name="PEG",
    title="PEG three-item pain intensity and interference scale",
    items=neutral_items(
        ["Average pain intensity", "Interference with enjoyment of life", "Interference with general activity"],
        numeric_options(range(11), ends=("none", "worst")),
    ),
    recall_period="past week",
    score_range=(0, 10),
    scoring="Mean of the 3 items, rounded half-up to 2 decimals.",
    source=(
        "Krebs EE et al. Development and initial validation of the PEG, a three-item scale assessing pain "
        "intensity and interference. J Gen Intern Med 2009;24(6):733-738, doi:10.1007/s11606-009-0981-1"
    ),
    licence_note=(
        "Open-access article with no licence statement found; formal status UNCONFIRMED "
        "(clinical_reference.md §1b). Item wording not shipped."
    ),
    wording_licensed=False,
    missing_rule=(
        "No rule published. Default: not scorable when any item is missing. Opt in with "
        "ScoringConfig(max_missing=1) to take the mean of the answered items."
    ),
    missing_configurable=True,
    bands_configurable=True,  # no validated bands (Krebs 2009); calculator-site bands are UNCONFIRMED
)


def score(answers: object, config: ScoringConfig | None = None) -> ScoreResult:
    return scored(INSTRUMENT, answers, config, total_of=mean_score)
