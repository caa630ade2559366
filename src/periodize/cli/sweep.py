"""The commands that run many solves: `periodize compare` (candidate dates for one race, ranked
with what the bounds decide) and `periodize solve-many` (a squad), on this machine's cores or on
a Dask scheduler. Exit codes as cli/main.py's, and 6: some candidate or athlete got no plan."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from periodize.cli.interrupts import solve_interruptibly
from periodize.cli.options import (
    SEED,
    WORK_LIMIT_HELP,
    Seconds,
    WorkUnits,
    check_out,
    fail,
    load,
    load_plan,
    seconds_left,
    write,
)
from periodize.cli.options import parse_dates as _parse_date_list
from periodize.core.errors import ExitCode, Problem
from periodize.sweep.ranking import EQUIVALENCE_TOLERANCE

if TYPE_CHECKING:
    import pandas as pd

F = TypeVar("F", bound=Callable[..., object])

# compare without --time-limit or --work-limit: the whole sweep's wall-clock seconds
DEFAULT_SWEEP_SECONDS = 180.0
# What drawing the plot needs after the sweep (importing matplotlib on a busy machine).
PLOT_SECONDS = 1.5
MACHINE_FORMATS = ("csv", "json")  # --out csv|json: the table on standard output


def _parse_dates(text: str, option: str) -> list[dt.date]:
    try:
        return _parse_date_list(text)
    except ValueError as exc:
        fail([Problem("<command line>", option, f"{text!r}: {exc} (use YYYY-MM-DD)")])


def _sweep_options(per: str) -> Callable[[F], F]:
    """Options shared by compare and solve-many; `per` names what one solve is for."""

    def add(func: F) -> F:
        for option in reversed(
            [
                click.option("--time-limit", type=Seconds(), default=None,
                             help=f"Wall-clock seconds for the whole command [compare: "
                             f"{DEFAULT_SWEEP_SECONDS:g}; solve-many: 60 per {per}]."),
                click.option(f"--per-{per}", "per_solve", is_flag=True,
                             help=f"--time-limit is for each {per}, not the whole command."),
                click.option("--work-limit", type=WorkUnits(), default=None,
                             help=f"Per {per}: " + WORK_LIMIT_HELP),
                click.option("--seed", type=SEED, default=0, show_default=True, help="Solver random seed."),
                click.option("--workers", type=click.IntRange(min=1), default=None,
                             help="Solves at once on this machine [default: cores]; each gets cores / N CP-SAT workers."),
                click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
                             help="Run the solves on this Dask distributed scheduler instead."),
            ]
        ):  # fmt: skip
            func = option(func)
        return func

    return add


def _executor(scheduler: str | None) -> Executor | None:
    """The Dask executor, or exit 2 naming the address when no scheduler answers there."""
    if scheduler is None:
        return None
    from periodize.sweep.cluster import SchedulerError, dask_executor

    try:
        return dask_executor(scheduler)
    except SchedulerError as exc:
        fail([Problem("<command line>", "--scheduler", str(exc))])


def _time_limit(
    time_limit: float | None,
    per_solve: bool,
    work_limit: float | None,
    per: str,
    default: float | None,
) -> float | None:
    """The wall-clock limit to use: the one given, or `default` when no budget is given."""
    if per_solve and time_limit is None:
        fail([Problem("<command line>", f"--per-{per}", "needs --time-limit")])
    if time_limit is None and work_limit is None:
        return default
    return time_limit


def _check_table_out(out: str | None, inputs: list[str]) -> None:
    if out is not None and out.lower() not in MACHINE_FORMATS:
        check_out(out, inputs, "--out")


def _write_table(frame: pd.DataFrame, out: str) -> None:
    from periodize.sweep.table import table_text

    kind = out.lower() if out.lower() in MACHINE_FORMATS else Path(out).suffix.lower()[1:]
    text = table_text(frame, kind)
    if out.lower() in MACHINE_FORMATS:
        click.echo(text)
        return
    write(out, "--out", text)
    click.echo(f"table written to {out}", err=True)


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--race", default=None, help="The race whose date is varied [default: the A race].")
@click.option("--dates", default=None, help="Candidate dates: YYYY-MM-DD,YYYY-MM-DD,...")
@click.option(
    "--window", default=None, metavar="START..END", help="Every --step from START to END."
)
@click.option("--step", default="7d", show_default=True, help="Step of --window: 1d, 7d, 2w ...")
@_sweep_options("candidate")
@click.option(
    "--out",
    default=None,
    help="csv or json: the table for machines on standard output (the coach's table on standard "
    "error); FILE.csv or FILE.json: written there.",
)
@click.option("--plot", default=None, type=click.Path(dir_okay=False),
              help="Plot each date's prediction up to its bound to FILE.png.")  # fmt: skip
@click.option(
    "--warm-start",
    "warm",
    default=None,
    type=click.Path(dir_okay=False),
    help="A plan of SCENARIO (periodize solve --out plan.json): every candidate starts from it, "
    "moved to the candidate's date.",
)
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0, max=10),
    default=100 * EQUIVALENCE_TOLERANCE,
    show_default=True,
    help="Percent of the best prediction within which the dates that may be first are reported "
    "as practically equivalent (docs/compare.md).",
)
def compare(
    scenario: str, race: str | None, dates: str | None, window: str | None, step: str,
    time_limit: float | None, per_solve: bool, work_limit: float | None, seed: int,
    workers: int | None, scheduler: str | None, out: str | None, plot: str | None,
    warm: str | None, tolerance: float,
) -> None:  # fmt: skip
    """Which date should SCENARIO's race be on? One plan per candidate date [default: the race's
    date and weekly 4 weeks before to 3 weeks after], ranked: a place is decided when the plans
    and the proven bounds separate it, else it is a tie within the bounds (or, within --tolerance,
    practically equivalent). The time goes to the dates that may still be first."""
    from periodize.core.errors import ScenarioError

    _check_table_out(out, [scenario])
    check_out(plot, [scenario], "--plot", (".png",))
    from periodize.sweep.batch import (
        candidate_dates,
        compare_peaks,
        default_dates,
        default_race,
        parse_step,
    )

    span: tuple[dt.date, dt.date] | None = None
    if window:
        parts = window.split("..")
        if len(parts) != 2:
            fail([Problem("<command line>", "--window", f"{window!r}: use START..END")])
        span = (_parse_dates(parts[0], "--window")[0], _parse_dates(parts[1], "--window")[0])
    try:
        step_days = parse_step(step)
    except ValueError as exc:
        fail([Problem("<command line>", "--step", str(exc))])
    given = _parse_dates(dates, "--dates") if dates else None
    limit = _time_limit(time_limit, per_solve, work_limit, "candidate", DEFAULT_SWEEP_SECONDS)
    sc = load(scenario)
    try:
        race = race or default_race(sc)
    except ScenarioError as exc:
        fail(exc.problems)
    if not given and not span and any(r.name == race for r in sc.races):
        given = default_dates(sc, race)
    candidates = candidate_dates(given, span, step_days)
    start_from = load_plan(warm) if warm else None
    executor = _executor(scheduler)
    say = partial(click.echo, err=out is not None and out.lower() in MACHINE_FORMATS)
    keep = 0.5 + (PLOT_SECONDS if plot else 0.0)
    try:
        frame = solve_interruptibly(
            lambda: compare_peaks(
                sc, race, candidates, executor=executor, processes=workers, seed=seed,
                time_limit=limit if limit is None or per_solve else seconds_left(limit, keep),
                work_limit=work_limit, per_candidate=per_solve, warm_start=start_from,
                progress=partial(click.echo, err=True), tolerance=tolerance / 100,
            ),
            f"comparing {len(candidates)} dates for {race!r}",
        )  # fmt: skip
    except ScenarioError as exc:
        fail(exc.problems)
    from periodize.sweep.table import plot_comparison, render_comparison

    say(render_comparison(frame, sc))
    if out:
        _write_table(frame, out)
    if plot:
        plot_comparison(frame, plot)
        say(f"plot written to {plot}")
    _exit_for(frame)


def _exit_for(frame: pd.DataFrame) -> None:
    """130 after Ctrl-C (what was found is shown and written), 6 when a row has no plan."""
    from periodize.solver.search import stopping
    from periodize.sweep.batch import FAILED

    if stopping.requested():
        sys.exit(ExitCode.INTERRUPTED)
    if frame["status"].isin(FAILED).any():
        sys.exit(ExitCode.SOME_FAILED)


def _progress(total: int) -> AbstractContextManager[Any]:
    """A progress bar on a terminal (stderr), nothing otherwise."""
    import contextlib

    if total < 2 or not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    return click.progressbar(length=total, label="solving", file=sys.stderr)


@click.command("solve-many")
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_sweep_options("athlete")
@click.option("--outdir", default="plans", show_default=True, type=click.Path(file_okay=False),
              help="Folder for one plan JSON per scenario (created if missing).")  # fmt: skip
@click.option(
    "--out",
    default=None,
    help="csv or json: the summary for machines on standard output; FILE.csv or FILE.json: "
    "written there.",
)
def solve_many_command(
    scenarios: tuple[str, ...], time_limit: float | None, per_solve: bool,
    work_limit: float | None, seed: int, workers: int | None, scheduler: str | None,
    outdir: str, out: str | None,
) -> None:  # fmt: skip
    """Solve many SCENARIOS (a squad) in parallel: one summary row per athlete, a plan file each."""
    import pandas as pd

    from periodize.sweep.batch import solve_many
    from periodize.sweep.table import plan_summary

    _check_table_out(out, list(scenarios))
    time_limit = _time_limit(time_limit, per_solve, work_limit, "athlete", None)  # None: 60 s each
    loaded = [load(path) for path in scenarios]
    executor = _executor(scheduler)
    say = partial(click.echo, err=out is not None and out.lower() in MACHINE_FORMATS)
    with _progress(len(loaded)) as bar:
        plans = solve_interruptibly(
            lambda: solve_many(
                loaded, executor=executor, processes=workers, seed=seed, work_limit=work_limit,
                time_limit=(time_limit if time_limit is None or per_solve
                            else seconds_left(time_limit)),
                per_solve=per_solve, progress=bar.update if bar else None,
            ),
            f"solving {len(loaded)} scenario(s)",
        )  # fmt: skip
    folder = Path(outdir)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for path, sc, plan in zip(scenarios, loaded, plans):
        row = {"scenario": path, "athlete": sc.athlete.name, **plan_summary(sc, plan)}
        if not isinstance(plan, str) and plan.days:
            target = folder / (Path(path).stem + ".plan.json")
            from periodize.cli.options import write_plan

            write_plan(plan, str(target), "--outdir")
            row["plan_file"] = str(target)
        rows.append(row)
    frame = pd.DataFrame(rows)
    shown = frame.drop(columns=[c for c in frame.columns if c.startswith("n_")], errors="ignore")
    with pd.option_context(
        "display.width", 200, "display.max_columns", 20, "display.max_colwidth", 60
    ):
        say(shown.to_string(index=False))
    if out:
        _write_table(frame, out)
    _exit_for(frame)
