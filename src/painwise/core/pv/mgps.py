"""MGPS / Gamma-Poisson Shrinker (DuMouchel 1999) as openEBGM implements it.

The prior on each pair's relative reporting rate λ is a two-gamma mixture
θ = (α1, β1, α2, β2, P). The counts N given E are then a mixture of two negative binomials; with
pairs of N ≥ 1 only, *each component is truncated at zero separately* (openEBGM's `negLL`/`negLLsquash`
with N_star = 1):

    f*_k(n) = NB(n; α_k, β_k/(β_k+E)) / (1 − NB(0; α_k, β_k/(β_k+E)))
    L(n)    = P·f*_1(n) + (1 − P)·f*_2(n)

θ is found by maximum likelihood from several starting points; like openEBGM's `autoHyper`, an estimate is
accepted only when it is strictly inside the parameter space (0 < α, β < 100, 0 < P < 1) and at least one
other start converged close to it (tolerances 0.05, 0.05, 0.2, 0.2, 0.025). The optimiser is a trust-region
Newton method (SciPy's `trust-exact`) with the analytic gradient and Hessian on (log α, log β, logit P), so
positivity and 0 < P < 1 hold by construction, and, as in autoHyper, an estimate with α or β ≥ 100 is rejected
afterwards. Converging quadratically, it needs a few dozen likelihood passes where BFGS needed ~150.

The posterior of λ given N = n is a two-gamma mixture with shapes α_k + n, rates β_k + E and weight Q_n
(untruncated negative binomials, DuMouchel's eq. 6, as openEBGM's `Qn`). EBGM = exp(E[log λ]); EB05/EB95
are the 5th/95th percentiles, found by safeguarded Newton root finding on the mixture CDF (openEBGM
bisects to 2 decimals; we solve to ~1e-12 relative and round nothing).

All computations run on the distinct (N, E) points with multiplicities as weights: this is exact (not
openEBGM's lossy "data squashing") and makes the fit independent of the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from painwise.core.errors import DomainError
from painwise.core.pv.likelihood import (
    _arrays,
    _evaluate,
    _from_free,
    _nll_and_grad,
    _Objective,
    _Points,
    _to_free,
    compress,
    distinct_values,
    neg_log_likelihood,
)
from painwise.core.pv.posterior import ebgm, posterior, posterior_points, qn, quantile

__all__ = [
    "Prior",
    "_Points",
    "_evaluate",
    "_nll_and_grad",
    "compress",
    "distinct_values",
    "ebgm",
    "fit_prior",
    "neg_log_likelihood",
    "posterior",
    "posterior_points",
    "qn",
    "quantile",
]  # fmt: skip

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
# Newton stops at this gradient norm (of the per-point mean log-likelihood in φ): converging quadratically,
# it settles θ to ~1e-9 relative or better, as far as double precision resolves the very flat optimum.
GTOL = 1e-10
NOISE_GTOL = 1e-7  # a run that stops below this gradient for want of a predictable improvement has converged
# A later start stops once within this fraction of autoHyper's tolerances of an earlier converged estimate.
EARLY_STOP_FRACTION = 0.05
BOUNDS = [(LOWER, PARAM_LIMIT)] * 4 + [(LOWER, 1 - LOWER)]
FIT_DESCRIPTION = (
    "two-gamma mixture prior, maximum likelihood on all pairs with N >= 1, each negative-binomial component "
    "truncated at zero separately (DuMouchel 1999 as openEBGM implements it); trust-region Newton "
    "(analytic gradient and Hessian) from {starts} starting points (openEBGM's), a later start stopped once "
    "it reaches an earlier one's optimum, Newton steps on the best; estimates accepted within the bounds "
    "0 < alpha, beta < 100 and 0 < P < 1 as openEBGM's autoHyper accepts; the estimate with the smallest "
    "negative log-likelihood is kept when another start converged within autoHyper's tolerances "
    "(0.05, 0.05, 0.2, 0.2, 0.025)"
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


def fit_prior(
    n: ArrayLike,
    e: ArrayLike,
    *,
    starts: Sequence[Sequence[float]] = DEFAULT_STARTS,
    weights: ArrayLike | None = None,
    n_pairs: int | None = None,
) -> Prior:
    """Maximum-likelihood two-gamma prior from pairs with N >= 1 (zero-truncated components).

    With `weights` (e.g. the multiplicities from `compress`), each (N, E) point counts that many times;
    `n_pairs` is then the number of pairs the points stand for, as reported (default: the points).
    """
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

    objective = _Objective(pts, scale)

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
                    objective.fun, _to_free(np.asarray(start, dtype=np.float64)), jac=objective.jac,
                    hess=objective.hess, method="trust-exact", options={"maxiter": 300, "gtol": GTOL},
                    callback=stop_in_known_basin,
                )  # fmt: skip
            theta = _from_free(np.asarray(res.x, dtype=np.float64))
            value = float(res.fun) * scale
            ok = np.isfinite(value) and value < 1e299 and np.all(np.isfinite(theta))
            stopped = "StopIteration" in str(res.message)
            # Within rounding of the optimum the trust region can no longer predict an improvement and
            # stops short of GTOL: with a gradient that small, that is convergence (as nlminb's relative test).
            at_noise_floor = res.jac is not None and float(np.max(np.abs(res.jac))) < NOISE_GTOL
            converged = bool(ok and (res.success or stopped or at_noise_floor))
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
            best_theta, best_value = _newton_polish(objective, best_theta, float(best["neg_log_likelihood"]))  # type: ignore[arg-type]
            best["neg_log_likelihood"] = best_value
            a1, b1, a2, b2, p = (float(x) for x in best_theta)
            return Prior(
                a1, b1, a2, b2, p,
                neg_log_likelihood=float(best["neg_log_likelihood"]),  # type: ignore[arg-type]
                method="trust-region Newton (trust-exact) on (log α, log β, logit P), analytic gradient and Hessian",
                starts=len(starts), num_close=num_close, n_pairs=int(n_arr.size) if n_pairs is None else n_pairs,
                details=rows,
            )  # fmt: skip
    raise DomainError(
        "pv.prior_fit_failed",
        "The two-gamma prior did not converge consistently from the starting points "
        "(fewer than two estimates inside autoHyper's bounds 0 < alpha, beta < 100 agree); "
        "try other starting points, strata or more data.",
        "prior",
    )


def _newton_polish(objective: _Objective, theta: FloatArray, value: float) -> tuple[FloatArray, float]:
    """Plain Newton steps (analytic Hessian) on the best estimate while they shrink the gradient.

    Near the optimum, changes of −log L fall below its rounding (the trust region's acceptance test then
    stops it), but the gradient is still accurate: steered by it, θ settles to ~1e-9 relative or better.
    """
    phi = _to_free(theta)
    _, grad, hess = objective.at(phi)
    size = float(np.max(np.abs(grad)))
    for _ in range(6):
        if size < 1e-14:
            break
        try:
            delta = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            break
        candidate = phi - delta
        cand_value, cand_grad, cand_hess = objective.at(candidate)
        cand_size = float(np.max(np.abs(cand_grad)))
        cand_total = cand_value * objective.scale
        if not (np.all(np.isfinite(candidate)) and cand_size < size and cand_total <= value + 1e-12 * abs(value)):
            break
        phi, grad, hess, size, value = candidate, cand_grad, cand_hess, cand_size, min(value, cand_total)
    return _from_free(phi), value
