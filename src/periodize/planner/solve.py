"""Build the CP-SAT model for a scenario, solve it and extract the Plan."""

from __future__ import annotations

import os
import time

from ortools.sat.python import cp_model

from ..plan import Plan, assemble_plan
from ..scenario import Phase, Scenario
from ..timeline import Timeline
from .cuts import add_redundant_cuts
from .objective import objective_terms
from .rules import RULE_BUILDERS
from .variables import PlanVariables, build_variables

DEFAULT_TIME_LIMIT = 60.0
CUT_SHARE = 0.2  # share of the time limit the redundant cuts' sub-solves may use
# With 2-4 workers CP-SAT's default portfolio runs no max_lp worker and its bound hardly moves;
# max_lp plus the fixed-strategy worker (which follows the skeleton-first decisions) is the
# measured best pair on 2 cores (docs/performance.md).
SUBSOLVERS = ("max_lp", "fixed")
REPRODUCIBLE_WALL_FACTOR = 3.0  # with one worker the wall-clock limit is this x the time limit


def build_model(
    scenario: Scenario, cut_seconds: float = 0.0
) -> tuple[cp_model.CpModel, PlanVariables]:
    """The CP-SAT model: variables, every enabled rule as a hard constraint, redundant cuts (given
    cut_seconds for their sub-solves) and the objective."""
    timeline = Timeline(scenario)
    model = cp_model.CpModel()
    pv = build_variables(scenario, timeline, model)
    for builder in RULE_BUILDERS:
        builder(pv)
    if cut_seconds > 0:
        add_redundant_cuts(pv, cut_seconds)
    terms = objective_terms(scenario, timeline)
    model.maximize(sum(c * pv.day_load[d] for d, c in enumerate(terms.coefficients) if c))
    return model, pv


def add_skeleton_first_search(model: cp_model.CpModel, pv: PlanVariables) -> None:
    """Decide the week skeleton (deload weeks, then phases week by week) before the days; the
    'fixed' worker follows it."""
    skeleton = [pv.deload[w] for w in sorted(pv.deload)]
    skeleton += [
        v
        for _, v in sorted(pv.phase.items(), key=lambda kv: (kv[0][0], list(Phase).index(kv[0][1])))
    ]
    model.add_decision_strategy(skeleton, cp_model.CHOOSE_FIRST, cp_model.SELECT_MIN_VALUE)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def solve(
    scenario: Scenario,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    workers: int | None = None,
    log: bool = False,
) -> Plan:
    """Solve a scenario. Returns a Plan whose status is optimal, feasible, infeasible or unknown."""
    started = time.perf_counter()
    workers = workers or default_workers()
    # The cuts and the skeleton-first worker pay off in a portfolio; a single worker (used for
    # exactly reproducible plans) finds plans sooner on the plain model.
    model, pv = build_model(scenario, cut_seconds=CUT_SHARE * time_limit if workers >= 2 else 0.0)
    if workers >= 2:
        add_skeleton_first_search(model, pv)
    terms = objective_terms(scenario, pv.timeline)
    solver = cp_model.CpSolver()
    remaining = max(0.1, time_limit - (time.perf_counter() - started))
    solver.parameters.num_workers = workers
    if workers == 1:
        # one worker: stop on CP-SAT's deterministic time (about a second a unit), so a seed
        # reproduces the plan exactly whatever the machine's load; wall time is a safety net
        solver.parameters.max_deterministic_time = remaining
        solver.parameters.max_time_in_seconds = REPRODUCIBLE_WALL_FACTOR * remaining
    else:
        solver.parameters.max_time_in_seconds = remaining
    if workers >= 2:
        solver.parameters.subsolvers.extend(SUBSOLVERS)
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log
    code = solver.solve(model)
    if code == cp_model.MODEL_INVALID:  # a bug in a rule builder, never the user's input
        raise RuntimeError(f"CP-SAT rejected the model: {model.validate()}")
    status = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(code, "unknown")
    fields = dict(status=status, seed=seed, workers=workers, athlete=scenario.athlete.name)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Plan(solve_seconds=round(time.perf_counter() - started, 3), **fields)
    objective = terms.value(solver.objective_value)
    bound = terms.value(solver.best_objective_bound)
    if code == cp_model.OPTIMAL:
        bound = objective
    gap = abs(bound - objective) / max(abs(objective), 1e-9)
    sessions_by_day = [[] for _ in range(pv.timeline.n_days)]
    for (day, sid, dose), var in sorted(pv.choice.items()):
        if solver.boolean_value(var):
            sessions_by_day[day].append((sid, dose))
    phases = [
        next(p for p in Phase if (w, p) in pv.phase and solver.boolean_value(pv.phase[(w, p)]))
        for w in range(pv.timeline.n_weeks)
    ]
    deloads = {w for w, v in pv.deload.items() if solver.boolean_value(v)}
    plan = assemble_plan(
        scenario,
        sessions_by_day,
        phases,
        deloads,
        objective=round(objective, 4),
        bound=round(bound, 4),
        gap=round(gap, 6),
        solve_seconds=round(time.perf_counter() - started, 3),
        **fields,
    )
    return plan
