"""The commands that prepare a scenario's inputs: `periodize init` (a starter scenario) and
`periodize fit` (a response model fitted to the athlete's loads and tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from periodize.cli.options import check_out as _check_out
from periodize.cli.options import fail as _fail
from periodize.cli.options import write as _write


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="First plan day [default: next Monday].")  # fmt: skip
@click.option("--race", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The A race's date [default: the Saturday of the start's 12th week].")  # fmt: skip
@click.option("--race-name", default="Goal race", show_default=True)
@click.option("--weekly-load", type=click.IntRange(1, 700_000), default=1500, show_default=True,
              help="Session-RPE AU a week the athlete trains now.")  # fmt: skip
def init(
    file: str, start: dt.datetime | None, race: dt.datetime | None, race_name: str, weekly_load: int
) -> None:
    """Write a starter scenario to FILE (a 12-week block to one race on the bundled presets, every
    line commented) that validates and solves as written. An existing FILE is not overwritten."""
    from periodize.scenario.starter import next_monday, starter

    if Path(file).exists():
        _fail([f"{file}: exists; not overwritten (choose another name)"])
    first = start.date() if start else next_monday(dt.date.today())
    goal = race.date() if race else first + dt.timedelta(days=7 * 11 + (5 - first.weekday()) % 7)
    if goal <= first:
        _fail([f"--race: {goal} is not after --start {first}"])
    _write(file, "FILE", starter(Path(file).name, first, goal, race_name, weekly_load))
    click.echo(f"{file} written: edit it, then `periodize solve {file}`")


@click.command("fit")
@click.argument("loads", type=click.Path(dir_okay=False))
@click.argument("tests", type=click.Path(dir_okay=False))
@click.option("--model", type=click.Choice(["banister", "busso"]), default="banister",
              show_default=True, help="The response model to fit.")  # fmt: skip
@click.option("--convention", type=click.Choice(["morning", "same-day"]), default="morning",
              show_default=True, help="morning: a day's load counts from the next morning (the "
              "planner's); same-day: a test includes its own day's load.")  # fmt: skip
@click.option("--test", "test_name", default=None, help="The test to fit when TESTS has several.")
@click.option("--prior", default=None, metavar="PRESET",
              help="Pull the fit's time constants (and banister's k2/k1) toward this response "
              "preset (a name, or a .toml file).")  # fmt: skip
@click.option("--prior-weight", type=click.FloatRange(min=0, max=1e6), default=1.0,
              show_default=True, help="How hard the prior pulls (docs/fit.md).")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Write the fitted model as a response preset FILE.toml.")  # fmt: skip
@click.option("--plot", type=click.Path(dir_okay=False), default=None,
              help="Plot the tests against the fitted curve: FILE.png or FILE.html.")  # fmt: skip
def fit_command(
    loads: str,
    tests: str,
    model: str,
    convention: str,
    test_name: str | None,
    prior: str | None,
    prior_weight: float,
    out: str | None,
    plot: str | None,
) -> None:
    """Fit a response model to an athlete's LOADS (CSV: date,load or date,duration,rpe) and
    TESTS (CSV: date,test,value,lower_is_better[,unit]); print the parameters with their
    uncertainty and the fit's quality; --out writes it as a preset a scenario can name."""
    from periodize.cli.options import writing
    from periodize.core.errors import Problem, ScenarioError
    from periodize.fitting.estimate import fit
    from periodize.fitting.output import preset_toml, summary, write_plot

    inputs = [loads, tests] + ([prior] if prior else [])
    _check_out(out, inputs, "--out", (".toml",))
    _check_out(plot, inputs, "--plot", (".png", ".html", ".htm"))
    try:
        result = fit(loads, tests, model, convention=convention, test=test_name, prior=prior,
                     prior_weight=prior_weight)  # fmt: skip
    except ScenarioError as exc:
        _fail(exc.problems)
    except ValueError as exc:  # the prior: unknown, of the other family, unreadable
        _fail([Problem("<command line>", "--prior", str(exc))])
    click.echo(summary(result))
    if out:
        _write(out, "--out", preset_toml(result))
        click.echo(f"fitted model written to {out}")
    if plot:
        with writing(plot, "--plot"):
            write_plot(result, plot)
        click.echo(f"plot written to {plot}")
