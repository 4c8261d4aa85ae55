"""PHQ-9 depression severity (Kroenke 2001; clinical_reference.md §1a, §1b, §1c).

Sum of 9 items scored 0-3 (range 0-27); bands 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately
severe, 20-27 severe. Safety (§1c): `self_harm` whenever item 9 > 0, whatever the total and even when
other items are missing; `self_harm_unanswered` when item 9 is missing, so a skipped item 9 is never
read as "no". Missing items: default not scorable; pro-rating (ScoringConfig(max_missing=2), as used in
practice) is an UNCONFIRMED opt-in. Wording is shipped: Pfizer allows reproduction without permission (§1b).
"""

from __future__ import annotations

from painwise.core.instruments.base import Band, Instrument, Item, Option, ScoreResult, ScoringConfig
from painwise.core.instruments.common import scored

CODE = "phq9"

# LOINC answer list LL358-3 (clinical_reference.md §1b), codes in value order.
OPTIONS = (
    Option(0, "Not at all", "LA6568-5"),
    Option(1, "Several days", "LA6569-3"),
    Option(2, "More than half the days", "LA6570-1"),
    Option(3, "Nearly every day", "LA6571-9"),
)

WORDING = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety "
    "or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead, or of hurting yourself in some way",  # as quoted in §1c
)

SELF_HARM_ITEM = 9

INSTRUMENT = Instrument(
    code=CODE,
    name="PHQ-9",
    title="Patient Health Questionnaire-9",
    items=tuple(Item(number, text, OPTIONS) for number, text in enumerate(WORDING, start=1)),
    recall_period="last 2 weeks",
    score_range=(0, 27),
    scoring="Sum of the 9 items.",
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 19, "moderately severe"),
        Band(20, 27, "severe"),
    ),
    instructions="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    source=(
        "Kroenke K, Spitzer RL, Williams JB. The PHQ-9: validity of a brief depression severity measure. "
        "J Gen Intern Med 2001;16(9):606-613, doi:10.1046/j.1525-1497.2001.016009606.x"
    ),
    licence_note="Copyright Pfizer Inc. No permission required to reproduce, translate, display or distribute.",
    wording_licensed=True,
    loinc={"panel": "44249-1", "total": "44261-6", "item_9": "44260-8", "answer_list": "LL358-3"},
    missing_rule=(
        "Default: not scorable when any item is missing. UNCONFIRMED opt-in: ScoringConfig(max_missing=2) "
        "pro-rates the sum (sum x 9 / answered, rounded half-up). Item 9 flags are raised regardless."
    ),
    missing_configurable=True,
)


def safety_flags(values: list[int | None]) -> list[str]:
    item9 = values[SELF_HARM_ITEM - 1]
    if item9 is None:
        return ["self_harm_unanswered"]
    return ["self_harm"] if item9 > 0 else []


def score(answers: object, config: ScoringConfig | None = None) -> ScoreResult:
    return scored(INSTRUMENT, answers, config, flags_of=safety_flags)
