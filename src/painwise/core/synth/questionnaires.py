"""Questionnaire responses on the default schedules: PEG weekly, PHQ-9 and GAD-7 every four weeks.

Answers follow the latent pain and mood of the week before. PHQ-9 item 9 is always 0: the generator
plants no self-harm answers (a demo must not fabricate that kind of signal).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from painwise.core.instruments import score
from painwise.core.synth.clock import Clock, IdSource, iso

SCHEDULE = {"peg": (7, 0.85), "phq9": (28, 0.8), "gad7": (28, 0.8)}


def _answers(code: str, rng: np.random.Generator, pain: float) -> list[int]:
    if code == "peg":
        base = [pain, 0.9 * pain, 0.85 * pain]
        return [int(np.clip(round(v + rng.normal(0, 1.0)), 0, 10)) for v in base]
    items = 9 if code == "phq9" else 7
    # Distress rises with pain: each 0-3 item is a binomial draw centred on pain/10.
    p = float(np.clip(0.08 + 0.045 * (pain - 3), 0.02, 0.8))
    answers = rng.binomial(3, p, items).tolist()
    if code == "phq9":
        answers[8] = 0
    return [int(a) for a in answers]


def responses(rng: np.random.Generator, ids: IdSource, clock: Clock, latent: np.ndarray) -> list[dict[str, Any]]:
    weekly_pain = latent.mean(axis=1)
    out: list[dict[str, Any]] = []
    for code, (interval, adherence) in SCHEDULE.items():
        days = np.arange(interval - 1, clock.n_days, interval)
        days = days[rng.random(len(days)) < adherence]
        if not len(days):
            continue
        occurred = clock.to_utc(days, np.clip(19.0 + rng.normal(0, 1.5, len(days)), 8, 23.5))
        keep = clock.keep_past(occurred)
        days, occurred = days[keep], occurred[keep]
        entered = clock.entered_after(occurred, rng)
        for rid, day, occ, ent in zip(ids.take(len(days)), days.tolist(), iso(occurred), iso(entered), strict=True):
            pain = float(weekly_pain[max(0, day - 6) : day + 1].mean())
            answers = _answers(code, rng, pain)
            out.append({"id": rid, "code": code, "answers": answers, "completed_at": occ, "entered_at": ent,
                        "entered_by_role": "patient", **_scored(score(code, answers))})  # fmt: skip
    return sorted(out, key=lambda r: (r["completed_at"], r["id"]))


def _scored(result: Any) -> dict[str, Any]:
    data = result.to_dict()
    return {key: data[key] for key in ("total", "band", "subscales", "flags", "answered")}
