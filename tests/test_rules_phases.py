"""Periodization: phase order and lengths in each macrocycle, the transition after an A race,
and the time-trial rule (only in preparation weeks, one every N prep weeks)."""

from __future__ import annotations

import pytest
from conftest import (
    SPRINT,
    TEMPO,
    assert_audit_flags,
    assert_rule_binds,
    count_category,
    edit_plan,
    is_hard,
    iso,
    library,
    make,
    rules_off,
    run_audit,
    scenario_dict,
    sessions,
    solve_cached,
    solve_raw,
    stype,
)

from periodize.scenario.schema import Phase

G, S, P, T, R, X = (
    Phase.general_prep,
    Phase.specific_prep,
    Phase.pre_competition,
    Phase.taper,
    Phase.race,
    Phase.transition,
)
PREP = (G, S, P)
DAYS = 35  # weeks 0-3 preparation, week 4 the race week (A race on its Sunday)
MOBILITY = stype("mobility", "mobility", (30, 50))
WALK = stype("walk", "recovery", (20, 40))
LIB = library(SPRINT, TEMPO, MOBILITY, WALK)


def phases_of(plan):
    return [w.phase for w in plan.weeks]


def rules(phases: dict | None, **sprint_max_by_phase):
    """Phases rule (None: off) plus a frequency rule capping sprints per week in some phases."""
    per_phase = {p: {"sprint": {"max": n}} for p, n in sprint_max_by_phase.items()}
    r = rules_off(frequency={"per_phase": per_phase})
    if phases is not None:
        r["phases"] = {"enabled": True, **phases}
    return r


# --------------------------------------------------------------------------- order
ORDER_LENGTHS = {
    "lengths": {
        "general_prep": {"max_weeks": 0},
        "specific_prep": {"min_weeks": 1},
        "pre_competition": {"min_weeks": 1, "max_weeks": 1},
    }
}
BLACKOUT_WEEK_1 = {"blackouts": [{"start": iso(7), "end": iso(13), "reason": "exams"}]}


def test_phase_order():
    """Pre-competition weeks allow no sprinting. Out of order, the one pre-competition week would
    sit on the blackout week (free); in order it must be the last preparation week."""
    on = scenario_dict(
        days=DAYS,
        sessions=LIB,
        availability=BLACKOUT_WEEK_1,
        rules=rules(ORDER_LENGTHS, pre_competition=0),
    )
    off = scenario_dict(
        days=DAYS, sessions=LIB, availability=BLACKOUT_WEEK_1, rules=rules(None, pre_competition=0)
    )
    plan, relaxed = assert_rule_binds(on, off, "phases")
    assert phases_of(plan) == [S, S, S, P, R]
    assert count_category(make(on), plan, 3, "sprint") == 0


def test_audit_flags_phase_order():
    d = scenario_dict(
        days=DAYS,
        sessions=LIB,
        availability=BLACKOUT_WEEK_1,
        rules=rules(ORDER_LENGTHS, pre_competition=0),
    )
    sc, plan = make(d), solve_cached(d)
    edited = edit_plan(sc, plan, phases={1: P, 3: S})
    messages = [v.message for v in run_audit(sc, edited) if v.rule == "phases"]
    assert any("'specific_prep' after 'pre_competition'" in m for m in messages), messages


# --------------------------------------------------------------------------- lengths
def test_phase_min_weeks():
    """Specific preparation allows no sprinting, yet two weeks of it are required."""
    lengths = {"lengths": {"specific_prep": {"min_weeks": 2}}}
    on = scenario_dict(days=DAYS, sessions=LIB, rules=rules(lengths, specific_prep=0))
    off = scenario_dict(days=DAYS, sessions=LIB, rules=rules(None, specific_prep=0))
    plan, relaxed = assert_rule_binds(on, off, "phases")
    assert phases_of(plan).count(S) == 2
    assert S not in phases_of(relaxed)
    ranks = [list(Phase).index(p) for p in phases_of(plan)[:4]]
    assert ranks == sorted(ranks)


def test_phase_max_weeks():
    """Pre-competition is the only phase that allows sprinting every day, but lasts at most one week."""
    lengths = {"lengths": {"pre_competition": {"max_weeks": 1}}}
    cap = {"general_prep": 1, "specific_prep": 1}
    on = scenario_dict(days=DAYS, sessions=LIB, rules=rules(lengths, **cap))
    off = scenario_dict(days=DAYS, sessions=LIB, rules=rules(None, **cap))
    plan, relaxed = assert_rule_binds(on, off, "phases")
    assert (
        phases_of(plan)[:4].count(P) == 1 and phases_of(plan)[3] == P
    )  # one week, and last (order)
    assert phases_of(relaxed)[:4] == [P, P, P, P]


