"""Branch and bound over the week skeleton: which weeks deload and which phase each week is in.

The LP relaxation of the full model is loose mainly because it spreads deload weeks and phases
fractionally over the block; with the skeleton fixed it is tight. So the
search branches on the skeleton's Booleans itself, bounding each node with the LP relaxation
(GLOP), and hands a node to CP-SAT as soon as the LP leaves its skeleton integral. A leaf is
solved exactly (CP-SAT on the full model plus the node's fixings), and stops as soon as its
bound proves it cannot beat the best plan so far. Nothing is relaxed in a leaf and a node is
pruned only on a valid bound, so a search that closes every node has proven its best plan
optimal; one cut short by the time limit still carries a valid bound: the largest bound of any
node or leaf left open.
"""

from __future__ import annotations

import heapq
import logging
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from periodize.core.terms import PHASE_ORDER
from periodize.solver.model.variables import PlanVariables
from periodize.solver.search import parameters, stopping
from periodize.solver.search.relaxation import Relaxation

# Nodes the best-first search expands, per fractional skeleton Boolean of the root LP, before its
# first leaf (about 3 on the 16-week block). The give-up gate prices each node at the root LP's
# cold solve time: warm nodes are faster, but long seasons' trees are far wider, so a search that
# would not reach a leaf in time gives way at once (docs/history/performance.md).
NODES_PER_FRACTIONAL = 3
log = logging.getLogger(__name__)


@dataclass
class SearchResult:
    """Best plan found (a solver holding its values, or None), its scaled objective, a valid upper
    bound on the optimum, whether every node was closed, and whether the search gave up early."""

    solver: cp_model.CpSolver | None
    objective: int | None
    bound: float
    closed: bool
    gave_up: bool


def skeleton_literals(pv: PlanVariables) -> list[cp_model.IntVar]:
    """The skeleton's free Booleans in a fixed order: deload weeks, then each week's phases."""
    literals = [pv.deload[w] for w in sorted(pv.deload)]
    literals += [
        v
        for (_, _), v in sorted(pv.phase.items(), key=lambda kv: (kv[0][0], PHASE_ORDER[kv[0][1]]))
    ]
    return [v for v in literals if len(set(v.proto.domain)) > 1]


def branch_and_bound(
    model: cp_model.CpModel,
    pv: PlanVariables,
    *,
    incumbent: tuple[cp_model.CpSolver, int] | None,
    deadline: float,
    give_up_at: float,
    workers: int,
    seed: int,
) -> SearchResult:
    """Best-first search over the skeleton until every node is closed or `deadline` (perf_counter).
    If no leaf has been reached by `give_up_at`, the search stops and reports gave_up; it gives up
    at once if, at the root LP's speed, its first leaf is not expected before then."""
    literals = skeleton_literals(pv)
    relaxation = Relaxation(model, literals)
    best_solver, best = incumbent if incumbent else (None, None)

    def beaten(bound: float) -> bool:  # nothing in this node can improve on the best plan
        return best is not None and bound < best + 1

    started = time.perf_counter()
    root, values = relaxation.bound({})
    heap = [] if root is None else [(-root, 0, {}, values)]
    if values is not None:
        fractional = sum(1e-6 < values[v.index] < 1 - 1e-6 for v in literals)
        expected = NODES_PER_FRACTIONAL * fractional * (time.perf_counter() - started)
        if time.perf_counter() + expected > give_up_at:
            log.info("first leaf expected in %.1f s: not searching", expected)
            return SearchResult(best_solver, best, root, closed=False, gave_up=True)
    pushed, leaves, open_leaf_bounds, gave_up = 1, 0, [], False
    while heap:
        if stopping.past(deadline):
            break
        bound, _, fixings, values = heap[0]
        if beaten(-bound):
            heapq.heappop(heap)
            continue
        fractional = (
            []
            if values is None
            else [
                (abs(values[v.index] - 0.5), k, v.index)
                for k, v in enumerate(literals)
                if v.index not in fixings and 1e-6 < values[v.index] < 1 - 1e-6
            ]
        )
        if fractional and leaves == 0 and time.perf_counter() >= give_up_at:
            log.info("no leaf after %d nodes: giving up", pushed)
            gave_up = True
            break
        heapq.heappop(heap)
        if not fractional:
            leaves += 1
            log.info("leaf %d after %d nodes: LP %.0f, solving", leaves, pushed, -bound)
            solver, code = solve_leaf(model, fixings, best, deadline, workers, seed)
            log.info(
                "leaf %d: %s, plan %s, bound %.0f",
                leaves,
                solver.status_name(code),
                solver.objective_value if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None,
                solver.best_objective_bound,
            )
            if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and (
                best is None or solver.objective_value > best
            ):
                best_solver, best = solver, int(round(solver.objective_value))
            done = code in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or beaten(
                solver.best_objective_bound
            )
            if not done:
                open_leaf_bounds.append(solver.best_objective_bound)
            continue
        _, _, index = min(fractional)
        for value in (0, 1):
            child = {**fixings, index: value}
            child_bound, child_values = relaxation.bound(child)
            if child_bound is not None and not beaten(child_bound):
                heapq.heappush(heap, (-child_bound, pushed, child, child_values))
                pushed += 1
    open_bounds = [-b for b, *_ in heap if not beaten(-b)] + open_leaf_bounds
    bound = max([best if best is not None else float("-inf")] + open_bounds)
    return SearchResult(best_solver, best, bound, closed=not open_bounds, gave_up=gave_up)


def solve_leaf(model, fixings, best, deadline, workers, seed):
    """CP-SAT on the model with the node's fixings, stopped once its bound cannot beat `best`."""
    leaf = model.clone()
    for index, value in sorted(fixings.items()):
        leaf.proto.variables[index].domain[0] = value
        leaf.proto.variables[index].domain[1] = value
    solver = cp_model.CpSolver()
    parameters.leaf(solver, deadline, workers, seed)
    if best is not None:
        solver.best_bound_callback = lambda b: solver.stop_search() if b < best + 1 else None
    return solver, stopping.run(solver, leaf)
