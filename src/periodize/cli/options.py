"""The command line's options and outputs: a time limit in seconds, a solver seed and lists of
dates (refusing what CP-SAT cannot honour before anything runs), the export options, and the
output paths: checked before the solve, written whole (files.write_atomic), a failure exit 2
naming the path."""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from periodize.core.errors import ExitCode
from periodize.core.terms import MAX_SEED

if TYPE_CHECKING:
    from periodize.plan.schema import Plan
    from periodize.scenario.schema import Scenario

F = TypeVar("F", bound=Callable[..., object])


class Seconds(click.ParamType[float, float]):
    """A time limit: a finite number of seconds from 0.1 (nan and inf refused)."""

    name = "seconds"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or seconds < 0.1:
            self.fail(f"{value!r}: a finite number of seconds, at least 0.1", param, ctx)
        return seconds


class WorkUnits(click.ParamType[float, float]):
    """A deterministic budget: a finite number of CP-SAT deterministic seconds from 0.01."""

    name = "units"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        try:
            units = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of deterministic seconds", param, ctx)
        if not math.isfinite(units) or units < 0.01:
            self.fail(
                f"{value!r}: a finite number of deterministic seconds, at least 0.01", param, ctx
            )
        return units


SEED = click.IntRange(0, MAX_SEED)

WORK_LIMIT_HELP = (
    "A budget in CP-SAT's deterministic seconds on one worker: the same seed gives the same "
    "plan on any machine, however loaded (no wall-clock limit unless --time-limit is given too)."
)

# --time-limit bounds the whole command: this much is kept back from the solve for what follows
# it (the audit, the terminal view, the output files: 0.1-0.3 s on the 16-week block).
AFTER_SOLVE_SECONDS = 0.5
# A process older than this when its command starts was not started for the command (a test
# runner, a program embedding the CLI): its age is not the command's.
STARTUP_SECONDS = 10.0
_command_started = time.perf_counter()


