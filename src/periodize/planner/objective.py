"""The objective: priority-weighted predicted performance on race days (Banister), linear in daily
loads, less the penalties of bent soft rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from ortools.sat.python import cp_model

from ..registry import soft_rules
from ..response import baseline_performance, influence
from ..scenario import Scenario
from ..timeline import Timeline
from .variables import PlanVariables

RESOLUTION = 1000  # the largest daily coefficient is scaled to this integer


@dataclass(frozen=True)
class ObjectiveTerms:
    """objective = constant + sum(coefficient[d] * load[d]) / scale, in performance units."""

    coefficients: list[int]
    scale: float
    constant: float
    targets: list[tuple[int, float]]  # (plan day, weight) of each race in the objective

    def value(self, scaled: float) -> float:
        return self.constant + scaled / self.scale


def objective_terms(scenario: Scenario, timeline: Timeline) -> ObjectiveTerms:
    """Daily coefficients sum_r weight_r * influence(race_r - day), rounded to integers after scaling
    the largest to RESOLUTION. Without races the target is performance on the plan's last day."""
    model = scenario.athlete.response
    targets = [
        (day, scenario.objective.weight(race.priority))
        for day, race in sorted(timeline.race_by_day.items())
    ]
    if not targets:
        targets = [(timeline.n_days - 1, 1.0)]
    raw = [sum(w * influence(model, t - d) for t, w in targets) for d in range(timeline.n_days)]
    biggest = max((abs(c) for c in raw), default=0.0) or 1.0
    scale = RESOLUTION / biggest
    constant = sum(w * baseline_performance(scenario, t) for t, w in targets)
    return ObjectiveTerms([round(c * scale) for c in raw], scale, constant, targets)


def performance(pv: PlanVariables) -> cp_model.LinearExpr:
    """The scaled race-day performance: sum of c_d * daily load."""
    terms = objective_terms(pv.scenario, pv.timeline)
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
