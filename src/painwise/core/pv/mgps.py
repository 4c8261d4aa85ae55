"""MGPS / Gamma-Poisson Shrinker (DuMouchel 1999) as openEBGM implements it.

The prior on each pair's relative reporting rate λ is a two-gamma mixture
θ = (α1, β1, α2, β2, P). The counts N given E are then a mixture of two negative binomials; with
pairs of N ≥ 1 only, *each component is truncated at zero separately* (openEBGM's `negLL`/`negLLsquash`
with N_star = 1):

    f*_k(n) = NB(n; α_k, β_k/(β_k+E)) / (1 − NB(0; α_k, β_k/(β_k+E)))
    L(n)    = P·f*_1(n) + (1 − P)·f*_2(n)

θ is found by maximum likelihood from several starting points; like openEBGM's `autoHyper`, an estimate is
accepted only when it is strictly inside the parameter space (0 < α, β < 100, 0 < P < 1) and at least one
other start converged close to it (tolerances 0.05, 0.05, 0.2, 0.2, 0.025). The optimiser is BFGS with the
analytic gradient on (log α, log β, logit P), so positivity and 0 < P < 1 hold by construction, and, as in
autoHyper, an estimate with α or β ≥ 100 is rejected afterwards.

The posterior of λ given N = n is a two-gamma mixture with shapes α_k + n, rates β_k + E and weight Q_n
(untruncated negative binomials, DuMouchel's eq. 6, as openEBGM's `Qn`). EBGM = exp(E[log λ]); EB05/EB95
are the 5th/95th percentiles, found by safeguarded Newton root finding on the mixture CDF (openEBGM
bisects to 2 decimals; we solve to ~1e-12 relative and round nothing).

All computations run on the distinct (N, E) points with multiplicities as weights: this is exact (not
openEBGM's lossy "data squashing") and makes the fit independent of the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special

from painwise.core.errors import DomainError

FloatArray = NDArray[np.float64]

PARAM_NAMES = ("alpha1", "beta1", "alpha2", "beta2", "P")
PARAM_LIMIT = 100.0  # openEBGM autoHyper's param_limit
LOWER = 1e-6  # the open lower bound 0, numerically
CLOSE_TOL = (0.05, 0.05, 0.2, 0.2, 0.025)  # openEBGM autoHyper's default `tol`
MIN_CONV = 1  # openEBGM autoHyper's default `min_conv`
# openEBGM's starting points for autoHyper on the full CAERS data (vignette "Hyperparameter Estimation with
# openEBGM": theta_init with three rows), the fit whose published estimates the tests compare with.
DEFAULT_STARTS: tuple[tuple[float, float, float, float, float], ...] = (
    (0.2, 0.1, 2.0, 4.0, 1 / 3),
    (0.1, 0.2, 10.0, 10.0, 0.2),
    (0.3, 0.5, 6.0, 6.0, 0.5),
)
# BFGS stops at this gradient norm (of the per-point mean log-likelihood); starts only need to agree within
# autoHyper's tolerances, and the best one is then settled by Newton steps (`_newton_polish`).
GTOL = 1e-6
# A later start stops once within this fraction of autoHyper's tolerances of an earlier converged estimate.
EARLY_STOP_FRACTION = 0.05
BOUNDS = [(LOWER, PARAM_LIMIT)] * 4 + [(LOWER, 1 - LOWER)]
FIT_DESCRIPTION = (
    "two-gamma mixture prior, maximum likelihood on all pairs with N >= 1, each negative-binomial component "
    "truncated at zero separately (DuMouchel 1999 as openEBGM implements it); BFGS from "
    "{starts} starting points (openEBGM's), a later start stopped once it reaches an earlier one's optimum, "
    "Newton steps on the best; estimates accepted within the bounds 0 < alpha, beta < 100 and 0 < P < 1 "
    "as openEBGM's autoHyper accepts; the estimate with the smallest negative log-likelihood is kept when "
    "another start converged within autoHyper's tolerances (0.05, 0.05, 0.2, 0.2, 0.025)"
)


@dataclass(frozen=True)
class Prior:
    alpha1: float
    beta1: float
    alpha2: float
    beta2: float
    P: float
    neg_log_likelihood: float = float("nan")
    method: str = ""
    starts: int = 0
    num_close: int = 0
    n_pairs: int = 0
    details: list[dict[str, object]] = field(default_factory=list)

    @property
    def theta(self) -> FloatArray:
        return np.array([self.alpha1, self.beta1, self.alpha2, self.beta2, self.P], dtype=np.float64)

    def to_dict(self) -> dict[str, object]:
        return {
            "alpha1": self.alpha1,
            "beta1": self.beta1,
            "alpha2": self.alpha2,
            "beta2": self.beta2,
            "P": self.P,
            "neg_log_likelihood": self.neg_log_likelihood,
            "pairs_used": self.n_pairs,
            "method": self.method,
            "starting_points": self.starts,
            "num_close": self.num_close,
            "bounds": {"alpha": [0, PARAM_LIMIT], "beta": [0, PARAM_LIMIT], "P": [0, 1]},
            "description": FIT_DESCRIPTION.format(starts=self.starts),
            "starts": self.details,
        }


def compress(n: ArrayLike, e: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.intp]]:
    """Distinct (N, E) points, their multiplicities, and the index mapping each input back to its point."""
    n_arr = np.asarray(n, dtype=np.float64)
    e_arr = np.asarray(e, dtype=np.float64)
    if n_arr.size == 0:
        empty = np.empty(0, dtype=np.float64)
        return empty, empty, empty, np.empty(0, dtype=np.intp)
    codes, uniques = pd.factorize(n_arr + 1j * e_arr, sort=False)  # hash-based: far faster than np.unique(axis=0)
    counts = np.bincount(codes, minlength=len(uniques)).astype(np.float64)
    uniq = np.asarray(uniques, dtype=np.complex128)
    return uniq.real.copy(), uniq.imag.copy(), counts, np.asarray(codes, dtype=np.intp)


def _log_nb(n: FloatArray, e: FloatArray, a: float, b: float) -> tuple[FloatArray, FloatArray]:
    """log NB(n; size a, prob b/(b+E)) and t = log NB(0) = a·log(b/(b+E))."""
    log_p = np.log(b) - np.log(b + e)
    log_q = np.log(e) - np.log(b + e)
    t = a * log_p
    return special.gammaln(a + n) - special.gammaln(a) - special.gammaln(n + 1) + t + n * log_q, t


@dataclass
class _Points:
    """(N, E, weight) points with everything that does not depend on θ computed once.

    The α-terms gammaln(α+N) − gammaln(α) and digamma(α+N) − digamma(α) depend on N only through its value,
    and real tables have few distinct N (most are 1, 2, 3): they are evaluated per distinct N and indexed.
    """

    n: FloatArray
    e: FloatArray
    w: FloatArray
    log_e: FloatArray
    n_values: FloatArray
    n_index: NDArray[np.intp]
    const: float  # Σ w·(−gammaln(N+1))

    @classmethod
    def build(cls, n: FloatArray, e: FloatArray, w: FloatArray) -> _Points:
        values, index = np.unique(n, return_inverse=True)
        const = -float(_wsum(w, special.gammaln(n + 1)))
        return cls(n, e, w, np.log(e), values, index.reshape(-1), const)


def neg_log_likelihood(theta: ArrayLike, n: ArrayLike, e: ArrayLike, w: ArrayLike | None = None) -> float:
    """openEBGM's negLLsquash with N_star = 1 (negLL when w is None)."""
    pts = _Points.build(*_arrays(n, e, w))
    value, _ = _nll_and_grad(np.asarray(theta, dtype=np.float64), pts, gradient=False)
    return value


