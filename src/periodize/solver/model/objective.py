"""The objective: priority-weighted predicted performance on race days under the scenario's
response model, less the penalties of bent soft rules. Banister's is linear in the daily loads;
Busso's is concave and encoded in solver/model/busso.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from ortools.sat.python import cp_model

from periodize.scenario.registry import soft_rules
from periodize.scenario.schema import BussoResponse, Scenario
from periodize.scenario.simulation import baseline_performance, busso_of, influence, prior_days
from periodize.scenario.timeline import Timeline
from periodize.solver.model.busso import BussoTerms, busso_performance, busso_terms, objective_scale
from periodize.solver.model.variables import PlanVariables

RESOLUTION = 1000  # Banister: the largest daily coefficient is scaled to this integer


@dataclass(frozen=True)
class ObjectiveTerms:
    """objective = constant + (scaled objective) / scale, in performance units. Banister: the
    scaled objective is sum(coefficient[d] * load[d]); Busso: `busso` holds its terms."""

    coefficients: list[int]
    scale: float
    constant: float
    targets: list[tuple[int, float]]  # (plan day, weight) of each race in the objective
    busso: BussoTerms | None = None

    def value(self, scaled: float) -> float:
        return self.constant + scaled / self.scale


def targets(scenario: Scenario, timeline: Timeline) -> list[tuple[int, float]]:
    """(plan day, weight) of each race; without races, the plan's last day."""
    found = [
        (day, scenario.objective.weight(race.priority))
        for day, race in sorted(timeline.race_by_day.items())
    ]
    return found or [(timeline.n_days - 1, 1.0)]


def objective_terms(scenario: Scenario, timeline: Timeline) -> ObjectiveTerms:
    """Banister: daily coefficients sum_r weight_r * influence(race_r - day), rounded to integers
    after scaling the largest to RESOLUTION. Busso: solver/model/busso.py's terms."""
    goals = targets(scenario, timeline)
    if isinstance(scenario.athlete.response, BussoResponse):
        terms = busso_terms(busso_of(scenario), goals, prior_days(scenario), timeline.n_days)
        scale = objective_scale(terms)
        coefficients = [round(c * scale) for c in terms.linear]
        return ObjectiveTerms(coefficients, scale, terms.constant, goals, terms)
    model = scenario.athlete.response
    raw = [sum(w * influence(model, t - d) for t, w in goals) for d in range(timeline.n_days)]
    biggest = max((abs(c) for c in raw), default=0.0) or 1.0
    scale = RESOLUTION / biggest
    constant = sum(w * baseline_performance(scenario, t) for t, w in goals)
    return ObjectiveTerms([round(c * scale) for c in raw], scale, constant, goals)


def performance(pv: PlanVariables) -> cp_model.LinearExpr:
    """The scaled race-day performance (less its constant). Busso adds the variables and
    constraints of its squares to the model: call it once per model."""
    terms = objective_terms(pv.scenario, pv.timeline)
    if terms.busso is not None:
        return cast(cp_model.LinearExpr, busso_performance(pv, terms.busso, terms.scale))
    return cast(
        cp_model.LinearExpr, sum(c * pv.day_load[d] for d, c in enumerate(terms.coefficients) if c)
    )


def soft_penalties(pv: PlanVariables) -> cp_model.LinearExpr:
    """Each bent instance of a soft rule costs its penalty, in the objective's scaled units."""
    terms = objective_terms(pv.scenario, pv.timeline)
    soft = soft_rules(pv.scenario.rules)
    return cast(
        cp_model.LinearExpr,
        sum(
            max(1, round(soft[rule] * terms.scale)) * (1 - keep)
            for (rule, _week), keep in sorted(pv.keep.items())
            if rule in soft
        ),
    )
