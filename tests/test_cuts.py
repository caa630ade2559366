"""The redundant cuts' week sub-solves (solver/search/cuts.py) run on a compact copy of each week's
local constraints, renumbered: their maxima must be exactly those of the same constraints inside
the whole plan model."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from conftest import make, preset_block
from ortools.sat.python import cp_model

from periodize.solver.model.build import build_model
from periodize.solver.search.cuts import _Compact, _edge_maxima, _week_local_constraints, week_owned

BLOCK = preset_block(  # weeks run Wednesday to Tuesday, and no Wednesday can be hard
    [("2027-02-20", "A")],
    start="2027-01-06",
    transition_days=7,
    training_days=("mon", "tue", "thu", "fri", "sat", "sun"),
)


def _in_the_whole_model(pv, week, local, phase, first, last, f, ll):
    """The same maximum the straightforward way: the whole model's variables, the week's
    constraints, the fixings added in place."""
    sub = cp_model.CpModel()
    sub.proto.copy_from(pv.model.proto)
    sub.proto.constraints.clear()
    sub.proto.clear_objective()
    for ci in local:
        sub.proto.constraints.add().copy_from(pv.model.proto.constraints[ci])
    sub.add(pv.phase[(week, phase)] == 1)
    sub.add(pv.hard(first) == f)
    sub.add(pv.hard(last) == ll)
    sub.maximize(pv.week_load[week])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    code = solver.solve(sub)
    assert code in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    return None if code == cp_model.INFEASIBLE else int(solver.objective_value)


def test_compact_week_maxima_equal_the_whole_models():
    model, pv = build_model(make(BLOCK))
    owner, _ = week_owned(pv)
    by_week = _week_local_constraints(pv, owner)
    compared = impossible = 0
    for week in range(pv.timeline.n_weeks):
        days = list(pv.timeline.week_days(week))
        first, last = days[0], days[-1]
        for phase in sorted((p for (w, p) in pv.phase if w == week), key=lambda p: p.value):
            local = by_week.get(week, [])
            with ThreadPoolExecutor(2) as pool:
                maxima = _edge_maxima(
                    pv, week, local, phase, first, last, time.perf_counter() + 60, pool
                )
            for (f, ll), future in maxima.items():
                value = future if future is None else future.result()
                expected = _in_the_whole_model(pv, week, local, phase, first, last, f, ll)
                assert value == expected, (week, phase, f, ll)
                compared += 1
                impossible += value is None
    assert compared >= 20 and impossible >= 1  # some corners are impossible (a hard Wednesday)


def test_the_compact_copy_keeps_negated_literals():
    """Negated literals (enforcement, clauses) keep their sign when renumbered."""
    model = cp_model.CpModel()
    unused = [model.new_int_var(0, 9, f"u{i}") for i in range(5)]
    a, b, x = (model.new_bool_var(n) for n in "abx")
    load = model.new_int_var(0, 10, "load")
    model.add(load <= 3).only_enforce_if(~x)
    model.add_bool_or([~a, ~b])
    model.add_bool_and([x]).only_enforce_if(~a)
    model.add(load <= 4 + 3 * a + 2 * b)
    model.maximize(load + 0 * sum(unused))
    compact = _Compact(model.proto, list(model.proto.constraints), model.proto.objective)
    assert len(compact.model.proto.variables) == 4  # a, b, x, load
    for m in (model, compact.model):
        solver = cp_model.CpSolver()
        assert solver.solve(m) == cp_model.OPTIMAL
        assert solver.objective_value == 7  # a (so not b), then x: load <= 4 + 3
