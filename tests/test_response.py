"""The Banister fitness-fatigue model (domain.md section 6): the convention that a day's own load
does not count in that day's performance, the recursion against the closed sum, and the closed-form
optimum of a plan with only a daily load cap."""

from __future__ import annotations

import math
import random

import pytest
from conftest import RACE, REST, make, rules_off, scenario_dict, solve_small, stype

from periodize.scenario.simulation import influence, negative_influence_days, simulate
from periodize.scenario.timeline import Timeline
from periodize.solver.model.objective import objective_terms

PRESETS = [
    "banister-classic",
    "calvert-1976",
    "clarke-skiba-2013",
    "clarke-skiba-2013-morning",
    "turner-2017",
]


def closed_form(
    model, f0: float, g0: float, loads: list[float], t: int
) -> tuple[float, float, float]:
    """fitness, fatigue, performance on the morning of day t from the closed sums (s < t)."""
    fit = f0 * math.exp(-t / model.tau1) + sum(
        loads[s] * math.exp(-(t - s) / model.tau1) for s in range(t)
    )
    fat = g0 * math.exp(-t / model.tau2) + sum(
        loads[s] * math.exp(-(t - s) / model.tau2) for s in range(t)
    )
    return fit, fat, model.p0 + model.k1 * fit - model.k2 * fat


@pytest.mark.parametrize("preset", PRESETS)
def test_recursion_matches_the_closed_sum(preset):
    sc = make(
        scenario_dict(
            days=40,
            response={"preset": preset},
            athlete={"initial_fitness": 700.0, "initial_fatigue": 450.0},
        )
    )
    rng = random.Random(preset)
    loads = [rng.choice([0, 0, 120, 315, 420, 600]) for _ in range(40)]
    traj = simulate(sc, loads)
    model = sc.athlete.response
    for t in range(40):
        fit, fat, perf = closed_form(model, 700.0, 450.0, loads, t)
        assert traj.fitness[t] == pytest.approx(fit, rel=1e-9, abs=1e-9)
        assert traj.fatigue[t] == pytest.approx(fat, rel=1e-9, abs=1e-9)
        assert traj.performance[t] == pytest.approx(perf, rel=1e-9, abs=1e-9)


def test_a_days_own_load_is_not_in_that_days_performance():
    sc = make(scenario_dict(days=10, response={"preset": "banister-classic"}))
    base = [300] * 10
    for t in range(9):
        bumped = list(base)
        bumped[t] += 500
        a, b = simulate(sc, base), simulate(sc, bumped)
        assert (
            a.performance[: t + 1] == b.performance[: t + 1]
        )  # up to and including day t: unchanged
        assert b.fitness[t + 1] - a.fitness[t + 1] == pytest.approx(500 * math.exp(-1 / 45))
        assert b.fatigue[t + 1] - a.fatigue[t + 1] == pytest.approx(500 * math.exp(-1 / 15))
    # day 0's morning is the initial state, whatever the loads
    assert simulate(sc, [999] * 10).performance[0] == 0.0


def test_influence_matches_the_formula_and_t_n():
    sc = make(scenario_dict(days=7, response={"preset": "banister-classic"}))
    model = sc.athlete.response
    assert influence(model, 0) == 0.0
    for lag in (1, 5, 15, 16, 40):
        assert influence(model, lag) == pytest.approx(math.exp(-lag / 45) - 2 * math.exp(-lag / 15))
    t_n = negative_influence_days(model)
    assert t_n == pytest.approx(45 * 15 / 30 * math.log(2))  # 15.6 days
    assert influence(model, 15) < 0 < influence(model, 16)
    # one unit of load `lag` days before day t changes performance on day t by influence(lag)
    for lag in (1, 10, 16, 30):
        loads = [0] * 40
        loads[40 - 1 - lag] = 1
        assert simulate(sc, loads).performance[39] == pytest.approx(influence(model, lag))


def test_plan_days_carry_the_simulated_trajectory():
    sc = make(scenario_dict(days=21, athlete={"initial_fitness": 250.0, "initial_fatigue": 100.0}))
    plan = solve_small(sc)
    loads = [d.load for d in plan.days]
    model = sc.athlete.response
    for t, d in enumerate(plan.days):
        fit, fat, perf = closed_form(model, 250.0, 100.0, loads, t)
        assert d.fitness == pytest.approx(fit, abs=1e-3)
        assert d.fatigue == pytest.approx(fat, abs=1e-3)
        assert d.performance == pytest.approx(perf, abs=1e-3)
    assert plan.races[0].predicted_performance == plan.days[-1].performance


