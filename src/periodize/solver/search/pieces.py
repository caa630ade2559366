"""A bound and a first skeleton for seasons with several A races, one macrocycle at a time.

The skeleton search (solver/search/skeleton.py) branches on every week's phase and deload Booleans at once;
with two or more A races its tree is the product of the macrocycles' trees and it reaches no leaf
in time. Here the plan is cut at the first week of each macrocycle into pieces (a piece runs up to
the next macrocycle's first week, so it holds its race week and the transition after it). Each
piece gets the constraints whose week-owned variables all lie in it and the objective terms of its
own days; the constraints spanning two pieces (a ramp or two hard days across the cut) are
dropped. That is a relaxation, so every plan's objective is at most the sum of the pieces' optima,
and each piece's skeleton is searched best-first on its own LP (GLOP) until its best open node
leaves the skeleton integral: that node's bound bounds every plan's piece. The sum is a valid
bound on the whole model; the nodes' skeletons together are the skeleton to try first.
On the long reference seasons this bound is tighter than CP-SAT's own at the same time
(docs/performance.md has the figures).
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from periodize.solver.model.proto import constraint_vars, week_owned
from periodize.solver.model.variables import PlanVariables
from periodize.solver.search import stopping
from periodize.solver.search.relaxation import Relaxation
from periodize.solver.search.skeleton import skeleton_literals, solve_leaf

# Seconds kept from the pieces' plans for the whole model's check with every choice fixed (on 52
# weeks it takes ~0.05 s); the check always gets them, even past the deadline.
CHECK_SECONDS = 0.5


@dataclass
class PiecesResult:
    """A valid upper bound on the model's (scaled) objective and the skeleton of its best pieces."""

    bound: float
    skeleton: dict[int, int]  # proto index of each skeleton Boolean -> value


def macrocycle_pieces(pv: PlanVariables) -> list[range]:
    """The plan's weeks cut at the first week of every macrocycle."""
    starts = sorted({0} | {cycle.first_week for cycle in pv.timeline.macrocycles})
    starts = [s for s in starts if s < pv.timeline.n_weeks]
    return [range(a, b) for a, b in zip(starts, starts[1:] + [pv.timeline.n_weeks])]


def search_pieces(
    model: cp_model.CpModel, pv: PlanVariables, deadline: float
) -> PiecesResult | None:
    """The pieces' bound and skeleton; None for a plan with one piece, for an objective with terms
    no week owns (soft rules' penalties), or when the pieces are not all searched by `deadline`."""
    pieces = macrocycle_pieces(pv)
    owner, _ = week_owned(pv)
    objective = model.proto.objective
    if len(pieces) < 2 or any(v not in owner for v in objective.vars):
        return None
    literals = skeleton_literals(pv)
    sign = -1 if objective.scaling_factor < 0 else 1  # CP-SAT stores a maximization negated
    total, skeleton = sign * objective.offset, {}
    for weeks in pieces:
        piece_literals = [v for v in literals if owner[v.index] in weeks]
        relaxation = Relaxation(_piece_model(model, owner, weeks), piece_literals)
        found = _best_first_leaf(relaxation, piece_literals, deadline)
        if found is None:
            return None
        bound, fixings = found
        total += bound
        skeleton.update(fixings)
    return PiecesResult(total, skeleton)


def solve_by_piece(
    model: cp_model.CpModel,
    pv: PlanVariables,
    skeleton: dict[int, int],
    deadline: float,
    workers: int,
    seed: int,
) -> tuple[cp_model.CpSolver, int]:
    """Plans on one skeleton of the whole plan, a piece at a time (the smallest first), each with
    a share of the time by its weeks: the piece's own constraints and objective terms, plus those
    it shares with the pieces already solved, whose days stay as they were chosen. Then the whole
    model with every week's choices fixed, which checks what no piece saw. Returns that solver and
    its status (not FEASIBLE or OPTIMAL if a piece has no plan or the plans do not fit together).
    On one skeleton the pieces barely interact (a transition week, which resets the ramp, lies
    between them), and CP-SAT finds better plans for three small models than for their union in
    the same time."""
    owner, _ = week_owned(pv)
    pieces = sorted(macrocycle_pieces(pv), key=lambda weeks: (len(weeks), weeks.start))
    chosen: dict[int, int] = {}
    solved: set[int] = set()
    weeks_left = pv.timeline.n_weeks
    for weeks in pieces:
        piece = _piece_model(model, owner, solved | set(weeks))
        share = len(weeks) / weeks_left
        piece_end = time.perf_counter() + share * (deadline - CHECK_SECONDS - time.perf_counter())
        solver, code = solve_leaf(piece, skeleton | chosen, None, piece_end, workers, seed)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return solver, code
        solution = solver.response_proto.solution
        chosen |= {v: solution[v] for v, week in owner.items() if week in weeks}
        solved |= set(weeks)
        weeks_left -= len(weeks)
    # the check gets its seconds even if the last piece ran over: without it the plans are lost
    check_end = max(deadline, time.perf_counter() + CHECK_SECONDS)
    return solve_leaf(model, skeleton | chosen, None, check_end, workers, seed)


def _piece_model(model: cp_model.CpModel, owner: dict[int, int], weeks) -> cp_model.CpModel:
    """The model's variables, the constraints inside `weeks` (a collection of week numbers), and
    the objective terms of its days."""
    proto = model.proto
    piece = cp_model.CpModel()
    piece.proto.copy_from(proto)
    piece.proto.constraints.clear()
    piece.proto.clear_objective()
    piece.proto.clear_solution_hint()
    for c in proto.constraints:
        refs = constraint_vars(c)
        if refs is not None and all(owner[v] in weeks for v in refs if v in owner):
            piece.proto.constraints.add().copy_from(c)
    objective = proto.objective
    sign = -1 if objective.scaling_factor < 0 else 1
    piece.maximize(
        sum(
            sign * k * piece.get_int_var_from_proto_index(v)
            for v, k in zip(objective.vars, objective.coeffs)
            if owner[v] in weeks
        )
    )
    return piece


def _best_first_leaf(
    relaxation: Relaxation, literals: list[cp_model.IntVar], deadline: float
) -> tuple[float, dict[int, int]] | None:
    """Best-first branch and bound on the LP until the best open node is integral in `literals`:
    its bound and those literals' values. None when out of time or when an LP gives no proof."""
    root, values = relaxation.bound({})
    if root is None or values is None:
        return None
    heap = [(-root, 0, {}, values)]
    pushed = 1
    while heap and not stopping.past(deadline):
        bound, _, fixings, values = heapq.heappop(heap)
        if values is None:  # an LP that stopped short of its optimum: no valid bound to go on
            return None
        fractional = [
            (abs(values[v.index] - 0.5), k, v.index)
            for k, v in enumerate(literals)
            if v.index not in fixings and 1e-6 < values[v.index] < 1 - 1e-6
        ]
        if not fractional:
            return -bound, {v.index: round(values[v.index]) for v in literals} | fixings
        _, _, index = min(fractional)
        for value in (0, 1):
            child = {**fixings, index: value}
            child_bound, child_values = relaxation.bound(child)
            if child_bound is not None:
                heapq.heappush(heap, (-child_bound, pushed, child, child_values))
                pushed += 1
    return None
