"""Redundant valid inequalities that tighten the LP relaxation without changing the feasible set.

Every inequality here is implied by the rule constraints already in the model: none removes a
feasible plan, they only make the linear relaxation (and so the proven bound) tighter. The
measurements behind each family are in docs/history/performance.md.

- Week-edge load cuts: for each week and each phase it may take, the largest load the week can
  hold with its first / last day hard or not, from exact sub-solves of the week-local relaxation
  (the constraints whose variables all belong to that week; constraints spanning weeks are
  dropped, so the maxima can only be too high). In the default sprint weeks a load above 2112 AU
  needs a hard Monday and a hard Sunday, and two hard days cannot touch across the weekend: the
  LP sees that only through these cuts.
- Deload cuts: a deload week holds at most (1 - min_reduction) x the most the week before can hold.
- Phase-order cuts: "rank >= k in week a implies rank >= k in week b", equivalent to the rank
  order for integer phases and much tighter in the LP than the weighted rank sums.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor

from ortools.sat.python import cp_model

from periodize.core.terms import PHASE_ORDER
from periodize.solver.model.proto import constraint_vars, copy_renumbered, week_owned
from periodize.solver.model.rules.load import SCALE, at_most, history_week_load
from periodize.solver.model.variables import PlanVariables
from periodize.solver.search import parameters, stopping

# The sub-solves' budget is deterministic (parameters.sub_solve); the wall-clock seconds given to
# add_redundant_cuts are only a safety net for very large plans.


def add_redundant_cuts(pv: PlanVariables, seconds: float, threads: int = 1) -> None:
    """Add every cut family, spending at most `seconds` on sub-solves (weeks left over get none),
    `threads` of them at a time (the solve's workers: CP-SAT runs without the GIL)."""
    bounds = _add_week_edge_cuts(pv, time.perf_counter() + seconds, threads)
    _add_deload_cuts(pv, bounds)
    _add_phase_order_cuts(pv)


def _week_local_constraints(pv: PlanVariables, owner: dict[int, int]) -> dict[int, list[int]]:
    """For each week, the constraints whose variables all belong to it."""
    by_week: dict[int, list[int]] = {}
    for ci, c in enumerate(pv.model.proto.constraints):
        vs = constraint_vars(c)
        if not vs:
            continue
        weeks = {owner.get(v, -1) for v in vs}
        if len(weeks) == 1 and -1 not in weeks:
            by_week.setdefault(weeks.pop(), []).append(ci)
    return by_week


def _signature(proto, constraint_ids: list[int], label: dict[int, tuple]) -> tuple:
    """Canonical form of a week's local sub-model: weeks with equal signatures have equal maxima."""

    def lab(ref: int):
        return label[ref] if ref >= 0 else ("not", label[-ref - 1])

    used: set[int] = set()
    cons = []
    for ci in constraint_ids:
        c = proto.constraints[ci]
        enf = tuple(sorted(lab(r) for r in c.enforcement_literal))
        if c.has_linear():
            body = (
                "lin",
                tuple(sorted(zip((lab(v) for v in c.linear.vars), c.linear.coeffs))),
                tuple(c.linear.domain),
            )
        elif c.has_exactly_one():
            body = ("eo", tuple(sorted(lab(r) for r in c.exactly_one.literals)))
        elif c.has_at_most_one():
            body = ("amo", tuple(sorted(lab(r) for r in c.at_most_one.literals)))
        elif c.has_bool_and():
            body = ("and", tuple(sorted(lab(r) for r in c.bool_and.literals)))
        else:
            body = ("or", tuple(sorted(lab(r) for r in c.bool_or.literals)))
        cons.append((enf, body))
        used.update(constraint_vars(c))
    domains = tuple(sorted((label[v], tuple(proto.variables[v].domain)) for v in used))
    return (tuple(sorted(cons, key=repr)), domains)


def _edge_maxima(
    pv: PlanVariables,
    week: int,
    constraint_ids: list[int],
    phase,
    first: int,
    last: int,
    deadline: float,
    pool: ThreadPoolExecutor,
) -> dict[tuple[int, int], Future | None]:
    """Largest load of `week` in its local relaxation, in `phase`, with its first and last day hard
    (1) or not (0), as futures of the sub-solves run in `pool`; None where a corner is impossible
    outright. A future's value is None where the sub-solve proves the corner impossible; it raises
    _Late if its solve would start after `deadline`."""
    proto = pv.model.proto
    base = cp_model.CpModel()  # in the plan model's variable indices
    base.add(pv.phase[(week, phase)] == 1)
    base.maximize(pv.week_load[week])
    corners: dict[tuple[int, int], cp_model.CpModel | None] = {}
    for f in (0, 1):
        for ll in (0, 1):
            corner: cp_model.CpModel | None = cp_model.CpModel()
            for day, value in ((first, f), (last, ll)):
                hard = pv.hard(day)
                if not isinstance(hard, int):
                    corner.add(hard == value)
                elif hard != value:  # a day that cannot hold a hard session
                    corner = None
                    break
            corners[(f, ll)] = corner
    week_model = _Compact(
        proto,
        [proto.constraints[ci] for ci in constraint_ids] + list(base.proto.constraints),
        base.proto.objective,
        also=[c for corner in corners.values() if corner for c in corner.proto.constraints],
    )
    maxima: dict[tuple[int, int], Future | None] = {}
    for fl, corner in corners.items():
        if corner is None:
            maxima[fl] = None
            continue
        sub = week_model.model.clone()
        for c in corner.proto.constraints:
            week_model.add(sub, c)
        maxima[fl] = pool.submit(
            stopping.in_context(_maximum), sub, deadline, _upper(pv.week_load[week])
        )
    return maxima


class _Late(Exception):
    """A sub-solve not started before the cuts' deadline."""


def _maximum(sub: cp_model.CpModel, deadline: float, upper: int) -> int | None:
    """The objective's maximum in `sub` (or its proven bound, or `upper` when the solve proves
    nothing in time); None when infeasible."""
    if time.perf_counter() > deadline:
        raise _Late
    solver = cp_model.CpSolver()
    parameters.sub_solve(solver, deadline)
    code = stopping.run(
        solver, sub
    )  # CP-SAT releases the GIL: the pool's threads solve in parallel
    if code == cp_model.INFEASIBLE:
        return None
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return int(solver.best_objective_bound + 1e-6)
    return upper


class _Compact:
    """`constraints` and `objective` over only the variables they (and `also`) use, renumbered:
    CP-SAT presolves thousands of unused plan variables for longer than it searches one week
    (40 of 70 ms on season-30wk)."""

    def __init__(self, proto, constraints, objective, also=()):
        used = {v for c in [*constraints, *also] for v in constraint_vars(c)}
        used = sorted(used | set(objective.vars))
        self.index = {v: i for i, v in enumerate(used)}
        self.model = cp_model.CpModel()
        for v in used:
            self.model.proto.variables.add().domain.extend(proto.variables[v].domain)
        for c in constraints:
            self.add(self.model, c)
        target = self.model.proto.objective
        target.vars.extend(self.index[v] for v in objective.vars)
        target.coeffs.extend(objective.coeffs)
        target.offset = objective.offset
        target.scaling_factor = objective.scaling_factor

    def add(self, model: cp_model.CpModel, c) -> None:
        """A copy of the plan-model constraint `c` in `model`, renumbered."""
        copy_renumbered(model, c, self.index)


def _upper(var: cp_model.IntVar) -> int:
    """Largest value in a variable's domain. (The proto's repeated field does not support
    negative indexes: domain[-1] silently reads the first element.)"""
    domain = var.proto.domain
    return int(domain[len(domain) - 1])


def _add_week_edge_cuts(
    pv: PlanVariables, deadline: float, threads: int
) -> dict[tuple[int, object], int]:
    """Per week: W <= sum_p U[p]*phase[p] and the two edge cuts
        W <= sum_p max(U00, U01)[p]*phase[p] + a*hard(first),  W <= sum_p max(U00, U10)[p]*phase[p] + b*hard(last),
    with U_fl[p] the exact maximum with first/last day hard (1) or not (0). Returns U per (week, phase).
    The sub-solves run on `threads` threads while the next weeks' sub-models are built."""
    owner, label = week_owned(pv)
    by_week = _week_local_constraints(pv, owner)
    model = pv.model
    cache: dict = {}
    pending: list[tuple[int, dict]] = []
    with ThreadPoolExecutor(max(1, threads)) as pool:
        for week in range(pv.timeline.n_weeks):
            days = list(pv.timeline.week_days(week))
            if len(days) < 2 or time.perf_counter() > deadline:
                continue
            local = by_week.get(week, [])
            table = {}
            for phase in sorted(
                (p for (w, p) in pv.phase if w == week), key=lambda p: PHASE_ORDER[p]
            ):
                key = (phase, _signature(model.proto, local, label))
                if key not in cache:
                    cache[key] = _edge_maxima(
                        pv, week, local, phase, days[0], days[-1], deadline, pool
                    )
                table[phase] = cache[key]
            pending.append((week, table))
        bounds: dict[tuple[int, object], int] = {}
        for week, futures in pending:
            try:
                table = {
                    p: {fl: f if f is None else f.result() for fl, f in t.items()}
                    for p, t in futures.items()
                }
            except _Late:
                continue  # out of time: no cut for this week (fewer cuts, never a wrong one)
            days = list(pv.timeline.week_days(week))
            _add_edge_cuts(pv, week, days[0], days[-1], table, bounds)
    return bounds


def _add_edge_cuts(pv: PlanVariables, week: int, first: int, last: int, table, bounds) -> None:
    """The week's three cuts from its corner maxima `table` (phase -> corner -> maximum)."""
    model = pv.model
    feasible = {p: [v for v in t.values() if v is not None] for p, t in table.items()}
    for p, values in feasible.items():
        bounds[(week, p)] = max(values, default=0)
    model.add(pv.week_load[week] <= sum(bounds[(week, p)] * pv.phase[(week, p)] for p in table))

    def corner(p, fl):
        v = table[p][fl]
        return min(feasible[p], default=0) if v is None else v  # an impossible corner never happens

    free_first = {p: max(corner(p, (0, 0)), corner(p, (0, 1))) for p in table}
    free_last = {p: max(corner(p, (0, 0)), corner(p, (1, 0))) for p in table}
    a = max(0, max(max(corner(p, (1, 0)), corner(p, (1, 1))) - free_first[p] for p in table))
    b = max(0, max(max(corner(p, (0, 1)), corner(p, (1, 1))) - free_last[p] for p in table))
    model.add(
        pv.week_load[week]
        <= sum(free_first[p] * pv.phase[(week, p)] for p in table) + a * pv.hard(first)
    )
    model.add(
        pv.week_load[week]
        <= sum(free_last[p] * pv.phase[(week, p)] for p in table) + b * pv.hard(last)
    )


def _add_deload_cuts(pv: PlanVariables, bounds: dict[tuple[int, object], int]) -> None:
    """W_w <= Umax_w - (Umax_w - high x Umax_{w-1}) x deload_w: the deload rule's big-M, tightened."""
    rule = pv.scenario.rules.deload
    if not rule.enabled:
        return
    high = at_most(1 - rule.min_reduction_pct / 100)

    def umax(week: int) -> int:
        known = [u for (w, _p), u in bounds.items() if w == week]
        return max(known) if known else _upper(pv.week_load[week])

    for week, deload in sorted(pv.deload.items()):
        before = history_week_load(pv, -1) if week == 0 else umax(week - 1)
        cap = high * before // SCALE
        top = umax(week)
        if cap < top:
            pv.model.add(pv.week_load[week] <= top - (top - cap) * deload)


def _add_phase_order_cuts(pv: PlanVariables) -> None:
    """rank(a) <= rank(b) for consecutive weeks, as [rank(a) >= k] <= [rank(b) >= k] for every k."""
    if not pv.scenario.rules.phases.enabled:
        return
    for cycle in pv.timeline.macrocycles:
        weeks = range(cycle.first_week, min(cycle.race_week, pv.timeline.n_weeks))
        for a, b in zip(weeks, weeks[1:]):
            ranks = sorted({PHASE_ORDER[p] for (w, p) in pv.phase if w in (a, b)})
            for k in ranks[1:]:
                above_a = [
                    v
                    for (w, p), v in sorted(pv.phase.items(), key=_key)
                    if w == a and PHASE_ORDER[p] >= k
                ]
                above_b = [
                    v
                    for (w, p), v in sorted(pv.phase.items(), key=_key)
                    if w == b and PHASE_ORDER[p] >= k
                ]
                pv.model.add(sum(above_a) <= sum(above_b))


def _key(item):
    (week, phase), _ = item
    return (week, PHASE_ORDER[phase])
