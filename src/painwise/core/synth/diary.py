"""Pain entries and daily check-ins from a latent daily pain level per body site."""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from painwise.core.synth.clock import Clock, IdSource, iso
from painwise.core.synth.profiles import Profile

Record = dict[str, object]

# Worse on Mondays, better at weekends (Monday = 0); multiplied by the patient's weekly swing.
WEEKLY_RHYTHM = np.array([0.5, 0.25, 0.1, 0.0, -0.1, -0.35, -0.4])
NOTES = ("", "", "", "", "", "", "after a long walk", "bad night", "weather change", "after PT exercises", "busy day")


def latent_pain(
    rng: np.random.Generator, profile: Profile, clock: Clock, engagement: np.ndarray, strength: float
) -> np.ndarray:
    """Days x sites latent NRS: level + slow trend + weekly rhythm + AR(1) flares - therapy response."""
    t = np.arange(clock.n_days)
    common = profile.pain_level + profile.pain_trend_per_year * t / 365.0
    common = common + profile.weekly_swing * WEEKLY_RHYTHM[clock.weekdays()]
    common = common + lfilter([1.0], [1.0, -0.75], rng.normal(0, 0.45, clock.n_days))
    # Planted (and scaled by effect_strength): responders improve with therapy engagement.
    common = common - strength * profile.response_points * engagement
    offsets = rng.normal(0, 0.7, len(profile.sites))
    site_noise = lfilter([1.0], [1.0, -0.5], rng.normal(0, 0.35, (len(profile.sites), clock.n_days)), axis=1).T
    return np.clip(common[:, None] + offsets[None, :] + site_noise, 0, 10)


def diary_days(rng: np.random.Generator, profile: Profile, clock: Clock) -> np.ndarray:
    """Days the diary is used: a two-state chain so gaps come in runs (holidays, bad weeks)."""
    p_active = profile.diary_days_fraction
    stay_off = 0.7
    start_off = (1 - p_active) * (1 - stay_off) / max(p_active, 1e-6)
    active = np.empty(clock.n_days, dtype=bool)
    state, draws = True, rng.random(clock.n_days)
    for i, u in enumerate(draws.tolist()):
        state = (u >= start_off) if state else (u >= stay_off)
        active[i] = state
    return active


def pain_entries(
    rng: np.random.Generator, ids: IdSource, profile: Profile, clock: Clock, latent: np.ndarray, active: np.ndarray
) -> list[Record]:
    days = np.flatnonzero(active)
    counts = rng.choice([1, 2, 3, 4], size=len(days), p=[0.3, 0.35, 0.25, 0.1])
    day_of = np.repeat(days, counts)
    site = rng.integers(0, len(profile.sites), len(day_of))
    hours = np.clip(rng.choice([8.0, 13.0, 18.5, 21.5], len(day_of)) + rng.normal(0, 0.75, len(day_of)), 6, 23.9)
    # Evenings are a little worse after a day's activity.
    nrs = np.clip(np.round(latent[day_of, site] + 0.2 * (hours > 17) + rng.normal(0, 0.6, len(day_of))), 0, 10)
    occurred = clock.to_utc(day_of, hours)
    keep = clock.keep_past(occurred)
    occurred, site, nrs, day_of = occurred[keep], site[keep], nrs[keep].astype(int), day_of[keep]
    entered = clock.entered_after(occurred, rng)
    quality_sets = [_qualities_for(profile, s) for s in profile.sites]
    n_qualities = rng.choice([0, 1, 1, 2], len(occurred))
    quality_pick = rng.random((len(occurred), 2))
    notes = rng.choice(len(NOTES), len(occurred))
    records = []
    for rid, occ, ent, s, score, nq, qp, note in zip(
        ids.take(len(occurred)), iso(occurred), iso(entered), site.tolist(), nrs.tolist(),
        n_qualities.tolist(), quality_pick.tolist(), notes.tolist(), strict=True,
    ):  # fmt: skip
        options = quality_sets[s]
        chosen = list(dict.fromkeys(options[int(q * len(options))] for q in qp[:nq]))
        records.append(
            {"id": rid, "occurred_at": occ, "entered_at": ent, "body_site": profile.sites[s], "nrs": score,
             "qualities": chosen, "note": NOTES[note]}
        )  # fmt: skip
    return records


def _qualities_for(profile: Profile, site: str) -> tuple[str, ...]:
    for condition in profile.conditions:
        if site in condition.body_sites:
            return condition.qualities
    return ("aching", "dull")


def check_ins(
    rng: np.random.Generator, ids: IdSource, profile: Profile, clock: Clock, latent: np.ndarray, active: np.ndarray
) -> list[Record]:
    days = np.flatnonzero(active & (rng.random(clock.n_days) < 0.9))
    n = len(days)
    pain = latent[days].mean(axis=1)
    weekend = clock.weekdays()[days] >= 4  # Friday to Sunday evenings
    sleep = np.clip(np.round((7.4 - 0.25 * (pain - 5) + rng.normal(0, 0.9, n)) * 2) / 2, 3, 10)
    quality = np.clip(np.round(6.5 - 0.5 * (pain - 5) + 0.6 * (sleep - 7) + rng.normal(0, 1.2, n)), 0, 10)
    mood = np.clip(np.round(6.5 - 0.45 * (pain - 5) + rng.normal(0, 1.2, n)), 0, 10)
    interference = np.clip(np.round(0.85 * pain + rng.normal(0, 1.0, n)), 0, 10)
    activity = np.clip(np.round(rng.gamma(2.0, 20.0, n) * (1.4 - pain / 10)), 0, 600)
    drinks = rng.poisson(profile.drinker_rate * np.where(weekend, 1.8, 0.7))
    hours = np.clip(21.0 + rng.normal(0, 0.8, n), 17, 23.9)
    occurred = clock.to_utc(days, hours)
    keep = clock.keep_past(occurred)
    entered = clock.entered_after(occurred[keep], rng)
    # Some questions are left blank now and then (optional fields are null, never omitted).
    blank = rng.random((n, 3)) < 0.05
    columns = [
        [None if skip else value for skip, value in zip(blank[keep, j].tolist(), values[keep].tolist(), strict=True)]
        for j, values in enumerate((sleep, activity.astype(int), drinks))
    ]
    return [
        {"id": rid, "occurred_at": occ, "entered_at": ent, "sleep_hours": sl,
         "sleep_quality": int(q), "mood": int(m), "interference": int(i),
         "activity_minutes": act, "alcoholic_drinks": dr}
        for rid, occ, ent, sl, q, m, i, act, dr in zip(
            ids.take(int(keep.sum())), iso(occurred[keep]), iso(entered), columns[0],
            quality[keep].tolist(), mood[keep].tolist(), interference[keep].tolist(), columns[1],
            columns[2], strict=True,
        )
    ]  # fmt: skip
