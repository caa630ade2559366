"""The frequency rule: main sessions per category per week, with per-phase overrides."""

from __future__ import annotations

import pytest
from conftest import (
    SPRINT,
    TEMPO,
    assert_audit_flags,
    assert_rule_binds,
    count_category,
    edit_plan,
    iso,
    library,
    make,
    rules_off,
    run_audit,
    scenario_dict,
    sessions,
    solve_cached,
    stype,
    week_phase,
)

from periodize.scenario.schema import Phase

DAYS = 21  # weeks 0 and 1 are full prep weeks, week 2 is the race week (race on its Sunday)
MOBILITY = stype("mobility", "mobility", (30, 50))
MOB_ADDON = stype("mob-add", "mobility", (15, 30), addon=True)
LIB = library(SPRINT, TEMPO, MOBILITY)


def freq(**fields):
    return rules_off(frequency=fields)


def test_frequency_max_per_week():
    on = scenario_dict(days=DAYS, sessions=LIB, rules=freq(per_category={"sprint": {"max": 2}}))
    off = scenario_dict(days=DAYS, sessions=LIB)
    sc = make(on)
    plan, relaxed = assert_rule_binds(on, off, "frequency")
    assert [count_category(sc, plan, w, "sprint") for w in range(3)] == [2, 2, 2]
    assert count_category(sc, relaxed, 0, "sprint") == 7


def test_frequency_min_per_week_in_full_weeks_without_a_race():
    on = scenario_dict(days=DAYS, sessions=LIB, rules=freq(per_category={"mobility": {"min": 2}}))
    off = scenario_dict(days=DAYS, sessions=LIB)
    sc = make(on)
    plan, relaxed = assert_rule_binds(on, off, "frequency")
    # minimums bind in the two full prep weeks, not in the race week
    assert [count_category(sc, plan, w, "mobility") for w in range(3)] == [2, 2, 0]
    assert count_category(sc, relaxed, 0, "mobility") == 0


def test_frequency_min_skips_a_week_with_a_blackout():
    doc = scenario_dict(
        days=DAYS,
        sessions=LIB,
        rules=freq(per_category={"mobility": {"min": 2}}),
        availability={"blackouts": [{"start": iso(8), "end": iso(8), "reason": "travel"}]},
    )
    sc = make(doc)
    plan = solve_cached(doc)
    assert [count_category(sc, plan, w, "mobility") for w in range(3)] == [2, 0, 0]


def test_addons_do_not_count_toward_frequency():
    """A mobility add-on does not satisfy a mobility minimum, and is not capped by a mobility maximum."""
    lib = library(SPRINT, TEMPO, MOBILITY, MOB_ADDON)
    doc = scenario_dict(
        days=DAYS, sessions=lib, rules=freq(per_category={"mobility": {"min": 1, "max": 1}})
    )
    sc = make(doc)
    plan = solve_cached(doc)
    assert [count_category(sc, plan, w, "mobility") for w in range(2)] == [1, 1]
    # the add-on is on every training day (it only adds load)
    assert all(
        "mob-add" in sessions(plan, d) for d in range(14) if "mobility" not in sessions(plan, d)
    )


def test_frequency_per_phase_override_in_the_race_week():
    """No sprint sessions in the race phase (the race week), two a week elsewhere."""
    on_rules = freq(per_category={"sprint": {"max": 2}}, per_phase={"race": {"sprint": {"max": 0}}})
    off_rules = freq(per_category={"sprint": {"max": 2}})
    on = scenario_dict(days=DAYS, sessions=LIB, rules=on_rules)
    off = scenario_dict(days=DAYS, sessions=LIB, rules=off_rules)
    sc = make(on)
    plan, relaxed = assert_rule_binds(on, off, "frequency")
    assert week_phase(plan, 2) == Phase.race
    assert [count_category(sc, plan, w, "sprint") for w in range(3)] == [2, 2, 0]
    assert count_category(sc, relaxed, 2, "sprint") == 2


def test_frequency_per_phase_follows_the_chosen_phase():
    """Phases off: prep weeks may take any prep phase; the planner picks the phase whose override
    allows the most sprinting, and each week's count obeys its own phase's range."""
    rules = freq(
        per_category={"sprint": {"max": 1}}, per_phase={"pre_competition": {"sprint": {"max": 3}}}
    )
    doc = scenario_dict(days=DAYS, sessions=LIB, rules=rules)
    without = scenario_dict(
        days=DAYS, sessions=LIB, rules=freq(per_category={"sprint": {"max": 1}})
    )
    sc = make(doc)
    plan, strict = solve_cached(doc), solve_cached(without)
    assert plan.objective > strict.objective
    for w in range(2):
        assert week_phase(plan, w) == Phase.pre_competition
        assert count_category(sc, plan, w, "sprint") == 3
    assert count_category(sc, plan, 2, "sprint") == 1  # the race week uses per_category
    assert [count_category(sc, strict, w, "sprint") for w in range(3)] == [1, 1, 1]


def test_frequency_infeasible_when_the_minimums_do_not_fit():
    doc = scenario_dict(
        days=DAYS,
        sessions=LIB,
        rules=freq(per_category={"sprint": {"min": 4}, "mobility": {"min": 4}}),
    )
    from conftest import solve_raw

    assert solve_raw(make(doc)).status == "infeasible"


@pytest.mark.parametrize("kind", ["max", "min", "per_phase"])
def test_audit_flags_frequency(kind):
    if kind == "max":
        doc = scenario_dict(
            days=DAYS, sessions=LIB, rules=freq(per_category={"sprint": {"max": 2}})
        )
    elif kind == "min":
        doc = scenario_dict(
            days=DAYS, sessions=LIB, rules=freq(per_category={"mobility": {"min": 2}})
        )
    else:
        doc = scenario_dict(
            days=DAYS,
            sessions=LIB,
            rules=freq(
                per_category={"sprint": {"max": 2}}, per_phase={"race": {"sprint": {"max": 0}}}
            ),
        )
    sc, plan = make(doc), solve_cached(doc)
    if kind == "max":
        day = next(d for d in range(7) if "sprint" not in sessions(plan, d))
        edited = edit_plan(sc, plan, {day: ["sprint"]})
        week = 0
    elif kind == "min":
        day = next(d for d in range(7) if "mobility" in sessions(plan, d))
        edited = edit_plan(sc, plan, {day: ["tempo"]})
        week = 0
    else:
        edited = edit_plan(sc, plan, {16: ["sprint"]})
        week = 2
    assert_audit_flags(sc, edited, "frequency")
    assert {v.week for v in run_audit(sc, edited) if v.rule == "frequency"} == {week}
