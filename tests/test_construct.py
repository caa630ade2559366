"""The week-by-week construction (solver/search/construct.py): a plan that keeps every rule, built
on deterministic work before any search, the same on every run; and the solve that falls back
on it when its search found no plan in the budget."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from ortools.sat.python import cp_model

import periodize
from periodize.solver.model.build import build_model
from periodize.solver.model.objective import objective_terms
from periodize.solver.search.construct import checked, construct
from periodize.solver.search.extract import extract_plan

ROOT = Path(__file__).resolve().parents[1]


def constructed_plan(scenario: periodize.Scenario, seed: int = 0):
    model, pv = build_model(scenario)
    built = construct(model, pv.timeline.n_weeks, seed)
    assert built is not None, "the construction found no plan"
    found = checked(model, built, seed)
    assert found is not None, "the whole model refused the constructed plan"
    plan = extract_plan(scenario, pv, found, cp_model.FEASIBLE, None, seed, 1, 0.0)
    return built, plan


@pytest.mark.parametrize("name", ["three-days", "sprint-16wk", "history-16wk"])
def test_the_constructed_plan_keeps_every_rule(name):
    scenario = periodize.load_scenario(ROOT / "benchmarks" / "scenarios" / f"{name}.toml")
    built, plan = constructed_plan(scenario)
    assert plan.days and periodize.audit(scenario, plan) == []
    assert plan.objective is not None and plan.objective > 0
    assert built.steps >= len(plan.weeks)  # one step a week at least (more where re-opened)


def test_the_construction_is_the_same_on_every_run():
    scenario = periodize.load_scenario(ROOT / "benchmarks" / "scenarios" / "three-days.toml")
    first, plan = constructed_plan(scenario)
    again, replay = constructed_plan(scenario)
    assert first.values == again.values and first.work == again.work
    assert [d.sessions for d in plan.days] == [d.sessions for d in replay.days]


def test_a_solve_whose_search_finds_no_plan_returns_the_constructed_one():
    """A work budget far too small for the search to find a plan of the 16-week Busso block:
    the plan comes from the construction and keeps every rule; a search stopped before it loaded
    its model proved no bound either (CP-SAT's reads 0 then, below the plan), so none is
    reported."""
    scenario = periodize.load_scenario(ROOT / "scenarios" / "sprint-16wk.toml")
    plan = periodize.solve(scenario, work_limit=0.01)
    assert plan.status == "feasible" and plan.violations == []
    assert plan.objective is not None and plan.bound is None and plan.gap is None
    assert plan.stopped_by == "work_limit"
    shown = run_cli("solve", str(ROOT / "scenarios" / "sprint-16wk.toml"), "--work-limit", "0.01")
    assert shown.exit_code == 0 and "bound n/a" in shown.output


def test_a_search_without_a_plan_still_gives_its_bound_to_the_constructed_plan():
    """With enough work for CP-SAT to load its model and run its LP but not to find a plan of the
    16-week Busso block, its proven bound holds for every plan of the model: the constructed plan
    carries it (above the plan and above the best plan known, so a real bound, not the 0 of a
    search that never started); a search stopped before loading its model proves none."""
    import math

    from periodize.solver.search.pipeline import constructed, searched_bound
    from periodize.solver.search.runs import plain_solve

    scenario = periodize.load_scenario(ROOT / "scenarios" / "sprint-16wk.toml")
    model, pv = build_model(scenario)
    built = constructed(model, pv, 0)
    assert built is not None
    plan, _work = built
    terms = objective_terms(scenario, pv.timeline)
    loaded, code = plain_solve(model, pv, math.inf, 1, 0, False, work=0.5)
    assert code == cp_model.UNKNOWN  # no plan of its own
    bound = searched_bound(loaded, plan)
    assert bound is not None and terms.value(bound) >= 131.0 > terms.value(plan.objective_value)
    early, code = plain_solve(model, pv, math.inf, 1, 0, False, work=0.01)
    assert code == cp_model.UNKNOWN and searched_bound(early, plan) is None


def test_a_work_budget_starts_its_search_from_the_constructed_plan():
    """On a work budget the construction comes first and hints the search, whose plan is then at
    least the constructed one; the same on every run."""
    scenario = periodize.load_scenario(ROOT / "benchmarks" / "scenarios" / "three-days.toml")
    _, constructed_one = constructed_plan(scenario)
    plan = periodize.solve(scenario, work_limit=3)
    assert plan.objective is not None and constructed_one.objective is not None
    assert plan.objective >= constructed_one.objective and plan.violations == []
    assert periodize.solve(scenario, work_limit=3).days == plan.days


def test_the_plan_says_which_part_of_the_solve_found_it():
    """found_by / found_at_seconds in the plan (and its JSON): the one-worker search, the
    construction when that search found none, and the pipeline's construct stage after a skeleton
    search that gave up (the later stages are left out so that the construction's plan is the
    answer)."""
    from periodize.solver.search import pipeline

    scenario = periodize.load_scenario(ROOT / "benchmarks" / "scenarios" / "three-days.toml")
    searched = periodize.solve(scenario, work_limit=5)
    assert searched.found_by == "one_worker" and searched.found_at_seconds is not None
    sprint = periodize.load_scenario(ROOT / "scenarios" / "sprint-16wk.toml")
    fallback = periodize.solve(sprint, work_limit=0.01)
    assert fallback.found_by == "construct"
    assert fallback.found_at_seconds == fallback.solve_seconds

    def gave_up(search):
        search.gave_up = True

    original = pipeline.PIPELINE
    try:
        pipeline.PIPELINE = (gave_up, pipeline.construct_plan)
        staged = periodize.solve(scenario, time_limit=3600, workers=2)  # no stage reads the clock
    finally:
        pipeline.PIPELINE = original
    assert staged.found_by == "construct" and staged.violations == []
    assert staged.model_dump(mode="json")["found_by"] == "construct"
