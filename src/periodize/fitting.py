"""Fitting a response model to an athlete's own loads and tests (`periodize fit`, docs/fit.md).

The model's prediction on each test day is compared with the test's value and the parameters
are those of least squared error: bounded nonlinear least squares (scipy.optimize.least_squares,
trust-region reflective) from several deterministic starts, one for each time constant of a
small grid, where the gains and p0 are first solved exactly (for fixed time constants both
models are linear in p0 and the gains). Uncertainty is the linearized one: the covariance
s²(JᵀJ)⁻¹ of the Jacobian at the optimum with s² = SSE / (tests − parameters), carried to the
parameters by the delta method, and 95 % intervals from Student's t. Leave-one-test-out
refits predict each test from the others.

Conventions: `morning` (periodize's planner, response.py) counts a day's load from the next
morning, so a test does not include its own day's load; `same-day` counts it (Clarke & Skiba
2013's spreadsheet). A test whose lower value is better (a 40 m time) is fitted on its negated
value, so that a larger model performance is always better and the planner's maximization is
right; predictions are shown in the test's own units. This module never imports the solver.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares, lsq_linear
from scipy.signal import lfilter
from scipy.stats import t as student_t

from .fitdata import LoadHistory, TestSeries, check_cover, read_loads, read_tests

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
# most 250 d; busso's tau3 under 2 x tau2 (the planner's concavity condition, scenario.py).
TAU2_RANGE = (1.0, 100.0)
TAU_GAP_RANGE = (0.5, 150.0)
TAU3_RATIO_RANGE = (0.01, 0.99)
GAIN_MIN = 1e-12
START_TAUS = {
    "banister": [(t1, t2) for t1 in (10, 25, 45, 70) for t2 in (2, 6, 12, 20) if t2 < t1],
    "busso": [
        (t1, t2, t3)
        for t1 in (15, 30, 50)
        for t2 in (4, 10, 18)
        for t3 in (1, 3, 8)
        if t2 < t1 and t3 < 2 * t2
    ],
}
# Warnings: an uncertainty larger than the value, and k1 ~ k2 with tau1 ~ tau2 (within 10 %)
HUGE_RELATIVE_ERROR = 1.0
NEAR = 0.10
SHORT_LEAD_DAYS = 42  # a first test this soon after the history starts misses earlier training

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Parameter:
    """A fitted parameter: its value, standard error and 95 % interval (nan when unknown)."""

    name: str
    value: float
    stderr: float
    low: float
    high: float


class _Design:
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


def _natural(family: str, phi: Array) -> Array:
    """(p0, k1, k2|k3, tau1, tau2[, tau3]) from the searched (p0, k1, k2|k3, tau2, gap[, ratio]):
    tau1 = tau2 + gap, tau3 = ratio * 2 * tau2, so that box bounds keep tau1 > tau2 and
    tau3 < 2 tau2."""
    p0, k1, k2, tau2, gap = phi[:5]
    out = [p0, k1, k2, tau2 + gap, tau2]
    if family == "busso":
        out.append(phi[5] * 2 * tau2)
    return np.array(out, dtype=float)


def _searched(family: str, natural: Array) -> Array:
    p0, k1, k2, tau1, tau2 = natural[:5]
    out = [p0, k1, k2, tau2, tau1 - tau2]
    if family == "busso":
        out.append(natural[5] / (2 * tau2))
    return np.array(out, dtype=float)


def _natural_jacobian(family: str, phi: Array) -> Array:
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


def _bounds(family: str) -> tuple[Array, Array]:
    low = [-np.inf, GAIN_MIN, GAIN_MIN, TAU2_RANGE[0], TAU_GAP_RANGE[0]]
    high = [np.inf, np.inf, np.inf, TAU2_RANGE[1], TAU_GAP_RANGE[1]]
    if family == "busso":
        low.append(TAU3_RATIO_RANGE[0])
        high.append(TAU3_RATIO_RANGE[1])
    return np.array(low), np.array(high)


def _shape(family: str, natural: Array) -> Array:
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
    return _shape(family, values)


@dataclass(frozen=True)
class FitResult:
    """A fitted response model, how well it fits and how sure its parameters are.

    `parameters` are as fitted, in the fit's convention and in model units: for a test whose
    lower value is better the model predicts the negated value (p0 is negative, and a higher
    model performance is a better test). `predicted` and `curve()` are in the test's units."""

    family: str
    convention: str
    history: LoadHistory
    tests: TestSeries
    parameters: dict[str, Parameter]
    predicted: tuple[float, ...]
    r2: float
    rmse: float
    loo_rmse: float | None
    loo_errors: tuple[float, ...]
    dof: int
    warnings: tuple[str, ...]
    prior: str | None
    prior_weight: float
    starts: int

    def value(self, name: str) -> float:
        return self.parameters[name].value

    def _sign(self) -> float:
        return -1.0 if self.tests.lower_is_better else 1.0

    def curve(self) -> list[float]:
        """The fitted test value for each day of the history and the morning after it."""
        days = np.arange(len(self.history.loads) + 1, dtype=float)
        design = _Design(np.array(self.history.loads), days, self.convention)
        natural = np.array([self.value(n) for n in PARAMETERS[self.family]])
        return [self._sign() * v for v in design.predict(self.family, natural)]

    def planning_parameters(self) -> dict[str, float]:
        """The parameters in the planner's morning convention. A same-day fit's prediction for
        day t (its load counted) is exactly a morning model's for the morning of t + 1 with the
        gains divided by e^(-1/tau): banister k1 e^(1/tau1), k2 e^(1/tau2); busso k1 e^(1/tau1),
        k3 e^(1/tau2). The planner's race-morning prediction is then the fit's prediction for
        the evening before the race: one day early (docs/fit.md, "Conventions")."""
        values = {name: p.value for name, p in self.parameters.items()}
        if self.convention == "same-day":
            values["k1"] *= math.exp(1 / values["tau1"])
            fatigue_gain = "k2" if self.family == "banister" else "k3"
            values[fatigue_gain] *= math.exp(1 / values["tau2"])
        return values


