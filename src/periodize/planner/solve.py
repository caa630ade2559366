"""Build the CP-SAT model for a scenario, solve it and extract the Plan."""

from __future__ import annotations

import os
import time

from ortools.sat.python import cp_model

from ..plan import Bend, Plan, assemble_plan
from ..scenario import RULE_NAMES, RULE_PARTS, Phase, Scenario, soft_rules
from ..timeline import Timeline
from .cuts import add_redundant_cuts
from .objective import objective_terms
from .pieces import macrocycle_pieces, search_pieces, solve_by_piece
from .rules import RULE_BUILDERS
from .skeleton import branch_and_bound
from .variables import PlanVariables, build_variables
from .warm_start import shifted_hint

DEFAULT_TIME_LIMIT = 60.0
# Share of the time limit the redundant cuts' sub-solves may use. They take 1.6 / 2.0 / 2.5 s on
# the 16 / 30 / 52-week benchmarks; at 20 % the 30-week season's cuts at 10 s were cut short in
# some runs (a weaker bound, and once a pieces' skeleton without a plan).
CUT_SHARE = 0.3
# With 2-4 workers CP-SAT's default portfolio runs no max_lp worker and its bound hardly moves;
# max_lp plus the fixed-strategy worker (which follows the skeleton-first decisions) is the
# measured best pair on 2 cores (docs/performance.md).
SUBSOLVERS = ("max_lp", "fixed")
REPRODUCIBLE_WALL_FACTOR = 3.0  # with one worker the wall-clock limit is this x the time limit
# One worker: CP-SAT's single default worker keeps the plain LP (bound 20-30 % above on 16 weeks);
# linearization level 2 makes it the max_lp worker (16 weeks, 20 s: gap 2.3 % instead of 32 %,
# the three-day athlete proven in 2 s instead of unproven; docs/performance.md).
ONE_WORKER_LINEARIZATION = 2
# Share of the time limit for the first plain solve, which settles small plans. Seasons with
# several A races (macrocycle pieces) skip it unless a neighbour's plan is to be its hint: on the
# 30- and 52-week seasons it never found a plan, and the time goes to the plans on the pieces'
# skeleton instead.
QUICK_SHARE = 0.05
GIVE_UP_SHARE = 0.4  # the skeleton search gives way to plain CP-SAT if no leaf is reached by then
# After giving up: two LP-guided dives on the model without the cuts look for a first good plan
# for at most this share of the time left, the model with the cuts gets the rest (52 weeks at
# 30 s, 5 runs each, same sitting: gap median 1.03 % (0.82-1.84 %) vs 7.17 % (6.5-11.2 %) with a
# third of the time on the plain portfolio instead; docs/performance.md).
DIVE_SHARE = 2 / 3
# Seasons with several A races: the macrocycle pieces' search (planner/pieces.py) must be done by
# this share of the time limit, else the time left goes to the dives as without it (30 weeks at
# 10 s: done after 5-6 s; with 0.6 one run in six ran out).
PIECES_SHARE = 0.7


def build_model(
    scenario: Scenario,
    cut_seconds: float = 0.0,
    relaxable: frozenset[str] | None = None,
    objective: bool = True,
    by_part: bool = False,
) -> tuple[cp_model.CpModel, PlanVariables]:
    """The CP-SAT model: variables, every enabled rule as a constraint, redundant cuts (given
    cut_seconds for their sub-solves) and the objective: race-day performance minus the penalties
    of bent soft rules. `relaxable` names the rule families that get keep literals (default: the
    soft rules); the cuts assume hard rules and are left out when any rule can bend."""
    timeline = Timeline(scenario)
    model = cp_model.CpModel()
    if relaxable is None:
        relaxable = frozenset(soft_rules(scenario.rules))
    pv = build_variables(scenario, timeline, model, relaxable)
    pv.by_part = by_part
    for builder in RULE_BUILDERS:
        builder(pv)
    if cut_seconds > 0 and not relaxable:
        add_redundant_cuts(pv, cut_seconds)
    if objective:
        model.maximize(performance(pv) - soft_penalties(pv))
    return model, pv


def performance(pv: PlanVariables):
    """The scaled race-day performance: sum of c_d * daily load."""
    terms = objective_terms(pv.scenario, pv.timeline)
    return sum(c * pv.day_load[d] for d, c in enumerate(terms.coefficients) if c)


