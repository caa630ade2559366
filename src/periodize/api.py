"""The functions a program embedding periodize calls beside loading and auditing: solve, re-plan,
explain, cancel and fit (the package's root re-exports them; docs/api.md). Each takes and
returns the types of the layers below and imports the heavy libraries (OR-Tools, SciPy) only
when it runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from periodize.core.cancel import CancelToken
from periodize.plan.conflict import Conflict
from periodize.plan.schema import Plan
from periodize.scenario.schema import Scenario
from periodize.solver.search.progress import Progress
from periodize.traininglog.log import LoggedSession

if TYPE_CHECKING:
    from periodize.fitting.data import LoadHistory, TestSeries
    from periodize.fitting.estimate import FitResult


def solve(
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
    cancel: CancelToken | None = None,
) -> Plan:
    """Solve a scenario into a Plan and audit it.

    time_limit: wall-clock seconds for the whole call (default 60 unless work_limit is given);
    work_limit: a budget in CP-SAT's deterministic seconds on one worker (a seed then reproduces
    the plan exactly, however loaded the machine; no wall-clock limit unless time_limit is given
    too); seed: CP-SAT's random seed; workers: CP-SAT threads (default: the cores, at most 8);
    log: CP-SAT's search log on stderr; relax: every rule may bend (the fewest bent rule-weeks,
    then the best plan with them); warm_start: (plan, shift) a neighbouring plan moved `shift`
    days later as the first hint; progress: called with a Progress after each stage of the
    search (docs/api.md); cancel: a CancelToken that stops this solve (its best plan so far is
    returned, `interrupted` set). `plan.stopped_by` says what ended the search. Raises ValueError for a
    scenario that is not a Scenario (load one with load_scenario or scenario_from_dict) or an
    option out of range."""
    from periodize.audit import settle
    from periodize.solver.search.pipeline import search

    if not isinstance(scenario, Scenario):
        raise ValueError(
            f"solve() takes a Scenario (from load_scenario or scenario_from_dict), got "
            f"{type(scenario).__name__}"
        )
    plan = search(
        scenario, time_limit=time_limit, work_limit=work_limit, seed=seed, workers=workers,
        log=log, relax=relax, warm_start=warm_start, progress=progress, cancel=cancel,
    )  # fmt: skip
    if plan.days:
        settle(scenario, plan, {(b.rule, b.week) for b in plan.bends})
    return plan


def replan(
    scenario: Scenario,
    plan: Plan,
    today: dt.date,
    *,
    log: Sequence[LoggedSession] = (),
    missed: Iterable[dt.date] = (),
    done: Mapping[dt.date, str] | None = None,
    tolerance_pct: float = 1.0,
    time_limit: float | None = None,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int | None = None,
    relax: bool = False,
    progress: Callable[[Progress], None] | None = None,
    cancel: CancelToken | None = None,
) -> Plan:
    """Re-plan `plan` from `today` after training happened, and audit the result (docs/replan.md).

    Every day before today is done: `missed` days nothing, `done` days the library session it
    names (date -> session id), the training `log` from its first day (its rows:
    periodize.read_log(...).sessions; a day it leaves empty: nothing), else the plan as
    written. The days from
    today are solved again under every rule; among plans within `tolerance_pct` % of the best
    predicted training effect, the one that changes the fewest of the old plan's days. The
    result's `changes` lists each changed day and why; `in_the_log` the rule findings wholly in
    the days done. time_limit and work_limit bound the whole re-plan as solve's bound a solve
    (its steps share them). The result is the next revision of `plan` (its plan_id, revision + 1, the
    calendar events' SEQUENCE: docs/report.md). Other options as for solve. Raises ScenarioError for a date outside the plan
    or an unknown session, ValueError for an option out of range."""
    from periodize.audit import settle
    from periodize.plan.revisions import successor_of
    from periodize.solver.replan import replan as _replan

    if not isinstance(scenario, Scenario):
        raise ValueError(f"replan() takes a Scenario, got {type(scenario).__name__}")
    new = _replan(
        scenario, plan, today, log=log, missed=missed, done=done, tolerance_pct=tolerance_pct,
        time_limit=time_limit, work_limit=work_limit, seed=seed, workers=workers, relax=relax,
        progress=progress, cancel=cancel,
    )  # fmt: skip
    if not new.days:
        return new
    settle(scenario, new, {(b.rule, b.week) for b in new.bends} if new.relaxed else set())
    return successor_of(new, plan)  # the next revision: its calendar events stay in step


def cancel() -> None:
    """Stop every solve, re-plan and explanation running in this process (from another thread,
    or a signal handler): each returns at once with its best plan so far and `interrupted` set.
    Solves started afterwards run in full; to stop one solve, give it a CancelToken. Returns
    immediately."""
    from periodize.solver.search import stopping

    stopping.cancel_running()


def explain(
    scenario: Scenario,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    cancel: CancelToken | None = None,
) -> Conflict:
    """Why a scenario has no plan: a minimal set of clashing rule instances (docs/explain.md),
    found within `time_limit` wall-clock seconds; `cancel` stops the search for it."""
    from periodize.solver.explain import explain as _explain

    return _explain(scenario, time_limit=time_limit, seed=seed, cancel=cancel)


def fit(
    loads: str | Path | LoadHistory,
    tests: str | Path | TestSeries,
    model: str = "banister",
    *,
    convention: str = "morning",
    test: str | None = None,
    prior: str | Mapping[str, object] | None = None,
    prior_weight: float = 1.0,
    leave_one_out: bool = True,
    profile: bool = True,
) -> FitResult:
    """Fit a response model (banister or busso) to a load history and a test series: CSV files
    as docs/fit.md describes, or as read. `convention`: morning or same-day tests; `test`: the
    tests file's column; `prior`: a response preset (name, path or parameters) the fit is pulled
    toward with `prior_weight`; `leave_one_out` refits without each test in turn; `profile`
    gives the time constants profile-likelihood intervals. The result's parameters carry their
    uncertainty; periodize.fitting.output.preset_toml(result) is the preset a scenario can name.
    Raises ScenarioError for bad files, ValueError for bad arguments."""
    from periodize.fitting.estimate import fit as _fit

    return _fit(
        loads, tests, model, convention=convention, test=test, prior=prior,
        prior_weight=prior_weight, leave_one_out=leave_one_out, profile=profile,
    )  # fmt: skip
