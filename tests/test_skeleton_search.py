"""The skeleton branch and bound (solver/search/skeleton.py) and its LP bounds (solver/search/relaxation.py).

On a short block with the default presets (deload weeks, phases and a taper for the search to
branch on): the search, started without a plan, closes every node and finds exactly the optimum
that a plain CP-SAT solve proves; every LP bound, with or without fixings, is at least the best
plan those fixings allow; a search cut short keeps a valid bound; and solve() falls back to plain
CP-SAT when the search reaches no leaf in time.
"""

from __future__ import annotations

import importlib
import time

import pytest
from conftest import make, preset_block
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

import periodize
from periodize.solver.model.build import build_model
from periodize.solver.search.budget import Share
from periodize.solver.search.cuts import add_redundant_cuts
from periodize.solver.search.extract import extract_plan
from periodize.solver.search.relaxation import Relaxation
from periodize.solver.search.runs import plain_solve
from periodize.solver.search.skeleton import branch_and_bound, skeleton_literals

solve_module = importlib.import_module("periodize.solver.search.pipeline")

# six weeks to one A race with the sprint presets: deload every 3 weeks so that one must fall
BLOCK = preset_block(
    [("2027-02-13", "A")], rules={"deload": {"every_weeks": 3}, "phases": {"lengths": {}}}
)


@pytest.fixture(scope="module")
def block():
    scenario = make(BLOCK)
    model, pv = build_model(scenario)
    add_redundant_cuts(pv, 600)  # a safety net: the cuts are work-bounded
    solver, code = plain_solve(model, pv, time.perf_counter() + 120, 2, 0, False)
    assert code == cp_model.OPTIMAL
    return scenario, model, pv, int(round(solver.objective_value)), solver


def test_search_from_scratch_proves_the_plain_optimum(block):
    scenario, model, pv, optimum, _ = block
    assert len(skeleton_literals(pv)) >= 6  # something to branch on
    result = branch_and_bound(
        model,
        pv,
        incumbent=None,
        deadline=time.perf_counter() + 120,
        give_up_at=time.perf_counter() + 120,
        workers=2,
        seed=0,
    )
    assert result.closed and not result.gave_up
    assert result.objective == optimum and result.bound == optimum
    plan = extract_plan(
        scenario, pv, result.solver, cp_model.OPTIMAL, result.bound, 0, 2, time.perf_counter()
    )
    assert periodize.audit(scenario, plan) == []


def test_lp_bounds_never_cut_off_the_optimum(block):
    """Fixing any prefix of the skeleton to the optimal plan's values keeps the LP bound above it."""
    scenario, model, pv, optimum, solver = block
    literals = skeleton_literals(pv)
    relaxation = Relaxation(model, literals)
    plan_values = {v.index: solver.value(v) for v in literals}
    for k in range(len(literals) + 1):
        fixings = {v.index: plan_values[v.index] for v in literals[:k]}
        bound, _ = relaxation.bound(fixings)
        assert bound is not None and bound >= optimum, k
    week, phase = next(iter(sorted(pv.phase)))
    both = {pv.phase[(week, p)].index: 1 for (w, p) in pv.phase if w == week}
    assert len(both) > 1 and relaxation.bound(both) == (None, None)  # two phases in one week


def test_warm_lp_solves_match_cold_ones(block):
    """The search re-solves one LP from the previous basis; each bound, however the fixings jump
    between solves, equals that of a fresh LP solved from scratch with the same fixings."""
    scenario, model, pv, optimum, solver = block
    literals = skeleton_literals(pv)
    warm = Relaxation(model, literals)
    sequence = [{}]
    for k, v in enumerate(literals):
        sequence.append({v.index: k % 2})  # one literal at a time, the others released again
        sequence.append({u.index: solver.value(u) for u in literals[: k + 1]})
    sequence.append({})
    for fixings in sequence:
        warm_bound, _ = warm.bound(fixings)
        cold_bound, _ = Relaxation(model, literals).bound(fixings)
        if cold_bound is None:
            assert warm_bound is None, fixings
        else:
            assert warm_bound == pytest.approx(cold_bound, rel=1e-7), fixings


