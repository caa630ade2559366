"""A work limit (or a proof) with a fixed seed reproduces a plan exactly, on a loaded machine too;
a one-worker time limit is wall time."""

from __future__ import annotations

import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import (
    SPRINT,
    TEMPO,
    library,
    make,
    rules_off,
    scenario_dict,
    solve_raw,
    solve_small,
    stype,
)

import periodize

# many equally good plans (three session types of equal load, loose rules): the choice among
# them is what must not change from one run to the next
# what a reproduced plan may differ in: the clock's readings and the random plan id
WALL_CLOCK = {"solve_seconds", "found_at_seconds", "plan_id"}

TIES = library(
    SPRINT,
    TEMPO,
    stype("hill", "hill", (60, 400), hard=True),
    stype("fly", "sprint", (60, 400), hard=True),
    stype("mobility", "mobility", (30, 150)),
    stype("walk", "recovery", (30, 150)),
)
RULES = rules_off(
    hard_recovery={},
    rest_days={"min_per_week": 1},
    frequency={"per_category": {"sprint": {"max": 2}, "mobility": {"min": 1}}},
    weekly_load_cap={"max_load": 1800},
    day_after_race={},
)
DOC = scenario_dict(days=24, races=[(10, "B"), (23, "A")], sessions=TIES, rules=RULES)


def test_same_seed_same_plan():
    first = solve_small(make(DOC))
    second = solve_small(make(DOC))  # a freshly validated scenario, solved again
    assert first.status == second.status == "optimal"
    assert second.days == first.days
    assert second.weeks == first.weeks
    assert (second.objective, second.bound, second.races) == (
        first.objective,
        first.bound,
        first.races,
    )
    assert (first.seed, first.workers) == (0, 1)


def test_other_seed_same_optimum():
    first = solve_raw(make(DOC))
    other = periodize.solve(make(DOC), work_limit=10, seed=7)
    assert other.status == "optimal" and other.seed == 7
    assert other.objective == first.objective


THREE_DAYS = Path(__file__).resolve().parents[1] / "benchmarks" / "scenarios" / "three-days.toml"


@contextmanager
def busy_cores(count: int = 2):
    """`count` processes spinning on the CPU while the block runs: a loaded machine."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def test_a_work_limit_reproduces_a_plan_cut_short_by_it():
    """A work limit is deterministic time, so a solve that stops on it (not on a proof) gives the
    same plan twice, and says that the work limit ended it."""
    scenario = periodize.load_scenario(THREE_DAYS)  # the Banister copy
    first = periodize.solve(scenario, work_limit=1.0, seed=5)
    second = periodize.solve(scenario, work_limit=1.0, seed=5)
    assert first.status in ("feasible", "unknown") and first.stopped_by == "work_limit"
    assert first.workers == 1
    assert first.model_dump(exclude=WALL_CLOCK) == second.model_dump(exclude=WALL_CLOCK)


def test_a_work_limit_gives_the_same_plan_on_a_loaded_machine(monkeypatch):
    """The deterministic budget is all that stops the search: a build slowed down (1.5 s of
    sleep) and two processes busy on the CPU throughout give the same plan as a quiet run.
    (Found when 200 solves through Dask and through the local pool came out different, and again
    when a 3x wall-clock safety net ended one of two runs on a busy machine.)"""
    import importlib

    solve_module = importlib.import_module("periodize.solver.search.pipeline")
    scenario = periodize.load_scenario(THREE_DAYS)  # a plan, not yet proven, in 0.6 units
    first = periodize.solve(scenario, work_limit=0.6, seed=0)
    build = solve_module.build_model

    def slow_build(*args, **kwargs):
        time.sleep(1.5)
        return build(*args, **kwargs)

    monkeypatch.setattr(solve_module, "build_model", slow_build)
    with busy_cores():
        second = periodize.solve(scenario, work_limit=0.6, seed=0)
    assert first.status == "feasible" and first.stopped_by == "work_limit"
    assert first.model_dump(exclude=WALL_CLOCK) == second.model_dump(exclude=WALL_CLOCK)


def test_one_worker_time_limit_is_wall_time():
    """Without a work limit, one worker stops on the wall clock (the limit means seconds), and the
    plan says so."""
    scenario = periodize.load_scenario(THREE_DAYS.with_name("sprint-16wk.toml"))
    plan = periodize.solve(scenario, time_limit=1.0, seed=0, workers=1)
    assert plan.stopped_by == "time_limit" and plan.status in ("feasible", "unknown")


def test_work_limit_options_are_checked():
    scenario = periodize.load_scenario(THREE_DAYS)
    with pytest.raises(ValueError, match="work_limit: a positive number"):
        periodize.solve(scenario, work_limit=0)
    with pytest.raises(ValueError, match="workers: a work_limit runs one CP-SAT worker"):
        periodize.solve(scenario, work_limit=1, workers=2)
