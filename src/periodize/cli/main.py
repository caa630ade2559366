"""The `periodize` command line: solve, report, validate, audit, schema (and from their own
modules: init and fit, cli/inputs.py; compare and solve-many, cli/sweep.py; replan,
cli/replan.py; log, cli/log.py).

Exit codes: 0 plan found (or input valid), 2 invalid input, 3 infeasible, 4 no plan within the
time limit, 5 the plan failed its own audit (a bug: please report it), 130 interrupted (Ctrl-C:
the best plan so far is printed and written; a second Ctrl-C stops the writing, each file whole or
absent).
Heavy libraries are imported inside the commands so that `periodize --help` stays fast.
"""

from __future__ import annotations

import sys
from functools import partial

import click

from periodize.cli.inputs import fit_command, init
from periodize.cli.interrupts import solve_interruptibly
from periodize.cli.log import log_command
from periodize.cli.options import (
    EXPORTS,
    SEED,
    WORK_LIMIT_HELP,
    Seconds,
    WorkUnits,
    deliver,
    seconds_left,
    start_command,
)
from periodize.cli.options import check_exports as _check_exports
from periodize.cli.options import check_out as _check_out
from periodize.cli.options import export_options as _export_options
from periodize.cli.options import fail as _fail
from periodize.cli.options import load as _load
from periodize.cli.options import load_plan as _load_plan
from periodize.cli.options import write as _write
from periodize.cli.options import write_exports as _write_exports
from periodize.cli.replan import replan_command
from periodize.cli.sweep import compare, solve_many_command
from periodize.core.errors import ExitCode


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="periodize")
def main() -> None:
    """Periodization optimizer: turn a scenario file into a day-by-day training block that peaks on
    race day, proven optimal by CP-SAT under every rule of the scenario."""
    start_command()  # --time-limit counts from here (and the process's start-up before it)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--time-limit",
    type=Seconds(),
    default=None,
    help="Wall-clock seconds for the whole command, start to finish [default: 60; none with "
    "--work-limit alone].",
)
@click.option("--work-limit", type=WorkUnits(), default=None, help=WORK_LIMIT_HELP)
@click.option("--seed", type=SEED, default=0, show_default=True, help="Solver random seed.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="CP-SAT worker threads [default: number of cores, at most 8; 1 with --work-limit].",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the plan to FILE.json or FILE.csv (-: its JSON alone on standard output, the "
    "rest on standard error).",
)
@_export_options
@click.option("--quiet", is_flag=True, help="Print only the summary, not the week-by-week view.")
@click.option(
    "--relax",
    is_flag=True,
    help="Let every rule bend: the fewest bent rule-weeks first, then the best plan with them.",
)
def solve(
    scenario: str,
    time_limit: float | None,
    work_limit: float | None,
    seed: int,
    workers: int | None,
    out: str | None,
    quiet: bool,
    relax: bool,
    **exports: str | None,
) -> None:
    """Solve SCENARIO and print the plan week by week with the race-day predictions. When no plan
    meets every rule, print a minimal set of rules that clash (exit 3; --out FILE.json saves it)."""
    _check_out(out, [scenario], "--out")
    _check_exports(exports, [scenario])
    if work_limit is not None and workers not in (None, 1):
        _fail([f"--workers {workers}: --work-limit runs one CP-SAT worker (reproducible)"])
    sc = _load(scenario, relax=relax)
    from periodize.api import solve as solve_plan
    from periodize.core.terms import DEFAULT_TIME_LIMIT
    from periodize.output.terminal import render_plan

    limit = time_limit or (None if work_limit else DEFAULT_TIME_LIMIT)
    budget = " and ".join(
        ([f"{limit:g} s"] if limit else []) + ([f"{work_limit:g} work units"] if work_limit else [])
    )
    say = partial(click.echo, err=out == "-")  # with --out -, stdout holds the plan JSON only
    try:
        plan = solve_interruptibly(
            lambda: solve_plan(
                sc,
                time_limit=limit and seconds_left(limit),
                work_limit=work_limit,
                seed=seed,
                workers=workers,
                relax=relax,
            ),  # fmt: skip
            f"solving {'standard input' if scenario == '-' else scenario} for up to {budget}",
        )
        if plan.status == "infeasible":
            _explain_infeasible(sc, scenario, plan, limit, seed, out)
        if plan.status not in ("optimal", "feasible"):
            if plan.interrupted:
                say(f"unknown: interrupted before a plan was found ({plan.solve_seconds:.1f} s)")
                sys.exit(ExitCode.INTERRUPTED)
            which = "--work-limit" if plan.stopped_by == "work_limit" else "--time-limit"
            say(
                f"unknown: no plan found within the {which[2:].replace('-', ' ')} "
                f"({plan.solve_seconds:.1f} s); try a longer {which}"
            )
            sys.exit(ExitCode.NO_PLAN)
    except KeyboardInterrupt:  # a second Ctrl-C before the outputs
        click.echo("interrupted again: stopped; no file was written", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    deliver(sc, plan, render_plan(sc, plan, days=not quiet), out, exports)


def _explain_infeasible(sc, scenario: str, plan, limit: float | None, seed: int, out: str | None):
    """Exit 3 with the rules that clash (and the explanation in --out, if JSON; --out -: the
    explanation's JSON alone on standard output), within what is left of the command's limit."""
    from periodize.api import explain
    from periodize.core.terms import DEFAULT_TIME_LIMIT

    say = partial(click.echo, err=out == "-")
    say(f"infeasible: no plan meets every rule of {scenario} (proven, {plan.solve_seconds:.1f} s)")
    conflict = solve_interruptibly(
        lambda: explain(
            sc, time_limit=seconds_left(limit) if limit else DEFAULT_TIME_LIMIT, seed=seed
        ),
        "looking for the rules that clash",
    )
    say(conflict.text())
    say(f"({conflict.solves} solves, {conflict.seconds:.1f} s; --relax bends rules to plan)")
    if out == "-":
        click.echo(conflict.model_dump_json(indent=2))
    elif out:
        if not out.lower().endswith(".json"):
            click.echo(f"{out}: the explanation is written as JSON only; not written", err=True)
        else:
            _write(out, "--out", conflict.model_dump_json(indent=2))
            click.echo(f"explanation written to {out}")
    sys.exit(ExitCode.INTERRUPTED if stopping_requested() else ExitCode.INFEASIBLE)


def stopping_requested() -> bool:
    from periodize.solver.search import stopping

    return stopping.requested()


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
    from periodize.audit import settle

    if not any(exports.values()):
        _fail([f"{plan}: nothing to write: give -o FILE.html, --ics, --csv or --markdown"])
    _check_exports(exports, [scenario, plan])
    sc = _load(scenario)
    p = _load_plan(plan)
    settle(sc, p, {(b.rule, b.week) for b in p.bends} if p.relaxed else set())
    _write_exports(sc, p, exports)


# The validate command's feasibility probe: a few seconds at most (it says "not settled" when
# that is not enough).
PROBE_SECONDS = 5.0


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--no-solve", is_flag=True, help="Only the checks that need no solver (no feasibility probe)."
)
def validate(scenario: str, no_solve: bool) -> None:
    """Check SCENARIO: one line per problem, exit 2 if any; then a short feasibility probe (a few
    seconds of CP-SAT): a plan exists, or the rules that clash (exit 3), or not settled."""
    sc = _load(scenario)
    click.echo(
        f"{scenario}: valid ({sc.n_days} days, {sc.n_weeks} weeks, {len(sc.races)} races, {len(sc.sessions.types)} session types)"
    )
    if no_solve:
        return
    from periodize.api import explain

    conflict = explain(sc, time_limit=PROBE_SECONDS)
    if conflict.status == "feasible":
        click.echo("feasible: a plan exists that keeps every rule")
    elif conflict.status == "conflict":
        click.echo(f"infeasible: no plan meets every rule of {scenario}")
        click.echo(conflict.text())
        sys.exit(ExitCode.INFEASIBLE)
    else:
        click.echo(f"not settled in {PROBE_SECONDS:g} s: solve will tell (--no-solve skips this)")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("plan", type=click.Path(dir_okay=False))
