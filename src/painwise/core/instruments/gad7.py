"""GAD-7 anxiety severity (Spitzer 2006; clinical_reference.md §1a, §1b).

Sum of 7 items scored 0-3 (range 0-21); cut-offs 5 / 10 / 15 = mild / moderate / severe, so 0-4 is
minimal. No missing-item rule is given in §1a, so any missing item makes it not scorable (not
configurable). Wording is shipped: Pfizer allows reproduction without permission (§1b).
"""

from __future__ import annotations

from painwise.core.instruments.base import Band, Instrument, Item, Option, ScoreResult, ScoringConfig
from painwise.core.instruments.common import scored

CODE = "gad7"

# Same response scale as the PHQ-9; §1b gives no LOINC answer codes for GAD-7, so none are attached.
OPTIONS = (
    Option(0, "Not at all"),
    Option(1, "Several days"),
    Option(2, "More than half the days"),
    Option(3, "Nearly every day"),
)

WORDING = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)

INSTRUMENT = Instrument(
    code=CODE,
    name="GAD-7",
    title="Generalized Anxiety Disorder 7-item scale",
    items=tuple(Item(number, text, OPTIONS) for number, text in enumerate(WORDING, start=1)),
    recall_period="last 2 weeks",
    score_range=(0, 21),
    scoring="Sum of the 7 items.",
    bands=(Band(0, 4, "minimal"), Band(5, 9, "mild"), Band(10, 14, "moderate"), Band(15, 21, "severe")),
    instructions="Over the last 2 weeks, how often have you been bothered by the following problems?",
    source=(
        "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety "
        "disorder: the GAD-7. Arch Intern Med 2006;166(10):1092-1097, doi:10.1001/archinte.166.10.1092"
    ),
    licence_note="Copyright Pfizer Inc. No permission required to reproduce, translate, display or distribute.",
    wording_licensed=True,
    loinc={"panel": "69737-5", "total": "70274-6"},
)


def score(answers: object, config: ScoringConfig | None = None) -> ScoreResult:
    return scored(INSTRUMENT, answers, config)
