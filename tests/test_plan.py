"""The Plan: JSON round trip, the per-day data frame, and the weekly summaries on a hand-built plan."""

from __future__ import annotations

import datetime as dt
import json
import statistics

import pandas as pd
import pytest
from conftest import (
    SPRINT,
    START,
    TEMPO,
    edit_plan,
    library,
    make,
    rules_off,
    scenario_dict,
    solve_cached,
    stype,
)

from periodize import ScenarioError, load_plan
from periodize.plan.assembly import assemble_plan
from periodize.plan.schema import Plan
from periodize.scenario.schema import Phase

MOB_ADDON = stype("mob-add", "mobility", (15, 30), addon=True)
LIB = library(SPRINT, TEMPO, MOB_ADDON, stype("easy", "recovery", (30, 60)))


@pytest.fixture(scope="module")
def solved():
    doc = scenario_dict(
        days=16, sessions=LIB, rules=rules_off(hard_recovery={}, rest_days={"min_per_week": 1})
    )
    return make(doc), solve_cached(doc)


def test_json_round_trip(solved):
    _, plan = solved
    text = plan.to_json()
    again = Plan.from_json(text)
    assert again == plan
    assert again.days == plan.days and again.weeks == plan.weeks
    assert json.loads(text)["days"][0]["date"] == START.isoformat()


def test_write_and_load_plan(solved, tmp_path):
    _, plan = solved
    path = tmp_path / "plan.json"
    plan.write(path)
    assert load_plan(path) == plan


def test_load_plan_names_file_and_field(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"status": "optimal", "days": [{"date": "2027-01-04"}]}))
    with pytest.raises(ScenarioError) as info:
        load_plan(path)
    fields = {p.field for p in info.value.problems}
    assert "days.0.week" in fields and all(p.file == str(path) for p in info.value.problems)


def test_to_dataframe(solved):
    sc, plan = solved
    df = plan.to_dataframe()
    assert list(df.columns) == [
        "week",
        "phase",
        "sessions",
        "hard",
        "minutes",
        "load",
        "fitness",
        "fatigue",
        "performance",
        "performance_pct",
        "ctl",
        "atl",
        "tsb",
    ]
    assert df.index.name == "date" and len(df) == sc.n_days == 16
    assert df.index[0] == pd.Timestamp(START) and df.index[-1] == pd.Timestamp(
        START + dt.timedelta(days=15)
    )
    for (ts, row), d in zip(df.iterrows(), plan.days):
        assert ts.date() == d.date
        assert row["sessions"] == " + ".join(s.type for s in d.sessions)
        assert row["load"] == d.load == sum(s.load for s in d.sessions)
        assert row["minutes"] == sum(s.minutes for s in d.sessions)
        assert row["hard"] == any(s.hard for s in d.sessions)
        assert row["phase"] == d.phase.value and row["week"] == d.week
    assert df["load"].sum() == sum(w.load for w in plan.weeks)
    weeks = plan.weeks_dataframe()
    assert list(weeks["week"]) == [0, 1, 2] and list(weeks["days"]) == [7, 7, 2]


def test_performance_as_a_change_from_the_untrained_baseline(solved):
    """With p0 = 0 (the tiny models and every uncalibrated preset) there is no % change; with a
    baseline, every day and race shows (performance - p0) / |p0| in %, positive when better (a
    lower-is-better test fitted as a negated time has a negative p0)."""
    sc, plan = solved
    assert plan.baseline == 0 and all(d.performance_pct is None for d in plan.days)
    assert all(r.change_pct is None for r in plan.races)
    for p0 in (250.0, -5.0):
        calibrated = sc.model_copy(deep=True)
        calibrated.athlete.response.p0 = p0
        again = edit_plan(calibrated, plan)
        assert again.baseline == p0
        for d in again.days:
            assert d.performance_pct == pytest.approx(
                100 * (d.performance - p0) / abs(p0), abs=0.02
            )
        race = again.races[0]
        assert race.change_pct == pytest.approx(
            100 * (race.predicted_performance - p0) / abs(p0), abs=0.02
        )
        assert race.change_pct > 0  # the tiny model's training helps the race


def test_empty_plan_dataframe():
    assert Plan(status="infeasible").to_dataframe().empty


