"""The linear relaxation of a CP-SAT model, solved with GLOP (OR-Tools' simplex), for bounds.

The relaxation keeps every linear, exactly-one, at-most-one, and/or constraint of the model;
an enforced constraint is relaxed with a big-M taken from the variable domains, and a constraint
kind it does not know (e.g. the monotony rule's products) is dropped. Dropping or loosening
constraints only enlarges the feasible set, so the LP optimum is a valid upper bound on the
model's optimum, also after fixing some of its variables.
"""

from __future__ import annotations

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

# GLOP works in floating point: a bound is trusted only up to this relative error (and 1 unit)
RELATIVE_TOLERANCE = 1e-5
# Branch and bound changes a few bounds between solves: without presolve GLOP keeps its basis and
# the dual simplex re-optimizes from it (a node 2-30 ms instead of 40-80 ms on sprint-16wk).
GLOP_PARAMETERS = "use_preprocessing: false use_dual_simplex: true"
# Now and then a warm re-solve ends ABNORMAL (numerical trouble in the old basis): it is solved
# again from scratch, with presolve.
COLD_PARAMETERS = "use_preprocessing: true use_dual_simplex: false"


def _bounds(domain) -> tuple[int, int]:
    # the proto's repeated field does not support negative indexes
    return int(domain[0]), int(domain[len(domain) - 1])


class Relaxation:
    """The LP relaxation of `model`'s objective (maximized). `bound(fixings)` solves it with some
    variables fixed and returns (upper bound, values of the watched variables), or (None, None)
    when the LP proves the fixings infeasible."""

    def __init__(self, model: cp_model.CpModel, watched: list[cp_model.IntVar]):
        proto = model.proto
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        s = self.solver
        if not s.SetSolverSpecificParametersAsString(GLOP_PARAMETERS):
            raise RuntimeError(f"GLOP rejected {GLOP_PARAMETERS!r}")
        self.low, self.high = zip(*(_bounds(v.domain) for v in proto.variables))
        self.x = [s.NumVar(lo, hi, f"v{i}") for i, (lo, hi) in enumerate(zip(self.low, self.high))]
        for c in proto.constraints:
            self._add(c)
        objective = proto.objective
        sign = -1 if objective.scaling_factor < 0 else 1  # CP-SAT stores a maximization negated
        self.offset = sign * objective.offset
        s.Maximize(sum(sign * k * self.x[v] for v, k in zip(objective.vars, objective.coeffs)))
        self.watched = [v.index for v in watched]

    def _literal(self, ref: int):
        return self.x[ref] if ref >= 0 else 1 - self.x[-ref - 1]

    def _add(self, c) -> None:
        s = self.solver
        # 0 when every enforcement literal is true, >= 1 otherwise
        slack = sum(1 - self._literal(r) for r in c.enforcement_literal)
        if c.has_linear():
            terms = list(zip(c.linear.vars, c.linear.coeffs))
            expr = sum(k * self.x[v] for v, k in terms)
            least = sum(k * (self.low[v] if k > 0 else self.high[v]) for v, k in terms)
            most = sum(k * (self.high[v] if k > 0 else self.low[v]) for v, k in terms)
            lo, hi = _bounds(c.linear.domain)
            if lo > least:
                s.Add(expr >= lo - (lo - least) * slack)
            if hi < most:
                s.Add(expr <= hi + (most - hi) * slack)
        elif c.has_exactly_one():
            s.Add(sum(self._literal(r) for r in c.exactly_one.literals) == 1)
        elif c.has_at_most_one():
            s.Add(sum(self._literal(r) for r in c.at_most_one.literals) <= 1)
        elif c.has_bool_and():
            for r in c.bool_and.literals:
                s.Add(self._literal(r) >= 1 - slack)
        elif c.has_bool_or():
            s.Add(sum(self._literal(r) for r in c.bool_or.literals) >= 1 - slack)

    def bound(self, fixings: dict[int, int]) -> tuple[float | None, dict[int, float] | None]:
        for i in self.watched:
            self.x[i].SetBounds(self.low[i], self.high[i])
        for i, value in fixings.items():
            self.x[i].SetBounds(value, value)
        status = self.solver.Solve()
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.INFEASIBLE):
            self.solver.SetSolverSpecificParametersAsString(COLD_PARAMETERS)
            status = self.solver.Solve()
            self.solver.SetSolverSpecificParametersAsString(GLOP_PARAMETERS)
        if status == pywraplp.Solver.INFEASIBLE:
            return None, None
        if status != pywraplp.Solver.OPTIMAL:
            return float("inf"), None  # no proof either way: the caller must not prune
        value = self.solver.Objective().Value() + self.offset
        value += max(1.0, RELATIVE_TOLERANCE * abs(value))
        return value, {i: self.x[i].solution_value() for i in self.watched}
