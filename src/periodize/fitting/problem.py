"""The least-squares problem behind `periodize fit` (fitting/estimate.py): the response models'
predictions on test days as arrays, the parameters as searched (box bounds that keep
tau1 > tau2 and tau3 < 2 tau2), the grid of starts, the prior's residuals and the inverse of
the normal matrix. This module never imports the solver."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares, lsq_linear
from scipy.signal import lfilter

from periodize.fitting.data import LoadHistory, TestSeries

Family = Literal["banister", "busso"]
Convention = Literal["morning", "same-day"]
PARAMETERS: dict[str, tuple[str, ...]] = {
    "banister": ("p0", "k1", "k2", "tau1", "tau2"),
    "busso": ("p0", "k1", "k3", "tau1", "tau2", "tau3"),
}
CONVENTIONS = ("morning", "same-day")
# What a prior pulls toward: the shape of the response, which is unit-free (a preset's gains are
# in its own load and performance units, which are not the athlete's).
PRIOR_QUANTITIES: dict[str, tuple[str, ...]] = {
    "banister": ("tau1", "tau2", "k2/k1"),
    "busso": ("tau1", "tau2", "tau3"),
}
# Time constants searched (days): fatigue from 1 to 100 d, fitness 0.5 d longer at least and at
# most 250 d; busso's tau3 under 2 x tau2 (the planner's concavity condition, scenario/schema.py).
TAU2_RANGE = (1.0, 100.0)
TAU_GAP_RANGE = (0.5, 150.0)
TAU3_RATIO_RANGE = (0.01, 0.99)
GAIN_MIN = 1e-12
START_TAUS: dict[str, list[tuple[float, ...]]] = {
    "banister": [(t1, t2) for t1 in (10, 25, 45, 70) for t2 in (2, 6, 12, 20) if t2 < t1],
    "busso": [
        (t1, t2, t3)
        for t1 in (15, 30, 50)
        for t2 in (4, 10, 18)
        for t3 in (1, 3, 8)
        if t2 < t1 and t3 < 2 * t2
    ],
}
Array = NDArray[np.float64]


class Design:
    """The data of one fit as arrays: daily loads, the lag in days from each day to each test
    day (inf where the convention leaves the load out), and the targets in model units."""

    def __init__(self, loads: Array, days: Array, convention: str):
        self.loads = loads
        lag = days[:, None] - np.arange(len(loads))[None, :]
        first = 1 if convention == "morning" else 0
        self.lag = np.where(lag >= first, lag, np.inf).astype(float)

    def decayed(self, tau: float, daily: Array) -> Array:
        """sum over counted days s of daily(s) * e^(-lag/tau), for each test day."""
        return np.asarray(np.exp(-self.lag / tau) @ daily, dtype=float)

    def basis(self, family: str, tau: tuple[float, ...]) -> Array:
        """The columns multiplying (p0, k1, k2 or k3): 1, fitness sum, minus fatigue sum."""
        fitness = self.decayed(tau[0], self.loads)
        if family == "banister":
            fatigue = self.decayed(tau[1], self.loads)
        else:  # Busso: sum k3 R(s) w(s) e^(-lag/tau2), R(s) = sum_{j<=s} w(j) e^(-(s-j)/tau3)
            recent = lfilter([1.0], [1.0, -math.exp(-1.0 / tau[2])], self.loads)
            fatigue = self.decayed(tau[1], np.asarray(recent, dtype=float) * self.loads)
        return np.column_stack([np.ones(len(fitness)), fitness, -fatigue])

    def predict(self, family: str, natural: Array) -> Array:
        gains, tau = natural[:3], tuple(natural[3:])
        return self.basis(family, tau) @ gains


def to_natural(family: str, phi: Array) -> Array:
    """(p0, k1, k2|k3, tau1, tau2[, tau3]) from the searched (p0, k1, k2|k3, tau2, gap[, ratio]):
    tau1 = tau2 + gap, tau3 = ratio * 2 * tau2, so that box bounds keep tau1 > tau2 and
    tau3 < 2 tau2."""
    p0, k1, k2, tau2, gap = phi[:5]
    out = [p0, k1, k2, tau2 + gap, tau2]
    if family == "busso":
        out.append(phi[5] * 2 * tau2)
    return np.array(out, dtype=float)


def to_searched(family: str, natural: Array) -> Array:
    p0, k1, k2, tau1, tau2 = natural[:5]
    out = [p0, k1, k2, tau2, tau1 - tau2]
    if family == "busso":
        out.append(natural[5] / (2 * tau2))
    return np.array(out, dtype=float)


def natural_jacobian(family: str, phi: Array) -> Array:
    """d natural / d searched, for the delta method."""
    size = len(phi)
    jac = np.eye(size)
    jac[3] = 0.0
    jac[3, 3] = jac[3, 4] = 1.0  # tau1 = tau2 + gap
    jac[4] = 0.0
    jac[4, 3] = 1.0  # tau2
    if family == "busso":
        jac[5] = 0.0
        jac[5, 3], jac[5, 5] = 2 * phi[5], 2 * phi[3]  # tau3 = 2 ratio tau2
    return jac


def bounds(family: str) -> tuple[Array, Array]:
    low = [-np.inf, GAIN_MIN, GAIN_MIN, TAU2_RANGE[0], TAU_GAP_RANGE[0]]
    high = [np.inf, np.inf, np.inf, TAU2_RANGE[1], TAU_GAP_RANGE[1]]
    if family == "busso":
        low.append(TAU3_RATIO_RANGE[0])
        high.append(TAU3_RATIO_RANGE[1])
    return np.array(low), np.array(high)


def shape(family: str, natural: Array) -> Array:
    """The quantities a prior pulls toward (PRIOR_QUANTITIES), from natural parameters."""
    if family == "banister":
        return np.array([natural[3], natural[4], natural[2] / natural[1]])
    return np.array([natural[3], natural[4], natural[5]])


def prior_shape(family: str, preset: Mapping[str, Any]) -> Array:
    """A preset's PRIOR_QUANTITIES; ValueError when it is of another family or lacks a value."""
    preset_family = preset.get("model", "banister")
    if preset_family != family:
        raise ValueError(f"the prior is a {preset_family} preset; the fit is {family}")
    names = PARAMETERS[family][1:]
    missing = [n for n in names if not isinstance(preset.get(n), int | float)]
    if missing:
        raise ValueError(f"the prior preset has no {', '.join(missing)}")
    values = np.array([0.0, *(float(preset[n]) for n in names)])
    if np.any(values[1:] <= 0):
        raise ValueError("the prior preset's gains and time constants must be positive")
    return shape(family, values)


