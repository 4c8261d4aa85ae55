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


def distinct_values(x: FloatArray) -> tuple[FloatArray, NDArray[np.intp]]:
    """The sorted distinct values of x and each element's index into them (np.unique's return_inverse).

    Counts are small non-negative integers: a table lookup is then linear time, where np.unique sorts.
    """
    if x.size and np.all(x >= 0) and x.max() < 1e7 and np.all(x == np.floor(x)):
        ints = x.astype(np.intp)
        present = np.bincount(ints) > 0
        position = np.cumsum(present) - 1
        return np.flatnonzero(present).astype(np.float64), np.asarray(position[ints], dtype=np.intp)
    uniques, index = np.unique(x, return_inverse=True)
    return uniques, index.reshape(-1)


def _log_nb(n: FloatArray, e: FloatArray, a: float, b: float) -> tuple[FloatArray, FloatArray]:
    """log NB(n; size a, prob b/(b+E)) and t = log NB(0) = a·log(b/(b+E))."""
    log_p = np.log(b) - np.log(b + e)
    log_q = np.log(e) - np.log(b + e)
    t = a * log_p
    return special.gammaln(a + n) - special.gammaln(a) - special.gammaln(n + 1) + t + n * log_q, t


# Points are processed in blocks this long: the ~100 element-wise temporaries of one likelihood pass then
# stay in the CPU cache instead of streaming through memory (3× faster here than whole 400k-point arrays).
BLOCK = 16384


@dataclass
class _Block:
    n: FloatArray
    e: FloatArray
    w: FloatArray
    log_e: FloatArray
    n_index: NDArray[np.intp]  # into _Points.n_values


@dataclass
class _Points:
    """(N, E, weight) points with everything that does not depend on θ computed once.

    The α-terms gammaln(α+N) − gammaln(α), digamma(α+N) − digamma(α) and trigamma(α+N) − trigamma(α)
    depend on N only through its value, and real tables have few distinct N (most are 1, 2, 3): they are
    evaluated per distinct N and indexed.
    """

    blocks: list[_Block]
    n_values: FloatArray
    const: float  # Σ w·(−gammaln(N+1))

    @classmethod
    def build(cls, n: FloatArray, e: FloatArray, w: FloatArray) -> _Points:
        values, index = distinct_values(n)
        const = -float(_wsum(w, special.gammaln(n + 1)))
        log_e = np.log(e)
        blocks = [
            _Block(n[i : i + BLOCK], e[i : i + BLOCK], w[i : i + BLOCK], log_e[i : i + BLOCK], index[i : i + BLOCK])
            for i in range(0, n.size, BLOCK)
        ]
        return cls(blocks, values, const)


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
    value, grad, _ = _evaluate(theta, pts, order=1 if gradient else 0)
    return value, grad


def _evaluate(theta: FloatArray, pts: _Points, *, order: int = 2) -> tuple[float, FloatArray, FloatArray]:
    """−log L (openEBGM's negLLsquash, N_star = 1) and, for order ≥ 1 / 2, its gradient / Hessian in θ.

    Per point, with c_k = log π_k + log f*_k, responsibilities r_k and s_k = ∇c_k, the mixture's Hessian is
    Σ_k r_k ∇²c_k + r1·r2·(s1 − s2)(s1 − s2)ᵀ, so only each component's own 2×2 block is needed.
    """
    a1, a2 = float(theta[0]), float(theta[2])
    tables = []
    for a in (a1, a2):
        shifted = a + pts.n_values
        tables.append(
            (
                special.gammaln(shifted) - special.gammaln(a),
                special.digamma(shifted) - special.digamma(a) if order >= 1 else None,
                special.polygamma(1, shifted) - special.polygamma(1, a) if order >= 2 else None,
            )
        )
    value = -pts.const
    grad = np.zeros(5)
    hess = np.zeros((5, 5))
    for block in pts.blocks:
        v, g, h = _evaluate_block(theta, block, tables, order)
        value += v
        if order >= 1:
            grad += g
        if order >= 2:
            hess += h
    return value, grad if order >= 1 else np.empty(0), hess if order >= 2 else np.empty(0)


