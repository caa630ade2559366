"""Busso's variable dose-response model (Busso 2003) as a response family and as the objective:
the planner's sum-of-squares terms against the simulation, concavity of every shipped preset,
validation of its units and start, a plan whose model objective equals its re-simulation, and a
taper that reduces training instead of stopping it."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from conftest import RACE, REST, make, rules_off, scenario_dict, solve_small, stype

import periodize
from periodize.scenario.presets import load as load_preset
from periodize.scenario.simulation import BUSSO_2003, Busso, busso_of, simulate
from periodize.scenario.timeline import Timeline
from periodize.solver.model.busso import busso_terms
from periodize.solver.model.objective import objective_terms

MODELS = Path(__file__).resolve().parents[1] / "models" / "response"
BUSSO_PRESETS = sorted(
    p.stem for p in MODELS.glob("*.toml") if load_preset("response", p.stem).get("model") == "busso"
)
WORK = stype("work", "tempo", (45, 150), (60, 300), (90, 450))
BUSSO = {"preset": "busso-2003", "model": "busso"}


def busso_doc(days: int = 28, **overrides):
    doc = scenario_dict(
        days=days,
        response=BUSSO,
        sessions={"preset": "", "types": [REST, RACE, WORK]},
        rules=rules_off(race_day={}, weekly_load_cap={"max_load": 2100}),
        athlete={"current_weekly_load": 1400},
    )
    doc.update(overrides)
    return doc


@pytest.mark.parametrize("history", [False, True])
def test_sum_of_squares_equals_the_simulation(history):
    """The planner's terms (linear, R^2 and load^2 with nonnegative coefficients) give the same
    weighted race-day prediction as Busso's recursion, with and without days before the plan."""
    model = BUSSO_2003.scaled_to(300)
    rng = random.Random(7)
    loads = [rng.choice([0, 0, 150, 300, 450, 600]) for _ in range(70)]
    prior = [rng.choice([0, 200, 400]) for _ in range(28)] if history else []
    targets = [(40, 0.3), (69, 1.0)]
    terms = busso_terms(model, targets, prior, len(loads))
    performance = model.performance(loads, prior)
    expected = sum(w * performance[t] for t, w in targets)
    baseline = sum(w * model.performance([0] * 70, prior)[t] for t, w in targets)
    # exact up to the truncation of R where a3^k < 1e-4: far under 0.01 % of the gain
    assert terms.value(loads) == pytest.approx(expected, abs=1e-4 * abs(expected - baseline))
    assert min(terms.recent_square) >= 0 and min(terms.day_square) >= 0


def test_every_busso_preset_makes_performance_concave():
    """The fatigue term of each shipped busso preset is a positive definite quadratic form over a
    16-week block (so tangent planes bound it from below and the planner's bound is valid)."""
    assert BUSSO_PRESETS == ["busso-2003"]
    for name in BUSSO_PRESETS:
        values = load_preset("response", name)
        model = Busso(**{k: values[k] for k in ("k1", "k3", "tau1", "tau2", "tau3")}).scaled_to(300)
        terms = busso_terms(model, [(111, 1.0)], [], 112)
        quadratic = np.zeros((112, 112))
        for s in range(112):
            row = np.zeros(112)
            for j, w in terms.recent[s]:
                row[j] = w
            quadratic += terms.recent_square[s] * np.outer(row, row)
            quadratic[s, s] += terms.day_square[s]
        assert np.linalg.eigvalsh(quadratic[:111, :111]).min() > 0, name


