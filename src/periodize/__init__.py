"""periodize: a periodization optimizer. Load a scenario, solve it, audit the plan, export it.

    >>> from periodize import load_scenario, solve, audit
    >>> plan = solve(load_scenario("scenarios/sprint-16wk.toml"))
    >>> audit(load_scenario("scenarios/sprint-16wk.toml"), plan)  # [] when every rule holds

Heavy libraries (OR-Tools, pandas) are imported only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .audit import audit
from .errors import Problem, ScenarioError
from .loading import load_scenario, scenario_from_dict
from .scenario import Scenario

if TYPE_CHECKING:
    from .conflict import Conflict
    from .fitting import FitResult
    from .plan import Plan

__all__ = [
    "Plan",
    "Problem",
    "Scenario",
    "ScenarioError",
    "audit",
    "cancel",
    "explain",
    "fit",
    "load_plan",
    "load_scenario",
    "scenario_from_dict",
    "solve",
]
__version__ = "0.1.0"


def solve(scenario: Scenario, **options: Any) -> Plan:
    """Solve a scenario into a Plan and audit it (periodize.planner.solve has the options:
    time_limit, seed, workers, log, relax, warm_start, progress; docs/api.md). Raises ValueError
    for a scenario that is not a Scenario (load one with load_scenario or scenario_from_dict) or
    an option out of range."""
    from .audit import settle
    from .planner import solve as _solve

    if not isinstance(scenario, Scenario):
        raise ValueError(
            f"solve() takes a Scenario (from load_scenario or scenario_from_dict), got "
            f"{type(scenario).__name__}"
        )
    plan = _solve(scenario, **options)
    if plan.days:
        settle(scenario, plan, {(b.rule, b.week) for b in plan.bends})
    return plan


def cancel() -> None:
    """Stop the solves running in this process (from another thread, or a signal handler): each
    returns at once with its best plan so far and `interrupted` set. Returns immediately."""
    from .planner import stopping

    stopping.request()


def explain(scenario: Scenario, **options: Any) -> Conflict:
    """Why a scenario has no plan: a minimal set of clashing rule instances (see
    periodize.planner.explain; options: time_limit, seed)."""
    from .planner.explain import explain as _explain

    return _explain(scenario, **options)


def fit(loads: Any, tests: Any, model: str = "banister", **options: Any) -> FitResult:
    """Fit a response model (banister or busso) to a load history and a test series, CSV files
    as docs/fit.md describes (see periodize.fitting.fit for the options: convention, test,
    prior, prior_weight, leave_one_out). The result's parameters carry their uncertainty;
    periodize.fitoutput.preset_toml(result) is the preset a scenario can name."""
    from .fitting import fit as _fit

    return _fit(loads, tests, model, **options)


def load_plan(path: Any) -> Plan:
    from .plan import load_plan as _load_plan

    return _load_plan(path)


def __getattr__(name: str) -> Any:
    if name == "Plan":
        from .plan import Plan

        return Plan
    raise AttributeError(name)
