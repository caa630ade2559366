"""A solved model's best plan as a `Plan`: the chosen sessions, phases and deloads, the objective
in performance units, and the bound and gap that say how far from optimal it can be."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from periodize.core.terms import Phase
from periodize.plan.assembly import assemble_plan
from periodize.plan.schema import Bend, Plan, StoppedBy
from periodize.scenario.schema import Scenario
from periodize.solver.model.objective import objective_terms
from periodize.solver.model.variables import PlanVariables
from periodize.solver.search import stopping


def extract_plan(
    scenario: Scenario,
    pv: PlanVariables,
    solver: cp_model.CpSolver | None,
    code: cp_model.CpSolverStatus,
    bound: float | None,
    seed: int,
    workers: int,
    started: float,
    relaxed: bool = False,
    stopped_by: StoppedBy = "time_limit",
) -> Plan:
    """The Plan from the solver holding the best plan's values: its days, week phases, deloads
    and bent rule instances, with status, objective, bound and gap in performance units (`bound`:
    the scaled proven bound, or None to take the solver's own). `started` is the perf_counter
    time the solve began. Without a plan (code not OPTIMAL or FEASIBLE) the Plan carries only its
    status. `stopped_by`: what ended a search that neither proved its answer nor was interrupted
    (the time limit unless the caller knows better)."""
    terms = objective_terms(scenario, pv.timeline)
    status = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(code, "unknown")
    fields = dict(
        status=status,
        seed=seed,
        workers=workers,
        athlete=scenario.athlete.name,
        relaxed=relaxed,
        interrupted=stopping.requested(),
        stopped_by=(
            "interrupted"
            if stopping.requested()
            else "complete"
            if code in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
            else stopped_by
        ),
    )
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Plan(solve_seconds=round(time.perf_counter() - started, 3), **fields)
    assert solver is not None, "a plan's status needs the solver that found it"
    objective = terms.value(solver.objective_value)
    bound = terms.value(solver.best_objective_bound if bound is None else bound)
    if code == cp_model.OPTIMAL:
        bound = objective
    gap = abs(bound - objective) / max(abs(objective), 1e-9)
    sessions_by_day: list[list[tuple[str, int]]] = [[] for _ in range(pv.timeline.n_days)]
    for (day, sid, dose), var in sorted(pv.choice.items()):
        if solver.boolean_value(var):
            sessions_by_day[day].append((sid, dose))
    phases = [
        next(p for p in Phase if (w, p) in pv.phase and solver.boolean_value(pv.phase[(w, p)]))
        for w in range(pv.timeline.n_weeks)
    ]
    deloads = {w for w, v in pv.deload.items() if solver.boolean_value(v)}
    bends = [  # the solver's choice; the audit replaces them with what the plan really bends
        Bend(rule=rule, week=week, start=pv.timeline.date(7 * week))
        for (rule, week), keep in sorted(pv.keep.items())
        if not solver.boolean_value(keep)
    ]
    return assemble_plan(
        scenario,
        sessions_by_day,
        phases,
        deloads,
        bends=bends,
        objective=round(objective, 4),
        bound=round(bound, 4),
        gap=round(gap, 6),
        solve_seconds=round(time.perf_counter() - started, 3),
        **fields,
    )