def test_days(history: LoadHistory, tests: TestSeries) -> tuple[Array, Array]:
    days = np.array([history.day(r.date) for r in tests.results], dtype=float)
    sign = -1.0 if tests.lower_is_better else 1.0
    return days, sign * np.array([r.value for r in tests.results], dtype=float)


class LeastSquares:
    """The least-squares problem of one data set (and prior), with its multistart solve."""

    def __init__(
        self,
        family: str,
        design: Design,
        target: Array,
        prior: Array | None,
        prior_weight: float,
    ):
        self.family, self.design, self.target = family, design, target
        spread = float(np.std(target, ddof=1)) if len(target) > 1 else 0.0
        # a prior residual W * spread * ln(q / q_prior): one e-fold off the preset's shape costs
        # as much as W tests missed by one standard deviation of the tests
        self.prior_scale = prior_weight * (spread if spread > 0 else 1.0)
        self.prior = prior if prior_weight > 0 else None
        self.bounds = bounds(family)

    def residuals(self, phi: Array) -> Array:
        return self.residuals_natural(to_natural(self.family, phi))

    def residuals_natural(self, natural: Array) -> Array:
        """Prediction less test for each test, then the prior's residuals (if any)."""
        data = self.design.predict(self.family, natural) - self.target
        if self.prior is None:
            return data
        penalty = self.prior_scale * np.log(shape(self.family, natural) / self.prior)
        return np.concatenate([data, penalty])

    def start(self, tau: tuple[float, ...]) -> Array:
        """p0 and the gains solved exactly (nonnegative gains) for these time constants."""
        basis = self.design.basis(self.family, tau)
        low = [-np.inf, GAIN_MIN, GAIN_MIN]
        linear = lsq_linear(basis, self.target, bounds=(low, [np.inf] * 3))
        gains = np.maximum(linear.x, [-np.inf, 2 * GAIN_MIN, 2 * GAIN_MIN])
        return to_searched(self.family, np.array([*gains, *tau], dtype=float))

    def solve_from(self, phi: Array) -> Any:
        low, high = self.bounds
        margin = 1e-9 * (1 + np.abs(np.where(np.isfinite(low), low, 0.0)))
        phi = np.clip(phi, low + margin, high - margin)  # strictly inside: trf starts there
        return least_squares(
            self.residuals, phi, bounds=(low, high), x_scale="jac", method="trf", max_nfev=2000
        )

    def solve(self, starts: list[Array]) -> Any:
        best = None
        for phi in starts:  # in a fixed order; ties keep the first: deterministic
            result = self.solve_from(phi)
            if best is None or result.cost < best.cost - 1e-12 * (1 + best.cost):
                best = result
        return best


def inverse_normal_matrix(jac: Array) -> tuple[Array, Array]:
    """(JᵀJ)⁻¹ through the SVD of J with its columns scaled to unit length (gains of 1e-6 and
    time constants of 30 d differ by orders of magnitude), over the directions the data see,
    and which parameters move along a direction they do not see (singular value under 1e-12 of
    the largest): those get an infinite variance, not the zero a truncated pseudo-inverse
    would give them."""
    norms = np.linalg.norm(jac, axis=0)
    norms[norms == 0] = 1.0
    _, singular, vt = np.linalg.svd(jac / norms, full_matrices=False)
    seen = singular > 1e-12 * singular.max()
    scaled = (vt[seen].T / singular[seen] ** 2) @ vt[seen]
    unseen = (np.abs(vt[~seen]) > 1e-8).any(axis=0)
    return np.asarray(scaled / np.outer(norms, norms), dtype=float), unseen
