"""Recovery rules: hard_recovery (incl. max_velocity_hours), consecutive_hard_days,
strength_before_sprint, rest_days."""

from __future__ import annotations

import pytest
from conftest import (
    SPRINT,
    TEMPO,
    assert_audit_flags,
    assert_rule_binds,
    edit_plan,
    is_hard,
    is_rest,
    library,
    make,
    rules_off,
    run_audit,
    scenario_dict,
    sessions,
    solve_cached,
    stype,
)

DAYS = 21  # 3 weeks, A race on the last day (Sunday)
MAXV = stype("maxv", "sprint", (60, 600), hard=True, max_velocity=True)
SQUAT = stype("squat", "strength", (60, 500), hard=True, heavy_lower_body=True)


def hard_days(plan) -> list[int]:
    return [i for i in range(len(plan.days)) if is_hard(plan, i)]


# --------------------------------------------------------------------------- hard_recovery
@pytest.mark.parametrize("hours", [48, 72])
def test_hard_recovery_spaces_hard_days(hours):
    on = scenario_dict(
        days=DAYS, rules=rules_off(hard_recovery={"hours": hours, "max_velocity_hours": hours})
    )
    off = scenario_dict(days=DAYS)
    plan, relaxed = assert_rule_binds(on, off, "hard_recovery")
    hard = hard_days(plan)
    assert len(hard) >= DAYS // (
        hours // 24 + 1
    )  # the rule spaces hard days, it does not remove them
    assert all(24 * (b - a) >= hours for a, b in zip(hard, hard[1:])), hard
    relaxed_hard = hard_days(relaxed)
    assert any(24 * (b - a) < hours for a, b in zip(relaxed_hard, relaxed_hard[1:]))


def test_max_velocity_needs_the_longer_recovery():
    rules = lambda mv: rules_off(hard_recovery={"hours": 48, "max_velocity_hours": mv})  # noqa: E731
    on = scenario_dict(days=DAYS, sessions=library(MAXV, SPRINT, TEMPO), rules=rules(72))
    off = scenario_dict(days=DAYS, sessions=library(MAXV, SPRINT, TEMPO), rules=rules(48))
    plan, relaxed = assert_rule_binds(on, off, "hard_recovery")
    maxv_days = [i for i in range(DAYS) if "maxv" in sessions(plan, i)]
    assert maxv_days, "max-velocity work is the most valuable session: it should still be used"
    for a in maxv_days:
        assert not any(is_hard(plan, d) for d in (a + 1, a + 2) if d < DAYS), a
    # and the 48 h rule alone lets a hard day follow max-velocity work after one easy day
    assert any(is_hard(relaxed, a + 2) for a in range(DAYS - 2) if "maxv" in sessions(relaxed, a))


def test_audit_flags_hard_days_back_to_back():
    doc = scenario_dict(days=DAYS, rules=rules_off(hard_recovery={}))
    sc, plan = make(doc), solve_cached(doc)
    a = next(i for i in hard_days(plan) if i + 1 < DAYS - 1)
    assert not is_hard(plan, a + 1)
    assert_audit_flags(sc, edit_plan(sc, plan, {a + 1: ["sprint"]}), "hard_recovery")


def test_audit_flags_hard_day_48h_after_max_velocity():
    doc = scenario_dict(
        days=DAYS,
        sessions=library(MAXV, SPRINT, TEMPO),
        rules=rules_off(hard_recovery={"max_velocity_hours": 72}),
    )
    sc, plan = make(doc), solve_cached(doc)
    a = next(i for i in range(DAYS - 3) if "maxv" in sessions(plan, i))
    edited = edit_plan(sc, plan, {a + 1: ["tempo"], a + 2: ["sprint"], a + 3: ["tempo"]})
    found = [v for v in run_audit(sc, edited) if v.rule == "hard_recovery"]
    assert found and found[0].amount == 24  # 48 h of the 72 h needed


# --------------------------------------------------------------------------- consecutive_hard_days
@pytest.mark.parametrize("max_days", [1, 2])
def test_consecutive_hard_days_limits_runs(max_days):
    on = scenario_dict(days=DAYS, rules=rules_off(consecutive_hard_days={"max_days": max_days}))
    off = scenario_dict(days=DAYS)
    plan, relaxed = assert_rule_binds(on, off, "consecutive_hard_days")
    run = longest = 0
    for i in range(DAYS):
        run = run + 1 if is_hard(plan, i) else 0
        longest = max(longest, run)
    assert longest == max_days  # as many hard days in a row as allowed, and no more
    assert all(is_hard(relaxed, i) for i in range(DAYS))


def test_audit_flags_three_hard_days_in_a_row():
    doc = scenario_dict(days=DAYS, rules=rules_off(consecutive_hard_days={"max_days": 2}))
    sc, plan = make(doc), solve_cached(doc)
    edited = edit_plan(sc, plan, {3: ["sprint"], 4: ["sprint"], 5: ["sprint"]})
    assert_audit_flags(sc, edited, "consecutive_hard_days")


