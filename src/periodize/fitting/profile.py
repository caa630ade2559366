"""Profile-likelihood intervals for the fitted time constants (`periodize fit`, docs/fit.md).

The time constants are where the response models are nonlinear, and where a fit to a few noisy
tests often has more than one good valley: the linearized interval (the Jacobian's) sees only
the valley the fit ended in. The profile of tau1 is, for each value of tau1 on a grid, the
least sum of squares over every other parameter (the other time constants searched, p0 and the
gains solved exactly, since for fixed time constants the models are linear in them). The 95 %
interval holds every tau1 whose profile stays under S0 (1 + t² / dof), the likelihood-ratio
(F) bound with the noise estimated from the fit: for a linear model it is exactly the t
interval. Disjoint stretches under the bound are joined: the interval spans every valley.
A profile that finds a lower sum of squares than the fit's shows the fit ended in a local
optimum: the fit starts again from there (fitting/estimate.py). This module never imports the solver.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy.optimize import least_squares, lsq_linear
from scipy.stats import t as student_t

from periodize.fitting.problem import (
    GAIN_MIN,
    TAU2_RANGE,
    TAU3_RATIO_RANGE,
    TAU_GAP_RANGE,
    Array,
    LeastSquares,
)

GRID_POINTS = 16  # log-spaced values of the profiled time constant over its whole range
# The range a time constant may take (fitmodel's bounds): tau1 = tau2 + gap, tau3 = 2 r tau2
RANGES = {
    "tau1": (TAU2_RANGE[0] + TAU_GAP_RANGE[0], TAU2_RANGE[1] + TAU_GAP_RANGE[1]),
    "tau2": TAU2_RANGE,
    "tau3": (2 * TAU3_RATIO_RANGE[0] * TAU2_RANGE[0], 2 * TAU3_RATIO_RANGE[1] * TAU2_RANGE[1]),
}

# The other time constants, searched with box bounds while one is held at v: (bounds, taus(u))
Free = tuple[list[tuple[float, float]], Callable[[Array], tuple[float, ...]]]


def _free(family: str, name: str, v: float) -> Free | None:
    """How the other time constants vary while `name` is held at v (None: v leaves no room)."""
    gap, ratio = TAU_GAP_RANGE, TAU3_RATIO_RANGE
    if family == "banister":
        if name == "tau1":
            top = min(TAU2_RANGE[1], v - gap[0])
            return ([(TAU2_RANGE[0], top)], lambda u: (v, u[0])) if top > TAU2_RANGE[0] else None
        return [gap], lambda u: (v + u[0], v)
    if name == "tau1":
        top = min(TAU2_RANGE[1], v - gap[0])
        if top <= TAU2_RANGE[0]:
            return None
        return [(TAU2_RANGE[0], top), ratio], lambda u: (v, u[0], 2 * u[1] * u[0])
    if name == "tau2":
        return [gap, ratio], lambda u: (v + u[0], v, 2 * u[1] * v)
    low, high = max(TAU2_RANGE[0], v / (2 * ratio[1])), min(TAU2_RANGE[1], v / (2 * ratio[0]))
    if low >= high:
        return None
    return [(low, high), gap], lambda u: (u[0] + u[1], u[0], v)


def _natural_at(problem: LeastSquares, taus: tuple[float, ...]) -> Array:
    """All parameters for these time constants, with p0 and the gains solved exactly (the
    prior, which may pull on k2/k1, is left out of this linear step)."""
    basis = problem.design.basis(problem.family, taus)
    beta = np.linalg.lstsq(basis, problem.target, rcond=None)[0]
    if beta[1] <= 0 or beta[2] <= 0:  # the gains must stay positive
        low = [-np.inf, GAIN_MIN, GAIN_MIN]
        beta = lsq_linear(basis, problem.target, bounds=(low, [np.inf] * 3)).x
    return np.array([*beta, *taus], dtype=float)


def _residuals(problem: LeastSquares, taus: tuple[float, ...]) -> Array:
    """Data residuals (and the prior's) with p0 and the gains solved exactly for these taus."""
    return problem.residuals_natural(_natural_at(problem, taus))


def _profile_point(problem: LeastSquares, free: Free, starts: list[Array]) -> tuple[float, Array]:
    """The least sum of squares with one time constant held, and where it is."""
    box, taus = free
    low, high = np.array([b[0] for b in box]), np.array([b[1] for b in box])
    if np.any(high <= low):
        return np.inf, starts[0]
    margin = np.minimum(1e-9 * (1 + np.abs(low)), (high - low) / 4)  # strictly inside
    best: tuple[float, Array] | None = None
    for start in starts:
        u0 = np.clip(start, low + margin, high - margin)
        fitted = least_squares(
            lambda u: _residuals(problem, taus(u)), u0, bounds=(low, high), x_scale="jac"
        )
        value = 2 * float(fitted.cost)
        if best is None or value < best[0]:
            best = (value, np.asarray(fitted.x, dtype=float))
    assert best is not None
    return best


def _point(problem: LeastSquares, name: str, v: float, starts: list[Array]) -> tuple[float, Array]:
    """The profile of `name` at v (inf where v leaves the others no room), and where it is."""
    free = _free(problem.family, name, v)
    return (np.inf, starts[0]) if free is None else _profile_point(problem, free, starts)


def _free_start(family: str, name: str, fitted: dict[str, float]) -> Array:
    """The fit's own values of the free coordinates (_free's u)."""
    t1, t2 = fitted["tau1"], fitted["tau2"]
    if family == "banister":
        return np.array([t2] if name == "tau1" else [t1 - t2])
    t3 = fitted["tau3"]
    return {
        "tau1": np.array([t2, t3 / (2 * t2)]),
        "tau2": np.array([t1 - t2, t3 / (2 * t2)]),
        "tau3": np.array([t2, t1 - t2]),
    }[name]


@dataclass(frozen=True)
class Profiles:
    """The intervals of the time constants, and a better fit than the one profiled when a
    profile found one (all parameters, natural), else None."""

    intervals: dict[str, tuple[float, float]]
    better: Array | None


def profile_intervals(
    problem: LeastSquares, fitted: dict[str, float], best_sum: float, dof: int
) -> Profiles:
    """95 % profile-likelihood interval of each time constant (module docstring); an end that
    reaches the edge of the range is that edge."""
    if dof <= 0:
        return Profiles({}, None)
    bound = best_sum * (1 + float(student_t.ppf(0.975, dof)) ** 2 / dof)
    out: dict[str, tuple[float, float]] = {}
    lowest: tuple[float, Array] | None = None
    names = ("tau1", "tau2") if problem.family == "banister" else ("tau1", "tau2", "tau3")
    for name in names:
        lo, hi = RANGES[name]
        grid = np.geomspace(lo, hi, GRID_POINTS)
        value = fitted[name]
        home = _free_start(problem.family, name, fitted)

        point = partial(_point, problem, name)

        profile: dict[float, tuple[float, Array]] = {value: (best_sum, home)}
        for side in (grid[grid > value], grid[grid < value][::-1]):  # outward from the fit
            previous = home
            for v in side:
                profile[float(v)] = point(float(v), [previous, home])
                previous = profile[float(v)][1]
                cost = profile[float(v)][0]
                if cost < best_sum * (1 - 1e-7) and (lowest is None or cost < lowest[0]):
                    free = _free(problem.family, name, float(v))
                    assert free is not None
                    lowest = (cost, _natural_at(problem, free[1](previous)))
        out[name] = _span(profile, bound, point)
    return Profiles(out, lowest[1] if lowest is not None else None)


BISECTIONS = 5  # each end of an interval found to within 1/32 of a grid step (in log value)


def _span(
    profile: dict[float, tuple[float, Array]],
    bound: float,
    point: Callable[[float, list[Array]], tuple[float, Array]],
) -> tuple[float, float]:
    """The smallest and largest value under the bound; each end is bisected (in log value)
    between its last grid point under the bound and the next one over it."""
    values = sorted(profile)
    inside = [i for i, v in enumerate(values) if profile[v][0] <= bound]

    def crossing(a: float, b: float) -> float:
        start = profile[a][1]
        for _ in range(BISECTIONS):
            middle = float(np.sqrt(a * b))
            cost, u = point(middle, [start])
            if cost <= bound:
                a, start = middle, u
            else:
                b = middle
        return float(np.sqrt(a * b))

    first, last = inside[0], inside[-1]
    low = crossing(values[first], values[first - 1]) if first > 0 else values[0]
    high = crossing(values[last], values[last + 1]) if last < len(values) - 1 else values[-1]
    return low, high
