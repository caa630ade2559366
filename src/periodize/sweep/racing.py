"""A compare sweep's rounds: the time goes where it decides something.

Round 1 solves every candidate date with a first share of the budget. Then every candidate has
its best plan and its proven bound (the lowest bound of all its solves: each is valid), and the
ranking (sweep/ranking.py) says which candidates may still be first. Only those, and the ones without
a plan yet, get round 2 with the rest of the budget, warm-started from their own best plan (or,
without one, from the nearest date's plan moved to theirs: solver/search/warm_start.py); every one but
the leader stops as soon as its bound falls below the leader's plan (the solve's `cutoff`), and
the slots a wave would leave idle go to more seeds of the best candidates. A sweep ends early
when the top place is decided or its contenders are practically equivalent (sweep/ranking.py).

Budgets (SweepBudget): a wall-clock limit for the whole sweep (the default), for each candidate
(`per_candidate`), or a deterministic work budget per candidate. Under a work budget every solve
has one CP-SAT worker and a fixed seed, the cutoffs come from the round before, and nothing
depends on how many solves run at once or how fast: the same sweep gives the same table on any
machine, on the local pool and on a Dask cluster alike.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from periodize.core.terms import MAX_SEED
from periodize.plan.schema import Plan
from periodize.scenario.schema import Scenario
from periodize.sweep.pool import Job, Runner
from periodize.sweep.ranking import (
    EQUIVALENCE_TOLERANCE,
    Place,
    contenders,
    places,
    top_decided,
    top_equivalent,
)

# Two rounds: every candidate with this share of the budget, then the candidates still in
# contention with the rest. Each round restarts its solves (from their best plans as hints), so
# more, shorter rounds lose more search than they save: on the 16-week block two 19 s rounds gave
# no better bounds than one.
FIRST_ROUND_SHARE = 1 / 3
ROUNDS = 2
# Per job of a wall-clock sweep, kept back from its solve: sending the scenario, the audit,
# starting a worker process (seconds).
JOB_OVERHEAD_SECONDS = 0.7
# No solve of a wall-clock sweep's second round is given less.
MIN_SOLVE_SECONDS = 2.0
# Kept back at the end of a wall-clock sweep: the table.
END_SECONDS = 0.5
# Seeds of the extra solves of one candidate (wall-clock sweeps fill every slot of a wave).
SEED_STEP = 1009


@dataclass(frozen=True)
class SweepBudget:
    """What a sweep may spend. time_limit: wall seconds for the whole sweep, or for each candidate
    with per_candidate; work_limit: CP-SAT deterministic seconds per candidate (over all its
    rounds; reproducible). Neither: 60 s per candidate."""

    time_limit: float | None = None
    work_limit: float | None = None
    per_candidate: bool = False

    def __post_init__(self) -> None:
        for name in ("time_limit", "work_limit"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name}: a positive number, got {value!r}")
        if self.per_candidate and self.time_limit is None:
            raise ValueError("per_candidate needs a time_limit")

    @property
    def reproducible(self) -> bool:
        """Only the work budget limits the solves: the same result anywhere."""
        return self.work_limit is not None and self.time_limit is None


@dataclass
class Candidate:
    """One candidate date's results so far: its best plan, its lowest proven bound."""

    scenario: Scenario | None  # None: invalid (not solved)
    best: Plan | None = None
    bound: float | None = None
    last: Plan | str | None = None  # the latest result (a status without a plan, 'crashed: ...')
    seconds: float = 0.0
    rounds: int = 0

    def take(self, result: Plan | str) -> None:
        self.last = result
        if isinstance(result, str):
            return
        self.seconds += result.solve_seconds
        if result.objective is None:
            return
        if (
            self.best is None
            or self.best.objective is None
            or result.objective > self.best.objective
        ):
            self.best = result
        if result.bound is not None:  # a constructed plan of a search that proved none has none
            self.bound = result.bound if self.bound is None else min(self.bound, result.bound)

    @property
    def interval(self) -> tuple[float, float] | None:
        if self.best is None or self.best.objective is None or self.bound is None:
            return None
        return self.best.objective, max(self.bound, self.best.objective)

    @property
    def proven(self) -> bool:
        iv = self.interval
        return iv is not None and iv[1] <= iv[0] + 1e-4

    @property
    def waiting(self) -> bool:
        """Valid and without its interval (no plan yet, or a plan without a bound), but not proven
        to have no plan: another round may give it one."""
        return (
            self.scenario is not None
            and self.interval is None
            and isinstance(self.last, Plan)
            and self.last.status in ("unknown", "feasible")
        )

    @property
    def undetermined(self) -> bool:
        """Valid, without its interval (no plan or no bound in its budget, or its solve crashed),
        and not proven to have no plan: nothing says it is worse than the others."""
        return (
            self.scenario is not None
            and self.interval is None
            and not (isinstance(self.last, Plan) and self.last.status == "infeasible")
        )

    def plan(self) -> Plan | str | None:
        """The best plan with the lowest bound of all rounds (status optimal when they meet)."""
        if self.best is not None and self.bound is None:
            return self.best  # a plan, but no bound from any round
        if self.best is None or self.best.objective is None or self.bound is None:
            return self.last
        objective, bound = self.best.objective, max(self.bound, self.best.objective)
        update: dict[str, object] = {
            "bound": round(bound, 4),
            "gap": round((bound - objective) / max(abs(objective), 1e-9), 6),
            "solve_seconds": round(self.seconds, 3),
        }
        if self.proven:
            update.update(status="optimal", bound=objective, gap=0.0)
        if isinstance(self.last, Plan) and self.last.stopped_by is not None:
            update["stopped_by"] = self.last.stopped_by
        return self.best.model_copy(update=update)


