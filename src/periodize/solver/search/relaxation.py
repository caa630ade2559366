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


INFINITY = float("inf")


class _Row:
    """A linear row: sum of coefficient x variable (by proto index) plus a constant."""

    def __init__(self, terms=()):
        self.terms: dict[int, float] = {}
        self.constant = 0.0
        for v, k in terms:
            self.terms[v] = self.terms.get(v, 0) + k

    @classmethod
    def of_literals(cls, refs) -> _Row:
        row = cls()
        for r in refs:
            row.add_literal(r, 1)
        return row

    def add_literal(self, ref: int, k: float) -> None:
        """k x literal, where a literal is x, or 1 - x for a negated reference."""
        if ref >= 0:
            self.terms[ref] = self.terms.get(ref, 0) + k
        else:
            self.terms[-ref - 1] = self.terms.get(-ref - 1, 0) - k
            self.constant += k

    def plus(self, other: _Row, k: float) -> _Row:
        """This row plus k x other, in place."""
        for v, coefficient in other.terms.items():
            self.terms[v] = self.terms.get(v, 0) + k * coefficient
        self.constant += k * other.constant
        return self


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
        goal = s.Objective()
        for v, k in zip(objective.vars, objective.coeffs):
            goal.SetCoefficient(self.x[v], goal.GetCoefficient(self.x[v]) + sign * k)
        goal.SetMaximization()
        self.watched = [v.index for v in watched]

    def _add(self, c) -> None:
        """One constraint's rows, through GLOP's row API (several times faster to build than
        expressions)."""
        slack = _Row()  # 0 when every enforcement literal holds, >= 1 otherwise
        for r in c.enforcement_literal:
            slack.add_literal(r, -1)
            slack.constant += 1
        if c.has_linear():
            terms = list(zip(c.linear.vars, c.linear.coeffs))
            least = sum(k * (self.low[v] if k > 0 else self.high[v]) for v, k in terms)
            most = sum(k * (self.high[v] if k > 0 else self.low[v]) for v, k in terms)
            lo, hi = _bounds(c.linear.domain)
            if lo > least:  # expr >= lo - (lo - least) * slack
                self._row(_Row(terms).plus(slack, lo - least), lo, INFINITY)
            if hi < most:  # expr <= hi + (most - hi) * slack
                self._row(_Row(terms).plus(slack, -(most - hi)), -INFINITY, hi)
        elif c.has_exactly_one():
            self._row(_Row.of_literals(c.exactly_one.literals), 1, 1)
        elif c.has_at_most_one():
            self._row(_Row.of_literals(c.at_most_one.literals), -INFINITY, 1)
        elif c.has_bool_and():
            for r in c.bool_and.literals:  # literal >= 1 - slack
                self._row(_Row.of_literals([r]).plus(slack, 1), 1, INFINITY)
        elif c.has_bool_or():  # sum of literals >= 1 - slack
            self._row(_Row.of_literals(c.bool_or.literals).plus(slack, 1), 1, INFINITY)

    def _row(self, row: _Row, lo: float, hi: float) -> None:
        """The constraint lo <= row <= hi."""
        constraint = self.solver.Constraint(lo - row.constant, hi - row.constant)
        for v, k in row.terms.items():
            if k:
                constraint.SetCoefficient(self.x[v], k)

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