def audit(scenario: str, plan: str) -> None:
    """Re-check every rule of SCENARIO on PLAN.json (e.g. one edited by hand), without the solver."""
    sc = _load(scenario)
    from periodize.audit import settle

    p = _load_plan(plan)
    settle(sc, p)
    violations = p.violations
    for v in violations:
        where = v.date.isoformat() if v.date else f"week {v.week + 1}" if v.week is not None else ""
        amount = f" (by {v.amount:g})" if v.amount is not None else ""
        click.echo(f"{v.rule:24} {where:11} {v.message}{amount}")
    for b in p.bends:
        click.echo(f"bend: {b.rule} week {b.week + 1} ({b.start}) penalty {b.penalty:g}")
        for finding in b.findings:
            click.echo(f"      {finding}")
    if p.bends:
        click.echo(f"{len(p.bends)} soft-rule bend(s), penalty {p.penalty:g}")
    if violations:
        click.echo(f"{len(violations)} violation(s)")
        sys.exit(ExitCode.RULE_BROKEN)
    click.echo(f"{plan}: every rule of {scenario} holds")


@main.command()
@click.option(
    "--plan", "which", flag_value="plan", help="The plan file's schema instead of the scenario's."
)
def schema(which: str | None) -> None:
    """Print the JSON Schema of the scenario format (or, with --plan, of the plan file)."""
    from periodize.output.schemas import plan_schema, scenario_schema

    click.echo(plan_schema() if which == "plan" else scenario_schema(), nl=False)


main.add_command(init)
main.add_command(fit_command)
main.add_command(replan_command)
main.add_command(log_command)


main.add_command(compare)
main.add_command(solve_many_command)