@dataclass
class Schedule:
    """Each round's budget per solve: wall seconds and work units (None: no such limit)."""

    budget: SweepBudget
    slots: int
    deadline: float | None = None  # perf_counter end of a whole-sweep wall budget
    started: float = field(default_factory=time.perf_counter)

    def __post_init__(self) -> None:
        b = self.budget
        if b.time_limit is not None and not b.per_candidate:
            self.deadline = self.started + b.time_limit

    def round(self, number: int, jobs: int) -> tuple[float | None, float | None] | None:
        """(seconds, work) for each of the `jobs` solves of round `number` (1 or 2); None when
        the budget allows no such round."""
        b = self.budget
        if number > ROUNDS:
            return None
        share = FIRST_ROUND_SHARE if number == 1 else 1 - FIRST_ROUND_SHARE
        work = None if b.work_limit is None else share * b.work_limit
        seconds: float | None = None
        if b.per_candidate:
            seconds = share * b.time_limit  # type: ignore[operator]
        elif self.deadline is not None:
            left = self.deadline - time.perf_counter() - END_SECONDS
            spend = FIRST_ROUND_SHARE * left if number == 1 else left
            seconds = spend / math.ceil(jobs / self.slots) - JOB_OVERHEAD_SECONDS
            if number > 1 and seconds < MIN_SOLVE_SECONDS:
                return None
            seconds = max(seconds, 0.5)
        elif b.work_limit is None:  # no budget given: 60 s per candidate
            seconds = share * 60.0
        return seconds, work


def copies(open_: Sequence[int], candidates: Sequence[Candidate], slots: int) -> dict[int, int]:
    """Solves per open candidate in a wall-clock round: one each, and the slots a round's last
    wave would leave idle go to further seeds of the best candidates (the leader first: a better
    plan for it rules others out)."""
    count = dict.fromkeys(open_, 1)
    spare = (-len(open_)) % slots
    ranked = sorted(open_, key=lambda i: -(_objective(candidates[i]) or -math.inf))
    for k in range(spare):
        count[ranked[k % len(ranked)]] += 1
    return count


def _objective(c: Candidate) -> float | None:
    return None if c.best is None else c.best.objective


