"""Frequentist and BCPNN disproportionality measures for a product–event pair.

With a = N (reports with product and event), n1 = reports with the product, n2 = reports with the event and
n = all reports (distinct reports throughout), the 2×2 table is a, b = n1 − a, c = n2 − a, d = n − n1 − n2 + a.

* PRR = [a/(a+b)] / [c/(c+d)], 95% CI exp(ln PRR ± 1.96·√(1/a − 1/(a+b) + 1/c − 1/(c+d))) (Evans, Waller &
  Davis 2001). Like openEBGM, PRR is crude (unstratified margins) even when strata are given.
* ROR = (a/b) / (c/d), 95% CI exp(ln ROR ± 1.96·√(1/a + 1/b + 1/c + 1/d)) (Rothman, Lanes & Sacks 2004;
  van Puijenbroek et al. 2002).
* IC = log2((N + 0.5)/(E + 0.5)) — the BCPNN information component (Bate et al. 1998) with Norén et al.'s
  (2006) shrinkage; IC025 = log2 of the 2.5th percentile of Gamma(N + 0.5, rate E + 0.5) (Norén, Hopstadius
  & Bate 2013). E is the (stratified when strata are given) expected count.

A zero cell gives an infinite ratio or an undefined interval: those are returned as inf / NaN, never an
error, and the CSV writes them as `inf` / empty.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from painwise.core.pv.mgps import distinct_values

Z95 = 1.959963984540054


def _f(x: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(x, dtype=np.float64)


def prr(a: ArrayLike, n1: ArrayLike, n2: ArrayLike, n: ArrayLike) -> dict[str, NDArray[np.float64]]:
    a_, n1_, n2_, n_ = _f(a), _f(n1), _f(n2), _f(n)
    c = n2_ - a_
    cd = n_ - n1_
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (a_ / n1_) / (c / cd)
        se = np.sqrt(1 / a_ - 1 / n1_ + 1 / c - 1 / cd)
        lo = np.exp(np.log(value) - Z95 * se)
        hi = np.exp(np.log(value) + Z95 * se)
    finite = np.isfinite(se) & np.isfinite(value) & (value > 0)
    return {"PRR": value, "PRR_lo": np.where(finite, lo, np.nan), "PRR_hi": np.where(finite, hi, np.nan)}


def ror(a: ArrayLike, n1: ArrayLike, n2: ArrayLike, n: ArrayLike) -> dict[str, NDArray[np.float64]]:
    a_, n1_, n2_, n_ = _f(a), _f(n1), _f(n2), _f(n)
    b = n1_ - a_
    c = n2_ - a_
    d = n_ - n1_ - n2_ + a_
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (a_ * d) / (b * c)
        se = np.sqrt(1 / a_ + 1 / b + 1 / c + 1 / d)
        lo = np.exp(np.log(value) - Z95 * se)
        hi = np.exp(np.log(value) + Z95 * se)
    finite = np.isfinite(se) & np.isfinite(value) & (value > 0)
    return {"ROR": value, "ROR_lo": np.where(finite, lo, np.nan), "ROR_hi": np.where(finite, hi, np.nan)}


def information_component(n_obs: ArrayLike, e: ArrayLike) -> dict[str, NDArray[np.float64]]:
    n_ = _f(n_obs) + 0.5
    e_ = _f(e) + 0.5
    ic = np.log2(n_ / e_)
    # The gamma quantiles depend on N only: invert once per distinct N (few), then divide by E + 0.5.
    values, index = distinct_values(_f(n_obs))
    values = values + 0.5
    ic025 = np.log2(special.gammaincinv(values, 0.025)[index] / e_)
    ic975 = np.log2(special.gammaincinv(values, 0.975)[index] / e_)
    return {"IC": ic, "IC025": ic025, "IC975": ic975}