# --------------------------------------------------------------------------- weekly summaries
def test_weekly_summaries_on_a_hand_built_plan():
    """History: 28 days; plan: 3 weeks (the last one 3 days) chosen by hand."""
    hist_loads = [100, 0, 200, 150, 0, 300, 50] * 3 + [
        200,
        200,
        0,
        100,
        400,
        0,
        100,
    ]  # last week: 1000
    history = [
        {"date": (START - dt.timedelta(days=28 - i)).isoformat(), "load": v}
        for i, v in enumerate(hist_loads)
    ]
    sc = make(scenario_dict(days=17, races=[(16, "A")], sessions=LIB, athlete={"history": history}))
    week0 = [
        ["sprint", "mob-add"],
        ["easy"],
        ["sprint"],
        ["rest"],
        ["tempo", "mob-add"],
        ["sprint"],
        ["rest"],
    ]
    week1 = [["tempo"], ["easy"], ["sprint", "mob-add"], ["rest"], ["tempo"], ["sprint"], ["easy"]]
    week2 = [["tempo"], ["rest"], ["race"]]
    chosen = [[(s, 0) for s in day] for day in week0 + week1 + week2]
    plan = assemble_plan(
        sc, chosen, [Phase.specific_prep, Phase.pre_competition, Phase.race], {1}, status="feasible"
    )

    loads0 = [430, 60, 400, 0, 180, 400, 0]
    loads1 = [150, 60, 430, 0, 150, 400, 60]
    loads2 = [150, 0, 300]
    assert [d.load for d in plan.days] == loads0 + loads1 + loads2
    w0, w1, w2 = plan.weeks
    assert (w0.load, w1.load, w2.load) == (1470, 1250, 450)
    assert (w0.days, w1.days, w2.days) == (7, 7, 3)
    assert [w.start for w in plan.weeks] == [
        START,
        START + dt.timedelta(days=7),
        START + dt.timedelta(days=14),
    ]
    assert [w.phase for w in plan.weeks] == [Phase.specific_prep, Phase.pre_competition, Phase.race]
    assert [w.deload for w in plan.weeks] == [False, True, False]
    assert (w0.hard_days, w1.hard_days, w2.hard_days) == (3, 2, 1)
    assert (w0.rest_days, w1.rest_days, w2.rest_days) == (2, 1, 1)
    # main sessions per category: add-ons are not counted
    assert w0.sessions == {"recovery": 1, "rest": 2, "sprint": 3, "tempo": 1}
    assert w2.sessions == {"race": 1, "rest": 1, "tempo": 1}
    # ramp, as the rule compares: week 0 against the history's last 7 days (1000), week 1
    # against week 0, week 2 (after the deload week 1) against week 0
    assert w0.ramp_pct == round(100 * (1470 - 1000) / 1000, 1) == 47.0
    assert w1.ramp_pct == round(100 * (1250 - 1470) / 1470, 1) == -15.0
    assert w2.ramp_pct == round(100 * (450 - 1470) / 1470, 1)
    # acute:chronic at the end of each full week: 7-day load / (28-day load / 4), history included
    all_loads = hist_loads + loads0 + loads1
    for w, summary in ((0, w0), (1, w1)):
        end = 28 + 7 * w + 7
        acute, chronic = sum(all_loads[end - 7 : end]), sum(all_loads[end - 28 : end])
        assert summary.acute_chronic == round(acute / (chronic / 4), 3)
    assert (w0.acute_chronic, w1.acute_chronic) == (
        1.445,
        1.106,
    )  # 1470 / (4070 / 4), 1250 / (4520 / 4)
    assert w2.acute_chronic is None and w2.monotony is None  # a 3-day week
    # monotony: mean / population SD of the 7 daily loads
    assert w0.monotony == round(statistics.fmean(loads0) / statistics.pstdev(loads0), 3)
    assert w1.monotony == round(statistics.fmean(loads1) / statistics.pstdev(loads1), 3)


def test_weekly_summaries_without_history():
    sc = make(scenario_dict(days=28, sessions=LIB))
    chosen = [[("sprint", 0)] if d % 2 == 0 else [("tempo", 0)] for d in range(27)] + [
        [("race", 0)]
    ]
    plan = assemble_plan(
        sc, chosen, [Phase.general_prep] * 3 + [Phase.race], set(), status="feasible"
    )
    assert plan.weeks[0].ramp_pct is None  # nothing to compare week 0 with
    assert [w.acute_chronic for w in plan.weeks[:3]] == [None, None, None]  # no 28-day window yet
    loads = [d.load for d in plan.days]
    assert plan.weeks[3].acute_chronic == round(sum(loads[21:28]) / (sum(loads) / 4), 3)
    assert plan.weeks[0].monotony == round(
        statistics.fmean(loads[:7]) / statistics.pstdev(loads[:7]), 3
    )
    same = assemble_plan(
        sc,
        [[("tempo", 0)]] * 27 + [[("race", 0)]],
        [Phase.general_prep] * 3 + [Phase.race],
        set(),
        status="feasible",
    )
    assert same.weeks[0].monotony is None  # the same load every day: SD 0, no finite monotony