def test_a_scenario_chooses_busso_and_its_units():
    """`response = "busso-2003"` or `model = "busso"` picks the family; unset load_scale puts the
    best steady daily load at the weekly cap / 7; plans report Busso's trajectory."""
    sc = make(busso_doc())
    assert sc.athlete.response.model == "busso"
    assert busso_of(sc).steady_optimum() == pytest.approx(2100 / 7)
    doc = busso_doc()
    doc["athlete"]["response"] = {
        "model": "busso",
        "k1": 0.02,
        "k3": 0.00003,
        "tau1": 40.0,
        "tau2": 12.0,
        "tau3": 3.0,
        "load_scale": 1.0,
    }
    assert busso_of(make(doc)).scale == 1.0
    doc["athlete"]["response"] = {"model": "busso", "k3": 0.00005}  # the rest from busso-2003
    assert make(doc).athlete.response.tau3 == 2.3
    loads = [300] * 27 + [0]
    trajectory = simulate(sc, loads)
    model = busso_of(sc)
    assert trajectory.performance == pytest.approx(model.performance(loads, [200.0] * 28))


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (
            {"athlete": {"response": BUSSO, "initial_fitness": 500.0}},
            "athlete.initial_fitness",
            "Banister states",
        ),
        (
            {"athlete": {"response": BUSSO}, "rules": rules_off()},
            "athlete.response.load_scale",
            "load units",
        ),
        (
            {"athlete": {"response": {**BUSSO, "tau3": 40.0}, "current_weekly_load": 1400}},
            "athlete.response",
            "under 2 x tau2",
        ),
        (
            {"athlete": {"response": {**BUSSO, "k2": 2.0}, "current_weekly_load": 1400}},
            "athlete.response.k2",
            "Extra inputs",
        ),
        (
            {"athlete": {"response": {"model": "linear"}}},
            "athlete.response",
            "'banister' or 'busso'",
        ),
    ],
)
def test_busso_input_errors_name_the_field(change, field, reason):
    doc = busso_doc()
    doc.update(change)
    with pytest.raises(periodize.ScenarioError) as err:
        make(doc)
    text = str(err.value)
    assert field in text and reason in text, text


def test_busso_plan_objective_equals_its_resimulation():
    """Solved to optimality, the plan's objective (the model's value) is its re-simulated race-day
    prediction within 0.1 % of the gain over no training, and the bound is not below it."""
    sc = make(busso_doc())
    plan = solve_small(sc)
    assert plan.status == "optimal"
    loads = [d.load for d in plan.days]
    goals = objective_terms(sc, Timeline(sc)).targets
    resimulated = sum(w * simulate(sc, loads).performance[t] for t, w in goals)
    untrained = sum(w * simulate(sc, [0] * len(loads)).performance[t] for t, w in goals)
    assert plan.objective == pytest.approx(resimulated, abs=1e-3 * (resimulated - untrained))
    assert plan.races[0].predicted_performance == pytest.approx(resimulated, abs=1e-3)
    assert plan.response == "busso"
    from periodize.output.terminal import render_plan

    assert "Race-day predictions (busso:" in render_plan(sc, plan)


def test_busso_taper_reduces_training_where_banister_stops_it():
    """With only a weekly cap, Banister's optimum rests through the last days before the race
    (every load within t_n costs); Busso's keeps training at a reduced load (Thomas & Busso 2005)
    and predicts more under Busso than the Banister plan does."""
    busso_plan = solve_small(make(busso_doc()))
    doc = busso_doc()
    doc["athlete"] = {"response": {"preset": "banister-classic"}, "current_weekly_load": 1400}
    banister_plan = solve_small(make(doc))
    last_week = slice(20, 27)
    assert sum(d.load for d in banister_plan.days[last_week]) == 0
    busso_last = [d.load for d in busso_plan.days[last_week]]
    assert sum(1 for load in busso_last if load) >= 3
    assert sum(busso_last) < 2100  # reduced: less than a full week
    sc = make(busso_doc())
    score = lambda plan: simulate(sc, [d.load for d in plan.days]).performance[27]  # noqa: E731
    assert score(busso_plan) > score(banister_plan)


def test_ctl_and_atl_start_at_the_current_weekly_load():
    """An athlete who trains 1400 AU a week now starts with CTL = ATL = 200 AU a day (TSB 0)."""
    from periodize.scenario.simulation import training_load_averages

    ctl, atl = training_load_averages(make(busso_doc()), [0] * 3)
    assert ctl[0] == pytest.approx(200) and atl[0] == pytest.approx(200)