def _wsum(w: FloatArray, x: FloatArray) -> float:
    """Σ w·x without BLAS: np.dot hands 50k-element vectors to (multi-threaded) BLAS, whose threads stall
    badly on a busy machine (20 ms instead of 0.05 ms here); an element-wise product and a sum do not."""
    return float(np.add.reduce(w * x))


def _arrays(n: ArrayLike, e: ArrayLike, w: ArrayLike | None) -> tuple[FloatArray, FloatArray, FloatArray]:
    n_arr = np.asarray(n, dtype=np.float64)
    e_arr = np.asarray(e, dtype=np.float64)
    w_arr = np.ones_like(n_arr) if w is None else np.asarray(w, dtype=np.float64)
    return n_arr, e_arr, w_arr


def _nll_and_grad(theta: FloatArray, pts: _Points, *, gradient: bool = True) -> tuple[float, FloatArray]:
    a1, b1, a2, b2, p = (float(x) for x in theta)
    n, e, w = pts.n, pts.e, pts.w
    parts = []
    for a, b in ((a1, b1), (a2, b2)):
        log_b_e = np.log(b + e)
        ell = np.log(b) - log_b_e  # log(b/(b+E))
        t = a * ell  # log NB(0)
        omf0 = -np.expm1(t)  # 1 − NB(0)
        g = (special.gammaln(a + pts.n_values) - special.gammaln(a))[pts.n_index]
        lf = g + t + n * (pts.log_e - log_b_e) - np.log(omf0)  # log truncated NB without −gammaln(N+1)
        parts.append((a, b, ell, omf0, lf))
    c1 = np.log(p) + parts[0][4]
    c2 = np.log1p(-p) + parts[1][4]
    log_l = np.logaddexp(c1, c2)
    value = -(float(_wsum(w, log_l)) + pts.const)
    if not gradient:
        return value, np.empty(0)
    r1 = np.exp(c1 - log_l)  # posterior responsibility of component 1 (truncated densities)
    r2 = 1.0 - r1
    grad = np.empty(5)
    for k, (a, b, ell, omf0, _) in enumerate(parts):
        r = r1 if k == 0 else r2
        wr = w * r
        dg = (special.digamma(a + pts.n_values) - special.digamma(a))[pts.n_index]
        d_a = dg + ell / omf0
        d_b = a * (1.0 / b - 1.0 / (b + e)) / omf0 - n / (b + e)
        grad[2 * k] = -float(_wsum(wr, d_a))
        grad[2 * k + 1] = -float(_wsum(wr, d_b))
    # d log L / dP = (f*1 − f*2)/L = r1/P − r2/(1−P)
    grad[4] = -float(_wsum(w, r1 / p - r2 / (1 - p)))
    return value, grad


