"""The CP-SAT model of a scenario: variables, every enabled rule as constraints (in the registry's
order) and the objective. The search adds its redundant cuts (search/cuts.py) to it."""

from __future__ import annotations

from ortools.sat.python import cp_model

from periodize.scenario.registry import RULES, soft_rules
from periodize.scenario.schema import Scenario
from periodize.scenario.timeline import Timeline
from periodize.solver.model.objective import performance, soft_penalties
from periodize.solver.model.rules import BUILDERS
from periodize.solver.model.variables import PlanVariables, build_variables


def build_model(
    scenario: Scenario,
    relaxable: frozenset[str] | None = None,
    objective: bool = True,
    by_part: bool = False,
) -> tuple[cp_model.CpModel, PlanVariables]:
    """The CP-SAT model: variables, every enabled rule as a constraint and the objective: race-day performance minus the penalties
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
    if objective:
        model.maximize(performance(pv) - soft_penalties(pv))
    return model, pv