def run_rounds(
    scenarios: Sequence[Scenario | None],
    shifts: Callable[[int, int], int],
    runner: Runner,
    budget: SweepBudget,
    *,
    seed: int = 0,
    warm_start: Sequence[tuple[Plan, int] | None] | None = None,
    progress: Callable[[str], None] | None = None,
    tolerance: float = EQUIVALENCE_TOLERANCE,
) -> tuple[list[Candidate], list[Place | None], int]:
    """Solve the candidates in rounds (module docstring). shifts(i, j): days from candidate j's
    race date to candidate i's (for moving j's plan onto i). tolerance: of practical equivalence
    (sweep/ranking.py). Returns the candidates, their places and the number of rounds."""
    candidates = [Candidate(s) for s in scenarios]
    schedule = Schedule(budget, runner.slots)
    from periodize.solver.search import (
        stopping,  # Ctrl-C (cli_sweep): the round running ends the sweep
    )

    open_ = [i for i, c in enumerate(candidates) if c.scenario is not None]
    found: list[Place | None] = [None] * len(candidates)
    number = 0
    while open_:
        number += 1
        # under a work budget the solves must not depend on the number of slots
        single = budget.work_limit is not None
        per = dict.fromkeys(open_, 1) if single else copies(open_, candidates, runner.slots)
        limits = schedule.round(number, sum(per.values()))
        if limits is None:
            number -= 1  # no such round
            break
        seconds, work = limits
        leader = _leader(candidates)
        jobs, owners = [], []
        for i in open_:
            hint = warm_start[i] if number == 1 and warm_start else _hint(candidates, i, shifts)
            cutoff = None
            if leader is not None and i != leader:
                cutoff = candidates[leader].best.objective  # type: ignore[union-attr]
            for copy in range(per[i]):
                jobs.append(
                    Job(
                        candidates[i].scenario,  # type: ignore[arg-type]
                        seed=(seed + copy * SEED_STEP) % (MAX_SEED + 1),
                        time_limit=seconds, work_limit=work, warm_start=hint, cutoff=cutoff,
                    )
                )  # fmt: skip
                owners.append(i)
        if progress:
            progress(_round_text(number, len(open_), len(jobs), seconds, work))
        for i, result in zip(owners, runner.run(jobs)):
            candidates[i].take(result)
        for i in set(owners):
            candidates[i].rounds += 1
        intervals = [c.interval for c in candidates]
        found = places(intervals)
        waiting = [i for i, c in enumerate(candidates) if c.waiting]
        settled = top_decided(found) or top_equivalent(intervals, found, tolerance)
        if (settled and not waiting) or stopping.requested():  # Ctrl-C: no more rounds
            break
        open_ = sorted(set(waiting) | {i for i in contenders(found) if not candidates[i].proven})
    return candidates, found, number


def _leader(candidates: Sequence[Candidate]) -> int | None:
    """The candidate with the best plan so far (the earliest date on equal plans)."""
    best = None
    for i, c in enumerate(candidates):
        if c.best is not None and c.best.objective is not None:
            if best is None or c.best.objective > candidates[best].best.objective:  # type: ignore[union-attr,operator]
                best = i
    return best


def _hint(
    candidates: Sequence[Candidate], i: int, shifts: Callable[[int, int], int]
) -> tuple[Plan, int] | None:
    """The candidate's own best plan, or else the nearest date's (a later one on equal distance),
    moved onto its date."""
    own = candidates[i].best
    if own is not None:
        return own, 0
    with_plans = [j for j, c in enumerate(candidates) if c.best is not None]
    if not with_plans:
        return None
    # a later date's plan moved earlier drops its first days, which keeps it feasible more often
    # than a plan moved later, whose first week is repeated (solver/search/warm_start.py)
    nearest = min(with_plans, key=lambda j: (abs(shifts(i, j)), shifts(i, j) > 0, j))
    plan = candidates[nearest].best
    assert plan is not None
    return plan, shifts(i, nearest)


def _round_text(
    number: int, count: int, jobs: int, seconds: float | None, work: float | None
) -> str:
    each = " and ".join(
        ([f"{seconds:.1f} s"] if seconds is not None else [])
        + ([f"{work:g} work units"] if work is not None else [])
    )
    seeds = f" ({jobs} solves: more seeds for the best)" if jobs > count else ""
    what = "every candidate" if number == 1 else f"{count} still in contention"
    return f"round {number}: {what}{seeds}, up to {each} per solve"