def _test_days(history: LoadHistory, tests: TestSeries) -> tuple[Array, Array]:
    days = np.array([history.day(r.date) for r in tests.results], dtype=float)
    sign = -1.0 if tests.lower_is_better else 1.0
    return days, sign * np.array([r.value for r in tests.results], dtype=float)


class _Problem:
    """The least-squares problem of one data set (and prior), with its multistart solve."""

    def __init__(
        self,
        family: str,
        design: _Design,
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
        self.bounds = _bounds(family)

    def residuals(self, phi: Array) -> Array:
        natural = _natural(self.family, phi)
        data = self.design.predict(self.family, natural) - self.target
        if self.prior is None:
            return data
        penalty = self.prior_scale * np.log(_shape(self.family, natural) / self.prior)
        return np.concatenate([data, penalty])

    def start(self, tau: tuple[float, ...]) -> Array:
        """p0 and the gains solved exactly (nonnegative gains) for these time constants."""
        basis = self.design.basis(self.family, tau)
        low = [-np.inf, GAIN_MIN, GAIN_MIN]
        linear = lsq_linear(basis, self.target, bounds=(low, [np.inf] * 3))
        gains = np.maximum(linear.x, [-np.inf, 2 * GAIN_MIN, 2 * GAIN_MIN])
        return _searched(self.family, np.array([*gains, *tau], dtype=float))

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


def _resolve_prior(family: str, prior: str | Mapping[str, Any] | None) -> tuple[str | None, Any]:
    """(label, preset parameters) of a prior given as a preset name, a preset file or a table."""
    if prior is None:
        return None, None
    if isinstance(prior, str):
        from . import presets

        try:
            if presets.is_path(prior):
                return prior, presets.load_file(Path(prior))
            return prior, presets.load("response", prior)
        except KeyError as exc:
            raise ValueError(str(exc.args[0])) from None
    return "given parameters", prior


def fit(
    loads: str | Path | LoadHistory,
    tests: str | Path | TestSeries,
    model: str = "banister",
    *,
    convention: str = "morning",
    test: str | None = None,
    prior: str | Mapping[str, Any] | None = None,
    prior_weight: float = 1.0,
    leave_one_out: bool = True,
) -> FitResult:
    """Fit `model` (banister or busso) to a load history and a test series (files as described
    in fitdata.py, or already read). `prior` is a response preset (name, path or parameters)
    whose shape (PRIOR_QUANTITIES) the fit is pulled toward with `prior_weight`. Raises
    ScenarioError for bad files and ValueError for bad arguments."""
    if model not in PARAMETERS:
        raise ValueError(f"model {model!r}: choose banister or busso")
    if convention not in CONVENTIONS:
        raise ValueError(f"convention {convention!r}: choose morning or same-day")
    if not (math.isfinite(prior_weight) and prior_weight >= 0):
        raise ValueError(f"prior weight {prior_weight!r}: a finite number, at least 0")
    history = loads if isinstance(loads, LoadHistory) else read_loads(loads)
    series = tests if isinstance(tests, TestSeries) else read_tests(tests, test)
    check_cover(history, series)
    label, preset = _resolve_prior(model, prior)
    prior_values = prior_shape(model, preset) if preset is not None else None

    days, target = _test_days(history, series)
    design = _Design(np.array(history.loads, dtype=float), days, convention)
    problem = _Problem(model, design, target, prior_values, prior_weight)
    starts = [problem.start(tau) for tau in START_TAUS[model]]
    best = problem.solve(starts)
    natural = _natural(model, best.x)
    fitted = design.predict(model, natural)
    errors = fitted - target
    sse = float(errors @ errors)
    total = float(((target - target.mean()) ** 2).sum())
    n_tests, n_params = len(target), len(natural)
    dof = n_tests - n_params
    parameters = _uncertainty(model, best, sse, dof)

    loo: list[float] = []
    if leave_one_out and n_tests > 1:
        for i in range(n_tests):
            keep = np.arange(n_tests) != i
            sub = _Design(design.loads, days[keep], convention)
            part = _Problem(model, sub, target[keep], prior_values, prior_weight).solve_from(best.x)
            single = _Design(design.loads, days[i : i + 1], convention)
            loo.append(float(single.predict(model, _natural(model, part.x))[0] - target[i]))
    sign = -1.0 if series.lower_is_better else 1.0
    return FitResult(
        family=model,
        convention=convention,
        history=history,
        tests=series,
        parameters=parameters,
        predicted=tuple(sign * float(v) for v in fitted),
        r2=1 - sse / total if total > 0 else float("nan"),
        rmse=math.sqrt(sse / n_tests),
        loo_rmse=math.sqrt(sum(e * e for e in loo) / len(loo)) if loo else None,
        loo_errors=tuple(sign * e for e in loo),
        dof=dof,
        warnings=tuple(_warnings(model, history, series, parameters, dof, prior_values, best)),
        prior=label,
        prior_weight=prior_weight if label else 0.0,
        starts=len(starts),
    )


def _inverse_normal_matrix(jac: Array) -> tuple[Array, Array]:
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


def _uncertainty(family: str, best: Any, sse: float, dof: int) -> dict[str, Parameter]:
    """Linearized standard errors and 95 % t intervals (nan without a degree of freedom)."""
    natural = _natural(family, best.x)
    names = PARAMETERS[family]
    stderr = np.full(len(names), np.nan)
    if dof > 0:
        inverse, unseen = _inverse_normal_matrix(np.asarray(best.jac, dtype=float))
        g = _natural_jacobian(family, best.x)
        cov = g @ ((sse / dof) * inverse) @ g.T
        stderr = np.sqrt(np.clip(np.diag(cov), 0, None))
        stderr[(np.abs(g) @ unseen.astype(float)) > 0] = np.inf
    half = float(student_t.ppf(0.975, dof)) * stderr if dof > 0 else stderr
    return {
        n: Parameter(n, float(natural[i]), float(stderr[i]), float(natural[i] - half[i]),
                     float(natural[i] + half[i]))  # fmt: skip
        for i, n in enumerate(names)
    }


def _warnings(
    family: str,
    history: LoadHistory,
    tests: TestSeries,
    parameters: dict[str, Parameter],
    dof: int,
    prior: Array | None,
    best: Any,
) -> list[str]:
    """What a coach must know before trusting the parameters."""
    out: list[str] = []
    n_params = len(parameters)
    if dof <= 0:
        extra = " the prior keeps the fit defined, but" if prior is not None else ""
        out.append(
            f"{len(tests.results)} tests for {n_params} parameters:{extra} the data cannot "
            "identify them and no uncertainty can be given; test more often, or fit with "
            "--prior PRESET"
        )
    if family == "banister":
        k1, k2 = parameters["k1"].value, parameters["k2"].value
        tau1, tau2 = parameters["tau1"].value, parameters["tau2"].value
        if abs(k2 - k1) <= NEAR * max(k1, k2) and (tau1 - tau2) <= NEAR * tau1:
            out.append(
                f"k1 ~ k2 ({k1:.4g}, {k2:.4g}) and tau1 ~ tau2 ({tau1:.3g}, {tau2:.3g} d): "
                "fitness and fatigue cancel and only their small difference is fitted; the "
                "parameters are not identifiable from these tests (fit with --prior PRESET)"
            )
    vague = [
        p.name
        for p in parameters.values()
        if p.name != "p0" and not math.isnan(p.stderr) and p.stderr > HUGE_RELATIVE_ERROR * p.value
    ]
    if vague:
        out.append(
            f"{', '.join(vague)}: standard error larger than the value; the tests hardly "
            "constrain them"
        )
    low, high = _bounds(family)
    at_bound = np.isclose(best.x, low, rtol=1e-6, atol=1e-9) | np.isclose(
        best.x, high, rtol=1e-6, atol=1e-9
    )
    if at_bound[1:].any():
        searched = ("p0", "k1", "k2" if family == "banister" else "k3", "tau2", "tau1 - tau2")
        names = [*searched, "tau3 / (2 tau2)"]
        hit = [names[i] for i in np.flatnonzero(at_bound) if i > 0]
        out.append(
            f"{', '.join(hit)} at the edge of the search range (docs/fit.md): the best fit may "
            "lie outside it, and the uncertainty there is not reliable"
        )
    lead = (tests.results[0].date - history.start).days
    if lead < SHORT_LEAD_DAYS:
        out.append(
            f"the first test is {lead} days into the load history: training before "
            f"{history.start} is taken as none; start the history earlier if it is known"
        )
    for first, last in history.gaps:
        out.append(
            f"{history.file}: no rows from {first} to {last} ({(last - first).days + 1} days), "
            "counted as rest"
        )
    return out


def evaluate(
    parameters: Mapping[str, float],
    loads: str | Path | LoadHistory,
    tests: str | Path | TestSeries,
    model: str = "banister",
    *,
    convention: str = "morning",
    test: str | None = None,
) -> tuple[float, float]:
    """R² and RMSE (test units) of given parameters (say a paper's, in model units: for a test
    whose lower value is better, p0 is the negated value) on a data set."""
    history = loads if isinstance(loads, LoadHistory) else read_loads(loads)
    series = tests if isinstance(tests, TestSeries) else read_tests(tests, test)
    check_cover(history, series)
    days, target = _test_days(history, series)
    design = _Design(np.array(history.loads, dtype=float), days, convention)
    natural = np.array([float(parameters[n]) for n in PARAMETERS[model]])
    errors = design.predict(model, natural) - target
    sse = float(errors @ errors)
    total = float(((target - target.mean()) ** 2).sum())
    return 1 - sse / total, math.sqrt(sse / len(target))

