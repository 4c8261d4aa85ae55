"""The MGPS posterior (painwise.core.pv.mgps): Q_n, EBGM and the EB05/EB95 quantiles of each pair's
two-gamma mixture, computed once per distinct (N, E).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from painwise.core.errors import DomainError
from painwise.core.pv.likelihood import BLOCK, _arrays, _log_nb, compress, distinct_values

FloatArray = NDArray[np.float64]


def qn(theta: ArrayLike, n: ArrayLike, e: ArrayLike) -> FloatArray:
    """Posterior probability that λ came from the first component (openEBGM's Qn; untruncated NB)."""
    a1, b1, a2, b2, p = (float(x) for x in np.asarray(theta, dtype=np.float64))
    n_arr, e_arr, _ = _arrays(n, e, None)
    l1, _ = _log_nb(n_arr, e_arr, a1, b1)
    l2, _ = _log_nb(n_arr, e_arr, a2, b2)
    c1 = np.log(p) + l1
    c2 = np.log1p(-p) + l2
    return np.asarray(np.exp(c1 - np.logaddexp(c1, c2)), dtype=np.float64)


def ebgm(theta: ArrayLike, n: ArrayLike, e: ArrayLike, q: ArrayLike | None = None) -> FloatArray:
    """Empirical Bayes geometric mean: exp of the posterior mean of log λ (DuMouchel 1999 eqs. 9–11)."""
    a1, b1, a2, b2, _ = (float(x) for x in np.asarray(theta, dtype=np.float64))
    n_arr, e_arr, _ = _arrays(n, e, None)
    q_arr = qn(theta, n_arr, e_arr) if q is None else np.asarray(q, dtype=np.float64)
    m1 = special.digamma(a1 + n_arr) - np.log(b1 + e_arr)
    m2 = special.digamma(a2 + n_arr) - np.log(b2 + e_arr)
    return np.asarray(np.exp(q_arr * m1 + (1 - q_arr) * m2), dtype=np.float64)


def quantile(
    prob: float, theta: ArrayLike, n: ArrayLike, e: ArrayLike, q: ArrayLike | None = None, *, rtol: float = 1e-12
) -> FloatArray:
    """The `prob` quantile of each pair's posterior mixture of gammas, by safeguarded Newton root finding.

    The root is bracketed by the two components' own quantiles (the mixture CDF is a convex combination of
    theirs). Newton runs on y = log x, where the gamma CDFs are far closer to linear than in x (fewer steps,
    none of the overshoots that made the low quantiles of small shapes crawl); a step that leaves the
    bracket is replaced by bisection in y. The components' quantiles and log Γ(shape) depend on N only and
    are computed per distinct N.
    """
    if not 0 < prob < 1:
        raise DomainError("pv.bad_quantile", f"A quantile needs 0 < p < 1, got {prob}.", "quantile")
    a1, b1, a2, b2, _ = (float(x) for x in np.asarray(theta, dtype=np.float64))
    n_arr, e_arr, _ = _arrays(n, e, None)
    q_arr = qn(theta, n_arr, e_arr) if q is None else np.asarray(q, dtype=np.float64)
    n_values, n_index = distinct_values(n_arr)
    per_n = []  # (shape, log quantile of Gamma(shape, 1), log Γ(shape)) per distinct N, per component
    for a in (a1, a2):
        shape = a + n_values
        per_n.append((shape, np.log(special.gammaincinv(shape, prob)), special.gammaln(shape)))
    out = np.empty(n_arr.size)
    for i in range(0, n_arr.size, BLOCK):  # blocks: the temporaries stay in cache (see BLOCK)
        sl = slice(i, i + BLOCK)
        out[sl] = _quantile_block(prob, (b1, b2), per_n, n_index[sl], e_arr[sl], q_arr[sl], rtol)
    return out


def _quantile_block(
    prob: float,
    rates0: tuple[float, float],
    per_n: list[tuple[FloatArray, FloatArray, FloatArray]],
    n_index: NDArray[np.intp],
    e: FloatArray,
    q: FloatArray,
    rtol: float,
) -> FloatArray:
    comps = []  # per point: shape, rate, shape·log(rate) − log Γ(shape), log of the component's quantile
    for b, (shape, log_g, lg_shape) in zip(rates0, per_n, strict=True):
        rate = b + e
        log_rate = np.log(rate)
        sh = shape[n_index]
        comps.append((sh, rate, sh * log_rate - lg_shape[n_index], log_g[n_index] - log_rate))
    # The mixture CDF is a convex combination of the components': its root lies between their quantiles.
    lo = np.minimum(comps[0][3], comps[1][3])
    hi = np.maximum(comps[0][3], comps[1][3])
    y0 = np.clip(q * comps[0][3] + (1 - q) * comps[1][3], lo, hi)
    out = y0.copy()
    pos = np.flatnonzero(hi - lo > rtol)  # the points still iterating, and their working copies below
    y, lo, hi, w1 = y0[pos], lo[pos], hi[pos], q[pos]
    sh1, ra1, c1 = (v[pos] for v in comps[0][:3])
    sh2, ra2, c2 = (v[pos] for v in comps[1][:3])
    for _ in range(200):
        if pos.size == 0:
            break
        x = np.exp(y)
        w2 = 1.0 - w1
        rx1, rx2 = ra1 * x, ra2 * x
        err = w1 * special.gammainc(sh1, rx1) + w2 * special.gammainc(sh2, rx2) - prob
        with np.errstate(under="ignore"):
            t1 = w1 * np.exp(sh1 * y + c1 - rx1)  # x·f₁(x)·Qn: the y-derivative of Qn·F₁
            t2 = w2 * np.exp(sh2 * y + c2 - rx2)
        dens = t1 + t2
        curv = t1 * (sh1 - rx1) + t2 * (sh2 - rx2)  # d²F/dy²
        lo = np.where(err < 0, y, lo)
        hi = np.where(err > 0, y, hi)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            delta = err / dens
            # Halley's correction (cubic convergence) where it is a modest one; plain Newton elsewhere
            halley = 1.0 - 0.5 * delta * curv / dens
            delta = np.where((halley > 0.5) & (halley < 2.0), delta / halley, delta)
        step = y - delta
        # A Newton step below rtol has converged even if, rounded, it lands on the bracket's end.
        small = np.abs(delta) <= rtol
        bad = ~small & (~np.isfinite(step) | (step <= lo) | (step >= hi))
        new = np.where(bad, 0.5 * (lo + hi), step)
        done = small | (np.abs(new - y) <= rtol) | (err == 0) | (hi - lo <= rtol)
        y = np.where(err == 0, y, new)
        if done.any():  # retire the converged points; iterate on the rest only
            out[pos[done]] = y[done]
            keep = ~done
            pos, y, lo, hi, w1 = pos[keep], y[keep], lo[keep], hi[keep], w1[keep]
            sh1, ra1, c1, sh2, ra2, c2 = sh1[keep], ra1[keep], c1[keep], sh2[keep], ra2[keep], c2[keep]
    out[pos] = y
    return np.asarray(np.exp(out), dtype=np.float64)


def posterior(theta: ArrayLike, n: ArrayLike, e: ArrayLike) -> dict[str, FloatArray]:
    """EBGM, EB05, EB95 and Q_n per pair, computed once per distinct (N, E) and broadcast back."""
    un, ue, _, inverse = compress(n, e)
    return {k: v[inverse] for k, v in posterior_points(theta, un, ue).items()}


def posterior_points(theta: ArrayLike, n: ArrayLike, e: ArrayLike) -> dict[str, FloatArray]:
    """EBGM, EB05, EB95 and Q_n for each (N, E) given (callers pass distinct points)."""
    q = qn(theta, n, e)
    return {
        "Qn": q,
        "EBGM": ebgm(theta, n, e, q),
        "EB05": quantile(0.05, theta, n, e, q),
        "EB95": quantile(0.95, theta, n, e, q),
    }
