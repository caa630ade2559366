"""Many solves at once: compare candidate dates for one race (`compare_peaks`) and plan a squad
(`solve_many`), on a local process pool or on any concurrent.futures-style executor, such as a
Dask distributed client's `client.get_executor()` (sweep/pool.py runs the solves, sweep/racing.py decides
where a comparison's time goes, sweep/ranking.py which places are decided).

Under a work budget alone (`work_limit`) every solve has one CP-SAT worker and stops on
deterministic time, so a sweep's table is the same on any machine and any executor. A candidate
that is invalid, infeasible, runs out of time or crashes its worker gets a row saying so; the
sweep always finishes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor

from periodize.core.errors import Problem, ScenarioError
from periodize.plan.schema import Plan
from periodize.scenario.precheck import precheck
from periodize.scenario.schema import Priority, Scenario
from periodize.sweep.pool import Job, Runner, solver_workers
from periodize.sweep.racing import JOB_OVERHEAD_SECONDS, SweepBudget, run_rounds
from periodize.sweep.ranking import EQUIVALENCE_TOLERANCE, top_decided, top_equivalent
from periodize.sweep.table import comparison_frame

FAILED = ("infeasible", "unknown", "crashed", "invalid", "interrupted")  # statuses without a plan


def race_variant(scenario: Scenario, race: str, date: dt.date) -> Scenario:
    """The scenario with race `race` moved to `date`, everything else unchanged (the plan's end
    follows the last race unless the scenario fixes it). Raises ScenarioError if that is invalid."""
    data = scenario.model_dump(mode="json")
    matches = [r for r in data["races"] if r["name"] == race]
    if not matches:
        names = ", ".join(repr(r["name"]) for r in data["races"]) or "none"
        raise ScenarioError(
            [Problem("<compare>", "--race", f"no race named {race!r} (races: {names})")]
        )
    matches[0]["date"] = date.isoformat()
    variant = Scenario.model_validate(data)
    problems = precheck(variant, f"{race} on {date}")
    if problems:
        raise ScenarioError(problems)
    return variant


def candidate_dates(
    dates: Sequence[dt.date] | None = None,
    window: tuple[dt.date, dt.date] | None = None,
    step_days: int = 1,
) -> list[dt.date]:
    """Sorted, distinct candidate dates: the given ones, or every step_days from window start to end."""
    found = set(dates or [])
    if window is not None:
        first, last = window
        day = first
        while day <= last:
            found.add(day)
            day += dt.timedelta(days=step_days)
    return sorted(found)


def parse_step(text: str) -> int:
    """'1d' -> 1, '7d' or '1w' -> 7."""
    match = re.fullmatch(r"\s*(\d+)\s*([dw])\s*", text.lower())
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not a step like 1d, 7d or 1w")
    return int(match.group(1)) * (7 if match.group(2) == "w" else 1)


def default_race(scenario: Scenario) -> str:
    """The race a comparison moves when none is named: the scenario's only A race (or only race);
    ScenarioError when that is ambiguous."""
    a_races = [r for r in scenario.races if r.priority == Priority.A]
    pool = a_races if len(a_races) == 1 else scenario.races
    if len(pool) != 1:
        names = ", ".join(repr(r.name) for r in scenario.races) or "none"
        reason = f"name the race to move (races: {names})"
        raise ScenarioError([Problem("<compare>", "--race", reason)])
    return pool[0].name


# Without dates or a window, a comparison tries the race's own date and the Saturdays around it:
# weekly steps from 4 weeks before to 3 weeks after (8 dates).
DEFAULT_WEEKS = (-4, 3)


def default_dates(scenario: Scenario, race: str) -> list[dt.date]:
    """The race's date and the same weekday 4 weeks before to 3 weeks after, weekly."""
    date = next(r.date for r in scenario.races if r.name == race)
    first, last = DEFAULT_WEEKS
    return [date + dt.timedelta(weeks=w) for w in range(first, last + 1)]


