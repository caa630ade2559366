"""The CP-SAT model of a scenario: variables, every enabled rule as constraints (in the registry's
order), the redundant cuts, and the objective."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..registry import RULES, soft_rules
from ..scenario import Scenario
from ..timeline import Timeline
from .cuts import add_redundant_cuts
from .objective import performance, soft_penalties
from .rules import BUILDERS
from .variables import PlanVariables, build_variables


def build_model(
    scenario: Scenario,
    cut_seconds: float = 0.0,
    relaxable: frozenset[str] | None = None,
    objective: bool = True,
    by_part: bool = False,
) -> tuple[cp_model.CpModel, PlanVariables]:
    """The CP-SAT model: variables, every enabled rule as a constraint, redundant cuts (given
    cut_seconds for their sub-solves) and the objective: race-day performance minus the penalties
    of bent soft rules. `relaxable` names the rule families that get keep literals (default: the
    soft rules); the cuts assume hard rules and are left out when any rule can bend. `by_part`
    gives rules with parts (frequency per category) a keep literal per part, for explanations."""
    timeline = Timeline(scenario)
    model = cp_model.CpModel()
    if relaxable is None:
        relaxable = frozenset(soft_rules(scenario.rules))
    pv = build_variables(scenario, timeline, model, relaxable)
    pv.by_part = by_part
    for spec in RULES:
        BUILDERS[spec.name](pv)
    if cut_seconds > 0 and not relaxable:
        add_redundant_cuts(pv, cut_seconds)
    if objective:
        model.maximize(performance(pv) - soft_penalties(pv))
    return model, pv