def _evaluate_block(
    theta: FloatArray, blk: _Block, tables: list[tuple[FloatArray, FloatArray | None, FloatArray | None]], order: int
) -> tuple[float, FloatArray, FloatArray]:
    """One block's share of `_evaluate` (without the constant)."""
    a1, b1, a2, b2, p = (float(x) for x in theta)
    n, e, w = blk.n, blk.e, blk.w
    comps = []
    for (a, b), (g_tab, _, _) in zip(((a1, b1), (a2, b2)), tables, strict=True):
        bpe = b + e
        log_bpe = np.log(bpe)
        ell = np.log(b) - log_bpe  # log(b/(b+E))
        t = a * ell  # log NB(0)
        omf0 = -np.expm1(t)  # 1 − NB(0)
        lf = g_tab[blk.n_index]
        lf += t
        lf += n * (blk.log_e - log_bpe)
        lf -= np.log(omf0)  # log truncated NB without −gammaln(N+1)
        comps.append((a, b, bpe, ell, t, omf0, lf))
    c1 = comps[0][6] + np.log(p)
    c2 = comps[1][6] + np.log1p(-p)
    value = -_wsum(w, np.logaddexp(c1, c2))
    if order == 0:
        return value, np.empty(0), np.empty(0)
    r1 = special.expit(c1 - c2)  # responsibility of component 1 (truncated densities)
    wr1 = w * r1
    wr2 = w - wr1
    grad = np.empty(5)
    hess = np.zeros((5, 5))
    diffs = []  # s1 − s2 in the component parameters
    for k, (a, b, bpe, ell, t, omf0, _) in enumerate(comps):
        _, dg_tab, pg_tab = tables[k]
        assert dg_tab is not None
        wr = wr1 if k == 0 else wr2
        inv_bpe = 1.0 / bpe
        inv_omf0 = 1.0 / omf0
        u = 1.0 / b - inv_bpe  # d ell / d b
        d_a = dg_tab[blk.n_index] + ell * inv_omf0
        au = a * u
        d_b = au * inv_omf0 - n * inv_bpe
        grad[2 * k] = -_wsum(wr, d_a)
        grad[2 * k + 1] = -_wsum(wr, d_b)
        if order >= 2:
            assert pg_tab is not None
            kap = np.exp(t) * inv_omf0 * inv_omf0  # NB(0) / (1 − NB(0))²
            h_aa = pg_tab[blk.n_index] + ell * ell * kap
            h_ab = u * inv_omf0 + ell * au * kap
            h_bb = a * (inv_bpe * inv_bpe - 1.0 / (b * b)) * inv_omf0 + au * au * kap + n * inv_bpe * inv_bpe
            i, j = 2 * k, 2 * k + 1
            hess[i, i] = -_wsum(wr, h_aa)
            hess[i, j] = hess[j, i] = -_wsum(wr, h_ab)
            hess[j, j] = -_wsum(wr, h_bb)
            diffs += [d_a, d_b] if k == 0 else [-d_a, -d_b]
    # d log L / dP = r1/P − r2/(1−P)
    grad[4] = -_wsum(w, r1 / p - (1.0 - r1) / (1.0 - p))
    if order < 2:
        return value, grad, np.empty(0)
    v = wr1 * (1.0 - r1)  # w·r1·r2
    c5 = 1.0 / (p * (1.0 - p))  # the P entry of s1 − s2
    hess[4, 4] = float(np.add.reduce(wr1)) / p**2 + float(np.add.reduce(wr2)) / (1.0 - p) ** 2
    for i in range(4):
        vd = v * diffs[i]
        for j in range(i, 4):
            cross = _wsum(vd, diffs[j])
            hess[i, j] -= cross
            if j != i:
                hess[j, i] -= cross
        s = float(np.add.reduce(vd)) * c5
        hess[i, 4] -= s
        hess[4, i] -= s
    hess[4, 4] -= float(np.add.reduce(v)) * c5 * c5
    return value, grad, hess


class _Objective:
    """The per-point mean −log L in φ, with gradient and Hessian from one pass, cached for the last φ."""

    def __init__(self, pts: _Points, scale: float) -> None:
        self.pts, self.scale = pts, scale
        self._key = b""
        self._val: tuple[float, FloatArray, FloatArray] = (0.0, np.empty(0), np.empty(0))

    def at(self, phi: FloatArray) -> tuple[float, FloatArray, FloatArray]:
        key = np.asarray(phi, dtype=np.float64).tobytes()
        if key != self._key:
            theta = _from_free(np.asarray(phi, dtype=np.float64))
            value, grad, hess = _evaluate(theta, self.pts)
            if not (np.isfinite(value) and np.all(np.isfinite(grad)) and np.all(np.isfinite(hess))):
                self._val = (1e300, np.zeros(5), np.eye(5))
            else:
                # chain rule to φ: θ' = θ (log), P' = P(1−P), P'' = P(1−P)(1−2P) (logit)
                d1 = np.append(theta[:4], theta[4] * (1 - theta[4]))
                d2 = np.append(theta[:4], d1[4] * (1 - 2 * theta[4]))
                h_phi = hess * np.outer(d1, d1) + np.diag(grad * d2)
                self._val = (value / self.scale, grad * d1 / self.scale, h_phi / self.scale)
            self._key = key
        return self._val

    def fun(self, phi: FloatArray) -> float:
        return self.at(phi)[0]

    def jac(self, phi: FloatArray) -> FloatArray:
        return self.at(phi)[1]

    def hess(self, phi: FloatArray) -> FloatArray:
        return self.at(phi)[2]


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
