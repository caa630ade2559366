"""Race rules: b_race_reduction, race_day, day_before_race, day_after_race, sharpening,
pre_race_rest (and the races themselves)."""

from __future__ import annotations

import pytest
from conftest import (
    CLASSIC,
    PRIMER,
    SPRINT,
    TEMPO,
    assert_audit_flags,
    assert_rule_binds,
    edit_plan,
    is_hard,
    library,
    make,
    rules_off,
    run_audit,
    scenario_dict,
    sessions,
    solve_cached,
    stype,
)

DAYS = 21
B_DAY, A_DAY = 10, 20  # a B race on Thursday of week 1, the A race on the last Sunday
RACES = [(B_DAY, "B"), (A_DAY, "A")]
MOBILITY = stype("mobility", "mobility", (30, 50))
WALK = stype("walk", "recovery", (20, 40))
MOB_ADDON = stype("mob-add", "mobility", (15, 30), addon=True)
LIB = library(SPRINT, TEMPO, PRIMER, MOBILITY, WALK, MOB_ADDON)


def doc(rules=None, **kw):
    return scenario_dict(days=DAYS, races=RACES, sessions=LIB, rules=rules or rules_off(), **kw)


def test_races_are_held_on_their_days_only():
    plan = solve_cached(doc())
    race_days = [i for i in range(DAYS) if "race" in sessions(plan, i)]
    assert race_days == [B_DAY, A_DAY]
    assert [(r.name, r.priority.value) for r in plan.races] == [("race0", "B"), ("race1", "A")]
    assert [r.predicted_performance for r in plan.races] == [
        plan.days[B_DAY].performance,
        plan.days[A_DAY].performance,
    ]


@pytest.mark.parametrize("edit", ["race_missing", "extra_race"])
def test_audit_flags_races(edit):
    d = doc()
    sc, plan = make(d), solve_cached(d)
    changes = {B_DAY: ["sprint"]} if edit == "race_missing" else {5: ["race"]}
    assert_audit_flags(sc, edit_plan(sc, plan, changes), "races")


# --------------------------------------------------------------------------- b_race_reduction
@pytest.mark.parametrize("days", [2, 3, 5])
def test_b_race_reduction(days):
    on = doc(rules_off(b_race_reduction={"days": days}))
    off = doc()
    plan, relaxed = assert_rule_binds(on, off, "b_race_reduction")
    assert not any(is_hard(plan, d) for d in range(B_DAY - days, B_DAY))
    assert is_hard(plan, B_DAY - days - 1)  # only those days: the one before is a sprint again
    assert all(is_hard(relaxed, d) for d in range(B_DAY - days, B_DAY))


def test_b_race_reduction_ignores_a_and_c_races():
    rules = rules_off(b_race_reduction={"days": 3})
    plan = solve_cached(
        scenario_dict(days=DAYS, races=[(B_DAY, "C"), (A_DAY, "A")], sessions=LIB, rules=rules)
    )
    assert all(is_hard(plan, d) for d in range(B_DAY - 3, B_DAY))
    assert all(is_hard(plan, d) for d in range(A_DAY - 3, A_DAY))


def test_audit_flags_b_race_reduction():
    d = doc(rules_off(b_race_reduction={"days": 3}))
    sc, plan = make(d), solve_cached(d)
    found = [
        v
        for v in run_audit(sc, edit_plan(sc, plan, {B_DAY - 2: ["sprint"]}))
        if v.rule == "b_race_reduction"
    ]
    assert [v.date for v in found] == [plan.days[B_DAY - 2].date]


# --------------------------------------------------------------------------- race_day
def test_race_day_holds_only_the_race():
    """With the rule off an add-on joins the B race (its load helps the A race ten days later)."""
    on = doc(rules_off(race_day={}))
    off = doc()
    plan, relaxed = assert_rule_binds(on, off, "race_day")
    assert sessions(plan, B_DAY) == ["race"] and sessions(plan, A_DAY) == ["race"]
    assert sessions(relaxed, B_DAY) == ["race", "mob-add"]


def test_audit_flags_race_day():
    d = doc(rules_off(race_day={}))
    sc, plan = make(d), solve_cached(d)
    assert_audit_flags(sc, edit_plan(sc, plan, {B_DAY: ["race", "mob-add"]}), "race_day")


# --------------------------------------------------------------------------- day_before_race
@pytest.mark.parametrize("allowed", [["rest"], ["rest", "primer"], ["primer", "mob-add"]])
def test_day_before_race(allowed):
    on = doc(rules_off(day_before_race={"allowed_sessions": allowed}))
    off = doc()
    plan, relaxed = assert_rule_binds(on, off, "day_before_race")
    for race_day in (B_DAY, A_DAY):
        assert set(sessions(plan, race_day - 1)) <= set(allowed)
    # the best allowed choice is taken (training is good): primer when allowed, plus the add-on
    expected = {
        ("rest",): ["rest"],
        ("rest", "primer"): ["primer"],
        ("primer", "mob-add"): ["primer", "mob-add"],
    }[tuple(allowed)]
    assert sessions(plan, B_DAY - 1) == expected
    assert "sprint" in sessions(relaxed, B_DAY - 1)


