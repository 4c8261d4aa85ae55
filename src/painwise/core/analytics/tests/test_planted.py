"""Planted truth: the synthetic generator's (FICTIONAL) effects are recovered from export documents alone.

One cohort (24 patients × 1 year, seed 7, effect strength 2 so a one-year record carries the planted
therapy response clearly) is generated once; every analysis runs on each patient's export document.
Ground truth says who is a therapy responder (docs/synthetic-data.md, mechanism 5).
"""

import datetime as dt

import pytest

from painwise.core.analytics import change_points, hair_timeline, modality_effects, response_vs_baseline
from painwise.core.snapshot import snapshot_from_export
from painwise.core.synth import generate_cohort, generate_demo_patient

END = dt.date(2026, 10, 31)


@pytest.fixture(scope="module")
def cohort():
    generated = generate_cohort(n_patients=24, years=1, seed=7, end_date=END, effect_strength=2.0)
    rows = []
    for record, truth in zip(generated.patients, generated.ground_truth["patients"], strict=True):
        snapshot = snapshot_from_export(record)
        rows.append(
            {
                "truth": truth,
                "modalities": modality_effects(snapshot),
                "response": response_vs_baseline(snapshot),
                "change_points": change_points(snapshot),
            }
        )
    return rows


def _own_modality_effects(rows, responder):
    return [
        effect
        for row in rows
        if row["truth"]["responder"] == responder
        for effect in row["modalities"].effects
        if effect["modality"] in row["truth"]["modalities"]
        and effect["outcome"] == "same_day"
        and effect["status"] == "ok"
    ]


def test_responders_modality_effects_exclude_zero_below_far_more_often(cohort):
    responders, others = _own_modality_effects(cohort, True), _own_modality_effects(cohort, False)
    assert len(responders) >= 8 and len(others) >= 5
    share = sum(e["ci_high"] < 0 for e in responders) / len(responders)
    share_others = sum(e["ci_high"] < 0 for e in others) / len(others)
    assert share >= 0.4
    assert share >= 3 * share_others
    assert sum(e["estimate"] for e in responders) / len(responders) < 0
    assert sum(e["estimate"] for e in responders) / len(responders) < sum(e["estimate"] for e in others) / len(others)


def test_responders_pain_falls_more_from_baseline(cohort):
    def mean_change(responder):
        found = [
            r["response"].percent_change
            for r in cohort
            if r["truth"]["responder"] == responder and r["response"].percent_change is not None
        ]
        return sum(found) / len(found)

    assert mean_change(True) < -15
    assert mean_change(True) < mean_change(False) - 15


def test_change_points_are_found_for_responders_and_rarely_otherwise(cohort):
    responders = [len(r["change_points"].shifts) > 0 for r in cohort if r["truth"]["responder"]]
    others = [len(r["change_points"].shifts) > 0 for r in cohort if not r["truth"]["responder"]]
    assert sum(responders) / len(responders) >= 0.7
    assert sum(others) / len(others) <= 0.25


def test_the_hair_timeline_recovers_the_planted_episodes_and_their_timing():
    demo = generate_demo_patient(seed=1, end_date=END)
    snapshot = snapshot_from_export(demo.record)
    result = hair_timeline(snapshot)
    planted = demo.truth["shedding_episodes"]
    assert [e["onset"] for e in result.episodes] == [p["onset_date"] for p in planted]
    assert [e["ctcae_grade"] for e in result.episodes] == [p["ctcae_grade"] for p in planted]
    assert [e["resolved"] for e in result.episodes] == [p["resolved_date"] for p in planted]
    first_use = dt.date.fromisoformat(demo.truth["kratom_start_date"])
    taken = min(d.day for d in snapshot.doses if d.status != "skipped")
    assert taken >= first_use
    for episode in result.episodes:
        weeks = (dt.date.fromisoformat(episode["onset"]) - taken).days / 7
        assert episode["weeks_from_first_exposure"] == pytest.approx(weeks, abs=0.05)
        assert "ferritin" in episode["labs_before_onset"]
    assert "No published study links kratom to hair loss" in result.sentence
    assert "caused" not in result.sentence


def test_a_planted_level_shift_is_dated_within_two_weeks():
    import numpy as np

    from painwise.core.analytics.tests.builders import days, document, pain

    rng = np.random.default_rng(5)
    start = dt.date(2025, 1, 6)
    level = np.where(np.arange(210) < 120, 6.0, 3.5)
    values = np.clip(np.rint(level + rng.normal(0, 1.0, 210)), 0, 10).astype(int)
    entries = [pain(d, int(v)) for d, v in zip(days(start, 210), values, strict=True)]
    result = change_points(snapshot_from_export(document(pain_entries=entries)))
    assert len(result.shifts) == 1
    found = dt.date.fromisoformat(result.shifts[0]["day"])
    assert abs((found - (start + dt.timedelta(days=120))).days) <= 14
    assert result.shifts[0]["shift"] == pytest.approx(-2.5, abs=0.6)


def test_no_shift_is_reported_in_stationary_noise():
    import numpy as np

    from painwise.core.analytics.tests.builders import days, document, pain

    rng = np.random.default_rng(9)
    start = dt.date(2025, 1, 6)
    values = np.clip(np.rint(5 + rng.normal(0, 1.2, 210)), 0, 10).astype(int)
    entries = [pain(d, int(v)) for d, v in zip(days(start, 210), values, strict=True)]
    assert change_points(snapshot_from_export(document(pain_entries=entries))).shifts == []
