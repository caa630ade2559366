"""Availability: training days, minutes per day, sessions per day, blackouts, fixed commitments."""

from __future__ import annotations

import pytest
from conftest import (
    SPRINT,
    TEMPO,
    WEEKDAYS,
    assert_audit_flags,
    day,
    edit_plan,
    is_rest,
    iso,
    library,
    make,
    run_audit,
    scenario_dict,
    sessions,
    solve_cached,
    solve_pair,
    solve_raw,
    stype,
)

from periodize import ScenarioError

DAYS = 21  # A race on the last day, a Sunday
SPRINT3 = stype("sprint", "sprint", (45, 300), (60, 400), (90, 600), hard=True)
MOB_ADDON = stype("mob-add", "mobility", (15, 30), addon=True)
CORE_ADDON = stype("core-add", "strength", (15, 45), addon=True)
LIB = library(SPRINT3, TEMPO, MOB_ADDON)


def doc(**availability):
    return scenario_dict(days=DAYS, sessions=LIB, availability=availability)


def weekday(i: int) -> str:
    return WEEKDAYS[day(i).weekday()]


def minutes(plan, i: int) -> int:
    return sum(s.minutes for s in plan.days[i].sessions)


def assert_strictly_better(relaxed, plan):
    assert relaxed.objective > plan.objective + 1e-6, (relaxed.objective, plan.objective)


# --------------------------------------------------------------------------- training days
def test_training_days():
    plan, relaxed = solve_pair(doc(training_days=["mon", "wed", "fri"]), doc())
    assert_strictly_better(relaxed, plan)
    for i in range(DAYS - 1):
        assert is_rest(plan, i) == (weekday(i) not in ("mon", "wed", "fri")), i
    assert sessions(plan, DAYS - 1) == [
        "race"
    ]  # the race is on a Sunday, not a training day: held anyway
    assert not any(is_rest(relaxed, i) for i in range(DAYS))


def test_audit_flags_training_on_an_unavailable_day():
    d = doc(training_days=["mon", "wed", "fri"])
    sc, plan = make(d), solve_cached(d)
    found = [
        v
        for v in run_audit(sc, edit_plan(sc, plan, {1: ["tempo"]}))
        if v.rule == "availability.training_days"
    ]
    assert [v.date for v in found] == [day(1)] and "tue is not a training day" in found[0].message


# --------------------------------------------------------------------------- minutes
def test_minutes_per_day():
    plan, relaxed = solve_pair(doc(minutes_per_day=60), doc(minutes_per_day=120))
    assert_strictly_better(relaxed, plan)
    assert all(minutes(plan, i) <= 60 for i in range(DAYS - 1))
    assert all(
        sessions(plan, i) == ["sprint"] and plan.days[i].load == 400 for i in range(DAYS - 1)
    )
    assert sessions(relaxed, 0) == ["sprint", "mob-add"] and relaxed.days[0].load == 630


def test_minutes_per_weekday():
    per_day = {"mon": 45, "tue": 90, "wed": 60, "thu": 105, "fri": 30}  # weekend: 0 (not listed)
    plan = solve_cached(doc(minutes_per_day=per_day))
    for i in range(DAYS - 1):
        cap = per_day.get(weekday(i), 0)
        assert minutes(plan, i) <= cap, (i, cap)
    expected_load = {
        "mon": 300,
        "tue": 600,
        "wed": 400,
        "thu": 630,
        "fri": 0,
        "sat": 0,
        "sun": 0,
    }  # fri: nothing fits in 30 min
    assert [plan.days[i].load for i in range(7)] == [expected_load[w] for w in WEEKDAYS]


def test_race_day_ignores_minutes():
    plan = solve_cached(doc(minutes_per_day=30))
    assert sessions(plan, DAYS - 1) == ["race"]  # a 60-minute race on a 30-minute day


def test_audit_flags_minutes_per_day():
    d = doc(minutes_per_day=60)
    sc, plan = make(d), solve_cached(d)
    found = [
        v
        for v in run_audit(sc, edit_plan(sc, plan, {2: [("sprint", 2)]}))
        if v.rule == "availability.minutes_per_day"
    ]
    assert [(v.date, v.amount) for v in found] == [(day(2), 30)]


# --------------------------------------------------------------------------- sessions per day
@pytest.mark.parametrize("limit, addons", [(1, 0), (2, 1), (3, 2)])
def test_max_sessions_per_day(limit, addons):
    lib = library(SPRINT, TEMPO, MOB_ADDON, CORE_ADDON)
    plan = solve_cached(
        scenario_dict(days=DAYS, sessions=lib, availability={"max_sessions_per_day": limit})
    )
    for i in range(DAYS - 1):
        assert len(plan.days[i].sessions) == 1 + addons
        assert sessions(plan, i)[0] == "sprint"  # the main session comes first
    if limit < 3:
        richer = solve_cached(
            scenario_dict(days=DAYS, sessions=lib, availability={"max_sessions_per_day": limit + 1})
        )
        assert_strictly_better(richer, plan)


