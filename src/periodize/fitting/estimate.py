"""Fitting a response model to an athlete's own loads and tests (`periodize fit`, docs/fit.md).

The model's prediction on each test day is compared with the test's value and the parameters
are those of least squared error: bounded nonlinear least squares (scipy.optimize.least_squares,
trust-region reflective) from several deterministic starts, one for each time constant of a
small grid, where the gains and p0 are first solved exactly (for fixed time constants both
models are linear in p0 and the gains). Standard errors are linearized: the covariance
s²(JᵀJ)⁻¹ of the Jacobian at the optimum with s² = SSE / (tests − parameters), carried to the
parameters by the delta method. 95 % intervals: of the time constants by profile likelihood
(fitting/profile.py, which also restarts the fit when it finds a lower valley), of p0 and the gains
from Student's t. Leave-one-test-out refits predict each test from the others.

Conventions: `morning` (periodize's planner, scenario/simulation.py) counts a day's load from the next
morning, so a test does not include its own day's load; `same-day` counts it (Clarke & Skiba
2013's spreadsheet). A test whose lower value is better (a 40 m time) is fitted on its negated
value, so that a larger model performance is always better and the planner's maximization is
right; predictions are shown in the test's own units. This module never imports the solver.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import t as student_t

from periodize.fitting.data import LoadHistory, TestSeries, check_cover, read_loads, read_tests
from periodize.fitting.problem import (
    CONVENTIONS,
    PARAMETERS,
    START_TAUS,
    Array,
    Design,
    LeastSquares,
    bounds,
    inverse_normal_matrix,
    natural_jacobian,
    prior_shape,
    test_days,
    to_natural,
    to_searched,
)
from periodize.fitting.profile import profile_intervals

# Warnings: an uncertainty larger than the value, and k1 ~ k2 with tau1 ~ tau2 (within 10 %)
HUGE_RELATIVE_ERROR = 1.0
NEAR = 0.10
RESTARTS = 2  # refits from a better point a profile found, at most
SHORT_LEAD_DAYS = 42  # a first test this soon after the history starts misses earlier training


@dataclass(frozen=True)
class Parameter:
    """A fitted parameter: its value, linearized standard error and 95 % interval (nan when
    unknown); `interval` says how the interval was found: "profile" (the time constants, by
    profile likelihood, fitting/profile.py) or "linearized" (p0 and the gains, value ± t·stderr)."""

    name: str
    value: float
    stderr: float
    low: float
    high: float
    interval: str = "linearized"


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
        design = Design(np.array(self.history.loads), days, self.convention)
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


def _resolve_prior(family: str, prior: str | Mapping[str, Any] | None) -> tuple[str | None, Any]:
    """(label, preset parameters) of a prior given as a preset name, a preset file or a table."""
    if prior is None:
        return None, None
    if isinstance(prior, str):
        from periodize.scenario import presets

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
    profile: bool = True,
) -> FitResult:
    """Fit `model` (banister or busso) to a load history and a test series (files as described
    in fitting/data.py, or already read). `prior` is a response preset (name, path or parameters)
    whose shape (PRIOR_QUANTITIES) the fit is pulled toward with `prior_weight`.
    `leave_one_out` refits without each test in turn; `profile` finds the time constants'
    intervals by profile likelihood (else linearized). Raises ScenarioError for bad files and
    ValueError for bad arguments."""
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

    days, target = test_days(history, series)
    design = Design(np.array(history.loads, dtype=float), days, convention)
    problem = LeastSquares(model, design, target, prior_values, prior_weight)
    starts = [problem.start(tau) for tau in START_TAUS[model]]
    best = problem.solve(starts)
    n_tests, n_params = len(target), len(PARAMETERS[model])
    dof = n_tests - n_params
    for restart in range(RESTARTS + 1):
        natural = to_natural(model, best.x)
        fitted = design.predict(model, natural)
        errors = fitted - target
        sse = float(errors @ errors)
        parameters = _uncertainty(model, best, sse, dof)
        if not profile:
            break
        values = {name: p.value for name, p in parameters.items()}
        profiles = profile_intervals(problem, values, 2 * best.cost, dof)
        for name, (low, high) in profiles.intervals.items():
            parameters[name] = replace(parameters[name], low=low, high=high, interval="profile")
        if profiles.better is None or restart == RESTARTS:
            break
        # a profile went lower than the fit: the fit was a local optimum; go on from there
        again = problem.solve_from(to_searched(model, profiles.better))
        if again.cost >= best.cost:
            break
        best = again
    total = float(((target - target.mean()) ** 2).sum())
    loo: list[float] = []
    if leave_one_out and n_tests > 1:
        for i in range(n_tests):
            keep = np.arange(n_tests) != i
            sub = Design(design.loads, days[keep], convention)
            part = LeastSquares(model, sub, target[keep], prior_values, prior_weight).solve_from(
                best.x
            )
            single = Design(design.loads, days[i : i + 1], convention)
            loo.append(float(single.predict(model, to_natural(model, part.x))[0] - target[i]))
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


def _uncertainty(family: str, best: Any, sse: float, dof: int) -> dict[str, Parameter]:
    """Linearized standard errors and 95 % t intervals (nan without a degree of freedom)."""
    natural = to_natural(family, best.x)
    names = PARAMETERS[family]
    stderr = np.full(len(names), np.nan)
    if dof > 0:
        inverse, unseen = inverse_normal_matrix(np.asarray(best.jac, dtype=float))
        g = natural_jacobian(family, best.x)
        cov = g @ ((sse / dof) * inverse) @ g.T
        stderr = np.sqrt(np.clip(np.diag(cov), 0, None))
        stderr[(np.abs(g) @ unseen.astype(float)) > 0] = np.inf
    half = float(student_t.ppf(0.975, dof)) * stderr if dof > 0 else stderr
    return {
        n: Parameter(
            n,
            float(natural[i]),
            float(stderr[i]),
            float(natural[i] - half[i]),
            float(natural[i] + half[i]),
        )  # fmt: skip
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
    low, high = bounds(family)
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
    days, target = test_days(history, series)
    design = Design(np.array(history.loads, dtype=float), days, convention)
    natural = np.array([float(parameters[n]) for n in PARAMETERS[model]])
    errors = design.predict(model, natural) - target
    sse = float(errors @ errors)
    total = float(((target - target.mean()) ** 2).sum())
    return 1 - sse / total, math.sqrt(sse / len(target))