@pytest.mark.parametrize("edit", ["too_few", "fixed_race_week", "prep_after_race"])
def test_audit_flags_phase_lengths_and_fixed_weeks(edit):
    lengths = {"lengths": {"specific_prep": {"min_weeks": 2}}}
    d = scenario_dict(
        days=DAYS + 7, races=[(DAYS - 1, "A")], sessions=LIB, rules=rules(lengths, specific_prep=0)
    )
    sc, plan = make(d), solve_cached(d)
    assert phases_of(plan)[4:] == [R, X]
    if edit == "too_few":
        edited, expect = (
            edit_plan(sc, plan, phases={w: G for w in range(4)}),
            "0 weeks of specific_prep",
        )
    elif edit == "fixed_race_week":
        edited, expect = edit_plan(sc, plan, phases={4: P}), "week should be 'race'"
    else:
        edited, expect = edit_plan(sc, plan, phases={5: G}), "week should be 'transition'"
    messages = [v.message for v in run_audit(sc, edited) if v.rule == "phases"]
    assert any(expect in m for m in messages), messages


# --------------------------------------------------------------------------- transition
TRANSITION_RACES = [(10, "A"), (19, "B")]  # A race on Thursday of week 1; week 2 is transition


def test_transition_week_is_easy():
    on = scenario_dict(days=21, races=TRANSITION_RACES, sessions=LIB, rules=rules({}))
    off = scenario_dict(days=21, races=TRANSITION_RACES, sessions=LIB, rules=rules(None))
    plan, relaxed = assert_rule_binds(on, off, "phases.transition")
    assert phases_of(plan)[1:] == [R, X]
    for d in range(14, 21):
        if d == 19:
            continue
        assert not is_hard(plan, d)
        assert {s.category.value for s in plan.days[d].sessions} <= {
            "rest",
            "recovery",
            "mobility",
            "tempo",
        }
    assert sessions(plan, 19) == ["race"]
    assert all(is_hard(relaxed, d) for d in range(14, 19))
    # the race week itself is not a transition week: sprinting there is fine
    assert is_hard(plan, 11)


def test_transition_categories():
    r = rules({"transition_categories": ["rest", "recovery"]})
    plan = solve_cached(scenario_dict(days=21, races=TRANSITION_RACES, sessions=LIB, rules=r))
    assert all(
        sessions(plan, d) == ["walk"] for d in range(14, 19)
    )  # day 20 (after the last race) is free


def test_audit_flags_transition():
    d = scenario_dict(days=21, races=TRANSITION_RACES, sessions=LIB, rules=rules({}))
    sc, plan = make(d), solve_cached(d)
    found = [
        v
        for v in run_audit(sc, edit_plan(sc, plan, {15: ["sprint"]}))
        if v.rule == "phases.transition"
    ]
    assert [v.date for v in found] == [plan.days[15].date]


def test_addon_on_a_race_day_in_a_transition_week():
    lib = library(SPRINT, TEMPO, stype("core-add", "strength", (15, 45), addon=True))
    doc = scenario_dict(
        days=21, races=[(10, "A"), (16, "B"), (19, "C")], sessions=lib, rules=rules({})
    )
    plan = solve_raw(make(doc))
    assert plan.status == "optimal"
    assert plan.violations == []


def test_no_phase_rule_still_fixes_race_and_transition_weeks():
    plan = solve_cached(scenario_dict(days=28, races=[(13, "A")], sessions=LIB, rules=rules(None)))
    assert phases_of(plan)[1:] == [R, X, X]
    assert phases_of(plan)[0] in PREP


# --------------------------------------------------------------------------- time_trial
TT_CHEAP = stype("tt", "test", (50, 100), hard=True)
TT_BIG = stype("tt", "test", (50, 600), hard=True)


def test_time_trial_every_two_prep_weeks():
    """Tests are cheaper than sprints, so only the rule puts them in: weeks 0-2 are prep, and every
    two consecutive prep weeks must hold one."""
    lib = library(SPRINT, TEMPO, TT_CHEAP)
    on = scenario_dict(days=28, sessions=lib, rules=rules_off(time_trial={"every_weeks": 2}))
    off = scenario_dict(days=28, sessions=lib)
    sc = make(on)
    plan, relaxed = assert_rule_binds(on, off, "time_trial")
    counts = [count_category(sc, plan, w, "test") for w in range(4)]
    assert counts == [0, 1, 0, 0]  # one test in week 1 covers both windows
    assert sum(count_category(sc, relaxed, w, "test") for w in range(4)) == 0


def test_time_trial_only_in_prep_weeks():
    """Tests are the biggest load, yet none may fall in the race week."""
    lib = library(SPRINT, TEMPO, TT_BIG)
    on = scenario_dict(days=28, sessions=lib, rules=rules_off(time_trial={"every_weeks": 4}))
    off = scenario_dict(days=28, sessions=lib)
    sc = make(on)
    plan, relaxed = assert_rule_binds(on, off, "time_trial")
    assert count_category(sc, plan, 3, "test") == 0
    assert count_category(sc, plan, 0, "test") == 7
    assert count_category(sc, relaxed, 3, "test") == 6


@pytest.mark.parametrize("edit", ["missing", "in_race_week"])
def test_audit_flags_time_trial(edit):
    lib = library(SPRINT, TEMPO, TT_CHEAP)
    d = scenario_dict(days=28, sessions=lib, rules=rules_off(time_trial={"every_weeks": 2}))
    sc, plan = make(d), solve_cached(d)
    if edit == "missing":
        changes = {i: ["sprint"] for i in range(28) if "tt" in sessions(plan, i)}
    else:
        changes = {22: ["tt"]}
    assert_audit_flags(sc, edit_plan(sc, plan, changes), "time_trial")
