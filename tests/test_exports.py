"""Exports for people: the iCalendar file parsed back, the session CSV read back with pandas, the
Markdown summary, the report's content, and the CLI options (including bad output paths)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import CLASSIC, library, make, rules_off, scenario_dict, solve_small, stype

import periodize
from periodize.cli.main import main
from periodize.output.export import calendar, markdown, write_ics, write_sessions_csv
from periodize.output.report import render_report, rule_margins

SPRINT = stype("sprint", "sprint", (60, 400), hard=True, prescription="6 x 30 m, 4 min rest")
MOBILITY = stype("mob", "mobility", (15, 30), addon=True, prescription="hips, ankles")


@pytest.fixture(scope="module")
def solved():
    doc = scenario_dict(
        days=17,
        sessions=library(SPRINT, MOBILITY),
        rules=rules_off(hard_recovery={"hours": 48}, weekly_load_cap={"max_load": 1500}),
        response=CLASSIC,
    )
    scenario = make(doc)
    return scenario, solve_small(scenario)


def test_ics_round_trip(solved, tmp_path):
    from icalendar import Calendar

    scenario, plan = solved
    path = tmp_path / "plan.ics"
    write_ics(scenario, plan, path)
    cal = Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    sessions = [(d.date, s) for d in plan.days for s in d.sessions]
    assert len(events) == len(sessions)
    for event, (date, session) in zip(events, sessions):
        assert event.decoded("dtstart") == date
        assert event.decoded("dtend") == date + dt.timedelta(days=1)
        assert str(event["categories"].cats[0]) == session.category.value
        if session.type == "sprint":
            assert "6 x 30 m, 4 min rest" in str(event["description"])
            assert f"{session.minutes}'" in str(event["summary"])
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)


def test_ics_uids_are_stable_across_exports(solved):
    scenario, plan = solved
    first = calendar(scenario, plan, stamp=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    again = calendar(scenario, plan, stamp=dt.datetime(2027, 2, 1, tzinfo=dt.UTC))
    assert [str(e["uid"]) for e in first.walk("VEVENT")] == [
        str(e["uid"]) for e in again.walk("VEVENT")
    ]


def test_session_csv_reads_back(solved, tmp_path):
    scenario, plan = solved
    path = tmp_path / "sessions.csv"
    write_sessions_csv(scenario, plan, path)
    frame = pd.read_csv(path)
    assert len(frame) == sum(len(d.sessions) for d in plan.days)
    assert frame["load"].sum() == sum(d.load for d in plan.days)
    assert set(frame["session"]) == {s.type for d in plan.days for s in d.sessions}
    sprint = frame[frame["session"] == "sprint"]
    assert (sprint["prescription"] == "6 x 30 m, 4 min rest").all() and sprint["hard"].all()
    assert list(frame.columns)[:6] == ["date", "weekday", "week", "phase", "slot", "session"]


def test_markdown_lists_every_week_and_race(solved):
    scenario, plan = solved
    text = markdown(scenario, plan)
    for week in plan.weeks:
        assert re.search(rf"^\| {week.week + 1} \| {week.start} \|", text, re.M)
    for race in plan.races:
        assert f"| {race.name} | {race.date} |" in text


def test_report_holds_a_cell_per_day_and_the_rules(solved):
    scenario, plan = solved
    page = render_report(scenario, plan)
    assert page.count("class='day") == len(plan.days)
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)  # nothing loaded: works offline
    assert "6 x 30 m, 4 min rest" in page
    names = [name for name, _, _ in rule_margins(scenario, plan)]
    assert {"hard_recovery", "weekly_load_cap"} <= set(names)
    cap = next(c for n, _, c in rule_margins(scenario, plan) if n == "weekly_load_cap")
    assert f"{max(w.load for w in plan.weeks)} AU" in cap


def test_every_report_chart_names_its_units(solved):
    from periodize.output.report import form_chart, load_chart, training_load_chart

    _, plan = solved
    titles = [
        chart(plan).layout.yaxis.title.text
        for chart in (load_chart, form_chart, training_load_chart)
    ]
    assert titles == [
        "AU a week",
        f"model units ({plan.response})",
        "AU a day",
    ]


@pytest.mark.slow
def test_cli_solve_writes_every_export(tmp_path):
    out = {k: tmp_path / f"plan.{k}" for k in ("html", "ics", "csv", "md")}
    result = CliRunner().invoke(
        main,
        ["solve", "scenarios/three-days.toml", "--quiet", "--work-limit", "20",
         "--report", str(out["html"]), "--ics", str(out["ics"]), "--csv", str(out["csv"]),
         "--markdown", str(out["md"]), "--out", str(tmp_path / "plan.json")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert all(p.stat().st_size > 0 for p in out.values())
    again = CliRunner().invoke(
        main,
        ["report", str(tmp_path / "plan.json"), "--scenario", "scenarios/three-days.toml",
         "-o", str(tmp_path / "again.html"), "--markdown", "-"],
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert "# Training plan" in again.output
    assert (tmp_path / "again.html").stat().st_size > 0


@pytest.mark.parametrize(
    "option, name, reason",
    [
        ("--report", "plan.pdf", "must end in .html"),
        ("--ics", "plan.ical", "must end in .ics"),
        ("--csv", "missing/plan.csv", "does not exist"),
    ],
)
def test_cli_refuses_bad_export_paths(tmp_path, option, name, reason):
    result = CliRunner().invoke(
        main, ["solve", "scenarios/three-days.toml", option, str(tmp_path / name)]
    )
    assert result.exit_code == 2
    assert option in result.output and reason in result.output
    assert "Traceback" not in result.output


def test_cli_report_never_overwrites_its_inputs(tmp_path):
    scenario = tmp_path / "s.toml"
    text = open("scenarios/three-days.toml").read()
    scenario.write_text(text)
    result = CliRunner().invoke(
        main, ["report", "plan.json", "--scenario", str(scenario), "--csv", str(scenario)]
    )
    assert result.exit_code == 2 and "overwrite" in result.output
    assert scenario.read_text() == text


@pytest.mark.slow
def test_the_weekly_ramp_column_is_the_ramp_rule_s_own_figure():
    """The ramp % of each week is computed against the week the rule compares with, so a plan
    that keeps the rule never shows a ramp above it (and shows none after a non-loading week)."""
    from periodize.scenario.loading import load_scenario

    scenario = load_scenario("scenarios/three-days.toml")
    plan = periodize.solve(scenario, work_limit=10)
    assert plan.status in ("optimal", "feasible") and plan.violations == []
    assert scenario.rules.ramp.enabled
    ramps = [w.ramp_pct for w in plan.weeks]
    assert any(r is not None for r in ramps)
    assert all(r is None or r <= scenario.rules.ramp.max_increase_pct + 0.05 for r in ramps)
    for before, week in zip(plan.weeks, plan.weeks[1:], strict=False):
        if before.phase.value in ("taper", "race", "transition"):
            assert week.ramp_pct is None
