"""The `periodize` command line: solve, report, validate, audit, schema.

Exit codes: 0 plan found (or input valid), 2 invalid input, 3 infeasible, 4 no plan within the
time limit, 5 the plan failed its own audit (a bug: please report it).
Heavy libraries are imported inside the commands so that `periodize --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

EXIT_OK, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_NO_PLAN, EXIT_AUDIT = 0, 2, 3, 4, 5


def _fail(problems, code: int = EXIT_INVALID) -> NoReturn:
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    sys.exit(code)


def _load(path: str):
    from .errors import ScenarioError
    from .scenario import load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as exc:
        _fail(exc.problems)


def _check_out(
    out: str | None, inputs: list[str], option: str, suffixes: tuple[str, ...] = (".json", ".csv")
) -> None:
    """Refuse output paths that would overwrite an input file, or that have an unknown suffix."""
    from .errors import Problem

    if out is None or out == "-":
        return
    target = Path(out)
    if any(target.resolve() == Path(path).resolve() for path in inputs):
        _fail([Problem(out, option, "refusing to overwrite an input file")])
    if target.suffix.lower() not in suffixes:
        _fail([Problem(out, option, f"the output file must end in {' or '.join(suffixes)}")])
    if not target.parent.exists():
        _fail([Problem(out, option, f"folder {target.parent} does not exist")])


EXPORTS = {  # option -> (accepted suffixes, help)
    "report": ((".html", ".htm"), "Write a self-contained HTML report (charts, calendar, rules)."),
    "ics": ((".ics",), "Write an iCalendar file: one event per session."),
    "csv": ((".csv",), "Write one row per session, for spreadsheets."),
    "markdown": ((".md",), "Write a Markdown summary (- prints it)."),
}


def _export_options(func):
    for name, (_suffixes, text) in reversed(EXPORTS.items()):
        func = click.option(f"--{name}", type=click.Path(dir_okay=False), default=None, help=text)(
            func
        )
    return func


def _check_exports(exports: dict[str, str | None], inputs: list[str]) -> None:
    for name, path in exports.items():
        _check_out(path, inputs, f"--{name}", EXPORTS[name][0])


def _write_exports(scenario, plan, exports: dict[str, str | None]) -> None:
    """Write every export asked for; a write error is a clear message, not a traceback."""
    from .errors import Problem
    from .export import markdown, write_ics, write_sessions_csv
    from .report import write_report

    writers = {
        "report": write_report,
        "ics": write_ics,
        "csv": write_sessions_csv,
        "markdown": lambda sc, pl, path: Path(path).write_text(markdown(sc, pl), encoding="utf-8"),
    }
    for name, path in exports.items():
        if path is None:
            continue
        if path == "-" and name == "markdown":
            click.echo(markdown(scenario, plan))
            continue
        try:
            writers[name](scenario, plan, path)
        except OSError as exc:
            _fail([Problem(path, f"--{name}", exc.strerror or str(exc))])
        click.echo(f"{name} written to {path}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="periodize")
def main() -> None:
    """Periodization optimizer: turn a scenario file into a day-by-day training block that peaks on
    race day, proven optimal by CP-SAT under every rule of the scenario."""


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Seconds the solver may use [default: 60].",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Solver random seed.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="CP-SAT worker threads [default: number of cores, at most 8].",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the plan to FILE.json or FILE.csv.",
)
@_export_options
@click.option("--quiet", is_flag=True, help="Print only the summary, not the week-by-week view.")
def solve(
    scenario: str,
    time_limit: float | None,
    seed: int,
    workers: int | None,
    out: str | None,
    quiet: bool,
    **exports: str | None,
) -> None:
    """Solve SCENARIO and print the plan week by week with the race-day predictions."""
    _check_out(out, [scenario], "--out")
    _check_exports(exports, [scenario])
    sc = _load(scenario)
    from . import solve as solve_plan
    from .planner import DEFAULT_TIME_LIMIT
    from .terminal import render_plan

    plan = solve_plan(sc, time_limit=time_limit or DEFAULT_TIME_LIMIT, seed=seed, workers=workers)
    if plan.status == "infeasible":
        click.echo(
            f"infeasible: no plan meets every rule of {scenario} (proven, {plan.solve_seconds:.1f} s)"
        )
        sys.exit(EXIT_INFEASIBLE)
    if plan.status not in ("optimal", "feasible"):
        click.echo(
            f"unknown: no plan found within the time limit ({plan.solve_seconds:.1f} s); try a longer --time-limit"
        )
        sys.exit(EXIT_NO_PLAN)
    click.echo(render_plan(sc, plan, days=not quiet))
    if out:
        plan.write(out)
        click.echo(f"plan written to {out}")
    _write_exports(sc, plan, exports)
    if plan.violations:
        sys.exit(EXIT_AUDIT)


@main.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option(
    "--scenario", "scenario", required=True, type=click.Path(dir_okay=False),
    help="The scenario the plan was made for (for the rules and the session prescriptions).",
)  # fmt: skip
@click.option("-o", "--output", "report", default=None, type=click.Path(dir_okay=False),
              help=EXPORTS["report"][1])  # fmt: skip
@click.option("--ics", default=None, type=click.Path(dir_okay=False), help=EXPORTS["ics"][1])
@click.option("--csv", default=None, type=click.Path(dir_okay=False), help=EXPORTS["csv"][1])
@click.option(
    "--markdown", default=None, type=click.Path(dir_okay=False), help=EXPORTS["markdown"][1]
)
def report(plan: str, scenario: str, **exports: str | None) -> None:
    """Write the report (and the calendar, CSV or Markdown) of a saved PLAN.json. The plan is
    audited again first, so a hand-edited plan shows its violations in the report."""
    from .audit import audit as run_audit
    from .errors import ScenarioError
    from .plan import load_plan

    if not any(exports.values()):
        _fail([f"{plan}: nothing to write: give -o FILE.html, --ics, --csv or --markdown"])
    _check_exports(exports, [scenario, plan])
    sc = _load(scenario)
    try:
        p = load_plan(plan)
    except ScenarioError as exc:
        _fail(exc.problems)
    if not p.days:
        _fail([f"{plan}: days: the plan has no days (status {p.status})"])
    p.violations = run_audit(sc, p)
    _write_exports(sc, p, exports)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
def validate(scenario: str) -> None:
    """Check SCENARIO without solving it: one line per problem, exit 2 if any."""
    sc = _load(scenario)
    click.echo(
        f"{scenario}: valid ({sc.n_days} days, {sc.n_weeks} weeks, {len(sc.races)} races, {len(sc.sessions.types)} session types)"
    )


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan", type=click.Path(dir_okay=False))
def audit(scenario: str, plan: str) -> None:
    """Re-check every rule of SCENARIO on PLAN.json (e.g. one edited by hand), without the solver."""
    sc = _load(scenario)
    from .audit import audit as run_audit
    from .errors import ScenarioError
    from .plan import load_plan

    try:
        loaded = load_plan(plan)
    except ScenarioError as exc:
        _fail(exc.problems)
    if not loaded.days:
        _fail([f"{plan}: days: the plan has no days (status {loaded.status})"])
    violations = run_audit(sc, loaded)
    for v in violations:
        where = v.date.isoformat() if v.date else f"week {v.week}" if v.week is not None else ""
        amount = f" (by {v.amount:g})" if v.amount is not None else ""
        click.echo(f"{v.rule:24} {where:11} {v.message}{amount}")
    if violations:
        click.echo(f"{len(violations)} violation(s)")
        sys.exit(1)
    click.echo(f"{plan}: every rule of {scenario} holds")


@main.command()
@click.option(
    "--plan", "which", flag_value="plan", help="The plan file's schema instead of the scenario's."
)
def schema(which: str | None) -> None:
    """Print the JSON Schema of the scenario format (or, with --plan, of the plan file)."""
    from .schema import plan_schema, scenario_schema

    click.echo(plan_schema() if which == "plan" else scenario_schema(), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
