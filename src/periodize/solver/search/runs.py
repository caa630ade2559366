"""One CP-SAT run of a whole model, as the pipeline's stages use it: a plain search (tuned
portfolio, CP-SAT's default one, or one reproducible worker), the LP-guided dives, and a
solver's best plan as a hint for the next run."""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from periodize.solver.model.variables import PlanVariables
from periodize.solver.search import parameters, stopping

Hint = Sequence[tuple[cp_model.IntVar | int, int]]  # (variable or proto index, value)
Status = cp_model.CpSolverStatus


def plain_solve(
    model: cp_model.CpModel,
    pv: PlanVariables,
    deadline: float,
    workers: int,
    seed: int,
    log: bool,
    *,
    work: float | None = None,
    hint: Hint | None = None,
    tuned: bool = True,
    stop_below: float | None = None,
) -> tuple[cp_model.CpSolver, Status]:
    """One CP-SAT solve of the whole model until `deadline` (perf_counter; math.inf: none) and,
    with one worker and `work`, for at most that many deterministic seconds (reproducible: the
    budget does not depend on the machine's load). `tuned` picks the max_lp + fixed workers tuned
    for the race-day objective (one worker: the full LP), else CP-SAT's default portfolio.
    `hint`: a plan to start from. Hints are not repaired: OR-Tools 9.15 aborts the whole process
    (CHECK failed: heuristics.fixed_search) when the time limit ends a `repair_hint` search.
    `stop_below` (scaled objective): stop as soon as the proven bound is below it, because a plan
    that good exists elsewhere (a compare sweep's leader)."""
    model = model.clone()
    solver = cp_model.CpSolver()
    if workers == 1:
        parameters.one_worker(solver, deadline, work, seed, tuned=tuned)
    else:
        parameters.portfolio(solver, deadline, workers, seed, tuned=tuned)
        if tuned:
            parameters.add_skeleton_first_search(model, pv)
    if hint:
        model.clear_hints()  # type: ignore[no-untyped-call]
        for var, value in hint:
            if isinstance(var, int):  # a proto index
                var = model.get_int_var_from_proto_index(var)
            model.add_hint(var, value)
    if stop_below is not None:  # called on the search's own thread: one worker stays reproducible
        solver.best_bound_callback = lambda bound: (
            solver.stop_search() if bound < stop_below else None
        )
    solver.parameters.log_search_progress = log
    return solver, _checked(stopping.run(solver, model), model)


def dives(
    model: cp_model.CpModel,
    pv: PlanVariables,
    deadline: float,
    workers: int,
    seed: int,
    log: bool,
    *,
    hint: Hint | None = None,
) -> tuple[cp_model.CpSolver, Status]:
    """Two LP-guided dives until the first plan (parameters.dives): on 52 weeks that plan comes in
    2-9 s and is within 1-4 % of the best known, where the portfolio often finds only poor ones.
    `pv`, `workers` and `hint` are not used (the same signature as plain_solve): a hint would
    steer the dives to the plan it holds."""
    solver = cp_model.CpSolver()
    parameters.dives(solver, deadline, seed)
    solver.parameters.log_search_progress = log
    return solver, _checked(stopping.run(solver, model), model)


def solution(solver: cp_model.CpSolver | None) -> list[tuple[cp_model.IntVar | int, int]] | None:
    """Every variable's value in the solver's best solution, as hint pairs (proto index, value)."""
    if solver is None:
        return None
    return [(index, value) for index, value in enumerate(solver.response_proto.solution)]


def _checked(code: Status, model: cp_model.CpModel) -> Status:
    if code == cp_model.MODEL_INVALID:  # a bug in a rule builder, never the user's input
        raise RuntimeError(f"CP-SAT rejected the model: {model.validate()}")
    return code