def process_age() -> float:
    """Seconds since this process started (Linux /proc; 0 where that cannot be read)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rpartition(")")[2].split()
        with open("/proc/uptime", encoding="ascii") as uptime:
            now = float(uptime.read().split()[0])
        return max(0.0, now - int(fields[19]) / os.sysconf("SC_CLK_TCK"))  # field 22: starttime
    except (OSError, ValueError, IndexError):
        return 0.0


def start_command() -> None:
    """Start the command's clock: now, less the interpreter's start-up and imports when this
    process was started for the command."""
    global _command_started
    age = process_age()
    _command_started = time.perf_counter() - (age if age < STARTUP_SECONDS else 0.0)


def seconds_left(limit: float, keep: float = AFTER_SOLVE_SECONDS) -> float:
    """What a command with a wall-clock `limit` may still give a solve: the limit less the time
    since the command started and `keep` for what follows (at least 0.1 s)."""
    return max(0.1, limit - (time.perf_counter() - _command_started) - keep)


def parse_dates(text: str) -> list[dt.date]:
    """Comma-separated YYYY-MM-DD dates; ValueError naming the bad one."""
    return [dt.date.fromisoformat(part.strip()) for part in text.split(",") if part.strip()]


def fail(problems: Iterable[object], code: int = ExitCode.INVALID) -> NoReturn:
    """Print each problem as `error: ...` on stderr and exit (ExitCode.INVALID unless told)."""
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(code)


def check_out(
    out: str | None, inputs: list[str], option: str, suffixes: tuple[str, ...] = (".json", ".csv")
) -> None:
    """Refuse output paths that would overwrite an input file, or that have an unknown suffix."""
    from periodize.core.errors import Problem

    if out is None or out == "-":
        return
    target = Path(out)
    if any(target.resolve() == Path(path).resolve() for path in inputs):
        fail([Problem(out, option, "refusing to overwrite an input file")])
    if target.suffix.lower() not in suffixes:
        fail([Problem(out, option, f"the output file must end in {' or '.join(suffixes)}")])
    if not target.parent.exists():
        fail([Problem(out, option, f"folder {target.parent} does not exist")])
    if not os.access(target.parent, os.W_OK):  # checked before the solve, not after it
        fail([Problem(out, option, f"folder {target.parent} is not writable")])


EXPORTS = {  # option -> (accepted suffixes, help)
    "report": ((".html", ".htm"), "Write a self-contained HTML report (charts, calendar, rules)."),
    "ics": ((".ics",), "Write an iCalendar file: one event per session."),
    "csv": ((".csv",), "Write one row per session, for spreadsheets."),
    "markdown": ((".md",), "Write a Markdown summary (- prints it)."),
}


def export_options(func: F) -> F:
    """The --report, --ics, --csv and --markdown options."""
    for name, (_suffixes, text) in reversed(EXPORTS.items()):
        func = click.option(f"--{name}", type=click.Path(dir_okay=False), default=None, help=text)(
            func
        )
    return func


def check_exports(exports: dict[str, str | None], inputs: list[str]) -> None:
    for name, path in exports.items():
        check_out(path, inputs, f"--{name}", EXPORTS[name][0])


@contextmanager
def writing(path: str, option: str) -> Iterator[None]:
    """A write of `path` (given as `option`) whose OSError is exit 2 naming the path."""
    from periodize.core.errors import Problem

    try:
        yield
    except OSError as exc:
        fail([Problem(path, option, exc.strerror or str(exc))])


def write_exports(scenario: Scenario, plan: Plan, exports: dict[str, str | None]) -> None:
    """Write every export asked for; a write error is a clear message, not a traceback."""
    from periodize.core.files import write_atomic
    from periodize.output.export import markdown, write_ics, write_sessions_csv
    from periodize.output.report import write_report

    writers: dict[str, Callable[[Scenario, Plan, str], None]] = {
        "report": write_report,
        "ics": write_ics,
        "csv": write_sessions_csv,
        "markdown": lambda sc, pl, path: write_atomic(path, markdown(sc, pl)),
    }
    for name, path in exports.items():
        if path is None:
            continue
        if path == "-" and name == "markdown":
            click.echo(markdown(scenario, plan))
            continue
        with writing(path, f"--{name}"):
            writers[name](scenario, plan, path)
        click.echo(f"{name} written to {path}")


def write_plan(plan: Plan, path: str, option: str) -> None:
    """Plan.write (whole or not at all; "-": the JSON on standard output); a failure is exit 2
    naming the path."""
    if path == "-":
        click.echo(plan.to_json())
        return
    with writing(path, option):
        plan.write(path)


def deliver(
    scenario: Scenario, plan: Plan, view: str, out: str | None, exports: dict[str, str | None]
) -> None:
    """Print a plan's view, write it (--out) and its exports, then exit as the plan says: 130
    when it was interrupted, 5 when it fails its audit. A second Ctrl-C while writing ends the
    command at once, each file whole or not written."""

    say = partial(click.echo, err=out == "-")  # with --out -, stdout holds the plan JSON only
    try:
        say(view)
        if out:
            write_plan(plan, out, "--out")
            say(f"plan written to {'standard output' if out == '-' else out}")
        write_exports(scenario, plan, exports)
    except KeyboardInterrupt:
        click.echo("interrupted again: stopped; every file is whole or was not written", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    if plan.interrupted:
        sys.exit(ExitCode.INTERRUPTED)
    if plan.violations:
        sys.exit(ExitCode.AUDIT_FAILED)


def write(path: str, option: str, data: str | bytes) -> None:
    """Write an output whole (files.write_atomic); a failure is exit 2 naming the path."""
    from periodize.core.files import write_atomic

    with writing(path, option):
        write_atomic(path, data)


def load(path: str, relax: bool = False) -> Scenario:
    """The scenario at `path` (-: standard input), or exit 2 with each problem."""
    from periodize.core.errors import ScenarioError
    from periodize.scenario.loading import load_scenario

    try:
        return load_scenario(path, relax=relax)
    except ScenarioError as exc:
        fail(exc.problems)


def load_plan(path: str) -> Plan:
    """A saved plan with days, or exit 2 with the reason."""
    from periodize.core.errors import ScenarioError
    from periodize.plan.schema import load_plan as read_plan

    try:
        plan = read_plan(path)
    except ScenarioError as exc:
        fail(exc.problems)
    if not plan.days:
        fail([f"{path}: days: the plan has no days (status {plan.status})"])
    return plan
