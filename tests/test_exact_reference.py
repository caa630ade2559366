"""Exactness: on small generated scenarios the CP-SAT optimum equals a brute-force optimum.

The reference enumerates every day-by-day choice of main session and dose for a plan of up to
eight days and checks a subset of the rules (hard recovery, weekly load cap, rest days, weekly
frequency maxima) with its own code, scoring each plan with the same integer objective
coefficients the model uses (planner.objective). Both must agree on the best score exactly.
"""

from __future__ import annotations

import itertools
import math
import time

import pytest
from conftest import CLASSIC, GOOD, library, make, rules_off, scenario_dict, stype
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

import periodize
from periodize.scenario.timeline import Timeline
from periodize.solver.model.build import build_model
from periodize.solver.model.objective import objective_terms
from periodize.solver.search.cuts import add_redundant_cuts
from periodize.solver.search.extract import extract_plan
from periodize.solver.search.skeleton import branch_and_bound


def search_alone(scenario):
    model, pv = build_model(scenario)
    add_redundant_cuts(pv, 600)  # safety nets: small instances close
    now = time.perf_counter()  # long before them, on a loaded machine too
    result = branch_and_bound(
        model, pv, incumbent=None, deadline=now + 300, give_up_at=now + 300, workers=2, seed=0
    )
    code = cp_model.OPTIMAL if result.closed and result.solver else cp_model.INFEASIBLE
    if not result.closed:
        code = cp_model.UNKNOWN
    return extract_plan(scenario, pv, result.solver, code, result.bound, 0, 2, now)


@st.composite
def small_cases(draw):
    race_day = draw(st.integers(4, 7))
    sprint = stype(
        "sprint",
        "sprint",
        (60, draw(st.integers(200, 600))),
        (45, draw(st.integers(100, 400))),
        hard=True,
    )
    tempo = stype("tempo", "tempo", (45, draw(st.integers(50, 300))))
    hours = draw(st.sampled_from([24, 48, 72]))
    rules = rules_off(
        hard_recovery={"hours": hours, "max_velocity_hours": hours},
        weekly_load_cap={"max_load": draw(st.integers(300, 2500))},
        rest_days={"min_per_week": draw(st.integers(0, 2))},
        frequency={
            "per_category": {
                "sprint": {"max": draw(st.integers(0, 4))},
                "tempo": {"max": draw(st.integers(0, 4))},
            }
        },
        race_day={},
    )
    doc = scenario_dict(
        days=race_day + 1,
        races=[(race_day, "A")],
        sessions=library(sprint, tempo),
        rules=rules,
        response=draw(st.sampled_from([GOOD, CLASSIC])),
    )
    return doc


def reference_best(scenario) -> int | None:
    """Largest sum(coefficient * load) over all plans meeting the four rules, by enumeration."""
    timeline = Timeline(scenario)
    coefficients = objective_terms(scenario, timeline).coefficients
    rules = scenario.rules
    options = [
        (t, dose)
        for t in scenario.sessions.types
        if t.category.value not in ("race",)
        for dose in t.doses
    ]
    race_day = next(iter(timeline.race_by_day))
    race = scenario.sessions.race
    gap = math.ceil(rules.hard_recovery.hours / 24)  # hard days at least this many days apart
    best = None
    for combo in itertools.product(options, repeat=race_day):
        days = [*combo, (race, race.doses[0])]
        days += [(scenario.sessions.rest, scenario.sessions.rest.doses[0])] * (
            timeline.n_days - len(days)
        )
        hard = [i for i, (t, _) in enumerate(days) if t.hard]
        if any(b - a < gap for a, b in zip(hard, hard[1:])):
            continue
        ok = True
        for week in range(timeline.n_weeks):
            chunk = days[7 * week : 7 * week + 7]
            if sum(d.load for _, d in chunk) > rules.weekly_load_cap.max_load:
                ok = False
            if (
                len(chunk) == 7
                and sum(t.category.value == "rest" for t, _ in chunk) < rules.rest_days.min_per_week
            ):
                ok = False
            for category, limit in rules.frequency.per_category.items():
                if (
                    limit.max is not None
                    and sum(t.category == category for t, _ in chunk) > limit.max
                ):
                    ok = False
        if not ok:
            continue
        score = sum(c * d.load for c, (_, d) in zip(coefficients, days))
        best = score if best is None else max(best, score)
    return best


# one worker: plain model; two: solve() with the redundant cuts; "search": the skeleton branch and
# bound alone, started without a plan
@pytest.mark.parametrize("workers", [1, 2, "search"])
@settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(doc=small_cases())
def test_cp_sat_optimum_matches_brute_force(workers, doc):
    scenario = make(doc)
    expected = reference_best(scenario)
    if workers == "search":
        plan = search_alone(scenario)
    elif workers == 1:
        plan = periodize.solve(scenario, work_limit=10, seed=0)  # the same on any machine load
    else:  # the parallel pipeline has only a wall-clock budget (a work limit means one worker):
        # a safety net that only a broken search reaches (these proofs take well under a second)
        plan = periodize.solve(scenario, time_limit=300, seed=0, workers=workers)
    if expected is None:
        assert plan.status == "infeasible"
        return
    assert plan.status == "optimal"
    coefficients = objective_terms(scenario, Timeline(scenario)).coefficients
    found = sum(c * day.load for c, day in zip(coefficients, plan.days))
    assert found == expected
    assert plan.violations == []
