"""What a solve may spend: the options CP-SAT must honour, the time budget the pipeline's stages
share (SHARES: each stage's share, and why) and the default number of workers."""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from ortools.sat.python import cp_model

from periodize.core.terms import MAX_SEED
from periodize.plan.schema import StoppedBy
from periodize.solver.search import stopping


def check_options(
    time_limit: object, seed: object, workers: object, work_limit: object = None
) -> None:
    """Refuse solve options CP-SAT cannot honour, with a ValueError that names the option, the
    value and the valid range (instead of an error from inside the solver)."""

    def is_int(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    def positive(value: object) -> bool:
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return number and math.isfinite(value) and value > 0  # type: ignore[arg-type,operator]

    if time_limit is not None and not positive(time_limit):
        raise ValueError(f"time_limit: a positive number of seconds, got {time_limit!r}")
    if work_limit is not None and not positive(work_limit):
        raise ValueError(
            f"work_limit: a positive number of CP-SAT deterministic seconds, got {work_limit!r}"
        )
    if not is_int(seed) or not 0 <= seed <= MAX_SEED:  # type: ignore[operator]
        raise ValueError(f"seed: an integer from 0 to {MAX_SEED}, got {seed!r}")
    if workers is not None and (not is_int(workers) or workers < 1):  # type: ignore[operator]
        raise ValueError(f"workers: a whole number of CP-SAT workers, at least 1, got {workers!r}")
    if work_limit is not None and workers not in (None, 1):
        raise ValueError(
            f"workers: a work_limit runs one CP-SAT worker (parallel search is not "
            f"reproducible), got workers={workers!r}"
        )


class Share(NamedTuple):
    """What a stage may spend: a fraction of the time limit, read as `kind` says."""

    fraction: float
    # "span": that share of the limit from when the stage starts; "until": the stage ends by
    # that share of the limit after the start; "left": that share of the time left at its start
    kind: Literal["span", "until", "left"]
    why: str


# The time each stage may spend, and why (the measurements: docs/history/performance.md).
SHARES: dict[str, Share] = {
    "cuts": Share(0.3, "span", "the sub-solves need 1.6-2.5 s; less weakened the bound at 10 s"),
    "quick": Share(0.05, "span", "enough to prove small plans before any skeleton search"),
    "skeleton": Share(0.4, "until", "a search with no leaf by then gives way to the later stages"),
    "pieces": Share(0.7, "until", "later, the dives and the portfolio get too little time"),
    "dives": Share(2 / 3, "left", "their first plan is the portfolio's hint; it needs time too"),
    "relax": Share(0.5, "span", "the relaxed solve's first step, the fewest bent rules"),
}


@dataclass
class TimeBudget:
    """The time limit of one solve and how the stages share it (SHARES); `work`: the one-worker
    solve's budget in deterministic seconds, if any (limit is then math.inf unless both were
    given)."""

    limit: float
    started: float = field(default_factory=time.perf_counter)
    work: float | None = None

    def which_ended(self, solver: cp_model.CpSolver, work: float | None = None) -> StoppedBy:
        """Which budget ended an unfinished one-worker search: the work budget (`work` if given,
        else the whole one) when the solver spent it, else the wall clock."""
        work = self.work if work is None else work
        if work is not None and solver.deterministic_time >= work * (1 - 1e-6):
            return "work_limit"
        return "time_limit"

    @property
    def deadline(self) -> float:
        return self.started + self.limit

    def over(self) -> bool:
        return stopping.past(self.deadline)

    def seconds(self, stage: str) -> float:
        """The seconds a "span" stage may spend."""
        share = SHARES[stage]
        assert share.kind == "span", stage
        return share.fraction * self.limit

    def end_of(self, stage: str) -> float:
        """When the stage must end (a perf_counter time), read now as its start; never past the
        deadline except for "until" stages, which end by their share of the limit."""
        share = SHARES[stage]
        now = time.perf_counter()
        if share.kind == "span":
            return min(self.deadline, now + share.fraction * self.limit)
        if share.kind == "until":
            return self.started + share.fraction * self.limit
        return now + share.fraction * (self.deadline - now)


def default_workers() -> int:
    """CP-SAT threads by default: the machine's cores, at most 8."""
    return max(1, min(os.cpu_count() or 1, 8))
