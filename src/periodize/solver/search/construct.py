"""A first plan by construction, week by week, before any search.

Nearly every rule looks backwards: a week's ramp, deload, taper reference, acute:chronic window
and Busso fatigue depend on the weeks before it, never on the weeks after. So the plan is built
in week order. Step `w` solves a small model: the constraints whose latest week is `w` (the
weeks before are fixed to what the earlier steps chose), plus every constraint over the week
skeleton alone (phases, deloads, taper lengths), so that a choice made now never makes the
phase lengths or the deload frequency impossible later; its objective is the plan objective's
terms of week `w`'s own days, which are exact given the weeks before (each Busso term reads only
earlier days). A step whose search does not prove its plan best gets a second search from that
plan without CP-SAT's LP, and keeps the better. A step that finds no plan re-opens the weeks
before it, up to `REOPEN` of them.

Each step is one CP-SAT worker on a deterministic budget over at most a few weeks' variables:
the same scenario gives the same plan on any machine, whatever its load, in well under a second
on the reference scenarios. The constraints are the model's own (one definition of every rule),
and the finished assignment is checked against the whole model before it is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from periodize.solver.model.proto import constraint_vars, copy_renumbered
from periodize.solver.search import stopping

_OWNER = re.compile(r"@([dw])(\d+)")
# skeleton variables: phases, preparation weeks, deloads, loading weeks, taper lengths
_SKELETON = re.compile(r"^(phase_|prep@|deload@|loading@|taper_\d+w\[)|^$")
STEP_WORK = 0.1  # deterministic seconds per step: a week needs far less to find a good plan
REOPEN = 2  # weeks re-opened before a step that finds no plan


@dataclass(frozen=True)
class Construction:
    """A constructed plan: every variable's value (by proto index), and the work it took."""

    values: list[int]
    work: float  # CP-SAT deterministic seconds over all steps
    steps: int


def construct(model: cp_model.CpModel, n_weeks: int, seed: int = 0) -> Construction | None:
    """The week-by-week plan of `model` (its objective maximised step by step), or None when
    some week finds no plan even with the weeks before it re-opened."""
    proto = model.proto
    owner = [_owner(v.name, n_weeks) for v in proto.variables]
    skeleton = [bool(_SKELETON.match(v.name)) for v in proto.variables]
    reads: list[list[int]] = []
    for c in proto.constraints:
        read = constraint_vars(c)
        if read is None:
            return None  # a constraint kind this construction does not read
        reads.append(read)
    named = [_OWNER.search(v.name) is not None for v in proto.variables]
    for read in reads:  # a variable of no week is decided with the earliest week it meets
        met = [owner[v] for v in read if named[v]]
        for v in read:
            if not named[v] and met:
                owner[v] = min(owner[v], min(met))
    by_week: dict[int, list[int]] = {w: [] for w in range(n_weeks)}
    always: list[int] = []
    for ci, vs in enumerate(reads):
        if vs and all(skeleton[v] for v in vs):
            always.append(ci)
        else:
            by_week[max((owner[v] for v in vs), default=0)].append(ci)
    objective = list(zip(proto.objective.vars, proto.objective.coeffs, strict=True))
    owned: dict[int, list[int]] = {w: [] for w in range(n_weeks)}
    for v, w in enumerate(owner):
        owned[w].append(v)
    fixed: dict[int, int] = {}
    work, steps = 0.0, 0
    for week in range(n_weeks):
        for first in range(week, max(-1, week - REOPEN - 1), -1):
            weeks = set(range(first, week + 1))
            for w in weeks:  # a re-opened week is chosen again
                for v in owned[w]:
                    fixed.pop(v, None)
            constraints = [ci for w in sorted(weeks) for ci in by_week[w]] + always
            terms = [(v, k) for v, k in objective if owner[v] in weeks]
            variables = [v for w in sorted(weeks) for v in owned[w]]
            found, spent = _step(proto, reads, constraints, terms, variables, fixed, seed)
            work += spent
            steps += 1
            if stopping.requested():
                return None
            if found is not None:
                fixed.update(found)
                break
        else:
            return None
    values = [fixed.get(v, int(proto.variables[v].domain[0])) for v in range(len(owner))]
    return Construction(values, round(work, 3), steps)