def soft_penalties(pv: PlanVariables):
    """Each bent instance of a soft rule costs its penalty, in the objective's scaled units."""
    terms = objective_terms(pv.scenario, pv.timeline)
    soft = soft_rules(pv.scenario.rules)
    return sum(
        max(1, round(soft[rule] * terms.scale)) * (1 - keep)
        for (rule, _week), keep in sorted(pv.keep.items())
        if rule in soft
    )


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
    relax: bool = False,
    warm_start: tuple[Plan, int] | None = None,
) -> Plan:
    """Solve a scenario. Returns a Plan whose status is optimal, feasible, infeasible or unknown.

    With two or more workers: a short plain CP-SAT solve (which settles small plans; skipped for
    seasons with several A races and hard rules only, unless warm-started), then the
    skeleton branch and bound (planner/skeleton.py) for the rest of the time; if that reaches no
    leaf early enough (very long plans): with several A races the macrocycle pieces' bound and
    skeleton (planner/pieces.py) and plans on it piece by piece, else (or when that finds no plan)
    dives on the model without the redundant cuts; then plain CP-SAT on the model with them.
    With one worker a single plain solve on deterministic time, so that a seed reproduces the
    plan exactly.
    warm_start=(plan, shift): a neighbouring plan moved `shift` days later, as the first solve's
    hint (planner/warm_start.py)."""
    started = time.perf_counter()
    deadline = started + time_limit
    workers = workers or default_workers()
    if relax:
        return _relaxed_solve(scenario, started, time_limit, workers, seed, log)
    model, pv = build_model(scenario)
    hint = shifted_hint(pv, *warm_start) if warm_start else None
    if workers == 1:  # the whole time limit in deterministic seconds, whatever the build took
        solver, code = _plain_solve(
            model, pv, deadline, workers, seed, log, work=time_limit, hint=hint
        )
        return _plan(scenario, pv, solver, code, None, seed, workers, started)

    # The cuts pay off in a portfolio (a single worker finds plans sooner without them); they
    # assume hard rules. The model without them is kept: long seasons find plans sooner there.
    plain = None
    if not soft_rules(scenario.rules):
        plain = model.clone()
        add_redundant_cuts(pv, CUT_SHARE * time_limit)

    bounds, incumbent = [], None
    if hint or plain is None or len(macrocycle_pieces(pv)) < 2:
        quick = min(deadline, time.perf_counter() + QUICK_SHARE * time_limit)
        solver, code = _plain_solve(model, pv, quick, workers, seed, log, hint=hint)
        if code in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or time.perf_counter() >= deadline:
            return _plan(scenario, pv, solver, code, None, seed, workers, started)
        if code == cp_model.FEASIBLE:
            bounds.append(solver.best_objective_bound)
            incumbent = (solver, int(round(solver.objective_value)))
    result = branch_and_bound(
        model,
        pv,
        incumbent=incumbent,
        deadline=deadline,
        give_up_at=started + GIVE_UP_SHARE * time_limit,
        workers=workers,
        seed=seed,
    )
    bounds.append(result.bound)
    if result.gave_up:
        # a first good plan on the model without the cuts (found sooner there): on the pieces'
        # skeleton (several A races), else from two dives; then the bound on the model with the
        # cuts, hinted with the best plan so far. Both models have the same plans.
        stages = [(_dives, plain, DIVE_SHARE), (_plain_solve, model, 1.0)]
        if plain is None:
            stages = stages[1:]
        else:
            pieces = search_pieces(model, pv, started + PIECES_SHARE * time_limit)
            if pieces is not None:
                bounds.append(pieces.bound)
                solver, code = solve_by_piece(plain, pv, pieces.skeleton, deadline, workers, seed)
                if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    stages = stages[1:]
                    if result.objective is None or solver.objective_value > result.objective:
                        result.solver, result.objective = solver, int(round(solver.objective_value))
        for stage, stage_model, share in stages:
            if time.perf_counter() >= deadline:
                break
            stage_end = time.perf_counter() + share * (deadline - time.perf_counter())
            solver, code = stage(
                stage_model, pv, stage_end, workers, seed, log, hint=_solution(result.solver)
            )
            if code in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
                return _plan(scenario, pv, solver, code, None, seed, workers, started)
            if code == cp_model.FEASIBLE:
                bounds.append(solver.best_objective_bound)
                if result.objective is None or solver.objective_value > result.objective:
                    result.solver, result.objective = solver, int(round(solver.objective_value))
    if result.solver is None:
        code = cp_model.INFEASIBLE if result.closed and not result.gave_up else cp_model.UNKNOWN
        return _plan(scenario, pv, None, code, None, seed, workers, started)
    bound = min(bounds)
    code = cp_model.OPTIMAL if bound < result.objective + 1 else cp_model.FEASIBLE
    return _plan(scenario, pv, result.solver, code, bound, seed, workers, started)


RELAX_SHARE = 0.5  # share of the time limit for finding the fewest bends