def _to_free(theta: FloatArray) -> FloatArray:
    """θ → φ = (log α1, log β1, log α2, log β2, logit P): positivity and 0 < P < 1 hold by construction."""
    p = theta[4]
    return np.append(np.log(theta[:4]), np.log(p) - np.log1p(-p))


def _from_free(phi: FloatArray) -> FloatArray:
    return np.append(np.exp(phi[:4]), special.expit(phi[4]))


def fit_prior(
    n: ArrayLike,
    e: ArrayLike,
    *,
    starts: Sequence[Sequence[float]] = DEFAULT_STARTS,
    weights: ArrayLike | None = None,
) -> Prior:
    """Maximum-likelihood two-gamma prior from pairs with N >= 1 (zero-truncated components)."""
    n_arr, e_arr, w_arr = _arrays(n, e, weights)
    keep = n_arr >= 1
    n_arr, e_arr, w_arr = n_arr[keep], e_arr[keep], w_arr[keep]
    if n_arr.size == 0:
        raise DomainError("pv.no_pairs", "No product-event pair with N >= 1: nothing to fit the prior on.", "N")
    if np.any(~np.isfinite(e_arr)) or np.any(e_arr <= 0):
        raise DomainError("pv.bad_expected", "Every expected count E must be positive and finite.", "E")
    if weights is None:
        un, ue, uw, _ = compress(n_arr, e_arr)
    else:
        un, ue, uw = n_arr, e_arr, w_arr
    scale = float(uw.sum())
    pts = _Points.build(un, ue, uw)

    def objective(phi: FloatArray) -> tuple[float, FloatArray]:
        theta = _from_free(phi)
        value, grad = _nll_and_grad(theta, pts)
        if not np.isfinite(value) or not np.all(np.isfinite(grad)):
            return 1e300, np.zeros(5)
        jac = np.append(theta[:4], theta[4] * (1 - theta[4]))  # dθ/dφ
        return value / scale, grad * jac / scale

    rows: list[dict[str, object]] = []
    anchor: list[tuple[FloatArray, float]] = []  # the best converged (θ, −log L) so far
    early_box = np.asarray(CLOSE_TOL) * EARLY_STOP_FRACTION

    def stop_in_known_basin(intermediate_result: optimize.OptimizeResult) -> None:
        # A later start that has come within a small fraction of autoHyper's tolerances of an estimate
        # already converged, and is no better, has reached the same optimum: stop it there.
        if not anchor:
            return
        theta = _from_free(np.asarray(intermediate_result.x, dtype=np.float64))
        best_theta, best_value = anchor[0]
        value = float(intermediate_result.fun) * scale
        if np.all(np.abs(theta - best_theta) < early_box) and value >= best_value - 1e-7 * abs(best_value):
            raise StopIteration

    for i, start in enumerate(starts, 1):
        row: dict[str, object] = {"start": i, "theta0": [float(x) for x in start]}
        try:
            with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
                res = optimize.minimize(
                    objective, _to_free(np.asarray(start, dtype=np.float64)), jac=True, method="BFGS",
                    options={"maxiter": 2000, "gtol": GTOL}, callback=stop_in_known_basin,
                )  # fmt: skip
            theta = _from_free(np.asarray(res.x, dtype=np.float64))
            value = float(res.fun) * scale
            ok = np.isfinite(value) and value < 1e299 and np.all(np.isfinite(theta))
            # BFGS reports "precision loss" when the line search cannot improve at machine precision: at an
            # optimum of a smooth function that is convergence; openEBGM's nlminb uses a similar relative test.
            stopped = "StopIteration" in str(res.message)
            converged = bool(ok and (res.success or stopped or "precision" in str(res.message)))
            in_box = bool(np.all(theta[:4] < PARAM_LIMIT) and 0 < theta[4] < 1 and np.all(theta[:4] > 0))
            if converged and in_box and not stopped and (not anchor or value < anchor[0][1]):
                anchor[:] = [(theta, value)]
            row.update(
                theta=[float(x) for x in theta],
                neg_log_likelihood=value,
                converged=converged,
                in_bounds=bool(np.all(theta[:4] < PARAM_LIMIT) and 0 < theta[4] < 1 and np.all(theta[:4] > 0)),
                message=str(res.message),
            )
        except (FloatingPointError, ValueError, OverflowError) as exc:  # a start that wanders off is discarded
            row.update(theta=None, neg_log_likelihood=float("inf"), converged=False, in_bounds=False, message=str(exc))
        rows.append(row)
    good = [r for r in rows if r["converged"] and r["in_bounds"]]
    if len(good) >= MIN_CONV + 1:
        best = min(good, key=lambda r: float(r["neg_log_likelihood"]))  # type: ignore[arg-type]
        best_theta = np.asarray(best["theta"], dtype=np.float64)
        num_close = 0
        for r in rows:
            if r is best or r["theta"] is None:
                continue
            diff = np.abs(np.asarray(r["theta"], dtype=np.float64) - best_theta)
            num_close += bool(np.all(diff < np.asarray(CLOSE_TOL)))
        if num_close >= MIN_CONV:
            best_theta, best_value = _newton_polish(objective, best_theta, float(best["neg_log_likelihood"]), scale)  # type: ignore[arg-type]
            best["neg_log_likelihood"] = best_value
            a1, b1, a2, b2, p = (float(x) for x in best_theta)
            return Prior(
                a1, b1, a2, b2, p,
                neg_log_likelihood=float(best["neg_log_likelihood"]),  # type: ignore[arg-type]
                method="BFGS on (log α, log β, logit P), analytic gradient",
                starts=len(starts), num_close=num_close, n_pairs=int(n_arr.size), details=rows,
            )  # fmt: skip
    raise DomainError(
        "pv.prior_fit_failed",
        "The two-gamma prior did not converge consistently from the starting points "
        "(fewer than two estimates inside autoHyper's bounds 0 < alpha, beta < 100 agree); "
        "try other starting points, strata or more data.",
        "prior",
    )


