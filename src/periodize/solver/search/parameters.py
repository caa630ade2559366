"""Every parameter set CP-SAT gets, in one place: which workers, which limits, which seeds.

The planner runs CP-SAT in a few roles (the search pipeline's stages in solver/search/pipeline.py, the
skeleton's leaves, the cuts' sub-solves, the conflict explanation); each role's settings are one
function here, so that a tuning change is made, and reviewed, in one module. The measurements
behind the choices are in docs/history/performance.md.
"""

from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from periodize.core.terms import PHASE_ORDER
from periodize.solver.model.variables import PlanVariables

# With 2-4 workers CP-SAT's default portfolio runs no max_lp worker and its bound hardly moves;
# max_lp plus the fixed-strategy worker (which follows the skeleton-first decisions) is the best
# pair on 2 cores.
PORTFOLIO_SUBSOLVERS = ("max_lp", "fixed")
# On a fixed skeleton (a leaf of the skeleton search, a macrocycle piece) the LP worker and the
# reduced-cost worker are the best pair.
LEAF_SUBSOLVERS = ("max_lp", "reduced_costs")
# One worker: CP-SAT's single default worker keeps the plain LP (bound 20-30 % above on 16 weeks);
# linearization level 2 makes it the max_lp worker.
ONE_WORKER_LINEARIZATION = 2
# Each cut sub-solve is limited in deterministic time (not wall time), so that the same scenario
# gets the same cuts on any machine; an unfinished sub-solve contributes its (valid) bound.
SUB_SOLVE_WORK = 2.0


def seconds_until(deadline: float, least: float = 0.01) -> float:
    """Wall seconds from now to `deadline` (a perf_counter time), at least `least`."""
    return max(least, deadline - time.perf_counter())


def add_skeleton_first_search(model: cp_model.CpModel, pv: PlanVariables) -> None:
    """Decide the week skeleton (deload weeks, then phases week by week) before the days; the
    'fixed' worker of the portfolio follows it."""
    skeleton = [pv.deload[w] for w in sorted(pv.deload)]
    skeleton += [
        v for _, v in sorted(pv.phase.items(), key=lambda kv: (kv[0][0], PHASE_ORDER[kv[0][1]]))
    ]
    model.add_decision_strategy(skeleton, cp_model.CHOOSE_FIRST, cp_model.SELECT_MIN_VALUE)


def portfolio(
    solver: cp_model.CpSolver, deadline: float, workers: int, seed: int, *, tuned: bool
) -> None:
    """A parallel search until `deadline`: the max_lp + fixed workers tuned for the race-day
    objective (`tuned`; the model must carry the skeleton-first strategy), else CP-SAT's default
    portfolio."""
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = seconds_until(deadline, 0.1)
    solver.parameters.random_seed = seed
    if tuned:
        solver.parameters.subsolvers.extend(PORTFOLIO_SUBSOLVERS)


def one_worker(
    solver: cp_model.CpSolver, deadline: float, work: float | None, seed: int, *, tuned: bool
) -> None:
    """One worker with the full LP (`tuned`), stopped by the wall clock at `deadline` (a
    perf_counter time; math.inf: none) and, given `work`, by that many units of CP-SAT's
    deterministic time. A run that only `work` stops reproduces its plan exactly for a seed,
    whatever the machine's load; there is no wall-clock safety net behind it, on purpose: one
    would end a run on a busy machine early and change its plan."""
    solver.parameters.num_workers = 1
    if work is not None:
        solver.parameters.max_deterministic_time = work
    if math.isfinite(deadline):
        solver.parameters.max_time_in_seconds = seconds_until(deadline)
    solver.parameters.random_seed = seed
    if tuned:
        solver.parameters.linearization_level = ONE_WORKER_LINEARIZATION


def dives(solver: cp_model.CpSolver, deadline: float, seed: int) -> None:
    """Two LP-guided dives (max_lp workers with different seeds, no large-neighbourhood search)
    that stop at the first plan: on very long seasons that plan comes sooner, and better, than
    the portfolio's."""
    parameters = solver.parameters
    parameters.merge_text_format(
        'subsolver_params { name: "max_lp_b" linearization_level: 2'
        f" add_lp_constraints_lazily: false randomize_search: true random_seed: {seed + 101} }}"
    )
    parameters.subsolvers.extend(["max_lp", "max_lp_b"])
    parameters.num_workers = parameters.num_full_subsolvers = 2
    parameters.use_lns = parameters.use_feasibility_jump = False
    parameters.stop_after_first_solution = True
    parameters.max_time_in_seconds = seconds_until(deadline, 0.1)
    parameters.random_seed = seed


def leaf(solver: cp_model.CpSolver, deadline: float, workers: int, seed: int) -> None:
    """A search on a fixed skeleton (a leaf, a piece) until `deadline`."""
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = seconds_until(deadline)
    if workers >= 2:
        solver.parameters.subsolvers.extend(LEAF_SUBSOLVERS)


def sub_solve(solver: cp_model.CpSolver, deadline: float) -> None:
    """A cut's sub-solve: one worker (the cuts run several on threads), a deterministic budget."""
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = SUB_SOLVE_WORK
    solver.parameters.max_time_in_seconds = seconds_until(deadline)


def assumptions_core(solver: cp_model.CpSolver, deadline: float, seed: int) -> None:
    """A feasibility check under assumptions: one worker, which infeasibility cores need, with
    the full LP (without it, the taper's ratio rules with the sharpening rule left the default
    block's first plan unfound after 60 s; with it, 0.2 s)."""
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = seconds_until(deadline, 0.05)
    solver.parameters.linearization_level = ONE_WORKER_LINEARIZATION
