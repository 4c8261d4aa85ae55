"""The planted, FICTIONAL mechanisms and their parameters (documented in docs/synthetic-data.md).

FICTIONAL: higher cumulative kratom exposure lowers ferritin, and low ferritin raises the chance of
hair shedding 2-4 months later (the lag mimics telogen effluvium, clinical_reference.md §5b). No
published evidence links kratom to ferritin or hair loss (§5d); this exists only so analyses can be
tested against a known answer. ``effect_strength`` scales every planted effect; 0 removes them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.signal import lfilter

FICTION_STATEMENT = (
    "These data are synthetic and every planted effect is FICTIONAL. The kratom -> ferritin -> hair shedding "
    "mechanism was invented to test analyses against a known answer; it is not evidence about kratom, ferritin "
    "or hair loss (no published study links kratom to either, clinical_reference.md §5d)."
)


@dataclass(frozen=True)
class EffectParameters:
    beta_per_leaf_kg: float = 0.15  # log-ferritin drop per kg of cumulative leaf-equivalent product
    ferritin_threshold_ng_ml: float = 40.0  # below this the shedding hazard rises (fictional)
    gamma_per_ng_ml_month: float = 0.02  # extra monthly hazard per ng/mL below the threshold
    base_hazard_per_month: float = 0.012
    max_hazard_per_month: float = 0.6
    lag_days: tuple[int, int] = (60, 120)  # ferritin this long before a month drives its hazard
    ferritin_measurement_sd_log: float = 0.12
    iron_supplement_factor: float = 1.3  # ferritin multiplier while an iron supplement is taken
    b12_supplement_factor: float = 1.4
    therapy_half_life_days: float = 30.0  # how fast therapy engagement builds up and fades
    effect_strength: float = 1.0

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["lag_days"] = list(self.lag_days)
        return data


def latent_ferritin(
    baseline: float, cumulative_leaf_g: np.ndarray, iron_supplement: np.ndarray, params: EffectParameters
) -> np.ndarray:
    """Daily ferritin (ng/mL) before measurement noise: baseline x exp(-beta x s x cumulative kg)."""
    drop = np.exp(-params.beta_per_leaf_kg * params.effect_strength * cumulative_leaf_g / 1000.0)
    return baseline * drop * np.where(iron_supplement, params.iron_supplement_factor, 1.0)


def lagged_ferritin(ferritin: np.ndarray, month_starts: np.ndarray, params: EffectParameters) -> np.ndarray:
    """Mean latent ferritin 2-4 months before each month start (days before the record count as day 0)."""
    prefix = np.concatenate([[0.0], np.cumsum(ferritin)])
    low = np.clip(month_starts - params.lag_days[1], 0, len(ferritin) - 1)
    high = np.clip(month_starts - params.lag_days[0], 0, len(ferritin) - 1)
    return (prefix[high + 1] - prefix[low]) / (high - low + 1)


def shedding_hazard(lagged: np.ndarray, params: EffectParameters) -> np.ndarray:
    """Monthly onset probability: base + gamma x s x max(0, threshold - lagged ferritin), capped."""
    excess = (
        params.gamma_per_ng_ml_month
        * params.effect_strength
        * np.maximum(0.0, params.ferritin_threshold_ng_ml - lagged)
    )
    return np.minimum(params.base_hazard_per_month + excess, params.max_hazard_per_month)


@dataclass(frozen=True)
class Episode:
    onset_day: int
    resolved_day: int | None
    grade: int
    lagged_ferritin: float
    hazard: float


def draw_shedding(
    rng: np.random.Generator, ferritin: np.ndarray, params: EffectParameters, *, at_least_one: bool = False
) -> list[Episode]:
    """Month-by-month onsets; an episode lasts 2-6 months and no new one starts until it resolves."""
    n_days = len(ferritin)
    starts = np.arange(0, n_days, 30)
    lagged = lagged_ferritin(ferritin, starts, params)
    hazard = shedding_hazard(lagged, params)
    draws = rng.random(len(starts))
    offsets = rng.integers(0, 30, len(starts))
    durations = rng.integers(60, 181, len(starts))
    grade_draws = rng.random(len(starts))
    episodes: list[Episode] = []
    busy_until = -1
    for m, start in enumerate(starts.tolist()):
        forced = at_least_one and not episodes and m == int(np.argmax(hazard[: max(1, len(starts) - 2)]))
        if start <= busy_until or not (draws[m] < hazard[m] or forced):
            continue
        onset = min(start + int(offsets[m]), n_days - 1)
        resolved = onset + int(durations[m])
        # Deeper deficiency, more often the visible (grade 2) kind.
        grade = 2 if grade_draws[m] < 0.15 + 0.5 * float(lagged[m] < 15) else 1
        episodes.append(
            Episode(onset, resolved if resolved < n_days else None, grade, float(lagged[m]), float(hazard[m]))
        )
        busy_until = resolved + 30
    return episodes


def therapy_engagement(done_weight: np.ndarray, target_per_day: float, params: EffectParameters) -> np.ndarray:
    """0..1: an exponentially weighted share of the therapy the plan asked for that was actually done."""
    if target_per_day <= 0:
        return np.zeros_like(done_weight)
    alpha = 1 - 0.5 ** (1 / params.therapy_half_life_days)
    smoothed = lfilter([alpha], [1, alpha - 1], done_weight)
    return np.clip(smoothed / target_per_day, 0.0, 1.0)