# --------------------------------------------------------------------------- strength_before_sprint
def test_no_heavy_strength_the_day_before_a_race():
    """Heavy squats are the biggest load, so without the rule they land the day before the race
    (a race is in the default sprint categories)."""
    lib = library(SQUAT, TEMPO)
    on = scenario_dict(days=14, sessions=lib, rules=rules_off(strength_before_sprint={}))
    off = scenario_dict(days=14, sessions=lib)
    plan, relaxed = assert_rule_binds(on, off, "strength_before_sprint")
    assert sessions(plan, 12) != ["squat"] and sessions(relaxed, 12) == ["squat"]
    assert all(sessions(plan, i) == ["squat"] for i in range(12))


def test_no_heavy_strength_the_day_before_a_sprint_session():
    """Two sprint sessions a week are required; squats may not come the day before one."""
    lib = library(SQUAT, SPRINT, TEMPO)
    freq = {"per_category": {"sprint": {"min": 2}}}
    on = scenario_dict(
        days=21,
        sessions=lib,
        rules=rules_off(frequency=freq, strength_before_sprint={"sprint_categories": ["sprint"]}),
    )
    off = scenario_dict(days=21, sessions=lib, rules=rules_off(frequency=freq))
    plan, _ = assert_rule_binds(on, off, "strength_before_sprint")
    for i in range(20):
        if "squat" in sessions(plan, i):
            assert "sprint" not in sessions(plan, i + 1), i


def test_strength_before_sprint_only_counts_its_categories():
    """With only 'sprint' as a sprint category the race is not protected: squats the day before are fine."""
    lib = library(SQUAT, TEMPO)
    doc = scenario_dict(
        days=14,
        sessions=lib,
        rules=rules_off(strength_before_sprint={"sprint_categories": ["sprint"]}),
    )
    assert sessions(solve_cached(doc), 12) == ["squat"]


def test_audit_flags_strength_before_sprint():
    lib = library(SQUAT, TEMPO)
    doc = scenario_dict(days=14, sessions=lib, rules=rules_off(strength_before_sprint={}))
    sc, plan = make(doc), solve_cached(doc)
    assert_audit_flags(sc, edit_plan(sc, plan, {12: ["squat"]}), "strength_before_sprint")


# --------------------------------------------------------------------------- rest_days
@pytest.mark.parametrize("min_per_week", [1, 2])
def test_rest_days_per_full_week(min_per_week):
    on = scenario_dict(days=DAYS, rules=rules_off(rest_days={"min_per_week": min_per_week}))
    off = scenario_dict(days=DAYS)
    plan, relaxed = assert_rule_binds(on, off, "rest_days")
    for w in range(3):
        assert sum(is_rest(plan, d) for d in range(7 * w, 7 * w + 7)) == min_per_week
    assert not any(is_rest(relaxed, d) for d in range(DAYS))


def test_rest_days_ignore_a_short_last_week():
    """The rule counts full weeks only: a 3-day last week needs no rest day."""
    doc = scenario_dict(days=17, races=[(16, "A")], rules=rules_off(rest_days={"min_per_week": 1}))
    plan = solve_cached(doc)
    assert not any(is_rest(plan, d) for d in range(14, 17))


def test_audit_flags_missing_rest_day():
    doc = scenario_dict(days=DAYS, rules=rules_off(rest_days={"min_per_week": 1}))
    sc, plan = make(doc), solve_cached(doc)
    rests = [d for d in range(7) if is_rest(plan, d)]
    edited = edit_plan(sc, plan, {d: ["tempo"] for d in rests})
    found = [v for v in run_audit(sc, edited) if v.rule == "rest_days"]
    assert [v.week for v in found] == [0]


def test_races_on_consecutive_days_are_allowed_but_nothing_hard_next_to_them():
    """Heats and a final on a weekend: two races back to back are fine under the 48 h rule, but no
    other hard session comes within 48 h of them."""
    doc = scenario_dict(
        days=DAYS, races=[(12, "B"), (13, "A")], rules=rules_off(hard_recovery={"hours": 48})
    )
    plan = solve_cached(doc)
    assert plan.status == "optimal"
    assert run_audit(make(doc), plan) == []
    assert is_hard(plan, 12) and is_hard(plan, 13)
    assert not is_hard(plan, 11) and not is_hard(plan, 14)
    hard = hard_days(plan)
    assert all(b - a >= 2 for a, b in zip(hard, hard[1:]) if (a, b) != (12, 13)), hard


def test_max_velocity_hours_do_not_bind_without_max_velocity_work():
    """Regression: the longer recovery applies only after max-velocity work; with none in the
    library, a 96 h setting must not change the plan of the 48 h rule."""
    rules = lambda mv: rules_off(hard_recovery={"hours": 48, "max_velocity_hours": mv})  # noqa: E731
    short = solve_cached(scenario_dict(days=DAYS, rules=rules(72)))
    long = solve_cached(scenario_dict(days=DAYS, rules=rules(96)))
    assert long.objective == short.objective
    assert any(b - a == 2 for a, b in zip(hard_days(long), hard_days(long)[1:]))
