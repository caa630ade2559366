"""Solving a scenario: the search pipeline, its stages in the order they run, and the one time
budget they share.

With two or more workers the stages are:

1. cuts        redundant cuts on the model (hard rules only); the model without them is kept,
               long seasons find plans sooner there.
2. quick       a short plain CP-SAT solve, which settles small plans (skipped for seasons with
               several A races and hard rules only, unless warm-started: it never finds a plan
               there).
3. skeleton    the skeleton branch and bound (solver/search/skeleton.py) for the rest of the time; it
               gives up when it reaches no leaf early enough (very long plans), and then:
4. pieces      seasons with several A races: the macrocycle pieces' bound and skeleton
               (solver/search/pieces.py), and plans on that skeleton piece by piece;
5. construct   when no stage has a plan yet: the week-by-week construction (solver/search/construct.py),
               on deterministic work, so that a loaded machine still gets a plan;
6. dives       when the pieces found no plan (or there are none): two LP-guided dives on the
               model without the cuts, for a first good plan;
7. portfolio   plain CP-SAT on the model with the cuts, hinted with the best plan so far, for
               whatever time is left (its bound counts too).

A stage that proves the plan optimal (or the scenario infeasible) ends the pipeline. With one
worker a single plain solve on deterministic time, so that a seed reproduces the plan exactly;
on a work budget it starts from the constructed plan (_one_worker_solve).
`relax=True` runs the relaxed pipeline instead: the fewest bent rules, then the best plan with
that many.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from periodize.core.cancel import CancelToken
from periodize.core.terms import DEFAULT_TIME_LIMIT
from periodize.plan.schema import Plan, StoppedBy
from periodize.scenario.registry import RULE_NAMES, RULE_PARTS, soft_rules
from periodize.scenario.schema import Scenario
from periodize.solver.model.build import build_model
from periodize.solver.model.objective import objective_terms, performance, soft_penalties
from periodize.solver.model.variables import PlanVariables
from periodize.solver.search import stopping
from periodize.solver.search.budget import SHARES, TimeBudget, check_options, default_workers
from periodize.solver.search.construct import checked, construct
from periodize.solver.search.cuts import add_redundant_cuts
from periodize.solver.search.extract import extract_plan
from periodize.solver.search.pieces import macrocycle_pieces, search_pieces, solve_by_piece
from periodize.solver.search.progress import Progress
from periodize.solver.search.runs import Hint, Status, dives, plain_solve, solution
from periodize.solver.search.skeleton import branch_and_bound
from periodize.solver.search.warm_start import shifted_hint


def search(
    scenario: Scenario,
    *,
    time_limit: float | None = None,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int | None = None,
    log: bool = False,
    relax: bool = False,
    warm_start: tuple[Plan, int] | None = None,
    progress: Callable[[Progress], None] | None = None,
    cutoff: float | None = None,
    cancel: CancelToken | None = None,
) -> Plan:
    """Search a scenario's model for its best plan. Returns a Plan whose status is optimal,
    feasible, infeasible or unknown, and whose `stopped_by` says what ended the search. The plan
    is not audited: `periodize.solve` is this search followed by the audit (audit.settle).

    time_limit: wall-clock seconds for the whole solve, model build included (default 60 unless
    work_limit is given). work_limit: a budget in CP-SAT's deterministic seconds on one worker
    (workers must be None or 1): the same seed gives the same plan however loaded the machine is;
    without time_limit nothing else stops it. Given both, whichever ends first.
    The pipeline's stages are described at the top of this module. warm_start=(plan, shift): a
    neighbouring plan moved `shift` days later, as the first solve's hint
    (solver/search/warm_start.py). progress: called with a Progress after each stage (on the solving
    thread; what it raises ends the solve). cutoff (one worker, objective units): stop as soon as
    the proven bound is below it (stopped_by "cutoff"): a compare candidate that cannot beat a
    plan found for another date. cancel: a token that stops this search (core/cancel.py)."""
    check_options(time_limit, seed, workers, work_limit)
    with stopping.solving(cancel):
        return _searched(
            scenario,
            time_limit,
            work_limit,
            seed,
            workers,
            log,
            relax,
            warm_start,
            progress,
            cutoff,
        )


def _searched(
    scenario: Scenario,
    time_limit: float | None,
    work_limit: float | None,
    seed: int,
    workers: int | None,
    log: bool,
    relax: bool,
    warm_start: tuple[Plan, int] | None,
    progress: Callable[[Progress], None] | None,
    cutoff: float | None,
) -> Plan:
    if time_limit is None and work_limit is None:
        time_limit = DEFAULT_TIME_LIMIT
    budget = TimeBudget(math.inf if time_limit is None else time_limit, work=work_limit)
    workers = 1 if work_limit is not None else workers or default_workers()
    if relax:
        return _reported(_relaxed_solve(scenario, budget, workers, seed, log), "relax", progress)
    model, pv = build_model(scenario)
    hint = shifted_hint(pv, *warm_start) if warm_start else None
    if workers == 1:
        plan, part = _one_worker_solve(scenario, model, pv, budget, seed, log, hint, cutoff)
        return _reported(plan, part, progress)
    state = Search(scenario, model, pv, budget, workers, seed, log, hint)
    for stage in PIPELINE:
        state.stage = stage.__name__
        stage(state)
        if state.settled is not None:
            solver, code = state.settled
            plan = extract_plan(scenario, pv, solver, code, None, seed, workers, budget.started)
            return _reported(plan, stage.__name__, progress)
        if progress is not None:
            progress(state.progress(stage.__name__))
    return state.plan()


# The name a stage's plan carries as its found_by (plan.FoundBy), where it is not the stage's own
FOUND_BY = {"construct_plan": "construct", "first_plan_dives": "dives"}


def _one_worker_solve(
    scenario: Scenario,
    model: cp_model.CpModel,
    pv: PlanVariables,
    budget: TimeBudget,
    seed: int,
    log: bool,
    hint: Hint | None,
    cutoff: float | None,
) -> tuple[Plan, str]:
    """One plain CP-SAT search on the time left on the wall clock and the work budget, and the
    part of the solve whose plan it returns.

    On a work budget without a warm start the constructed plan comes first and is the search's
    hint: at equal total work the hinted search ends better on every reference scenario, by up
    to 12 % on the 30-week season (docs/performance.md). The construction's work counts towards
    the budget; the search gets what is left, at least a quarter of the budget (a construction is
    never cut short: a plan is worth more than the overrun). Without a plan from the search, the
    constructed plan is the answer, with the bound the search proved if any."""
    terms = objective_terms(scenario, pv.timeline)
    stop_below = None if cutoff is None else (cutoff - terms.constant) * terms.scale
    work = budget.work
    built = None
    if work is not None and hint is None and not stopping.requested():
        built = constructed(model, pv, seed)
        if built is not None:
            hint = solution(built[0])
            work = max(work - built[1], MIN_SEARCH_SHARE * work)
    solver, code = plain_solve(
        model, pv, budget.deadline, 1, seed, log, work=work, hint=hint, stop_below=stop_below
    )
    cut = stop_below is not None and solver.best_objective_bound < stop_below
    ended: StoppedBy = "cutoff" if cut else budget.which_ended(solver, work)
    args = (seed, 1, budget.started)
    if code == cp_model.UNKNOWN and not cut and not stopping.requested():
        if built is None:  # no plan in the budget: the constructed one
            built = constructed(model, pv, seed)
        if built is not None:
            bound = searched_bound(solver, built[0])
            plan = extract_plan(
                scenario, pv, built[0], cp_model.FEASIBLE, bound, *args, stopped_by=ended
            )
            if bound is None:
                plan = plan.model_copy(update={"bound": None, "gap": None})
            return plan, "construct"
    plan = extract_plan(scenario, pv, solver, code, None, *args, stopped_by=ended)
    if built is not None and plan.objective is not None:
        unimproved = solver.objective_value <= built[0].objective_value
        return plan, "construct" if unimproved else "one_worker"
    return plan, "one_worker"


# The least share of a work budget the one-worker search gets after the construction
MIN_SEARCH_SHARE = 0.25


def _reported(plan: Plan, stage: str, progress: Callable[[Progress], None] | None) -> Plan:
    if plan.objective is not None and plan.found_by is None:
        found = FOUND_BY.get(stage, stage)
        plan = plan.model_copy(update={"found_by": found, "found_at_seconds": plan.solve_seconds})
    if progress is not None:
        progress(Progress(stage, plan.solve_seconds, plan.objective, plan.bound))
    return plan


@dataclass
class Search:
    """What the stages share: the model (and the one without cuts), the time budget, the best
    plan so far and every proven bound."""

    scenario: Scenario
    model: cp_model.CpModel
    pv: PlanVariables
    budget: TimeBudget
    workers: int
    seed: int
    log: bool
    hint: Hint | None
    uncut: cp_model.CpModel | None = None  # the model before the cuts (hard rules only)
    best: cp_model.CpSolver | None = None  # the solver holding the best plan so far
    best_objective: int | None = None
    bounds: list[float] = field(default_factory=list)
    gave_up: bool = False  # the skeleton search reached no leaf in its time
    closed: bool = False  # the skeleton search closed every node
    pieces_planned: bool = False
    settled: tuple[cp_model.CpSolver, Status] | None = None  # a stage's final answer
    stage: str = ""  # the stage running
    found_by: str | None = None  # the stage that found the best plan, and when (seconds)
    found_at: float | None = None

    def progress(self, stage: str) -> Progress:
        """The best plan and bound so far, in performance units."""
        terms = objective_terms(self.scenario, self.pv.timeline)
        return Progress(
            stage,
            round(time.perf_counter() - self.budget.started, 3),
            None if self.best_objective is None else terms.value(self.best_objective),
            terms.value(min(self.bounds)) if self.bounds else None,
        )

    def offer(self, solver: cp_model.CpSolver, code: Status) -> None:
        """A stage's result: its bound counts, and its plan if better than the best so far."""
        if code != cp_model.FEASIBLE:
            return
        self.bounds.append(solver.best_objective_bound)
        self.take(solver)

    def take(self, solver: cp_model.CpSolver) -> None:
        if self.best_objective is None or solver.objective_value > self.best_objective:
            self.found(solver, int(round(solver.objective_value)))

    def found(self, solver: cp_model.CpSolver | None, objective: int | None) -> None:
        """The running stage's plan is the best so far."""
        if objective != self.best_objective:
            self.found_by = FOUND_BY.get(self.stage, self.stage)
            self.found_at = round(time.perf_counter() - self.budget.started, 3)
        self.best, self.best_objective = solver, objective

    def plan(self) -> Plan:
        """The best plan, optimal when no bound is above it (in scaled units, by less than 1)."""
        args = (self.seed, self.workers, self.budget.started)
        if self.best is None:
            code = cp_model.INFEASIBLE if self.closed and not self.gave_up else cp_model.UNKNOWN
            return extract_plan(self.scenario, self.pv, None, code, None, *args)
        assert self.best_objective is not None
        found = {"found_by": self.found_by, "found_at_seconds": self.found_at}
        if not self.bounds:  # only the construction's plan, from stages that proved no bound
            plan = extract_plan(self.scenario, self.pv, self.best, cp_model.FEASIBLE, None, *args)
            return plan.model_copy(update={**found, "bound": None, "gap": None})
        bound = min(self.bounds)
        code = cp_model.OPTIMAL if bound < self.best_objective + 1 else cp_model.FEASIBLE
        plan = extract_plan(self.scenario, self.pv, self.best, code, bound, *args)
        return plan.model_copy(update=found)


