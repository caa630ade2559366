"""Banister fitness-fatigue model (Banister, Calvert et al. 1975/1976; domain.md section 6).

Convention: fitness, fatigue and performance on day t are the values on the morning of day t,
before that day's training. A day's load counts from the next morning on, so a race's predicted
performance does not include the race's own load:

    fitness(t) = fitness0 * e^(-t/tau1) + sum_{s<t} load(s) * e^(-(t-s)/tau1)
    fatigue(t) = fatigue0 * e^(-t/tau2) + sum_{s<t} load(s) * e^(-(t-s)/tau2)
    performance(t) = p0 + k1 * fitness(t) - k2 * fatigue(t)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .scenario import ResponseModel, Scenario


def influence(model: ResponseModel, lag: int) -> float:
    """Effect of one unit of load on performance `lag` days later (0 for lag < 1)."""
    if lag < 1:
        return 0.0
    return model.k1 * math.exp(-lag / model.tau1) - model.k2 * math.exp(-lag / model.tau2)


def negative_influence_days(model: ResponseModel) -> float:
    """t_n: loads closer than this many days to a race lower its performance (Fitz-Clarke 1991)."""
    if model.k2 <= model.k1:
        return 0.0
    return model.tau1 * model.tau2 / (model.tau1 - model.tau2) * math.log(model.k2 / model.k1)


@dataclass(frozen=True)
class Trajectory:
    """Morning values for each plan day."""

    fitness: list[float]
    fatigue: list[float]
    performance: list[float]


def initial_state(scenario: Scenario) -> tuple[float, float]:
    """Fitness and fatigue on the morning of the start day: from the load history when given."""
    model = scenario.athlete.response
    history = scenario.athlete.history
    if not history:
        return scenario.athlete.initial_fitness, scenario.athlete.initial_fatigue
    fitness = fatigue = 0.0
    for day in history:
        lag = (scenario.start - day.date).days
        fitness += day.load * math.exp(-lag / model.tau1)
        fatigue += day.load * math.exp(-lag / model.tau2)
    return fitness, fatigue


def simulate(scenario: Scenario, loads: Sequence[float]) -> Trajectory:
    """Fitness, fatigue and performance on each plan day's morning for these daily loads."""
    model = scenario.athlete.response
    fitness, fatigue = initial_state(scenario)
    d1, d2 = math.exp(-1 / model.tau1), math.exp(-1 / model.tau2)
    fit_out, fat_out, perf_out = [], [], []
    for load in loads:
        fit_out.append(fitness)
        fat_out.append(fatigue)
        perf_out.append(model.p0 + model.k1 * fitness - model.k2 * fatigue)
        fitness = (fitness + load) * d1
        fatigue = (fatigue + load) * d2
    return Trajectory(fit_out, fat_out, perf_out)


def baseline_performance(scenario: Scenario, day: int) -> float:
    """Predicted performance on plan day `day` with no training at all in the plan."""
    model = scenario.athlete.response
    fitness, fatigue = initial_state(scenario)
    return (
        model.p0
        + model.k1 * fitness * math.exp(-day / model.tau1)
        - model.k2 * fatigue * math.exp(-day / model.tau2)
    )
