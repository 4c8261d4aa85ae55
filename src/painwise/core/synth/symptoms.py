"""Side-effect reports: hair shedding episodes (from the planted mechanism) and unrelated side effects."""

from __future__ import annotations

import numpy as np

from painwise.core.synth.clock import Clock, IdSource, iso
from painwise.core.synth.effects import Episode

Record = dict[str, object]
OTHER_KINDS = ("constipation", "nausea", "drowsiness", "sweating", "itching", "gi_upset")


def side_effects(
    rng: np.random.Generator, ids: IdSource, clock: Clock, episodes: list[Episode], kratom_user: bool
) -> list[Record]:
    onset: list[int] = []
    resolved: list[int | None] = []
    kinds: list[str] = []
    grades: list[int | None] = []
    severities: list[str | None] = []
    for episode in episodes:
        onset.append(episode.onset_day)
        resolved.append(episode.resolved_day)
        kinds.append("hair_shedding")
        grades.append(episode.grade)
        severities.append(None)
    # Unrelated, short-lived side effects about every four months (more often with kratom use).
    rate = (1 / 120) if kratom_user else (1 / 300)
    for day in np.flatnonzero(rng.random(clock.n_days) < rate).tolist():
        onset.append(day)
        end = day + int(rng.integers(1, 10))
        resolved.append(end if end < clock.n_days - 1 else None)
        kinds.append(str(rng.choice(OTHER_KINDS)))
        grades.append(None)
        severities.append(str(rng.choice(["mild", "moderate"], p=[0.75, 0.25])))
    if not onset:
        return []
    onset_days = np.array(onset)
    # People notice shedding a while into an episode and report it days to two weeks after onset.
    report_delay = np.where(np.array(kinds) == "hair_shedding", rng.integers(3, 15, len(onset)), 0)
    report_day = np.minimum(onset_days + report_delay, clock.n_days - 1)
    occurred = clock.to_utc(report_day, rng.uniform(8, 22, len(onset)))
    keep = clock.keep_past(occurred).tolist()
    entered = clock.entered_after(occurred, rng)
    records: list[Record] = []
    for i, (rid, occ, ent) in enumerate(zip(ids.take(len(onset)), iso(occurred), iso(entered), strict=True)):
        if not keep[i]:
            continue
        grade = grades[i]
        end_day = resolved[i]
        # The export shows the record's current state: a resolved date added later by the patient.
        records.append(
            {"id": rid, "occurred_at": occ, "entered_at": ent, "kind": kinds[i], "free_text": "",
             "severity": severities[i], "ctcae_grade": grades[i],
             # The patient's own 0-4 rating follows the grade: 1 -> 2, 2 -> 3 (none for other kinds).
             "shedding_rating": grade + 1 if grade is not None else None,
             "onset_date": clock.date_of(onset[i]).isoformat(),
             "resolved_date": clock.date_of(end_day).isoformat() if end_day is not None else None}
        )  # fmt: skip
    return records
