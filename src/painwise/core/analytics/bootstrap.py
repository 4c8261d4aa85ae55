"""A circular block bootstrap over days, for the change between two windows of daily values.

Why blocks: pain on consecutive days is correlated (flares last days), so resampling single days as if
they were independent gives intervals that are too narrow. Resampling runs ("blocks") of consecutive
days keeps the short-range dependence inside each block (Künsch, Ann Stat 1989;17(3):1217-1241,
doi:10.1214/aos/1176347265); wrapping the series into a circle gives every day the same chance to be
drawn (Politis & Romano 1992, "A circular block-resampling procedure for stationary data").

Method (documented in docs/insights.md):
- each window's values are its daily means in date order (days without entries are left out);
- block length L = ceil(n ** (1/3)) days (the n^(1/3) order of Hall, Horowitz & Jing, Biometrika
  1995;82(3):561-574, doi:10.1093/biomet/82.3.561), at least 2; for 14 days L = 3;
- each replicate draws ceil(n / L) block starts uniformly, concatenates the blocks (wrapping at the
  end) and keeps the first n values; the two windows are resampled independently;
- B = 4000 replicates of (mean of current − mean of baseline); the 95% interval is the 2.5th and
  97.5th percentile;
- a fixed seed (SEED) makes the interval the same on every run for the same record.
"""

from __future__ import annotations

import math

import numpy as np

SEED = 20_081_105
REPLICATES = 4000


def block_length(n: int) -> int:
    return max(2, math.ceil(n ** (1 / 3)))


def _resampled_means(values: np.ndarray, rng: np.random.Generator, replicates: int) -> np.ndarray:
    n = len(values)
    length = min(block_length(n), n)
    blocks = math.ceil(n / length)
    starts = rng.integers(0, n, size=(replicates, blocks))
    index = (starts[:, :, None] + np.arange(length)[None, None, :]) % n
    drawn = values[index.reshape(replicates, blocks * length)[:, :n]]
    return drawn.mean(axis=1)


def difference_interval(
    baseline: np.ndarray, current: np.ndarray, *, replicates: int = REPLICATES, seed: int = SEED, level: float = 0.95
) -> tuple[float, float]:
    """The bootstrap interval for mean(current) − mean(baseline)."""
    rng = np.random.default_rng(seed)
    base = _resampled_means(np.asarray(baseline, dtype=float), rng, replicates)
    cur = _resampled_means(np.asarray(current, dtype=float), rng, replicates)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(cur - base, [tail, 100 - tail])
    return float(low), float(high)
