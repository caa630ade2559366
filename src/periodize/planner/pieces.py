"""A bound and a first skeleton for seasons with several A races, one macrocycle at a time.

The skeleton search (skeleton.py) branches on every week's phase and deload Booleans at once;
with two or more A races its tree is the product of the macrocycles' trees and it reaches no leaf
in time. Here the plan is cut at the first week of each macrocycle into pieces (a piece runs up to
the next macrocycle's first week, so it holds its race week and the transition after it). Each
piece gets the constraints whose week-owned variables all lie in it and the objective terms of its
own days; the constraints spanning two pieces (a ramp or two hard days across the cut) are
dropped. That is a relaxation, so every plan's objective is at most the sum of the pieces' optima,
and each piece's skeleton is searched best-first on its own LP (GLOP) until its best open node
leaves the skeleton integral: that node's bound bounds every plan's piece. Two threads share
that search (one heap, an LP each). The sum is a valid
bound on the whole model; the nodes' skeletons together are the skeleton to try first.
Measured on the 30- and 52-week seasons (docs/performance.md): the pieces' sum is 0.45 % and
0.65 % above the best plans known, where CP-SAT's own bound at 10 / 30 s is 0.7 / 0.8 % above.
"""

from __future__ import annotations

import heapq
import threading
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .cuts import constraint_vars, week_owned
from .relaxation import Relaxation
from .skeleton import skeleton_literals
from .variables import PlanVariables

SEARCH_THREADS = 2  # the machines we target have 2 cores


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
        found = _best_first_leaf(_piece_model(model, owner, weeks), piece_literals, deadline)
        if found is None:
            return None
        bound, fixings = found
        total += bound
        skeleton.update(fixings)
    return PiecesResult(total, skeleton)


def _piece_model(model: cp_model.CpModel, owner: dict[int, int], weeks: range) -> cp_model.CpModel:
    """The model's variables, the constraints inside `weeks`, and the objective terms of its days."""
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
    model: cp_model.CpModel, literals: list[cp_model.IntVar], deadline: float
) -> tuple[float, dict[int, int]] | None:
    """Best-first branch and bound on the LP until the best open node is integral in `literals`:
    its bound and those literals' values. None when out of time or when an LP gives no proof.
    SEARCH_THREADS threads, each with its own LP (GLOP releases Python's lock while it solves),
    expand the best open nodes of one shared heap; an integral node ends the search only once no
    node still being expanded has a larger bound (its children could be better leaves). Best
    first stops at the largest LP bound of any integral skeleton, whatever the order of the
    expansions, so the threads change how soon, not what."""
    first = Relaxation(model, literals)
    root, values = first.bound({})
    if root is None or values is None:
        return None
    search = _SharedSearch(literals, deadline, (-root, 0, {}, values))
    threads = [
        threading.Thread(target=search.work, args=(lambda: first,)),
        *(
            threading.Thread(target=search.work, args=(lambda: Relaxation(model, literals),))
            for _ in range(SEARCH_THREADS - 1)
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if search.errors:
        raise search.errors[0]
    return search.outcome[0]


class _SharedSearch:
    """The open nodes (a heap of (-bound, number, fixings, LP values)) and the nodes being expanded,
    shared by the search threads under one condition variable."""

    def __init__(self, literals, deadline: float, root: tuple):
        self.literals, self.deadline = literals, deadline
        self.heap = [root]
        self.numbered = 1
        self.expanding: dict[int, float] = {}  # node number -> its bound, while being expanded
        self.changed = threading.Condition()
        self.outcome: list = []  # (bound, skeleton), or None when the search fails
        self.errors: list[BaseException] = []

    def work(self, relaxation_factory) -> None:
        """Expand the best open node with this thread's own LP until the search has ended."""
        try:
            relaxation = relaxation_factory()
            while (node := self._take()) is not None:
                number, fixings, index = node
                children = [{**fixings, index: value} for value in (0, 1)]
                solved = [(child, *relaxation.bound(child)) for child in children]
                with self.changed:
                    for child, bound, values in solved:
                        if bound is not None:
                            heapq.heappush(self.heap, (-bound, self.numbered, child, values))
                            self.numbered += 1
                    del self.expanding[number]
                    self.changed.notify_all()
        except BaseException as error:  # let the caller raise it; the other threads stop
            with self.changed:
                self.errors.append(error)
                self.outcome.append(None)
                self.changed.notify_all()

    def _take(self) -> tuple[int, dict[int, int], int] | None:
        """The best open node to expand and its branching Boolean, or None once the search ended."""
        with self.changed:
            while not self.outcome:
                if time.perf_counter() >= self.deadline:
                    self.outcome.append(None)
                elif not self.heap:
                    if self.expanding:
                        self.changed.wait()
                    else:
                        self.outcome.append(None)  # every node infeasible: no leaf
                else:
                    bound, number, fixings, values = self.heap[0]
                    if values is None:  # an LP that stopped short of its optimum: no proof
                        self.outcome.append(None)
                        continue
                    fractional = [
                        (abs(values[v.index] - 0.5), k, v.index)
                        for k, v in enumerate(self.literals)
                        if v.index not in fixings and 1e-6 < values[v.index] < 1 - 1e-6
                    ]
                    if fractional:
                        heapq.heappop(self.heap)
                        self.expanding[number] = -bound
                        return number, fixings, min(fractional)[2]
                    if any(b > -bound for b in self.expanding.values()):
                        self.changed.wait()  # a node being expanded may hold a better leaf
                    else:
                        skeleton = {v.index: round(values[v.index]) for v in self.literals}
                        self.outcome.append((-bound, skeleton | fixings))
            self.changed.notify_all()
            return None
