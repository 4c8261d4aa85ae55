"""Answer sets used across the questionnaire tests."""

from __future__ import annotations

from typing import Any

PHQ9_ITEM9_POSITIVE = [0, 1, 0, 0, 0, 0, 0, 0, 1]  # total 2 ("minimal"): the flag must fire anyway (§1c)
PHQ9_NEGATIVE = [1, 1, 1, 1, 0, 0, 0, 0, 0]
COWS_MILD = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]  # 10 -> mild

# A complete, valid answer set for every instrument (a middle option of each item).
EXAMPLES: dict[str, list[Any]] = {
    "peg": [6, 7, 5],
    "phq9": [2, 1, 3, 0, 1, 2, 0, 1, 0],
    "gad7": [1, 2, 3, 0, 1, 2, 3],
    "pcs": [3, 2, 4, 1, 0, 2, 3, 4, 4, 2, 1, 3, 2],
    "sows": [1, 0, 2, 3, 4, 1, 0, 2, 1, 1, 0, 3, 2, 1, 0, 4],
    "cows": [2, 1, 3, 2, 1, 2, 3, 1, 2, 2, 3],
}


def phq9_form(answers: list[int | None], submission_id: str) -> dict[str, Any]:
    data: dict[str, Any] = {"submission_id": submission_id}
    for number, value in enumerate(answers, start=1):
        if value is not None:
            data[f"item_{number}"] = str(value)
    return data
