"""`periodize replan`: training happened; keep what was done, re-plan the days from today
(solver/replan.py). Exit codes as for solve."""

from __future__ import annotations

import datetime as dt
import sys
from functools import partial
from typing import TYPE_CHECKING

import click

from periodize.core.errors import ExitCode

if TYPE_CHECKING:
    from periodize.plan.schema import Plan

from periodize.cli.interrupts import solve_interruptibly
from periodize.cli.options import SEED, WORK_LIMIT_HELP, Seconds, WorkUnits, deliver, seconds_left
from periodize.cli.options import check_exports as _check_exports
from periodize.cli.options import check_out as _check_out
from periodize.cli.options import export_options as _export_options
from periodize.cli.options import fail as _fail
from periodize.cli.options import load as _load
from periodize.cli.options import load_plan as _load_plan


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        _fail([f"{option}: {text!r} is not a date like 2027-03-01"])


def _done_pair(text: str) -> tuple[dt.date, str]:
    day, sep, session = text.partition("=")
    if not sep or not session.strip():
        _fail([f"--done: {text!r} is not DATE=SESSION, e.g. 2027-03-02=tempo-run"])
    return _date(day, "--done"), session.strip()


@click.command("replan")
@click.argument("scenario", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--plan", "plan_path", required=True, type=click.Path(dir_okay=False),
              help="The plan the athlete has been following (plan JSON from solve --out).")  # fmt: skip
@click.option("--today", required=True, help="The first day to re-plan (YYYY-MM-DD): every day "
              "before it is done.")  # fmt: skip
@click.option("--log", "logs", multiple=True, type=click.Path(dir_okay=False),
              help="A training log (CSV, FIT, TCX; docs/log.md): from its first day to the day "
              "before today it is what was done (a day it leaves empty: nothing). Repeatable.")  # fmt: skip
@click.option("--missed", multiple=True, help="A day on which nothing was done (YYYY-MM-DD). "
              "Repeatable.")  # fmt: skip
@click.option("--done", "done_pairs", multiple=True,
              help="DATE=SESSION: that library session was done that day instead. Repeatable.")  # fmt: skip
@click.option("--tolerance", type=click.FloatRange(0, 100), default=1.0, show_default=True,
              help="Percent of the best plan's predicted training effect the re-plan may give "
              "up to keep more of the old plan's days.")  # fmt: skip
@click.option("--time-limit", type=Seconds(), default=None, help="Wall-clock seconds for the "
              "whole command [default: 60; none with --work-limit alone].")  # fmt: skip
@click.option("--work-limit", type=WorkUnits(), default=None, help=WORK_LIMIT_HELP)
@click.option("--seed", type=SEED, default=0, show_default=True, help="Solver random seed.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="CP-SAT worker threads [default: number of cores, at most 8].")  # fmt: skip
@click.option("--relax", is_flag=True, help="Let every rule of the days to come bend.")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the new plan to FILE.json or FILE.csv (-: its JSON on standard output).")  # fmt: skip
@_export_options
@click.option("--quiet", is_flag=True, help="Print only the summary and the changes.")
def replan_command(
    scenario: str,
    plan_path: str,
    today: str,
    logs: tuple[str, ...],
    missed: tuple[str, ...],
    done_pairs: tuple[str, ...],
    tolerance: float,
    time_limit: float | None,
    work_limit: float | None,
    seed: int,
    workers: int | None,
    relax: bool,
    out: str | None,
    quiet: bool,
    **exports: str | None,
) -> None:
    """Re-plan SCENARIO from --today: the days before it are what was done (--log, --missed,
    --done; elsewhere the plan as written), the days from it are solved again under every rule,
    changing as few of the old plan's days as the prediction allows. Prints the new plan and
    each changed day with the reason."""
    from periodize.api import replan
    from periodize.core.errors import ScenarioError
    from periodize.core.terms import DEFAULT_TIME_LIMIT
    from periodize.output.terminal import render_changes, render_plan

    inputs = [scenario, plan_path, *logs]
    _check_out(out, inputs, "--out")
    _check_exports(exports, inputs)
    sc = _load(scenario, relax=relax)
    old = _load_plan(plan_path)
    first = _date(today, "--today")
    days_missed = [_date(d, "--missed") for d in missed]
    done = dict(_done_pair(p) for p in done_pairs)
    rows = _read_logs(logs, sc)
    if work_limit is not None and workers not in (None, 1):
        _fail([f"--workers {workers}: --work-limit runs one CP-SAT worker (reproducible)"])
    limit = time_limit or (None if work_limit else DEFAULT_TIME_LIMIT)
    budget = " and ".join(
        ([f"{limit:g} s"] if limit else []) + ([f"{work_limit:g} work units"] if work_limit else [])
    )
    say = partial(click.echo, err=out == "-")

    def run() -> Plan:
        return replan(
            sc, old, first, log=rows, missed=days_missed, done=done, tolerance_pct=tolerance,
            time_limit=limit and seconds_left(limit), work_limit=work_limit, seed=seed,
            workers=workers, relax=relax,
        )  # fmt: skip

    try:
        plan = solve_interruptibly(run, f"re-planning {scenario} from {first} for up to {budget}")
    except ScenarioError as exc:
        _fail([str(p).replace("<plan>", plan_path) for p in exc.problems])
    if plan.status == "infeasible":
        say(f"infeasible: no plan from {first} meets every rule with the days already done")
        _explain(sc, old, first, rows, days_missed, done, limit or DEFAULT_TIME_LIMIT, seed, say)
        say("(--relax bends the rules of the days to come to plan)")
        sys.exit(ExitCode.INFEASIBLE)
    if not plan.days:
        say(f"unknown: no plan found within the time limit ({plan.solve_seconds:.1f} s)")
        sys.exit(ExitCode.INTERRUPTED if plan.interrupted else ExitCode.NO_PLAN)
    deliver(sc, plan, render_plan(sc, plan, days=not quiet) + render_changes(plan), out, exports)


def _read_logs(logs: tuple[str, ...], scenario):  # type: ignore[no-untyped-def]
    if not logs:
        return []
    from periodize.core.errors import ScenarioError
    from periodize.traininglog.reading import read_log

    try:
        return read_log(list(logs), scenario).sessions
    except ScenarioError as exc:
        _fail(exc.problems)


def _explain(sc, old, today, rows, missed, done, limit, seed, say) -> None:  # type: ignore[no-untyped-def]
    """The rules that clash with the days already done, and those days of each week named."""
    from periodize.api import explain
    from periodize.solver.replan import scenario_with_done

    derived = scenario_with_done(sc, old, today, rows, missed, done)
    conflict = explain(derived, time_limit=limit, seed=seed)
    say(conflict.text())
    assert derived.done is not None
    for week in sorted({r.week for r in conflict.rules}):
        first = sc.start + dt.timedelta(days=7 * week)
        days = [
            f"  {day:%a %d %b}: "
            + (", ".join(f"{s.type} {s.load} AU ({s.note})" for s in sessions) or "nothing done")
            for day, sessions in sorted(derived.done.days.items())
            if first <= day < first + dt.timedelta(days=7)
        ]
        if days:
            say(f"days already done in week {week + 1}:")
            say("\n".join(days))