def cuts(search: Search) -> None:
    """Redundant cuts for a portfolio (a single worker finds plans sooner without them); they
    assume hard rules. The model without them is kept for the stages that look for plans."""
    if soft_rules(search.scenario.rules):
        return
    search.uncut = search.model.clone()
    left = search.budget.deadline - time.perf_counter()  # a slow build leaves less
    add_redundant_cuts(
        search.pv, max(0.0, min(search.budget.seconds("cuts"), left)), threads=search.workers
    )


def quick(search: Search) -> None:
    """A short plain solve: it proves small plans optimal. Seasons with several A races and only
    hard rules skip it unless warm-started (it never found a plan there)."""
    if not search.hint and search.uncut is not None and len(macrocycle_pieces(search.pv)) >= 2:
        return
    solver, code = plain_solve(
        search.model,
        search.pv,
        search.budget.end_of("quick"),
        search.workers,
        search.seed,
        search.log,
        hint=search.hint,
    )
    if code in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or search.budget.over():
        search.settled = (solver, code)
        return
    search.offer(solver, code)


def skeleton(search: Search) -> None:
    """The skeleton branch and bound (solver/search/skeleton.py) until the deadline, unless it reaches
    no leaf by its share of the time."""
    incumbent = None
    if search.best is not None:
        assert search.best_objective is not None
        incumbent = (search.best, search.best_objective)
    result = branch_and_bound(
        search.model,
        search.pv,
        incumbent=incumbent,
        deadline=search.budget.deadline,
        give_up_at=search.budget.end_of("skeleton"),
        workers=search.workers,
        seed=search.seed,
    )
    search.bounds.append(result.bound)
    search.found(result.solver, result.objective)
    search.gave_up, search.closed = result.gave_up, result.closed


