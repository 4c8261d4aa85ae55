"""Agreement with openEBGM on its own CAERS example data (values from its published vignettes).

Provenance of the data and of every expected number: tests/pv/data/README.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from painwise.core.pv import mgps, signals

DATA = Path(__file__).parent / "data" / "caers.csv.gz"

# autoHyper(processed, theta_init, squashed = FALSE): the prior fitted on the full data.
FULL_PRIOR = np.array([3.25596685, 0.39998994, 2.02376139, 1.90614108, 0.06530755])
FULL_MIN = 4162.456
# The prior of the "Empirical Bayes Metrics" vignette (fitted on squashed data) and its printed rows.
VIGNETTE_PRIOR = np.array([3.25379356, 0.39988854, 2.02612692, 1.90807970, 0.06534557])
HEAD = [  # var1, var2, N, E, Qn, EBGM, QUANT_05, QUANT_95
    ("1-PHENYLALANINE", "HEART RATE INCREASED", 1, 0.0360548272, 0.2819737, 2.23, 0.49, 13.85),
    ("11 UNSPECIFIED VITAMINS", "ASTHMA", 1, 0.0038736591, 0.3409653, 2.58, 0.52, 15.78),
    ("11 UNSPECIFIED VITAMINS", "CARDIAC FUNCTION TEST", 1, 0.0002979738, 0.3482317, 2.63, 0.52, 16.02),
    ("11 UNSPECIFIED VITAMINS", "CHEST PAIN", 1, 0.0360548272, 0.2819737, 2.23, 0.49, 13.85),
    ("11 UNSPECIFIED VITAMINS", "DYSPNOEA", 1, 0.0765792610, 0.2226356, 1.92, 0.47, 11.77),
    ("11 UNSPECIFIED VITAMINS", "HYPERSENSITIVITY", 1, 0.0527413588, 0.2556670, 2.09, 0.48, 12.95),
]
TOP = [  # var1, var2, N, E, QUANT_05, EBGM, QUANT_95
    ("REUMOFAN PLUS", "WEIGHT INCREASED", 16, 0.40643623, 15.68, 23.26, 33.48),
    ("HYDROXYCUT REGULAR RAPID RELEASE CAPLETS", "EMOTIONAL DISTRESS", 19, 0.89690107, 11.65, 16.78, 23.55),
    ("REUMOFAN PLUS", "IMMOBILE", 6, 0.07866508, 10.16, 18.28, 30.83),
    ("HYDROXYCUT HARDCORE CAPSULES", "CARDIO-RESPIRATORY DISTRESS", 8, 0.30482718, 9.00, 15.25, 24.52),
    ("HYDROXYCUT REGULAR RAPID RELEASE CAPLETS", "INJURY", 11, 0.56317044, 8.98, 14.28, 21.78),
]
PRINTED_QUANTILE_SLACK = 0.0100001  # quantBisect's 2-decimal bisection: one unit in the last printed digit


@pytest.fixture(scope="module")
def result() -> signals.SignalResult:
    return signals.detect_signals(DATA)


@pytest.fixture(scope="module")
def by_pair(result: signals.SignalResult) -> pd.DataFrame:
    return result.table.set_index(["var1", "var2"])


def test_it_counts_reports_and_pairs_as_openebgm(result):
    assert result.n_reports == 3356
    assert result.n_pairs == 17189
    assert result.table["var1"].nunique() == 2874
    assert result.table["var2"].nunique() == 1328


def test_it_fits_the_full_data_prior_to_1e4_relative(result):
    theta = result.prior.theta
    assert np.max(np.abs(theta - FULL_PRIOR) / FULL_PRIOR) < 1e-4
    assert round(result.prior.neg_log_likelihood, 3) <= FULL_MIN  # at least as good an optimum
    assert result.prior.neg_log_likelihood == pytest.approx(FULL_MIN, abs=5e-4)
    assert result.prior.num_close >= 1


def test_it_reproduces_n_e_and_qn_of_the_printed_rows(by_pair):
    for var1, var2, n, e, qn, *_ in HEAD:
        row = by_pair.loc[(var1, var2)]
        assert row["N"] == n
        assert row["E"] == pytest.approx(e, abs=5e-11)  # printed to 10 decimals
        q = mgps.qn(VIGNETTE_PRIOR, [n], [e])[0]
        assert q == pytest.approx(qn, abs=5e-8)
    for var1, var2, n, e, *_ in TOP:
        row = by_pair.loc[(var1, var2)]
        assert row["N"] == n
        assert row["E"] == pytest.approx(e, abs=5e-9)  # printed to 8 decimals


def test_it_reproduces_printed_ebgm_and_quantiles_under_the_vignette_prior():
    for _, _, n, e, _, ebgm, q05, q95 in HEAD:
        post = mgps.posterior(VIGNETTE_PRIOR, [n], [e])
        assert round(float(post["EBGM"][0]), 2) == ebgm
        assert abs(float(post["EB05"][0]) - q05) <= PRINTED_QUANTILE_SLACK
        assert abs(float(post["EB95"][0]) - q95) <= PRINTED_QUANTILE_SLACK
    for _, _, n, e, q05, ebgm, q95 in TOP:
        post = mgps.posterior(VIGNETTE_PRIOR, [n], [e])
        assert round(float(post["EBGM"][0]), 2) == ebgm
        assert abs(float(post["EB05"][0]) - q05) <= PRINTED_QUANTILE_SLACK
        assert abs(float(post["EB95"][0]) - q95) <= PRINTED_QUANTILE_SLACK


def test_it_flags_the_same_number_of_pairs(result):
    table = result.table
    post = mgps.posterior(VIGNETTE_PRIOR, table["N"], table["E"])
    assert int((np.round(post["EB05"], 2) >= 2).sum()) == 131
    top5 = table.assign(q=post["EB05"]).sort_values("q", ascending=False).head(5)
    assert list(zip(top5["var1"], top5["var2"], strict=True)) == [(a, b) for a, b, *_ in TOP]
    assert int((np.round(result.table["EBGM"], 2) > 3).sum()) == 556


def test_every_pair_agrees_with_the_published_full_prior_to_1e4(result):
    """Every pair's EBGM, EB05, EB95 under our prior vs. under openEBGM's published full-data prior."""
    table = result.table
    theirs = mgps.posterior(FULL_PRIOR, table["N"], table["E"])
    for col in ("EBGM", "EB05", "EB95"):
        rel = np.abs(table[col].to_numpy() - theirs[col]) / theirs[col]
        assert rel.max() < 1e-4, col


def test_quantiles_solve_the_posterior_cdf(result):
    from scipy import stats

    table = result.table.head(200)
    a1, b1, a2, b2, _ = result.prior.theta
    for col, p in (("EB05", 0.05), ("EB95", 0.95)):
        x = table[col].to_numpy()
        q = table["Qn"].to_numpy()
        n, e = table["N"].to_numpy(), table["E"].to_numpy()
        cdf = q * stats.gamma.cdf(x, a1 + n, scale=1 / (b1 + e)) + (1 - q) * stats.gamma.cdf(
            x, a2 + n, scale=1 / (b2 + e)
        )
        assert np.max(np.abs(cdf - p)) < 1e-10