# --------------------------------------------------------------------------- closed-form optimum
CAP = 500  # the one session type's only dose: the daily load cap


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("days", [29, 40])
def test_closed_form_optimum_with_only_a_daily_cap(preset, days):
    """Only a daily cap (one session type at one dose) and race_day: the optimal plan for one race
    is full load on every day whose influence on race day is positive and rest on the days whose
    influence is negative (the last ceil(t_n) - 1 days or so)."""
    lib = {"preset": "", "types": [REST, RACE, stype("work", "tempo", (60, CAP))]}
    rules = rules_off(race_day={})
    doc = scenario_dict(
        days=days,
        response={"preset": preset},
        sessions=lib,
        rules=rules,
        athlete={"initial_fitness": 300.0},
    )
    sc = make(doc)
    race = days - 1
    model = sc.athlete.response
    # the planner's objective rounds its coefficients: make sure none rounds to zero (the test would be ambiguous)
    terms = objective_terms(sc, Timeline(sc))
    assert all(c != 0 for c in terms.coefficients[:race])
    expected = [CAP if influence(model, race - d) > 0 else 0 for d in range(race)] + [
        RACE["doses"][0]["load"]
    ]
    negative = [d for d in range(race) if expected[d] == 0]
    assert negative == list(range(race - len(negative), race))  # rest is a block before the race
    assert (
        len(negative) == math.ceil(negative_influence_days(model)) - 1
    )  # t_n is never a whole number here

    plan = solve_small(sc)
    assert [d.load for d in plan.days] == expected
    assert [s.type for s in plan.days[race].sessions] == ["race"]
    # the predicted race performance is the closed sum of those loads, and the objective agrees
    _, _, perf = closed_form(model, 300.0, 0.0, expected, race)
    assert plan.races[0].predicted_performance == pytest.approx(perf, abs=1e-3)
    assert plan.objective == pytest.approx(perf, rel=1e-3, abs=1e-3)


def test_closed_form_without_negative_days():
    """With k2 < k1 every day helps: full load every day before the race."""
    lib = {"preset": "", "types": [REST, RACE, stype("work", "tempo", (60, CAP))]}
    doc = scenario_dict(
        days=15,
        response={"k1": 1.0, "k2": 0.9, "tau1": 40.0, "tau2": 10.0},
        sessions=lib,
        rules=rules_off(race_day={}),
    )
    plan = solve_small(doc)
    assert [d.load for d in plan.days[:-1]] == [CAP] * 14


# --------------------------------------------------------------------------- PMC and Busso
def test_ctl_atl_tsb_follow_the_performance_management_chart():
    """CTL/ATL are 42/7-day exponentially weighted averages of the days before (TSB = CTL - ATL
    of the previous day), not the Banister sums; a plan's days carry them."""
    from periodize.scenario.simulation import training_load_averages

    sc = make(scenario_dict(days=14))
    ctl, atl = training_load_averages(sc, [420] + [0] * 13)
    assert (ctl[0], atl[0]) == (0.0, 0.0)  # the morning of day 0: nothing trained yet
    assert ctl[1] == pytest.approx(420 / 42) and atl[1] == pytest.approx(420 / 7)
    assert ctl[2] == pytest.approx(10 * (1 - 1 / 42)) and atl[2] == pytest.approx(60 * 6 / 7)
    steady, _ = training_load_averages(sc, [300] * 1500)
    assert steady[-1] == pytest.approx(300, rel=1e-6)  # an average: a CTL of 300 is 300 AU a day
    plan = solve_small(sc)
    for day in plan.days:
        assert day.tsb == pytest.approx(day.ctl - day.atl, abs=2e-3)  # each rounded to 3 places
    assert {"ctl", "atl", "tsb"} <= set(plan.to_dataframe().columns)


def test_ctl_and_atl_start_from_the_history():
    from periodize.scenario.simulation import training_load_averages

    doc = scenario_dict(days=14)
    doc["athlete"]["history"] = [{"date": "2027-01-03", "load": 700}]  # the day before the start
    ctl, atl = training_load_averages(make(doc), [0] * 3)
    assert ctl[0] == pytest.approx(700 / 42) and atl[0] == pytest.approx(100)


def test_busso_fatigue_grows_with_recent_load():
    """Busso 2003: the same load costs more fatigue after hard days, and the scaled model's best
    steady daily load is the sustainable load it was scaled to."""
    from periodize.scenario.simulation import BUSSO_2003

    model = BUSSO_2003.scaled_to(300)
    assert model.steady_optimum() == pytest.approx(300)
    steady = {w: model.performance([w] * 400)[-1] for w in (240, 300, 360)}
    assert steady[300] > steady[240] and steady[300] > steady[360]
    rested = model.performance([0, 0, 0, 300, 0, 0, 0, 0])
    loaded = model.performance([300, 300, 300, 300, 0, 0, 0, 0])
    # the fourth day's load costs more after three hard days: compare its marginal effect
    base = model.performance([300, 300, 300, 0, 0, 0, 0, 0])
    assert (loaded[-1] - base[-1]) < (rested[-1] - model.performance([0] * 8)[-1])