def test_no_addon_on_a_rest_day():
    d = doc(training_days=["mon", "wed", "fri"])
    sc, plan = make(d), solve_cached(d)
    assert sessions(plan, 1) == ["rest"]
    edited = edit_plan(sc, plan, {1: ["rest", "mob-add"]})
    rules = {v.rule for v in run_audit(sc, edited)}
    assert "availability.sessions" in rules or "availability.training_days" in rules


@pytest.mark.parametrize(
    "edit, rule",
    [
        (["sprint", "mob-add"], "availability.max_sessions_per_day"),
        (["sprint", "tempo"], "availability.sessions"),
    ],
)
def test_audit_flags_sessions_per_day(edit, rule):
    d = doc(max_sessions_per_day=1)
    sc, plan = make(d), solve_cached(d)
    assert_audit_flags(sc, edit_plan(sc, plan, {3: edit}), rule)


# --------------------------------------------------------------------------- blackouts
BLACKOUT = [{"start": iso(4), "end": iso(9), "reason": "travel"}]


def test_blackouts():
    plan, relaxed = solve_pair(doc(blackouts=BLACKOUT), doc())
    assert_strictly_better(relaxed, plan)
    for i in range(DAYS - 1):
        assert is_rest(plan, i) == (4 <= i <= 9), i


def test_audit_flags_training_in_a_blackout():
    d = doc(blackouts=BLACKOUT)
    sc, plan = make(d), solve_cached(d)
    found = [
        v
        for v in run_audit(sc, edit_plan(sc, plan, {6: ["tempo"]}))
        if v.rule == "availability.blackouts"
    ]
    assert [v.date for v in found] == [day(6)] and "travel" in found[0].message


# --------------------------------------------------------------------------- fixed commitments
def test_fixed_main_session():
    plan, relaxed = solve_pair(doc(fixed=[{"weekday": "tue", "session": "tempo"}]), doc())
    assert_strictly_better(relaxed, plan)
    for i in range(DAYS - 1):
        assert (sessions(plan, i)[0] == "tempo") == (weekday(i) == "tue"), i


def test_fixed_addon_session():
    """60 minutes a day: a fixed 15-minute add-on on Thursdays leaves no room for the 60-minute sprint."""
    kw = dict(minutes_per_day=60)
    plan, relaxed = solve_pair(
        doc(fixed=[{"weekday": "thu", "session": "mob-add"}], **kw), doc(**kw)
    )
    assert_strictly_better(relaxed, plan)
    for i in range(DAYS - 1):
        if weekday(i) == "thu":
            assert sessions(plan, i) == ["sprint", "mob-add"] and plan.days[i].load == 330
        else:
            assert sessions(plan, i) == ["sprint"]


def test_fixed_commitment_yields_to_races_and_blackouts():
    d = doc(
        fixed=[{"weekday": "sun", "session": "tempo"}, {"weekday": "sat", "session": "tempo"}],
        blackouts=[{"start": iso(12), "end": iso(13)}],  # the second Saturday and Sunday
    )
    plan = solve_cached(d)
    assert sessions(plan, DAYS - 1) == ["race"]
    assert is_rest(plan, 12) and is_rest(plan, 13)
    assert "tempo" in sessions(plan, 5) and "tempo" in sessions(plan, 6)  # (with add-ons)


def test_a_fixed_session_on_a_day_off_is_refused():
    """A commitment on a weekday the athlete does not train could never be held: the scenario
    says so instead of dropping it."""
    d = doc(
        training_days=["mon", "tue", "wed", "thu", "fri"],
        fixed=[{"weekday": "sat", "session": "tempo"}],
    )
    with pytest.raises(ScenarioError, match="not a training day") as err:
        make(d)
    assert "availability.fixed.0" in str(err.value)


def test_audit_flags_missing_fixed_commitment():
    d = doc(fixed=[{"weekday": "tue", "session": "tempo"}])
    sc, plan = make(d), solve_cached(d)
    found = [
        v
        for v in run_audit(sc, edit_plan(sc, plan, {8: ["sprint"]}))
        if v.rule == "availability.fixed"
    ]
    assert [v.date for v in found] == [day(8)]


def test_fixed_rest_day():
    plan = solve_raw(make(doc(fixed=[{"weekday": "sun", "session": "rest"}])))
    assert plan.status == "optimal"
    assert all(is_rest(plan, i) for i in range(DAYS - 1) if weekday(i) == "sun")
