"""Many solves at once: compare candidate dates for one race (`compare_peaks`) and plan a squad
(`solve_many`), on a local process pool or on any concurrent.futures-style executor, such as a
Dask distributed client's `client.get_executor()`.

Each solve runs in its own process (CP-SAT solves must not share a process, cp-sat-notes.md),
with the scenario pickled to it; results come back in input order whatever order they finish in,
so the output is deterministic for a fixed seed when each solve uses one CP-SAT worker (the
default whenever more than one solve runs at once: processes x solver workers <= cores).
A candidate that is invalid, infeasible, runs out of time or crashes its worker gets a row
saying so; the sweep always finishes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .errors import Problem, ScenarioError
from .plan import Plan
from .precheck import precheck
from .scenario import Category, Phase, Scenario

FAILED = ("infeasible", "unknown", "crashed", "invalid")  # statuses without a plan


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


def _solve_one(
    scenario: Scenario, time_limit: float, seed: int, workers: int, warm_start=None
) -> Plan:
    from . import solve

    # fault injection for the tests: PERIODIZE_FAULT=<athlete name> kills this worker process
    if os.environ.get("PERIODIZE_FAULT") == scenario.athlete.name:
        os._exit(70)

    plan = solve(scenario, time_limit=time_limit, seed=seed, workers=workers, warm_start=warm_start)
    if plan.status == "infeasible":  # say why in the row
        from . import explain

        plan.conflict = explain(scenario, time_limit=time_limit, seed=seed)
    return plan


def split_cores(jobs: int, processes: int | None = None) -> tuple[int, int]:
    """(processes, CP-SAT workers per solve) with processes x workers <= cores."""
    cores = os.cpu_count() or 1
    processes = max(1, min(processes or cores, jobs, cores))
    return processes, max(1, cores // processes)


def run_solves(
    scenarios: Sequence[Scenario | None],
    *,
    time_limit: float,
    seed: int = 0,
    executor: Executor | None = None,
    processes: int | None = None,
    solver_workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    warm_starts: Sequence[tuple[Plan, int] | None] | None = None,
) -> list[Plan | str]:
    """Solve each scenario in its own process; in input order, a Plan or the reason there is none
    ('crashed: ...'). None entries (invalid candidates) are skipped and come back as None.
    warm_starts[i] = (plan, shift): a plan moved `shift` days later, as scenario i's hint."""
    jobs = [i for i, s in enumerate(scenarios) if s is not None]
    results: list[Plan | str | None] = [None] * len(scenarios)
    if not jobs:
        return results
    own = executor is None
    count, per_solve = split_cores(len(jobs), processes)
    per_solve = solver_workers or (per_solve if own else 1)
    pool = ProcessPoolExecutor(max_workers=count) if own else executor
    broken = []
    warm = list(warm_starts) if warm_starts is not None else [None] * len(scenarios)
    try:
        futures = {
            i: pool.submit(_solve_one, scenarios[i], time_limit, seed, per_solve, warm[i])
            for i in jobs
        }
        for i in jobs:
            try:
                results[i] = futures[i].result()
            except BrokenProcessPool:
                broken.append(i)  # maybe another solve killed the pool: retried alone below
                continue
            except Exception as exc:  # a bug in one solve: a row, not a stop
                results[i] = f"crashed: {type(exc).__name__}: {exc}".strip()
            if progress:
                progress(1)
    finally:
        if own:
            pool.shutdown(cancel_futures=True)
    for i in broken:  # each in a pool of its own, so that only the culprit is marked
        with ProcessPoolExecutor(max_workers=1) as alone:
            try:
                results[i] = alone.submit(
                    _solve_one, scenarios[i], time_limit, seed, per_solve, warm[i]
                ).result()
            except Exception as exc:
                results[i] = f"crashed: {type(exc).__name__}: {exc}".strip()
        if progress:
            progress(1)
    return results


def plan_summary(scenario: Scenario, plan: Plan | str | None) -> dict[str, Any]:
    """Status, gap, loads, sessions per category and binding rules of one plan, as a flat row."""
    if not isinstance(plan, Plan):
        return {"status": "crashed" if isinstance(plan, str) else "invalid", "note": plan or ""}
    row: dict[str, Any] = {
        "status": plan.status,
        "gap": plan.gap,
        "solve_seconds": plan.solve_seconds,
        "note": "",
    }
    if plan.status == "unknown" and not plan.days:
        row["note"] = "no plan within the time limit"
    elif plan.conflict is not None:
        row["note"] = plan.conflict.summary()
    if not plan.days:
        return row
    from .report import binding_rules

    row["objective"] = plan.objective
    row["peak_week_load"] = max(w.load for w in plan.weeks)
    row["total_load"] = sum(d.load for d in plan.days)
    for category in Category:
        if category not in (Category.rest,):
            row[f"n_{category.value}"] = sum(
                s.category == category for d in plan.days for s in d.sessions
            )
    row["binding_rules"] = ", ".join(binding_rules(scenario, plan))
    row["violations"] = len(plan.violations)
    return row


