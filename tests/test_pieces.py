"""The macrocycle pieces (solver/search/pieces.py): a bound and a first skeleton for seasons with
several A races.

On a 12-week plan with two A races, small enough for plain CP-SAT to prove its optimum in a
second or two: the pieces' bound is never below that optimum, their skeleton holds a plan, a
search cut short claims nothing, and solve() uses both once the skeleton search gives up.
"""

from __future__ import annotations

import copy
import importlib
import time

import pytest
from conftest import make, preset_block
from ortools.sat.python import cp_model

import periodize
from periodize.solver.model.build import build_model
from periodize.solver.model.objective import objective_terms
from periodize.solver.search.budget import Share
from periodize.solver.search.cuts import add_redundant_cuts
from periodize.solver.search.extract import extract_plan
from periodize.solver.search.pieces import macrocycle_pieces, search_pieces, solve_by_piece
from periodize.solver.search.runs import plain_solve
from periodize.solver.search.skeleton import skeleton_literals, solve_leaf

solve_module = importlib.import_module("periodize.solver.search.pipeline")
pieces_module = importlib.import_module("periodize.solver.search.pieces")

# an indoor peak in week 5 and an outdoor peak in week 11, a transition week between them
TWO_PEAKS = preset_block(
    [("2027-02-13", "A"), ("2027-03-27", "A")], rules={"deload": {"every_weeks": 3}}
)


@pytest.fixture(scope="module")
def season():
    scenario = make(TWO_PEAKS)
    # the cuts' sub-solves are deterministic work; the wall-clock limit is a safety net, wide
    # enough that a loaded machine gets every cut (and so the same model) as an idle one
    model, pv = build_model(scenario)
    add_redundant_cuts(pv, 600)
    solver, code = plain_solve(model, pv, time.perf_counter() + 120, 2, 0, False)
    assert code == cp_model.OPTIMAL
    return scenario, model, pv, int(round(solver.objective_value))


def test_the_plan_is_cut_at_each_macrocycle(season):
    _, _, pv, _ = season
    assert macrocycle_pieces(pv) == [range(7), range(7, 12)]


def test_the_pieces_bound_is_never_below_the_optimum(season):
    _, model, pv, optimum = season
    pieces = search_pieces(model, pv, time.perf_counter() + 60)
    assert pieces is not None
    assert pieces.bound >= optimum
    assert set(pieces.skeleton) == {v.index for v in skeleton_literals(pv)}


def test_the_pieces_skeleton_holds_a_plan(season):
    scenario, model, pv, optimum = season
    pieces = search_pieces(model, pv, time.perf_counter() + 60)
    solver, code = solve_leaf(model, pieces.skeleton, None, time.perf_counter() + 60, 2, 0)
    assert code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert solver.objective_value <= optimum <= pieces.bound


@pytest.mark.slow
def test_plans_piece_by_piece_are_the_best_on_the_skeleton(season):
    """With time enough, the pieces' plans together are as good as the best plan on the whole
    skeleton here (the transition week between the peaks decouples them), and meet every rule."""
    scenario, model, pv, optimum = season
    pieces = search_pieces(model, pv, time.perf_counter() + 60)
    whole, code = solve_leaf(model, pieces.skeleton, None, time.perf_counter() + 60, 2, 0)
    assert code == cp_model.OPTIMAL
    solver, code = solve_by_piece(model, pv, pieces.skeleton, time.perf_counter() + 60, 2, 0)
    assert code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert solver.objective_value == whole.objective_value <= optimum
    plan = extract_plan(scenario, pv, solver, cp_model.FEASIBLE, optimum, 0, 2, 0.0)
    assert periodize.audit(scenario, plan) == []


@pytest.mark.slow
def test_plans_piece_by_piece_keep_the_monotony_rule():
    """The monotony rule's squared loads (product constraints) go with the piece of their days;
    left out, the pieces plan as if it were off and the whole model's check rejects the plans."""
    doc = copy.deepcopy(TWO_PEAKS)
    doc["rules"]["monotony"] = {"enabled": True, "max_monotony": 1.5}
    scenario = make(doc)
    # the cuts' sub-solves and the pieces' search are deterministic work; the wall-clock limits
    # are safety nets, wide enough that a loaded machine gets every cut and the whole search
    model, pv = build_model(scenario)
    add_redundant_cuts(pv, 600)
    pieces = search_pieces(model, pv, time.perf_counter() + 600)
    solver, code = solve_by_piece(model, pv, pieces.skeleton, time.perf_counter() + 120, 2, 0)
    assert code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    plan = extract_plan(scenario, pv, solver, cp_model.FEASIBLE, None, 0, 2, 0.0)
    assert periodize.audit(scenario, plan) == []


