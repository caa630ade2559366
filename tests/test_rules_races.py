"""Race rules: b_race_reduction, race_day, day_before_race, day_after_race (and the races themselves)."""

from __future__ import annotations

import pytest
from conftest import (
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