def pieces(search: Search) -> None:
    """After the skeleton search gave up, on a season with several A races: the macrocycle
    pieces' bound and skeleton, then plans on that skeleton piece by piece (solver/search/pieces.py)."""
    if not search.gave_up or search.uncut is None:
        return
    found = search_pieces(search.model, search.pv, search.budget.end_of("pieces"))
    if found is None:
        return
    search.bounds.append(found.bound)
    solver, code = solve_by_piece(
        search.uncut,
        search.pv,
        found.skeleton,
        search.budget.deadline,
        search.workers,
        search.seed,
    )
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        search.pieces_planned = True
        search.take(solver)


def constructed(
    model: cp_model.CpModel, pv: PlanVariables, seed: int
) -> tuple[cp_model.CpSolver, float] | None:
    """The week-by-week plan (solver/search/construct.py), as a solver holding it, and the
    deterministic work it took; or None. It runs on deterministic work, not on the clock: it may
    end a few seconds past the time limit, because a plan is worth more than those seconds."""
    built = construct(model, pv.timeline.n_weeks, seed)
    solver = None if built is None else checked(model, built, seed)
    return None if solver is None or built is None else (solver, built.work)


def searched_bound(search: cp_model.CpSolver, plan: cp_model.CpSolver) -> float | None:
    """The proven bound of a search that ended without a plan, for another plan of the same model:
    CP-SAT proves one once its search has loaded the presolved model, even without a plan. A search
    stopped before that reports 0, which is no bound; so is any value below the plan."""
    loaded = search.response_proto.num_booleans + search.response_proto.num_integers > 0
    bound = search.best_objective_bound
    return bound if loaded and bound >= plan.objective_value else None