def test_an_abnormal_warm_solve_is_solved_again_from_scratch(block):
    """GLOP's warm re-solve now and then ends ABNORMAL: the node is solved again, cold."""
    _, model, pv, _, _ = block
    literals = skeleton_literals(pv)
    expected, _ = Relaxation(model, literals).bound({})
    relaxation = Relaxation(model, literals)
    real = relaxation.solver

    class Flaky:  # the first Solve() ends ABNORMAL
        calls = 0

        def Solve(self):  # noqa: N802 (pywraplp's name)
            self.calls += 1
            return pywraplp.Solver.ABNORMAL if self.calls == 1 else real.Solve()

        def __getattr__(self, name):
            return getattr(real, name)

    relaxation.solver = Flaky()
    bound, values = relaxation.bound({})
    assert relaxation.solver.calls == 2
    assert values is not None and bound == pytest.approx(expected)


def test_a_search_cut_short_keeps_a_valid_bound(block):
    scenario, model, pv, optimum, _ = block
    now = time.perf_counter()
    result = branch_and_bound(
        model, pv, incumbent=None, deadline=now, give_up_at=now, workers=2, seed=0
    )
    assert not result.closed and result.bound >= optimum


def test_solve_falls_back_to_plain_cp_sat(block, monkeypatch):
    scenario, model, pv, optimum, _ = block
    monkeypatch.setitem(
        solve_module.SHARES, "skeleton", Share(0.0, "until", "gives up at once")
    )  # the search gives up at once
    monkeypatch.setitem(solve_module.SHARES, "quick", Share(0.0, "span", "no quick solve"))
    plan = periodize.solve(scenario, time_limit=30, seed=0, workers=2)
    assert plan.status in ("optimal", "feasible")
    assert plan.bound >= plan.objective - 1e-6
    assert periodize.audit(scenario, plan) == []


def test_after_giving_up_plans_are_sought_without_the_cuts_first(block, monkeypatch):
    """Long seasons: after the search gives up, dives look for a first plan on the model without
    the redundant cuts (plans come sooner there), unhinted; then CP-SAT runs on the model with
    them, hinted with the best plan."""
    scenario, *_ = block
    monkeypatch.setitem(solve_module.SHARES, "skeleton", Share(0.0, "until", "gives up at once"))
    monkeypatch.setitem(solve_module.SHARES, "quick", Share(0.0, "span", "no quick solve"))
    calls = []

    def spy(name, real):
        def stage(model, pv, deadline, workers, seed, log, **kwargs):
            calls.append((name, len(model.proto.constraints), kwargs.get("hint") is not None))
            return real(model, pv, deadline, workers, seed, log, **kwargs)

        return stage

    monkeypatch.setattr(solve_module, "plain_solve", spy("plain", solve_module.plain_solve))
    monkeypatch.setattr(solve_module, "dives", spy("dives", solve_module.dives))
    plan = periodize.solve(scenario, time_limit=30, seed=0, workers=2)
    (quick, with_cuts, _), (dives, without_cuts, _), *rest = calls
    assert (quick, dives) == ("plain", "dives") and without_cuts < with_cuts
    assert rest or plan.status == "optimal"  # the dives' first plan may already be proven
    assert all(c == ("plain", with_cuts, True) for c in rest)
    assert plan.status in ("optimal", "feasible") and plan.bound >= plan.objective - 1e-6
    assert periodize.audit(scenario, plan) == []


def test_when_the_dives_find_no_plan_the_portfolio_starts_from_the_constructed_plan(
    block, monkeypatch
):
    """Busso seasons with a current weekly load: no search for good plans may find one in its
    time (here: none does unless hinted). The construction (deterministic work, no clock) has
    built one by then, and the portfolio starts from it, so the solve ends with a plan."""
    scenario, *_ = block
    monkeypatch.setitem(solve_module.SHARES, "skeleton", Share(0.0, "until", "off"))
    hints = []

    def no_plan(model, pv, deadline, workers, seed, log, **kwargs):
        return cp_model.CpSolver(), cp_model.UNKNOWN

    def portfolio(model, pv, deadline, workers, seed, log, **kwargs):
        hints.append(kwargs.get("hint"))
        if not kwargs.get("hint"):
            return no_plan(model, pv, deadline, workers, seed, log)
        return real_plain(model, pv, deadline, workers, seed, log, **kwargs)

    real_plain = solve_module.plain_solve
    monkeypatch.setattr(solve_module, "dives", no_plan)
    monkeypatch.setattr(solve_module, "plain_solve", portfolio)
    plan = periodize.solve(scenario, time_limit=20, seed=0, workers=2)
    assert hints[0] is None and hints[-1]  # quick unhinted; the portfolio from the constructed plan
    assert plan.status in ("optimal", "feasible")
    assert plan.found_by in ("construct", "portfolio")
    assert periodize.audit(scenario, plan) == []