def test_a_piece_without_a_plan_ends_the_pieces_plans(season, monkeypatch):
    """Its status is passed back and the whole model is not solved: solve() moves on."""
    _, model, pv, _ = season
    pieces = search_pieces(model, pv, time.perf_counter() + 60)
    calls = []

    def no_plan(model, fixings, best, deadline, workers, seed):
        calls.append(len(fixings))
        return cp_model.CpSolver(), cp_model.UNKNOWN

    monkeypatch.setattr(pieces_module, "solve_leaf", no_plan)
    _, code = solve_by_piece(model, pv, pieces.skeleton, time.perf_counter() + 60, 2, 0)
    assert code == cp_model.UNKNOWN
    assert calls == [len(pieces.skeleton)]


def test_a_search_cut_short_claims_nothing(season):
    _, model, pv, _ = season
    assert search_pieces(model, pv, time.perf_counter()) is None


def test_one_a_race_is_one_piece():
    doc = copy.deepcopy(TWO_PEAKS)
    doc["races"] = doc["races"][1:]
    model, pv = build_model(make(doc))
    assert len(macrocycle_pieces(pv)) == 1
    assert search_pieces(model, pv, time.perf_counter() + 60) is None


def test_soft_rules_penalties_are_not_split_into_pieces():
    """A bent soft rule's penalty belongs to no week: the pieces would drop it from the objective."""
    doc = copy.deepcopy(TWO_PEAKS)
    doc["rules"]["ramp"] = {"mode": "soft", "penalty": 5.0}
    model, pv = build_model(make(doc))
    assert search_pieces(model, pv, time.perf_counter() + 60) is None


@pytest.mark.slow
def test_solve_bounds_with_the_pieces_and_plans_on_their_skeleton(season, monkeypatch):
    """Once the skeleton search gives up, the pieces' bound is reported (it is tighter than
    CP-SAT's first one here) and the plan comes from their skeleton, piece by piece, on the model
    without the redundant cuts (plans come sooner there)."""
    scenario, model, pv, optimum = season
    monkeypatch.setitem(
        solve_module.SHARES, "skeleton", Share(0.0, "until", "gives up at once")
    )  # the search gives up at once
    monkeypatch.setitem(solve_module.SHARES, "quick", Share(0.0, "span", "no quick solve"))
    found, leaves = [], []

    def spy_pieces(model, pv, deadline):
        found.append(search_pieces(model, pv, deadline))
        return found[-1]

    def spy_leaf(model, pv, skeleton, deadline, workers, seed):
        leaves.append((len(model.proto.constraints), skeleton))
        return solve_by_piece(model, pv, skeleton, deadline, workers, seed)

    monkeypatch.setattr(solve_module, "search_pieces", spy_pieces)
    monkeypatch.setattr(solve_module, "solve_by_piece", spy_leaf)
    plan = periodize.solve(scenario, time_limit=20, seed=0, workers=2)
    (pieces,) = found
    ((constraints, skeleton),) = leaves
    assert pieces is not None and skeleton == pieces.skeleton
    assert constraints < len(model.proto.constraints)  # the model without the cuts
    terms = objective_terms(scenario, pv.timeline)
    assert plan.status in ("optimal", "feasible")
    # (a plan's figures are rounded to 4 decimals)
    assert plan.objective - 1e-3 <= terms.value(optimum) <= plan.bound + 1e-3
    assert plan.bound <= terms.value(pieces.bound) + 1e-3
    assert periodize.audit(scenario, plan) == []


class _Stop(Exception):
    pass


@pytest.mark.parametrize(
    ("a_races", "warm", "first"),
    [(2, False, "search"), (2, True, "quick solve"), (1, False, "quick solve")],
)
def test_the_first_plain_solve_is_skipped_for_seasons_with_several_a_races(
    a_races, warm, first, monkeypatch
):
    """It never found a plan on the long seasons; a neighbour's plan as its hint brings it back."""
    doc = copy.deepcopy(TWO_PEAKS)
    doc["races"] = doc["races"][-a_races:]
    calls = []

    def record(name):
        def stop(*args, **kwargs):
            calls.append(name)
            raise _Stop

        return stop

    monkeypatch.setattr(solve_module, "plain_solve", record("quick solve"))
    monkeypatch.setattr(solve_module, "branch_and_bound", record("search"))
    monkeypatch.setattr(solve_module, "shifted_hint", lambda pv, plan, shift: [(0, 0)])
    with pytest.raises(_Stop):
        periodize.solve(make(doc), time_limit=20, workers=2, warm_start=(None, 1) if warm else None)
    assert calls == [first]