def construct_plan(search: Search) -> None:
    """When the stages before found no plan (the search gave up, on a machine too loaded or a
    season too long): the constructed plan, the later stages' hint."""
    if not search.gave_up or search.best is not None or stopping.requested():
        return
    built = constructed(search.uncut or search.model, search.pv, search.seed)
    if built is not None:
        search.take(built[0])


def first_plan_dives(search: Search) -> None:
    """After the skeleton search gave up and the pieces found no plan: two LP-guided dives on the
    model without the cuts (hard rules only) for a first good plan."""
    if not search.gave_up or search.uncut is None or search.pieces_planned:
        return
    _stage_run(search, dives, search.uncut, search.budget.end_of("dives"))


def portfolio(search: Search) -> None:
    """After the skeleton search gave up: plain CP-SAT on the model with the cuts, hinted with the
    best plan so far, for the time left."""
    if not search.gave_up:
        return
    _stage_run(search, plain_solve, search.model, search.budget.deadline)


def _stage_run(
    search: Search,
    run: Callable[..., tuple[cp_model.CpSolver, Status]],
    model: cp_model.CpModel,
    end: float,
) -> None:
    if search.budget.over():
        return
    hint = solution(search.best) or search.hint
    solver, code = run(model, search.pv, end, search.workers, search.seed, search.log, hint=hint)
    if code in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        search.settled = (solver, code)
    else:
        search.offer(solver, code)


PIPELINE: tuple[Callable[[Search], None], ...] = (
    cuts,
    quick,
    skeleton,
    pieces,
    construct_plan,
    first_plan_dives,
    portfolio,
)


def _relaxed_solve(
    scenario: Scenario, budget: TimeBudget, workers: int, seed: int, log: bool
) -> Plan:
    """Every rule may bend. First the fewest bent instances of the hard rules, then, with at most
    that many, the best race-day performance less the soft rules' penalties (lexicographic)."""
    everything = frozenset((*RULE_NAMES, *RULE_PARTS))
    model, pv = build_model(scenario, relaxable=everything, objective=False)
    soft = soft_rules(scenario.rules)
    bends = sum(1 - keep for (rule, _w), keep in sorted(pv.keep.items()) if rule not in soft)
    fewest = model.clone()
    fewest.minimize(bends)
    first = min(budget.deadline, budget.started + budget.seconds("relax"))
    work = None if budget.work is None else SHARES["relax"].fraction * budget.work
    args = (seed, workers, budget.started)
    solver, code = plain_solve(fewest, pv, first, workers, seed, log, work=work, tuned=False)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return extract_plan(scenario, pv, None, code, None, *args, relaxed=True)
    model.add(bends <= round(solver.objective_value))
    model.maximize(performance(pv) - soft_penalties(pv))
    left = None if budget.work is None else max(0.1, budget.work - solver.deterministic_time)
    best, code = plain_solve(
        model, pv, budget.deadline, workers, seed, log, work=left, hint=solution(solver)
    )
    ended = budget.which_ended(best, left)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best, code = solver, cp_model.FEASIBLE  # the fewest-bends plan, not improved
    return extract_plan(scenario, pv, best, code, None, *args, relaxed=True, stopped_by=ended)
