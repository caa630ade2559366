"""The command line: solve (week view, predictions, --out json/csv, exit codes), validate, audit, schema, --help."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import SPRINT, TEMPO, library, rules_off, scenario_dict, write_scenario
from conftest import run_cli as run

import periodize
from periodize.cli.main import main

ROOT = Path(__file__).resolve().parents[1]

FAST = ["--work-limit", "10", "--seed", "0"]
DOC = scenario_dict(
    days=14,
    races=[(6, "C"), (13, "A")],
    sessions=library(SPRINT, TEMPO),
    rules=rules_off(
        hard_recovery={}, rest_days={"min_per_week": 1}, weekly_load_cap={"max_load": 1500}
    ),
)


@pytest.fixture
def scenario_file(tmp_path) -> Path:
    return write_scenario(tmp_path / "tiny.toml", DOC)


@pytest.fixture
def solved(scenario_file, tmp_path):
    out = tmp_path / "plan.json"
    result = run("solve", str(scenario_file), *FAST, "--out", str(out))
    assert result.exit_code == 0, result.output
    return result, out


def test_solve_prints_weeks_and_predictions(solved):
    result, _ = solved
    out = result.output
    assert "status optimal" in out
    assert "Week  1 · 2027-01-04" in out and "Week  2 · 2027-01-11" in out
    assert "Race-day predictions" in out
    assert "race0" in out and "race1" in out
    assert "Audit: every rule holds." in out
    assert "Mon 04 Jan" in out  # the day lines


def test_solve_quiet_prints_weeks_only(scenario_file):
    result = run("solve", str(scenario_file), *FAST, "--quiet")
    assert result.exit_code == 0
    assert "Week  1" in result.output and "Mon 04 Jan" not in result.output


def test_solve_writes_json(solved):
    _, out = solved
    data = json.loads(out.read_text())
    assert {
        "status",
        "objective",
        "bound",
        "gap",
        "solve_seconds",
        "races",
        "days",
        "weeks",
    } <= set(data)
    assert data["status"] == "optimal" and data["gap"] == 0 and data["objective"] == data["bound"]
    assert len(data["days"]) == 14 and len(data["weeks"]) == 2
    for day in data["days"]:
        assert {
            "date",
            "week",
            "phase",
            "load",
            "fitness",
            "fatigue",
            "performance",
            "sessions",
        } <= set(day)
        assert day["sessions"]
        for s in day["sessions"]:
            assert {"type", "category", "hard", "minutes", "load"} <= set(s)
        assert day["load"] == sum(s["load"] for s in day["sessions"])
    assert [r["name"] for r in data["races"]] == ["race0", "race1"]
    assert data["races"][1]["predicted_performance"] == data["days"][13]["performance"]


def test_solve_writes_csv(scenario_file, tmp_path):
    out = tmp_path / "plan.csv"
    result = run("solve", str(scenario_file), *FAST, "--out", str(out))
    assert result.exit_code == 0
    df = pd.read_csv(out, index_col="date", parse_dates=["date"])
    assert len(df) == 14
    assert {
        "week",
        "phase",
        "sessions",
        "hard",
        "minutes",
        "load",
        "fitness",
        "fatigue",
        "performance",
    } <= set(df.columns)
    assert df.index[0] == pd.Timestamp("2027-01-04")
    assert df.loc["2027-01-17", "sessions"] == "race"


def test_infeasible_exits_3(tmp_path):
    doc = dict(DOC, rules=rules_off(rest_days={"min_per_week": 7}))  # a race day is not a rest day
    path = write_scenario(tmp_path / "nope.json", doc)
    result = run("solve", str(path), *FAST)
    assert result.exit_code == 3, result.output
    assert "infeasible" in result.output


@pytest.mark.parametrize("spelling", ["same", "relative", "dotted"])
def test_out_cannot_overwrite_the_scenario(scenario_file, spelling, monkeypatch):
    before = scenario_file.read_bytes()
    monkeypatch.chdir(scenario_file.parent)
    out = {
        "same": str(scenario_file),
        "relative": scenario_file.name,
        "dotted": f"./sub/../{scenario_file.name}",
    }[spelling]
    (scenario_file.parent / "sub").mkdir(exist_ok=True)
    result = run("solve", str(scenario_file), *FAST, "--out", out)
    assert result.exit_code == 2
    assert "--out" in result.output and "overwrite" in result.output
    assert scenario_file.read_bytes() == before


def test_out_needs_a_known_suffix(scenario_file, tmp_path):
    result = run("solve", str(scenario_file), *FAST, "--out", str(tmp_path / "plan.txt"))
    assert result.exit_code == 2 and ".json or .csv" in result.output
    assert not (tmp_path / "plan.txt").exists()


def test_validate(scenario_file):
    result = run("validate", str(scenario_file))
    assert result.exit_code == 0
    assert "valid (14 days, 2 weeks, 2 races, 4 session types)" in result.output
    assert "feasible: a plan exists" in result.output


def test_validate_probes_feasibility_unless_told_not_to(tmp_path):
    """A scenario that passes every check but has no plan: validate says so, with the rules
    that clash (exit 3), as solve would; --no-solve keeps to the solver-free checks."""
    doc = dict(DOC, rules=rules_off(rest_days={"min_per_week": 7}))  # a race day is not a rest day
    path = write_scenario(tmp_path / "nope.json", doc)
    result = run("validate", str(path))
    assert result.exit_code == 3, result.output
    assert "infeasible" in result.output and "rest_days" in result.output
    quick = run("validate", str(path), "--no-solve")
    assert quick.exit_code == 0 and "feasible" not in quick.output


def test_audit_the_written_plan(solved, scenario_file):
    _, out = solved
    result = run("audit", str(scenario_file), str(out))
    assert result.exit_code == 0, result.output
    assert "every rule" in result.output


def test_audit_a_hand_edited_plan(solved, scenario_file):
    _, out = solved
    data = json.loads(out.read_text())
    rests = [i for i, d in enumerate(data["days"][:7]) if d["sessions"][0]["type"] == "rest"]
    assert rests and rests[0] > 0
    sprint = {"type": "sprint", "category": "sprint", "hard": True, "minutes": 60, "load": 400}
    for i in {rests[0] - 1, *rests}:  # two sprints back to back, and no rest day in week 1
        data["days"][i]["sessions"] = [sprint]
        data["days"][i]["load"] = 400
    out.write_text(json.dumps(data))
    result = run("audit", str(scenario_file), str(out))
    assert result.exit_code != 0
    assert "hard_recovery" in result.output and "rest_days" in result.output
    assert "violation(s)" in result.output


def test_audit_a_malformed_plan(scenario_file, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"status": "optimal", "days": "none"}))
    result = run("audit", str(scenario_file), str(bad))
    assert result.exit_code == 2
    assert str(bad) in result.output and "days" in result.output


@pytest.mark.parametrize(
    "args, title", [(["schema"], "periodize scenario"), (["schema", "--plan"], "periodize plan")]
)
def test_schema_prints_json(args, title):
    result = run(*args)
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == title and "properties" in schema


def test_schema_describes_the_scenario():
    schema = json.loads(run("schema").output)
    assert {"plan", "athlete", "races", "availability", "sessions", "rules", "objective"} <= set(
        schema["properties"]
    )
    assert "plan" in schema["required"]


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["solve", "--help"], ["audit", "--help"]])
def test_help(args):
    result = run(*args)
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_help_lists_the_commands():
    out = run("--help").output
    for command in ("solve", "validate", "audit", "schema"):
        assert command in out


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and "0.1.0" in result.output


def test_no_plan_within_the_time_limit_exits_4(scenario_file, monkeypatch):
    from periodize.plan.schema import Plan
    from periodize.solver.search import pipeline

    monkeypatch.setattr(
        pipeline, "search", lambda scenario, **kw: Plan(status="unknown", solve_seconds=0.1)
    )
    result = run("solve", str(scenario_file), *FAST)
    assert result.exit_code == 4
    # the solve is a stand-in (no clock runs): the message must point at the budget options
    assert "unknown" in result.output and "--time-limit" in result.output


def test_a_plan_failing_its_own_audit_exits_5(scenario_file, tmp_path, monkeypatch):
    import sys

    from periodize.plan.schema import Violation

    fake = [Violation(rule="rest_days", week=0, message="injected")]
    monkeypatch.setattr(sys.modules["periodize.audit"], "audit", lambda scenario, plan: fake)
    out = tmp_path / "plan.json"
    result = run("solve", str(scenario_file), *FAST, "--out", str(out))
    assert result.exit_code == 5
    assert "AUDIT FAILED" in result.output and "rest_days" in result.output
    assert (
        json.loads(out.read_text())["violations"][0]["rule"] == "rest_days"
    )  # written, for inspection


def test_solve_prints_the_prescriptions_of_the_sessions_used():
    """The terminal view ends with what to do in each session the plan uses, from the library."""
    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "three-days.toml"
    result = run("solve", str(scenario), "--quiet", "--work-limit", "5")
    assert result.exit_code == 0, result.output
    assert "Sessions in this plan:" in result.output
    assert "Back squat 4 x 4-6" in result.output  # heavy-strength, used in every strength week


# refused before any solve starts: no clock runs, the option's value is the subject
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--seed", "2147483648"),
        ("--seed", "-1"),
        ("--time-limit", "nan"),
        ("--time-limit", "inf"),
        ("--time-limit", "0"),
        ("--workers", "0"),
    ],
)
def test_solve_options_out_of_range_exit_2_naming_the_option(scenario_file, option, value):
    result = run("solve", str(scenario_file), option, value)
    assert result.exit_code == 2
    assert option in result.output and value in result.output


@pytest.mark.slow
def test_init_writes_a_starter_that_solves_and_never_overwrites(tmp_path):
    path = tmp_path / "block.toml"
    args = ["init", str(path), "--start", "2027-01-04", "--weekly-load", "1400"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text = path.read_text()
    assert "race" in text and "current_weekly_load = 1400" in text
    scenario = periodize.load_scenario(path)
    assert scenario.start.isoformat() == "2027-01-04" and scenario.races[0].date.weekday() == 5
    plan = periodize.solve(scenario, work_limit=10, seed=0)
    assert plan.status in ("optimal", "feasible") and periodize.audit(scenario, plan) == []
    again = CliRunner().invoke(main, ["init", str(path), "--weekly-load", "900"])
    assert again.exit_code == 2 and "not overwritten" in again.output
    assert path.read_text() == text
    early = CliRunner().invoke(main, ["init", str(tmp_path / "x.toml"), "--start", "2027-01-04",
                                      "--race", "2027-01-01"])  # fmt: skip
    assert early.exit_code == 2 and "--race" in early.output


def test_a_json_scenario_on_stdin_and_the_plan_json_alone_on_stdout():
    """For planners in other languages: `solve - --out -` reads the scenario's JSON from standard
    input and writes nothing but the plan's JSON to standard output (the view goes to stderr)."""
    import tomllib

    doc = tomllib.loads((ROOT / "benchmarks" / "scenarios" / "three-days.toml").read_text())
    text = json.dumps(doc, default=str)
    args = ["solve", "-", "--out", "-", "--work-limit", "1"]
    result = CliRunner().invoke(main, args, input=text)
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["status"] in ("optimal", "feasible") and plan["days"]
    assert "periodize ·" in result.stderr
    bad = CliRunner().invoke(main, ["validate", "-"], input='{"plan": 5}')
    assert bad.exit_code == 2 and bad.stderr.startswith("error: <stdin>: plan:")