def test_audit_flags_day_before_race():
    d = doc(rules_off(day_before_race={"allowed_sessions": ["rest", "primer"]}))
    sc, plan = make(d), solve_cached(d)
    found = [
        v
        for v in run_audit(sc, edit_plan(sc, plan, {A_DAY - 1: ["tempo"]}))
        if v.rule == "day_before_race"
    ]
    assert [v.date for v in found] == [plan.days[A_DAY - 1].date]


# --------------------------------------------------------------------------- day_after_race
def test_day_after_race_is_easy():
    on = doc(rules_off(day_after_race={}))
    off = doc()
    plan, relaxed = assert_rule_binds(on, off, "day_after_race")
    assert {s.category.value for s in plan.days[B_DAY + 1].sessions} <= {
        "rest",
        "recovery",
        "mobility",
    }
    assert sessions(plan, B_DAY + 1) == [
        "mobility",
        "mob-add",
    ]  # the most load the easy categories allow
    assert "sprint" in sessions(relaxed, B_DAY + 1)


def test_day_after_race_allowed_categories():
    plan = solve_cached(doc(rules_off(day_after_race={"allowed_categories": ["recovery"]})))
    assert sessions(plan, B_DAY + 1) == ["walk"]  # not even the mobility add-on


def test_audit_flags_day_after_race():
    d = doc(rules_off(day_after_race={}))
    sc, plan = make(d), solve_cached(d)
    assert_audit_flags(sc, edit_plan(sc, plan, {B_DAY + 1: ["tempo"]}), "day_after_race")


# --------------------------------------------------------------------------- sharpening
SHARP_DOC = dict(days=DAYS, response=CLASSIC, sessions=library(SPRINT, TEMPO, WALK))


def test_sharpening_brings_a_hard_sprint_into_the_last_days():
    """Classic response: loads in the last days hurt the race, so the plan rests there; the rule
    asks for a hard sprint session 2-4 days before the A race (days 16-18)."""
    on = scenario_dict(**SHARP_DOC, rules=rules_off(sharpening={}))
    off = scenario_dict(**SHARP_DOC)
    plan, relaxed = assert_rule_binds(on, off, "sharpening")
    assert sum("sprint" in sessions(plan, d) for d in range(16, 19)) == 1
    assert not any("sprint" in sessions(relaxed, d) for d in range(16, 19))


def test_sharpening_window_is_configurable():
    doc_ = scenario_dict(
        **SHARP_DOC, rules=rules_off(sharpening={"min_days_before": 5, "max_days_before": 6})
    )
    plan = solve_cached(doc_)
    assert any("sprint" in sessions(plan, d) for d in (14, 15))
    assert run_audit(make(doc_), plan) == []


def test_audit_flags_sharpening():
    d = scenario_dict(**SHARP_DOC, rules=rules_off(sharpening={}))
    sc, plan = make(d), solve_cached(d)
    edited = edit_plan(sc, plan, {day: ["walk"] for day in range(16, 19)})
    assert_audit_flags(sc, edited, "sharpening")


# --------------------------------------------------------------------------- pre_race_rest
def longest_rest_run(plan, days) -> int:
    run = longest = 0
    for d in days:
        run = run + 1 if is_rest_day(plan, d) else 0
        longest = max(longest, run)
    return longest


def is_rest_day(plan, d) -> bool:
    return all(s.category.value == "rest" for s in plan.days[d].sessions)


def test_pre_race_rest_keeps_training_in_the_last_week():
    """Classic response: the plan would rest the whole last week; at most 2 rest days in a row
    keeps light sessions in it."""
    on = scenario_dict(**SHARP_DOC, rules=rules_off(pre_race_rest={}))
    off = scenario_dict(**SHARP_DOC)
    plan, relaxed = assert_rule_binds(on, off, "pre_race_rest")
    assert longest_rest_run(plan, range(13, 20)) == 2
    assert longest_rest_run(relaxed, range(13, 20)) > 2
    assert all(plan.days[d].load <= 40 for d in range(13, 20))  # the lightest sessions


def test_pre_race_rest_skips_days_the_athlete_cannot_train():
    """Training on Monday, Wednesday and Friday only: the days off between them neither count
    nor break a run, so one of the three last training days holds a session."""
    d = scenario_dict(
        **SHARP_DOC,
        rules=rules_off(pre_race_rest={}),
        availability={"training_days": ["mon", "wed", "fri"]},
    )
    plan = solve_cached(d)
    assert sum(not is_rest_day(plan, day) for day in (14, 16, 18)) == 1
    assert run_audit(make(d), plan) == []


def test_audit_flags_pre_race_rest():
    d = scenario_dict(**SHARP_DOC, rules=rules_off(pre_race_rest={}))
    sc, plan = make(d), solve_cached(d)
    edited = edit_plan(sc, plan, {day: ["rest"] for day in range(15, 20)})
    assert_audit_flags(sc, edited, "pre_race_rest")