def _newton_polish(
    objective: Callable[[FloatArray], tuple[float, FloatArray]], theta: FloatArray, value: float, scale: float
) -> tuple[FloatArray, float]:
    """A few Newton steps in φ with a central-difference Hessian of the analytic gradient.

    BFGS stops when the line search can no longer improve the (very flat) likelihood in double precision;
    Newton steps on the gradient, which is still informative there, settle the optimum to ~1e-8 relative.
    A step is kept only when it does not increase the negative log-likelihood.
    """
    phi = _to_free(theta)
    for _ in range(8):
        _, g = objective(phi)
        h = np.empty((5, 5))
        for j in range(5):
            step = 1e-5 * max(1.0, abs(phi[j]))
            up, dn = phi.copy(), phi.copy()
            up[j] += step
            dn[j] -= step
            h[:, j] = (objective(up)[1] - objective(dn)[1]) / (2 * step)
        h = 0.5 * (h + h.T)
        try:
            delta = np.linalg.solve(h, g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(delta)) or np.linalg.eigvalsh(h).min() <= 0:
            break
        candidate = phi - delta
        cand_value = objective(candidate)[0] * scale
        if not cand_value <= value + 1e-9 * abs(value):
            break
        phi, value = candidate, min(value, cand_value)
        if np.max(np.abs(delta)) < 1e-9:  # φ is on a log scale: ~1e-9 relative in θ
            break
    return _from_free(phi), value


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
    theirs); Newton steps that leave the bracket are replaced by bisection.
    """
    if not 0 < prob < 1:
        raise DomainError("pv.bad_quantile", f"A quantile needs 0 < p < 1, got {prob}.", "quantile")
    a1, b1, a2, b2, _ = (float(x) for x in np.asarray(theta, dtype=np.float64))
    n_arr, e_arr, _ = _arrays(n, e, None)
    q_arr = qn(theta, n_arr, e_arr) if q is None else np.asarray(q, dtype=np.float64)
    s1, r1 = a1 + n_arr, b1 + e_arr
    s2, r2 = a2 + n_arr, b2 + e_arr
    x1 = special.gammaincinv(s1, prob) / r1
    x2 = special.gammaincinv(s2, prob) / r2
    lo, hi = np.minimum(x1, x2), np.maximum(x1, x2)
    x = q_arr * x1 + (1 - q_arr) * x2
    x = np.clip(x, lo, hi)
    active = hi - lo > rtol * hi
    for _ in range(200):
        if not active.any():
            break
        idx = np.flatnonzero(active)
        xi = x[idx]
        cdf = q_arr[idx] * special.gammainc(s1[idx], r1[idx] * xi) + (1 - q_arr[idx]) * special.gammainc(
            s2[idx], r2[idx] * xi
        )
        pdf = q_arr[idx] * _gamma_pdf(xi, s1[idx], r1[idx]) + (1 - q_arr[idx]) * _gamma_pdf(xi, s2[idx], r2[idx])
        err = cdf - prob
        lo_i, hi_i = lo[idx], hi[idx]
        lo_i = np.where(err < 0, xi, lo_i)
        hi_i = np.where(err > 0, xi, hi_i)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = xi - err / pdf
        bad = ~np.isfinite(step) | (step <= lo_i) | (step >= hi_i)
        new = np.where(bad, 0.5 * (lo_i + hi_i), step)
        lo[idx], hi[idx] = lo_i, hi_i
        done = (np.abs(new - xi) <= rtol * np.abs(new)) | (err == 0) | (hi_i - lo_i <= rtol * hi_i)
        x[idx] = np.where(err == 0, xi, new)
        active[idx] = ~done
    return x


def _gamma_pdf(x: FloatArray, shape: FloatArray, rate: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", under="ignore"):
        return np.asarray(
            np.exp(shape * np.log(rate) + (shape - 1) * np.log(x) - rate * x - special.gammaln(shape)), dtype=np.float64
        )


def posterior(theta: ArrayLike, n: ArrayLike, e: ArrayLike) -> dict[str, FloatArray]:
    """EBGM, EB05, EB95 and Q_n per pair, computed once per distinct (N, E) and broadcast back."""
    un, ue, _, inverse = compress(n, e)
    q = qn(theta, un, ue)
    out = {
        "Qn": q,
        "EBGM": ebgm(theta, un, ue, q),
        "EB05": quantile(0.05, theta, un, ue, q),
        "EB95": quantile(0.95, theta, un, ue, q),
    }
    return {k: v[inverse] for k, v in out.items()}
