"""Explaining infeasible scenarios (a minimal conflict set), soft rules and --relax."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import rules_off, scenario_dict
from infeasible_catalog import BASE, CATALOG, scenario
from ortools.sat.python import cp_model

import periodize
from periodize.cli.main import main
from periodize.core.errors import ScenarioError
from periodize.solver.explain import _Oracle

LIMIT = 600.0  # a safety net: every explanation ends long before it, on a loaded machine too


def load(doc):
    return periodize.scenario_from_dict(copy.deepcopy(doc), "catalog.toml")


@pytest.fixture(scope="module")
def explained():
    return {
        name: periodize.explain(load(e["doc"]), time_limit=LIMIT) for name, e in CATALOG.items()
    }


def test_the_catalog_holds_at_least_twelve_clashes():
    assert len(CATALOG) >= 12


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_each_catalog_scenario_gets_its_conflict(name, explained):
    conflict = explained[name]
    assert conflict.status == "conflict" and conflict.minimal, conflict.text()
    assert {r.rule for r in conflict.rules} == CATALOG[name]["conflict"], conflict.text()


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_each_reported_set_is_minimal(name, explained):
    """Checked again from scratch: the set alone has no plan; without any one member it has."""
    keys = [(f"{r.rule}:{r.part}" if r.part else r.rule, r.week) for r in explained[name].rules]
    oracle = _Oracle(load(CATALOG[name]["doc"]), deadline=float("inf"), seed=1)
    assert oracle.check(keys)[0] == cp_model.INFEASIBLE
    for key in keys:
        status, _ = oracle.check([k for k in keys if k != key])
        assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE), f"{key} is not needed"


def test_explanations_speak_the_scenarios_terms(explained):
    text = explained["three-days-two-sprint-two-strength"].text()
    assert (
        "training_days = [tue, thu, sat]" in text
        and "frequency (sprint): per week sprint 2..2" in text
    )
    assert "2027-" in text  # the dates where it bites
    taper = explained["travel-through-the-taper"].text()
    assert "blackout 2027-02-13..2027-02-22 (travel)" in taper
    assert "'Regional 100 m' (A, 2027-02-27)" in taper and "hard_sprint_every_days = 7" in taper


def test_a_feasible_scenario_has_nothing_to_explain():
    assert periodize.explain(load(BASE), time_limit=LIMIT).status == "feasible"


def test_solve_exits_3_with_the_explanation_and_writes_it_as_json(tmp_path):
    path = tmp_path / "clash.json"
    path.write_text(json.dumps(CATALOG["rest-days-crowd-out-the-template"]["doc"]))
    out = tmp_path / "why.json"
    result = CliRunner().invoke(main, ["solve", str(path), "--work-limit", "20", "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert "cannot all hold" in result.output and "rest_days: min_per_week = 3" in result.output
    saved = json.loads(out.read_text())
    assert saved["minimal"] and {r["rule"] for r in saved["rules"]} == {"frequency", "rest_days"}


# --------------------------------------------------------------------------- soft rules
#: a 5-week block whose load cap binds
SOFT_CAP = scenario(
    {
        "races": [{"name": "Club 100 m", "date": "2027-02-06", "priority": "A"}],
        "rules.weekly_load_cap": {"max_load": 1500},
    }
)


def soft(doc, rule, penalty):
    doc = copy.deepcopy(doc)
    doc["rules"].setdefault(rule, {}).update(mode="soft", penalty=penalty)
    return doc


def test_a_soft_rule_needs_a_penalty():
    doc = copy.deepcopy(SOFT_CAP)
    doc["rules"]["weekly_load_cap"]["mode"] = "soft"
    with pytest.raises(ScenarioError) as exc:
        load(doc)
    assert exc.value.problems[0].field == "rules.weekly_load_cap"
    assert "penalty" in exc.value.problems[0].reason


def test_a_cheap_soft_rule_bends_and_the_audit_lists_each_bend():
    hard = periodize.solve(load(SOFT_CAP), work_limit=10)
    plan = periodize.solve(load(soft(SOFT_CAP, "weekly_load_cap", 0.5)), work_limit=10)
    assert hard.days and plan.days and hard.bends == []
    assert plan.bends and plan.violations == []
    assert all(b.rule == "weekly_load_cap" and b.amount > 0 for b in plan.bends)
    assert plan.penalty == pytest.approx(0.5 * len(plan.bends))
    loads = {w.week: w.load for w in plan.weeks}
    assert {b.week for b in plan.bends} == {w for w, load in loads.items() if load > 1500}


def test_an_expensive_soft_rule_is_kept():
    plan = periodize.solve(load(soft(SOFT_CAP, "weekly_load_cap", 1e5)), work_limit=10)
    assert plan.days and plan.bends == [] and plan.penalty == 0


def test_the_audit_command_reports_soft_bends(tmp_path):
    doc = soft(SOFT_CAP, "weekly_load_cap", 0.5)
    plan = periodize.solve(load(doc), work_limit=10)
    (tmp_path / "s.json").write_text(json.dumps(doc))
    plan.write(tmp_path / "p.json")
    result = CliRunner().invoke(main, ["audit", str(tmp_path / "s.json"), str(tmp_path / "p.json")])
    assert result.exit_code == 0, result.output
    assert f"{len(plan.bends)} soft-rule bend(s)" in result.output


# --------------------------------------------------------------------------- --relax
@pytest.mark.parametrize(
    "name", ["fixed-session-the-day-before-the-race", "three-days-two-sprint-two-strength"]
)
def test_relax_bends_the_fewest_rule_weeks_and_the_audit_confirms_them(name):
    sc = load(CATALOG[name]["doc"])
    plan = periodize.solve(sc, work_limit=10, relax=True)
    assert plan.status in ("optimal", "feasible") and plan.relaxed
    assert plan.violations == []  # every finding of the audit is one of the listed bends
    assert plan.bends and all(b.findings for b in plan.bends)
    found = {(v.rule, v.week) for v in periodize.audit(sc, plan)}
    assert found == {(b.rule, b.week) for b in plan.bends}


def test_relax_on_a_feasible_scenario_bends_nothing():
    doc = scenario_dict(
        days=14,
        rules=rules_off(hard_recovery={}, rest_days={}, weekly_load_cap={"max_load": 900}),
    )
    hard = periodize.solve(load(doc), work_limit=10)
    plan = periodize.solve(load(doc), work_limit=10, relax=True)
    assert hard.status == plan.status == "optimal" and plan.bends == []
    assert plan.objective == pytest.approx(hard.objective)


@pytest.mark.slow
def test_relax_from_the_command_line(tmp_path):
    path = tmp_path / "clash.json"
    path.write_text(json.dumps(CATALOG["fixed-session-the-day-before-the-race"]["doc"]))
    result = CliRunner().invoke(
        main, ["solve", str(path), "--relax", "--work-limit", "10", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "rule-weeks bent to make a plan possible" in result.output
    plan = tmp_path / "plan.json"
    result = CliRunner().invoke(
        main,
        ["solve", str(path), "--relax", "--work-limit", "10", "--quiet",
         "--out", str(plan), "--markdown", "-"],
    )  # fmt: skip
    assert "Rules bent in this plan:" in result.output and "day_before_race" in result.output
    audited = CliRunner().invoke(main, ["audit", str(path), str(plan)])
    assert audited.exit_code == 1 and "day_before_race" in audited.output


def _race_three_days_after_the_start():
    doc = copy.deepcopy(BASE)
    start = dt.date.fromisoformat(str(doc["plan"]["start"]))
    doc["races"] = [{"name": "Opener", "date": str(start + dt.timedelta(days=3)), "priority": "A"}]
    doc["plan"].pop("end", None)
    return doc


def test_relax_bends_a_rule_the_pre_check_says_cannot_hold():
    doc = _race_three_days_after_the_start()
    with pytest.raises(ScenarioError) as exc:
        load(doc)  # no taper of min..max days fits before the race
    assert [(p.field, p.rule) for p in exc.value.problems] == [("rules.taper", "taper")]
    sc = periodize.scenario_from_dict(copy.deepcopy(doc), "early.json", relax=True)
    plan = periodize.solve(sc, work_limit=10, relax=True)
    assert plan.status in ("optimal", "feasible") and plan.violations == []
    assert "taper" in {b.rule for b in plan.bends}


def test_relax_past_a_pre_check_from_the_command_line(tmp_path):
    path = tmp_path / "early.json"
    path.write_text(json.dumps(_race_three_days_after_the_start()))
    args = ["solve", str(path), "--work-limit", "10", "--quiet"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2 and "no taper of" in refused.output
    relaxed = CliRunner().invoke(main, [*args, "--relax"])
    assert relaxed.exit_code == 0, relaxed.output
    assert "taper in week" in relaxed.output


# --------------------------------------------------------------------------- pre-checks
def test_precheck_a_time_trial_rule_without_a_test_session():
    doc = copy.deepcopy(BASE)
    doc["races"] = []
    doc["sessions"] = {
        "preset": "sprint-default",
        "types": [{"id": "test", "category": "tempo", "doses": [{"minutes": 50, "load": 350}]}],
    }
    doc["rules"]["frequency"] = {"per_category": {"test": {"min": 0}}}
    with pytest.raises(ScenarioError) as exc:
        load(doc)
    assert [p.field for p in exc.value.problems] == ["rules.time_trial"]
    assert "no test session" in exc.value.problems[0].reason


def test_precheck_a_fixed_session_longer_than_the_day():
    doc = copy.deepcopy(BASE)
    doc["availability"]["minutes_per_day"] = 40
    doc["availability"]["fixed"] = [{"weekday": "mon", "session": "heavy-strength"}]
    with pytest.raises(ScenarioError) as exc:
        load(doc)
    assert "availability.fixed.0" in {p.field for p in exc.value.problems}


def test_the_worked_examples_are_catalog_entries():
    """docs/explain.md runs the files in examples/infeasible/; they must stay catalog scenarios."""
    folder = Path(__file__).resolve().parents[1] / "examples" / "infeasible"
    files = sorted(folder.glob("*.json"))
    assert len(files) == 3
    for path in files:
        assert json.loads(path.read_text()) == CATALOG[path.stem]["doc"]


SOFTENED = sorted(
    name
    for name, entry in CATALOG.items()
    if not any(rule.startswith("availability.") for rule in entry["conflict"])
)


@pytest.mark.parametrize("name", SOFTENED)
def test_making_the_clashing_rules_soft_gives_a_plan_that_bends_only_them(name):
    """Each rule family of the catalog, soft: the model may bend it, the audit lists the bends."""
    doc = copy.deepcopy(CATALOG[name]["doc"])
    for rule in CATALOG[name]["conflict"]:
        doc = soft(doc, rule, 1.0)
    plan = periodize.solve(load(doc), work_limit=5)
    assert plan.days and plan.violations == [], [v.message for v in plan.violations]
    assert plan.bends and {b.rule for b in plan.bends} <= CATALOG[name]["conflict"]
    assert plan.penalty == pytest.approx(len(plan.bends))


@pytest.mark.parametrize("name", sorted(set(CATALOG) - set(SOFTENED)))
def test_with_every_rule_soft_a_clash_with_availability_becomes_bends(name):
    """Availability stays hard; every rule family soft: a plan whose audit findings are exactly
    its listed bends, each costing its penalty."""
    doc = copy.deepcopy(CATALOG[name]["doc"])
    for rule in periodize.scenario.registry.RULE_NAMES:
        doc = soft(doc, rule, 1.0)
    sc = load(doc)
    plan = periodize.solve(sc, work_limit=5)
    assert plan.days and plan.violations == [], [v.message for v in plan.violations]
    assert plan.bends and plan.penalty == pytest.approx(len(plan.bends))
    assert {(v.rule, v.week) for v in periodize.audit(sc, plan)} == {
        (b.rule, b.week) for b in plan.bends
    }
