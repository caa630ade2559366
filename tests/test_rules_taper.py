"""The taper rule: length (whole weeks + the race week's days before the race), volume reduction
against the reference weeks, a hard sprint session in every N taper days, frequency cut."""

from __future__ import annotations

import pytest
from conftest import (
    CLASSIC,
    SPRINT,
    TEMPO,
    assert_rule_binds,
    edit_plan,
    library,
    make,
    rules_off,
    run_audit,
    scenario_dict,
    sessions,
    solve_cached,
    stype,
    week_load,
    week_phase,
)

from periodize import ScenarioError
from periodize.scenario.schema import Phase

DAYS = (
    26  # weeks 0-1 prep, week 2 the taper, week 3 (5 days) the race week, A race on Friday day 25
)
RACE_DAY = 25
ENDURE = stype("endure", "tempo", (60, 500))
WALK = stype("walk", "recovery", (20, 10))
LIB = library(SPRINT, TEMPO)
#: a taper rule with only the given parts binding
LOOSE = {
    "min_volume_reduction_pct": 0,
    "max_volume_reduction_pct": 100,
    "hard_sprint_every_days": 30,
    "max_frequency_cut_pct": 100,
}


def taper(**fields):
    return rules_off(taper={**LOOSE, **fields})


def taper_weeks(plan):
    return [w.week for w in plan.weeks if w.phase == Phase.taper]


TAPER_DAYS = range(14, RACE_DAY)  # the taper week and the race week's days before the race
REF_DAYS = range(14)  # the loading weeks before the taper


def cut_pct(plan, taper_days=TAPER_DAYS, ref_days=REF_DAYS):
    """The volume cut per day over the taper days against the reference days."""
    taper_mean = sum(plan.days[d].load for d in taper_days) / len(taper_days)
    ref_mean = sum(plan.days[d].load for d in ref_days) / len(ref_days)
    return 100 * (1 - taper_mean / ref_mean)


def sessions_per_day(plan, days):
    return sum(
        1 for d in days for s in plan.days[d].sessions if s.category.value not in ("rest", "race")
    ) / len(days)


# --------------------------------------------------------------------------- length
def test_taper_length_in_whole_weeks():
    """8..14 days before a Friday race: one taper week + 4 race-week days = 11 days."""
    doc = scenario_dict(
        days=DAYS,
        sessions=LIB,
        rules=taper(min_volume_reduction_pct=41, max_volume_reduction_pct=60),
    )
    plan = solve_cached(doc)
    assert taper_weeks(plan) == [2]
    assert [week_phase(plan, w) for w in (0, 1, 3)] != [Phase.taper] * 3
    assert week_phase(plan, 3) == Phase.race


def test_taper_min_days_forces_a_longer_taper():
    """15..21 days: two taper weeks (18 days); each costs load, so the objective is lower than with 8..14."""
    vol = dict(min_volume_reduction_pct=41, max_volume_reduction_pct=60)
    long_doc = scenario_dict(days=DAYS, sessions=LIB, rules=taper(min_days=15, max_days=21, **vol))
    short_doc = scenario_dict(days=DAYS, sessions=LIB, rules=taper(**vol))
    off_doc = scenario_dict(days=DAYS, sessions=LIB)
    long_plan, short_plan = solve_cached(long_doc), solve_cached(short_doc)
    assert taper_weeks(long_plan) == [1, 2] and taper_weeks(short_plan) == [2]
    assert short_plan.objective > long_plan.objective
    _, off = assert_rule_binds(long_doc, off_doc, "taper")
    assert taper_weeks(off) == []
    assert any("taper of 4 days" in v.message for v in run_audit(make(long_doc), off))


def test_taper_that_cannot_fit_is_an_input_error():
    doc = scenario_dict(days=10, races=[(3, "A")], sessions=LIB, rules=taper())
    with pytest.raises(ScenarioError) as info:
        make(doc)
    assert [p.field for p in info.value.problems] == ["rules.taper"]
    assert "race0" in str(info.value)


# --------------------------------------------------------------------------- volume
def test_taper_volume_reduction_min():
    """Training is good, so the taper keeps as much load as the 41 % minimum cut allows."""
    on = scenario_dict(
        days=DAYS,
        sessions=LIB,
        rules=taper(min_volume_reduction_pct=41, max_volume_reduction_pct=60),
    )
    off = scenario_dict(days=DAYS, sessions=LIB, rules=taper())
    plan, relaxed = assert_rule_binds(on, off, "taper")
    cut = cut_pct(plan)
    assert 41 <= cut <= 43, cut
    assert week_load(plan, 0) == week_load(plan, 1) == 2800
    assert cut_pct(relaxed) < 41