def _relaxed_solve(scenario, started, time_limit, workers, seed, log) -> Plan:
    """Every rule may bend. First the fewest bent instances of the hard rules, then, with at most
    that many, the best race-day performance less the soft rules' penalties (lexicographic)."""
    everything = frozenset((*RULE_NAMES, *RULE_PARTS))
    model, pv = build_model(scenario, relaxable=everything, objective=False)
    soft = soft_rules(scenario.rules)
    bends = sum(1 - keep for (rule, _w), keep in sorted(pv.keep.items()) if rule not in soft)
    fewest = model.clone()
    fewest.minimize(bends)
    first = started + RELAX_SHARE * time_limit
    work = RELAX_SHARE * time_limit if workers == 1 else None
    solver, code = _plain_solve(fewest, pv, first, workers, seed, log, work=work, tuned=False)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _plan(scenario, pv, None, code, None, seed, workers, started, relaxed=True)
    model.add(bends <= round(solver.objective_value))
    model.maximize(performance(pv) - soft_penalties(pv))
    best, code = _plain_solve(
        model,
        pv,
        started + time_limit,
        workers,
        seed,
        log,
        work=None if work is None else max(0.1, time_limit - solver.deterministic_time),
        hint=_solution(solver),
    )
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best, code = solver, cp_model.FEASIBLE  # the fewest-bends plan, not improved
    return _plan(scenario, pv, best, code, None, seed, workers, started, relaxed=True)


def _plain_solve(model, pv, deadline, workers, seed, log, *, work=None, hint=None, tuned=True):
    """One CP-SAT solve of the whole model until `deadline` (perf_counter), or, given `work`, for
    that many deterministic seconds (one worker: reproducible); `tuned` picks the max_lp + fixed
    workers tuned for the race-day objective, else CP-SAT's default portfolio.
    `hint`: a plan to start from (not repaired: OR-Tools 9.15's `repair_hint` aborts the process,
    CHECK failed: heuristics.fixed_search, when the time limit ends the repair)."""
    model = model.clone()
    solver = cp_model.CpSolver()
    remaining = max(0.1, deadline - time.perf_counter())
    solver.parameters.num_workers = workers
    if work is not None:
        # one worker: stop on CP-SAT's deterministic time (about a second a unit), so a seed
        # reproduces the plan exactly whatever the machine's load (the budget must not depend on
        # how long the build took); wall time is a safety net
        solver.parameters.max_deterministic_time = work
        solver.parameters.max_time_in_seconds = REPRODUCIBLE_WALL_FACTOR * work
        if tuned:
            solver.parameters.linearization_level = ONE_WORKER_LINEARIZATION
    else:
        solver.parameters.max_time_in_seconds = remaining
        if tuned:
            add_skeleton_first_search(model, pv)
            solver.parameters.subsolvers.extend(SUBSOLVERS)
    if hint:  # (variable, value) pairs: the best plan so far, or a neighbour's, to start from
        model.clear_hints()
        for var, value in hint:
            if isinstance(var, int):  # a proto index
                var = model.get_int_var_from_proto_index(var)
            model.add_hint(var, value)
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = log
    code = solver.solve(model)
    if code == cp_model.MODEL_INVALID:  # a bug in a rule builder, never the user's input
        raise RuntimeError(f"CP-SAT rejected the model: {model.validate()}")
    return solver, code


def _dives(model, pv, deadline, workers, seed, log, *, hint=None):
    """Two LP-guided dives (max_lp workers with different seeds, no large-neighbourhood search)
    until the first plan: on 52 weeks that plan comes in 2-9 s and is within 1-4 % of the best
    known, where CP-SAT's portfolio often finds only poor ones (docs/performance.md). `pv`,
    `workers` and `hint` are not used: a hint would steer the dives to the plan it holds."""
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.merge_text_format(
        'subsolver_params { name: "max_lp_b" linearization_level: 2'
        f" add_lp_constraints_lazily: false randomize_search: true random_seed: {seed + 101} }}"
    )
    parameters.subsolvers.extend(["max_lp", "max_lp_b"])
    parameters.num_workers = parameters.num_full_subsolvers = 2
    parameters.use_lns = parameters.use_feasibility_jump = False
    parameters.stop_after_first_solution = True
    parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
    parameters.random_seed = seed
    parameters.log_search_progress = log
    code = solver.solve(model)
    if code == cp_model.MODEL_INVALID:
        raise RuntimeError(f"CP-SAT rejected the model: {model.validate()}")
    return solver, code


def _solution(solver) -> list[tuple[object, int]] | None:
    """Every variable's value in the solver's best solution, as hint pairs."""
    if solver is None:
        return None
    return [(index, value) for index, value in enumerate(solver.response_proto.solution)]


def _plan(scenario, pv, solver, code, bound, seed, workers, started, relaxed=False) -> Plan:
    """The Plan from the solver holding the best plan's values (bound: the scaled proven bound,
    or None to take the solver's own)."""
    terms = objective_terms(scenario, pv.timeline)
    status = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(code, "unknown")
    fields = dict(
        status=status, seed=seed, workers=workers, athlete=scenario.athlete.name, relaxed=relaxed
    )
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Plan(solve_seconds=round(time.perf_counter() - started, 3), **fields)
    objective = terms.value(solver.objective_value)
    bound = terms.value(solver.best_objective_bound if bound is None else bound)
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
