"""periodize: a periodization optimizer. Load a scenario, solve it, audit the plan, export it.

    >>> from periodize import load_scenario, solve, audit
    >>> plan = solve(load_scenario("scenarios/sprint-16wk.toml"))
    >>> audit(load_scenario("scenarios/sprint-16wk.toml"), plan)  # [] when every rule holds

This module only re-exports the public surface (docs/api.md): the functions that load, solve,
audit, re-plan, explain and fit, and the types they take and return. Heavy libraries (OR-Tools, pandas, SciPy) are imported only
when used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from periodize.api import cancel, explain, fit, replan, solve
from periodize.audit import audit
from periodize.core.cancel import CancelToken
from periodize.core.errors import ExitCode, Problem, ScenarioError
from periodize.plan.conflict import Conflict
from periodize.plan.schema import Plan, Violation, load_plan
from periodize.scenario.loading import load_scenario, scenario_from_dict
from periodize.scenario.schema import Scenario
from periodize.solver.search.progress import Progress
from periodize.traininglog.log import LoggedSession, TrainingLog
from periodize.traininglog.reading import read_log

if TYPE_CHECKING:
    from periodize.fitting.estimate import FitResult

__all__ = [
    "CancelToken",
    "Conflict",
    "ExitCode",
    "FitResult",
    "LoggedSession",
    "Plan",
    "Problem",
    "Progress",
    "Scenario",
    "ScenarioError",
    "TrainingLog",
    "Violation",
    "audit",
    "cancel",
    "explain",
    "fit",
    "load_plan",
    "load_scenario",
    "read_log",
    "replan",
    "scenario_from_dict",
    "solve",
]
__version__ = "0.1.0"

# re-exported on first use: importing them loads NumPy and SciPy
_LAZY = {"FitResult": "periodize.fitting.estimate"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'periodize' has no attribute {name!r}")