def compare_peaks(
    scenario: Scenario,
    race: str,
    dates: Iterable[dt.date],
    *,
    executor: Executor | None = None,
    processes: int | None = None,
    time_limit: float | None = None,
    work_limit: float | None = None,
    per_candidate: bool = False,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    warm_start: Plan | None = None,
    tolerance: float = EQUIVALENCE_TOLERANCE,
):
    """One plan per candidate date of `race` (the rest of the scenario unchanged) and a ranking
    that says which places are decided: a pandas DataFrame sorted by date (columns: docs/compare.md).

    time_limit: wall seconds for the whole sweep (per candidate with per_candidate=True);
    work_limit: CP-SAT deterministic seconds per candidate, alone a reproducible sweep; neither:
    60 s per candidate. The time goes to the candidates that may still be first (sweep/racing.py).
    tolerance: of practical equivalence, a fraction of the best plan's prediction (sweep/ranking.py).
    frame.attrs: 'plans' (date -> Plan), 'race', 'places' (date -> ranking.Place), 'top_decided',
    'top_equivalent' (the contenders' dates when practically equivalent, else []), 'tolerance',
    'undetermined' (dates without their interval that may be the best), 'rounds',
    'sweep_seconds'. progress: called with a line per round.
    warm_start: a plan of `scenario` (e.g. from `periodize solve`); every candidate starts from
    it, moved by the candidate's distance to the race's date in the scenario."""
    started = time.perf_counter()
    budget = SweepBudget(time_limit, work_limit, per_candidate)
    dates = sorted(set(dates))
    original = next((r.date for r in scenario.races if r.name == race), None)
    variants: list[Scenario | None] = []
    notes: dict[int, str] = {}
    for i, date in enumerate(dates):
        try:
            variants.append(race_variant(scenario, race, date))
        except ScenarioError as exc:
            if any(p.field == "--race" for p in exc.problems):
                raise
            variants.append(None)
            notes[i] = "; ".join(f"{p.field}: {p.reason}" for p in exc.problems)
    assert original is not None
    warm = [(warm_start, (d - original).days) if warm_start else None for d in dates]
    with Runner(executor, processes) as runner:
        candidates, found, rounds = run_rounds(
            variants, lambda i, j: (dates[i] - dates[j]).days, runner, budget, seed=seed,
            warm_start=warm, progress=progress, tolerance=tolerance,
        )  # fmt: skip
    plans = [c.plan() for c in candidates]
    undetermined = [d for d, c in zip(dates, candidates) if c.undetermined]
    equivalent = top_equivalent([c.interval for c in candidates], found, tolerance)

    frame = comparison_frame(scenario, race, dates, variants, plans, found, notes)
    frame.attrs.update(
        plans={d: p for d, p in zip(dates, plans) if isinstance(p, Plan)},
        race=race,
        places={d: p for d, p in zip(dates, found) if p is not None},
        # never "decided" or "equivalent" while a candidate without its interval may be the best
        top_decided=top_decided(found) and not undetermined,
        top_equivalent=[] if undetermined else [dates[i] for i in equivalent],
        tolerance=tolerance,
        undetermined=undetermined,
        rounds=rounds,
        sweep_seconds=round(time.perf_counter() - started, 2),
    )
    return frame


def solve_many(
    scenarios: Sequence[Scenario],
    *,
    executor: Executor | None = None,
    processes: int | None = None,
    time_limit: float | None = None,
    work_limit: float | None = None,
    per_solve: bool = False,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> list[Plan | str]:
    """Solve a squad: one Plan per scenario in input order ('crashed: ...' where a worker died).
    time_limit: wall seconds for the whole squad, shared out as equal solves (per scenario with
    per_solve=True); work_limit: deterministic seconds per scenario (one CP-SAT worker each:
    reproducible); neither: 60 s per scenario."""
    SweepBudget(time_limit, work_limit, per_solve)  # checks the values
    started = time.perf_counter()
    with Runner(executor, processes) as runner:
        workers = 1 if work_limit is not None else solver_workers(runner, len(scenarios))
        seconds = time_limit
        if time_limit is not None and not per_solve:
            waves = math.ceil(len(scenarios) / runner.slots) or 1
            left = time_limit - (time.perf_counter() - started)
            seconds = max(0.5, left / waves - JOB_OVERHEAD_SECONDS)
        elif time_limit is None and work_limit is None:
            seconds = 60.0
        jobs = [
            Job(s, seed=seed, time_limit=seconds, work_limit=work_limit, workers=workers)
            for s in scenarios
        ]
        return runner.run(jobs, progress)