def _owner(name: str, n_weeks: int) -> int:
    """The plan week a variable belongs to (by its name, <what>@d<day> or <what>@w<week>);
    variables of no week (taper lengths) belong to the last."""
    match = _OWNER.search(name)
    if match is None:
        return n_weeks - 1
    index = int(match.group(2))
    return min(index // 7 if match.group(1) == "d" else index, n_weeks - 1)


def _step(
    proto: Any,  # the plan model's CpModelProto
    reads: list[list[int]],  # the variables each of its constraints reads
    constraints: list[int],
    terms: list[tuple[int, int]],
    variables: list[int],
    fixed: dict[int, int],
    seed: int,
) -> tuple[dict[int, int] | None, float]:
    """Solve one step: `constraints` over the variables they use, those in `fixed` fixed,
    optimising `terms` (proto objective terms, in the model's sense). Returns the values of
    `variables` (the open weeks' own), and the work spent."""
    used = sorted({v for ci in constraints for v in reads[ci]} | {v for v, _ in terms}
                  | set(variables))  # fmt: skip
    index = {v: i for i, v in enumerate(used)}
    sub = cp_model.CpModel()
    for v in used:
        var = sub.proto.variables.add()
        if v in fixed:
            var.domain.extend([fixed[v], fixed[v]])
        else:
            var.domain.extend(proto.variables[v].domain)

    for ci in constraints:
        copy_renumbered(sub, proto.constraints[ci], index)
    if terms:
        objective = sub.proto.objective
        objective.vars.extend(index[v] for v, _ in terms)
        objective.coeffs.extend(k for _, k in terms)
        objective.scaling_factor = proto.objective.scaling_factor or 1.0
    solver = _one_worker(seed, STEP_WORK)
    code = stopping.run(solver, sub)
    spent = solver.deterministic_time
    if code == cp_model.UNKNOWN:  # no plan yet in the step's budget: any plan of the step first,
        rules_only = sub.clone()  # then the best the step's budget finds from it
        rules_only.clear_objective()  # type: ignore[no-untyped-call]
        first = _one_worker(seed, 10 * STEP_WORK)
        first.parameters.stop_after_first_solution = True
        code = stopping.run(first, rules_only)
        spent += first.deterministic_time
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, spent
        for i, value in enumerate(first.response_proto.solution):
            sub.proto.solution_hint.vars.append(i)
            sub.proto.solution_hint.values.append(value)
        solver = _one_worker(seed, STEP_WORK)
        code = stopping.run(solver, sub)
        spent += solver.deterministic_time
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solver = first
            code = cp_model.FEASIBLE
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, spent
    if code == cp_model.FEASIBLE and terms:  # not proven best in the step's budget
        solver, extra = _improved_without_lp(sub, solver, seed)
        spent += extra
    values = {v: int(solver.response_proto.solution[index[v]]) for v in variables}
    return values, spent


def _improved_without_lp(
    sub: cp_model.CpModel, solver: cp_model.CpSolver, seed: int
) -> tuple[cp_model.CpSolver, float]:
    """A second search of an unproven step, from its plan, without CP-SAT's LP; the better of
    the two. On steps whose LP is heavy (Busso's tangent rows) the first search spends most of
    its budget on the LP, the search without it explores more plans in the same work; on steps
    the LP guides well (Banister's) the first search's plan stays (docs/performance.md)."""
    sub.clear_hints()  # type: ignore[no-untyped-call]
    for i, value in enumerate(solver.response_proto.solution):
        sub.proto.solution_hint.vars.append(i)
        sub.proto.solution_hint.values.append(value)
    other = _one_worker(seed, STEP_WORK)
    other.parameters.linearization_level = 0
    code = stopping.run(other, sub)
    gain = other.objective_value - solver.objective_value
    if sub.proto.objective.scaling_factor > 0:  # a minimisation (a maximisation is stored negated)
        gain = -gain
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and gain > 0:
        return other, other.deterministic_time
    return solver, other.deterministic_time


def checked(
    model: cp_model.CpModel, construction: Construction, seed: int
) -> cp_model.CpSolver | None:
    """A solver holding the constructed plan, checked against the whole model (every variable
    fixed to its constructed value); None if the whole model refuses it."""
    whole = model.clone()
    for v, value in enumerate(construction.values):
        var = whole.proto.variables[v]
        var.domain.clear()
        var.domain.extend([value, value])
    solver = _one_worker(seed, STEP_WORK)
    if stopping.run(solver, whole) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver


def _one_worker(seed: int, work: float) -> cp_model.CpSolver:
    """A reproducible solver: one worker, a seed, a deterministic budget (no wall clock)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = work
    return solver
