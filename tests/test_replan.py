"""Re-planning after training happened (solver/replan.py, plan/pinning.py): the days before today are
what was done and stay as done; the days from today keep every rule and as much of the old plan
as the tolerance allows; a rule instance wholly in the past is the log's, not the plan's."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from conftest import make, preset_block, run_cli, write_scenario

import periodize
from periodize.audit import audit
from periodize.core.errors import ScenarioError
from periodize.core.terms import Category
from periodize.solver.replan import replan, scenario_with_done

START = dt.date(2027, 1, 4)  # a Monday
DOC = preset_block([("2027-02-20", "A")])  # 7 weeks to the race, then its week
LIMIT = 20.0


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


@pytest.fixture(scope="module")
def scenario():
    return make(DOC)


@pytest.fixture(scope="module")
def plan(scenario):
    found = periodize.solve(scenario, work_limit=LIMIT, seed=0)
    assert found.status in ("optimal", "feasible") and found.violations == []
    return found


def replanned(scenario, plan, today, **options):
    new = periodize.replan(scenario, plan, today, work_limit=LIMIT, seed=0, **options)
    assert new.status in ("optimal", "feasible"), new.status
    return new


def sessions(plan, n):
    return [(s.type, s.load) for s in plan.days[n].sessions]


def first_training_day(plan, after: int) -> int:
    return next(
        n for n in range(after, len(plan.days))
        if any(s.category not in (Category.rest, Category.race) for s in plan.days[n].sessions)
    )  # fmt: skip


def test_a_log_identical_to_the_plan_leaves_the_future_unchanged(scenario, plan):
    new = replanned(scenario, plan, day(21))
    assert new.changes == []
    assert [sessions(new, n) for n in range(len(plan.days))] == [
        sessions(plan, n) for n in range(len(plan.days))
    ]
    assert new.today == day(21) and new.violations == []
    assert all(s.done for d in new.days[:21] for s in d.sessions)  # the past is marked done
    assert not any(s.done for d in new.days[21:] for s in d.sessions)


def test_a_missed_day_is_kept_as_nothing_done_and_the_future_keeps_every_rule(scenario, plan):
    missed = first_training_day(plan, 14)
    new = replanned(scenario, plan, day(missed + 1), missed=[day(missed)])
    assert sessions(new, missed) == [("rest", 0)]
    assert new.days[missed].sessions[0].done == "nothing done"
    assert new.days[missed].load == 0
    assert audit(scenario, new) == [] and new.violations == []
    assert len(new.changes) < (len(plan.days) - missed) / 2  # the rest of the block mostly stands
    for change in new.changes:
        assert change.date >= day(missed + 1) and change.why


def test_the_past_is_not_re_planned(scenario, plan):
    """Every day before today is exactly what was done, whatever a better plan would do there."""
    done_day = first_training_day(plan, 7)
    new = replanned(scenario, plan, day(done_day + 3), done={day(done_day): "mobility"})
    assert [s.type for s in new.days[done_day].sessions] == ["mobility"]
    for n in range(done_day + 3):
        if n != done_day:
            assert sessions(new, n) == sessions(plan, n)


def test_a_rule_broken_wholly_in_the_log_is_listed_not_a_violation(scenario, plan):
    """Hard sessions done on two days in a row in week 2 break hard_recovery there: the
    re-plan from week 3 is feasible, its audit is clean, and the finding is `in_the_log`."""
    monday = 7
    done = {day(monday): "acceleration", day(monday + 1): "acceleration"}
    new = replanned(scenario, plan, day(14), done=done)
    assert new.violations == []
    assert "hard_recovery" in {v.rule for v in new.in_the_log}
    assert all(v.date is None or v.date < day(14) for v in new.in_the_log)


def test_a_rule_the_log_breaks_in_the_current_week_binds_the_days_left(scenario, plan):
    """A hard session done yesterday: today cannot be hard (hard_recovery reaches across)."""
    today = first_training_day(plan, 21)
    new = replanned(scenario, plan, day(today), done={day(today - 1): "acceleration"})
    assert not any(s.hard for s in new.days[today].sessions)


def test_a_week_over_its_cap_is_infeasible_and_explained(scenario):
    """A logged 2500 AU day puts week 4 over its 2000 AU cap before its last days: no re-plan
    keeps the cap, and the explanation names it in that week."""
    doc = json.loads(json.dumps(DOC))
    doc["rules"]["weekly_load_cap"] = {"max_load": 2000}
    capped = make(doc)
    base = periodize.solve(capped, work_limit=LIMIT, seed=0)
    assert base.status in ("optimal", "feasible")
    row = SimpleNamespace(
        date=day(21), session=None, name="long ride", category=Category.tempo, hard=False,
        load=2500, minutes=240, source="log.csv row 2",
    )  # fmt: skip
    new = replan(capped, base, day(23), log=[row], work_limit=LIMIT, seed=0)
    assert new.status == "infeasible"
    conflict = periodize.explain(scenario_with_done(capped, base, day(23), log=[row]))
    assert ("weekly_load_cap", 3) in {(r.rule, r.week) for r in conflict.rules}


def test_free_form_sessions_from_a_log_count_by_their_kind(scenario, plan):
    """A logged session that is not a library type counts as its category and intensity: a
    hard sprint yesterday keeps today easy; its load is the logged load."""
    today = 1 + next(  # the day after a hard sprint: the log says it was a free-form one
        n for n in range(28, len(plan.days))
        if any(s.hard and s.category == Category.sprint for s in plan.days[n].sessions)
    )  # fmt: skip
    row = SimpleNamespace(
        date=day(today - 1), session=None, name="hill sprints", category=Category.sprint,
        hard=True, load=333, minutes=40, source="log.csv row 2",
    )  # fmt: skip
    new = replanned(scenario, plan, day(today), log=[row])
    assert [(s.type, s.load) for s in new.days[today - 1].sessions] == [("logged-sprint-hard", 333)]
    assert new.days[today - 1].sessions[0].done == "hill sprints (log.csv row 2)"
    assert not any(s.hard for s in new.days[today].sessions)
    # the log is complete from its first day: the day before the log is as planned
    assert sessions(new, today - 2) == sessions(plan, today - 2)
    again = replanned(scenario, new, day(today + 7))  # a re-plan of a re-plan keeps the log
    assert [(s.type, s.load) for s in again.days[today - 1].sessions] == [
        ("logged-sprint-hard", 333)
    ]


def test_dates_and_types_outside_the_plan_are_refused(scenario, plan):
    with pytest.raises(ScenarioError) as exc:
        scenario_with_done(scenario, plan, day(10), missed=[day(12)], done={day(3): "no-such"})
    text = str(exc.value)
    assert "--missed" in text and "--done" in text and "no-such" in text and "library:" in text
    with pytest.raises(ScenarioError, match="--today"):
        scenario_with_done(scenario, plan, day(400))


def test_a_scenario_file_cannot_set_done(tmp_path):
    doc = json.loads(json.dumps(DOC))
    doc["done"] = {"today": "2027-01-10"}
    with pytest.raises(ScenarioError, match="done: not a scenario field"):
        make(doc)


def test_the_audit_checks_the_future_and_lists_the_past(scenario, plan):
    """Two main sessions on a day: a violation on a planned day, an `in_the_log` finding on a
    day already done."""
    from periodize.audit import audit_log

    new = replanned(scenario, plan, day(14))

    dose = scenario.sessions.type_of("mobility").doses[0]

    def doubled(n):
        edited = new.model_copy(deep=True)
        extra = edited.days[n].sessions[0].model_copy(
            update={"type": "mobility", "category": Category.mobility, "hard": False,
                    "minutes": dose.minutes, "load": dose.load}
        )  # fmt: skip
        edited.days[n].sessions.append(extra)
        edited.days[n].load += dose.load
        return edited

    future = doubled(20)
    assert "availability.sessions" in {v.rule for v in audit(scenario, future)}
    past = doubled(10)
    assert "availability.sessions" not in {v.rule for v in audit(scenario, past)}
    assert "availability.sessions" in {v.rule for v in audit_log(scenario, past)}


def test_replan_from_the_command_line(tmp_path, scenario, plan):
    path = write_scenario(tmp_path / "block.toml", DOC)
    plan.write(tmp_path / "plan.json")
    missed = first_training_day(plan, 14)
    out = tmp_path / "new.json"
    result = run_cli(
        "replan", str(path), "--plan", str(tmp_path / "plan.json"), "--today", str(day(missed + 1)),
        "--missed", str(day(missed)), "--work-limit", "20", "--quiet",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"re-planned from {day(missed + 1)}" in result.output
    assert "changed from" in result.output or "the plan stands" in result.output
    audited = run_cli("audit", str(path), str(out))
    assert audited.exit_code == 0, audited.output
    new = periodize.load_plan(out)
    assert new.today == day(missed + 1) and new.days[missed].load == 0
    bad = run_cli(
        "replan", str(path), "--plan", str(tmp_path / "plan.json"), "--today", "2027-13-01"
    )
    assert bad.exit_code == 2 and "--today" in bad.output


@pytest.mark.slow
def test_replan_with_a_training_log_and_a_calendar_that_stays_in_step(tmp_path):
    """The log's four days are what was done (loads as the log computes them); the re-plan is
    the next revision of the plan: its plan_id, revision 1, and an .ics whose events keep their
    UIDs (the plan_id's)."""
    from periodize.traininglog.log import TrainingLog

    data = "tests/data/log"
    scenario = periodize.load_scenario(f"{data}/scenario.toml")
    base = periodize.solve(scenario, work_limit=10, seed=0)
    assert base.plan_id and base.revision == 0
    base.write(tmp_path / "plan.json")
    log: TrainingLog = periodize.read_log([f"{data}/periodize.csv"], scenario)
    result = run_cli(
        "replan", f"{data}/scenario.toml", "--plan", str(tmp_path / "plan.json"),
        "--log", f"{data}/periodize.csv", "--today", "2027-01-08",
        "--work-limit", "10", "--quiet", "--out", str(tmp_path / "new.json"),
        "--ics", str(tmp_path / "new.ics"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    new = periodize.load_plan(tmp_path / "new.json")
    assert new.plan_id == base.plan_id and new.revision == 1
    for row in log.sessions:
        day = new.days[(row.date - scenario.start).days]
        assert row.load in [s.load for s in day.sessions]
        assert any(row.source in (s.done or "") for s in day.sessions)
    ics = (tmp_path / "new.ics").read_text()
    assert f"UID:{base.plan_id}-20270108-0@periodize" in ics


def test_a_one_worker_re_plan_is_reproducible(scenario, plan):
    """One worker: every step runs on CP-SAT's deterministic time, so a seed reproduces the
    re-plan exactly however loaded the machine is."""
    missed = first_training_day(plan, 14)

    def run():
        new = periodize.replan(scenario, plan, day(missed + 1), missed=[day(missed)],
                               work_limit=8, seed=3)  # fmt: skip
        return [sessions(new, n) for n in range(len(new.days))], new.changes

    assert run() == run()