def test_taper_volume_reduction_max():
    """Classic response: loads in the taper hurt the race, so the plan would cut them to nothing;
    a 60 % maximum cut keeps 40 % of the reference days' mean load on every taper day, the
    race week's days before the race included."""
    kw = dict(days=DAYS, response=CLASSIC, sessions=library(SPRINT, TEMPO, WALK))
    on = scenario_dict(**kw, rules=taper(min_volume_reduction_pct=0, max_volume_reduction_pct=60))
    off = scenario_dict(**kw, rules=taper())
    plan, relaxed = assert_rule_binds(on, off, "taper")
    cut = cut_pct(plan)
    assert 57 <= cut <= 60, cut
    assert week_load(relaxed, 2) == 0


# --------------------------------------------------------------------------- intensity
def test_taper_keeps_a_hard_sprint_in_every_7_days():
    """An easy 500-AU session beats a 300-AU sprint on load, so only the rule brings sprints into the taper."""
    lib = library(stype("sprint", "sprint", (60, 300), hard=True), ENDURE)
    on = scenario_dict(days=DAYS, sessions=lib, rules=taper(hard_sprint_every_days=7))
    off = scenario_dict(days=DAYS, sessions=lib, rules=taper())
    plan, relaxed = assert_rule_binds(on, off, "taper")
    taper_days = range(14, RACE_DAY)  # 11 days
    for first in range(taper_days.start, taper_days.stop - 7 + 1):
        assert any("sprint" in sessions(plan, d) for d in range(first, first + 7)), first
    assert (
        sum("sprint" in sessions(plan, d) for d in taper_days) == 1
    )  # one sprint on day 18-20 covers all five windows
    assert not any("sprint" in sessions(plan, d) for d in range(14))  # outside the taper: none
    assert not any("sprint" in sessions(relaxed, d) for d in range(DAYS))


def test_hard_sprint_every_days_counts_only_sprint_category():
    """A hard hill session does not keep the intensity: the rule asks for hard *sprint* work."""
    lib = library(
        stype("sprint", "sprint", (60, 300), hard=True),
        stype("hill", "hill", (60, 450), hard=True),
        ENDURE,
    )
    doc = scenario_dict(days=DAYS, sessions=lib, rules=taper(hard_sprint_every_days=7))
    plan = solve_cached(doc)
    assert sum("sprint" in sessions(plan, d) for d in range(14, RACE_DAY)) == 1


# --------------------------------------------------------------------------- frequency
def test_taper_frequency_cut():
    """Classic response: the plan would rest through the taper; at most a 20 % cut in training
    sessions per day keeps (light) sessions on its days, up to the race."""
    kw = dict(days=DAYS, response=CLASSIC, sessions=library(SPRINT, TEMPO, WALK))
    on = scenario_dict(**kw, rules=taper(max_frequency_cut_pct=20))
    off = scenario_dict(**kw, rules=taper())
    plan, relaxed = assert_rule_binds(on, off, "taper")
    ref = sessions_per_day(plan, REF_DAYS)
    assert ref > 0
    assert sessions_per_day(plan, TAPER_DAYS) >= 0.8 * ref
    # cut as far as allowed, not further: one session fewer would break the rule
    assert sessions_per_day(plan, TAPER_DAYS) - 1 / len(TAPER_DAYS) < 0.8 * ref
    assert all(plan.days[d].load <= 10 for d in TAPER_DAYS)  # the cheapest sessions
    assert sessions_per_day(relaxed, TAPER_DAYS) == 0


# --------------------------------------------------------------------------- audit
@pytest.mark.parametrize(
    "edit", ["no_taper_weeks", "volume", "intensity", "frequency", "taper_while_off"]
)
def test_audit_flags_taper(edit):
    lib = library(SPRINT, TEMPO, WALK)
    full = {
        "min_volume_reduction_pct": 41,
        "max_volume_reduction_pct": 60,
        "hard_sprint_every_days": 7,
        "max_frequency_cut_pct": 20,
    }
    doc = scenario_dict(days=DAYS, sessions=lib, rules=rules_off(taper=full))
    sc, plan = make(doc), solve_cached(doc)
    if edit == "no_taper_weeks":
        edited, expect = edit_plan(sc, plan, phases={2: Phase.pre_competition}), "taper of 4 days"
    elif edit == "volume":
        edited, expect = edit_plan(sc, plan, {d: ["sprint"] for d in range(14, 21)}), "volume cut"
    elif edit == "intensity":
        edited, expect = (
            edit_plan(
                sc, plan, {d: ["tempo"] for d in range(14, 25) if "sprint" in sessions(plan, d)}
            ),
            "no hard sprint",
        )
    elif edit == "frequency":
        # keep the volume and a sprint; move everything else to a few heavy days... simplest: drop to 2 sessions
        keep = [d for d in range(14, 21) if "sprint" in sessions(plan, d)][:2]
        edited, expect = (
            edit_plan(sc, plan, {d: ["rest"] for d in range(14, 21) if d not in keep}),
            "frequency cut",
        )
    else:
        sc = make(scenario_dict(days=DAYS, sessions=lib, rules=rules_off()))
        edited, expect = plan, "taper weeks while the taper rule is off"
    messages = [v.message for v in run_audit(sc, edited) if v.rule == "taper"]
    assert any(expect in m for m in messages), messages