def compare_peaks(
    scenario: Scenario,
    race: str,
    dates: Iterable[dt.date],
    *,
    executor: Executor | None = None,
    processes: int | None = None,
    time_limit: float = 60.0,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    warm_start: Plan | None = None,
):
    """One plan per candidate date of `race` (the rest of the scenario unchanged), solved in
    parallel; a pandas DataFrame sorted by date with the race's predicted performance (absolute
    and relative to the best candidate), status, gap, taper start, loads, sessions per category,
    binding rules and solve seconds. Plans are in `frame.attrs['plans']` (date -> Plan).
    warm_start: a plan of `scenario` (e.g. from `periodize solve`); every candidate starts from
    it, moved by the candidate's distance to the race's date in the scenario."""
    import pandas as pd

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
    plans = run_solves(
        variants, time_limit=time_limit, seed=seed, executor=executor, processes=processes,
        progress=progress,
        warm_starts=[(warm_start, (d - original).days) if warm_start else None for d in dates],
    )  # fmt: skip
    rows = []
    for i, (date, variant, plan) in enumerate(zip(dates, variants, plans)):
        row = {"date": date, **plan_summary(variant or scenario, plan)}
        if i in notes:
            row["note"] = notes[i]
        if isinstance(plan, Plan) and plan.days:
            prediction = next(r for r in plan.races if r.name == race)
            row["performance"] = prediction.predicted_performance
            row["taper_start"] = next(
                (d.date for d in plan.days if d.phase == Phase.taper and d.date < date), None
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in ("performance", "taper_start", "objective"):
        if column not in frame:
            frame[column] = None
    best = pd.to_numeric(frame["performance"], errors="coerce").max()
    frame["relative_pct"] = (
        100 * (pd.to_numeric(frame["performance"], errors="coerce") - best) / abs(best)
    )
    first = ["date", "status", "performance", "relative_pct", "gap", "taper_start"]
    frame = frame[first + [c for c in frame.columns if c not in first]]
    frame.attrs["plans"] = {d: p for d, p in zip(dates, plans) if isinstance(p, Plan)}
    frame.attrs["race"] = race
    return frame


def solve_many(
    scenarios: Sequence[Scenario],
    *,
    executor: Executor | None = None,
    processes: int | None = None,
    time_limit: float = 60.0,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> list[Plan | str]:
    """Solve a squad: one Plan per scenario in input order ('crashed: ...' where a worker died)."""
    return run_solves(
        list(scenarios), time_limit=time_limit, seed=seed, executor=executor,
        processes=processes, progress=progress,
    )  # fmt: skip


def dask_executor(address: str):
    """The concurrent.futures executor of a Dask distributed client connected to `address`."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "--scheduler needs dask.distributed: pip install 'periodize[dask]'"
        ) from exc
    return Client(address, timeout="10s").get_executor()


def plot_comparison(frame, path) -> None:
    """Predicted performance against candidate date, each point marked by its status."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=120)
    ok = frame[frame["status"].isin(["optimal", "feasible"])]
    ax.plot(pd.to_datetime(ok["date"]), ok["performance"], color="#888", lw=1, zorder=1)
    styles = {"optimal": ("o", "#2ca02c"), "feasible": ("s", "#ff7f0e")}
    for status, (marker, color) in styles.items():
        part = ok[ok["status"] == status]
        if len(part):
            ax.scatter(pd.to_datetime(part["date"]), part["performance"], marker=marker,
                       color=color, label=status, zorder=2)  # fmt: skip
    failed = frame[~frame["status"].isin(["optimal", "feasible"])]
    if len(failed):
        bottom = ok["performance"].min() if len(ok) else 0
        ax.scatter(pd.to_datetime(failed["date"]), [bottom] * len(failed), marker="x",
                   color="#d62728", label="no plan (" + ", ".join(sorted(set(failed["status"]))) + ")")  # fmt: skip
    ax.set_title(f"Predicted performance on '{frame.attrs.get('race', 'race')}' by race date")
    ax.set_xlabel("candidate race date")
    ax.set_ylabel("predicted performance (model units)")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.autofmt_xdate()
    fig.tight_layout()
    from .files import write_png

    write_png(path, fig)
