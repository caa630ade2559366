"""`periodize log`: read a training log (CSV, intervals.icu or TrainingPeaks exports, FIT, TCX)
against a scenario and print what was done, day by day, with each session's load and how the
load was obtained (docs/log.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import click

from periodize.cli.options import check_out, fail, write
from periodize.traininglog.log import LoggedSession, TrainingLog

HOW = {
    "log": "as logged",
    "session-rpe": "session-RPE",
    "trimp": "TRIMP from heart rate",
}


def _how(session: LoggedSession) -> str:
    """How the session's load was obtained, with the figures that made it."""
    if session.load_from == "session-rpe":
        return f"session-RPE = {session.minutes}' x RPE {session.rpe:g}"
    return HOW[session.load_from]


def _line(session: LoggedSession) -> str:
    kind = session.session or "free-form"
    name = session.name + ("" if session.session else f" ({session.category.value})")
    hard = "H" if session.hard else " "
    minutes = f"{session.minutes}'" if session.minutes is not None else "-"
    rpe = f"RPE {session.rpe:g}" if session.rpe is not None else ""
    return (
        f"    {hard} {kind:<16} {name[:34]:<34} {minutes:>5} {rpe:<8} load {session.load:>5}  "
        f"{_how(session):<28} {session.source}"
    )


def log_text(log: TrainingLog, files: int) -> str:
    """The log day by day from its first to its last day (days with nothing logged as rest),
    then which load rules were used and the notes on duplicates."""
    if log.first is None or log.last is None:
        return f"periodize log · {files} file(s) · no sessions"
    days = (log.last - log.first).days + 1
    total = sum(s.load for s in log.sessions)
    lines = [
        f"periodize log · {len(log.sessions)} session(s) from {files} file(s) · {log.first} .. "
        f"{log.last} ({days} days) · load {total}",
        "",
    ]
    for offset in range(days):
        day = log.first + dt.timedelta(days=offset)
        sessions = log.on(day)
        if not sessions:
            lines.append(f"{day:%a %d %b %Y}   rest (nothing logged)")
            continue
        lines.append(f"{day:%a %d %b %Y}   load {sum(s.load for s in sessions)}")
        lines += [_line(s) for s in sessions]
    used = Counter(s.load_from for s in log.sessions)
    lines += [
        "",
        "Loads: " + ", ".join(f"{n} {HOW[rule]}" for rule, n in sorted(used.items())) + ".",
    ]
    if used["trimp"] or used["log"]:
        lines.append(
            "Session-RPE loads are AU (minutes x CR-10 RPE, the plan's unit); TRIMP is another "
            "scale, and a load as logged is in its file's units (a platform's TSS ...): "
            "docs/log.md."
        )
    if log.notes:
        lines += ["", "Notes:"] + [f"  {note}" for note in log.notes]
    return "\n".join(lines)


@click.command("log")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("logfiles", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Also write the log as JSON to FILE.json (never over an input).")  # fmt: skip
def log_command(scenario: str, logfiles: tuple[str, ...], out: str | None) -> None:
    """Read the training LOGFILES (periodize CSV, intervals.icu or TrainingPeaks CSV exports,
    FIT or TCX activity files) against SCENARIO's session library and athlete, and print what
    was done each day: the sessions, their loads and how each load was obtained."""
    from periodize.core.errors import ScenarioError
    from periodize.scenario.loading import load_scenario
    from periodize.traininglog.reading import read_log

    check_out(out, [scenario, *logfiles], "--out", (".json",))
    try:
        log = read_log(logfiles, load_scenario(scenario))
    except ScenarioError as exc:
        fail(exc.problems)
    click.echo(log_text(log, len(logfiles)))
    if out:
        write(out, "--out", log.model_dump_json(indent=2) + "\n")
        click.echo(f"log written to {out}")
