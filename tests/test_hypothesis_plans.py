"""Generated valid small scenarios: whatever the solver returns must be consistent — a plan
(optimal or feasible) passes the independent audit, an infeasible or unknown result has no plan."""

from __future__ import annotations

import copy
import datetime as dt
import os
from typing import Any

from conftest import (
    GOOD,
    PRIMER,
    RULE_NAMES,
    SPRINT,
    START,
    TEMPO,
    WEEKDAYS,
    library,
    run_audit,
    stype,
)
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

import periodize
from periodize import ScenarioError
from periodize.scenario.loading import resolve_presets

TIME_LIMIT = 2.0
EXAMPLES = int(os.environ.get("PERIODIZE_HYPOTHESIS_PLANS", "25"))

RULE_TOGGLES = RULE_NAMES
SMALL_LIBRARY = library(
    SPRINT,
    TEMPO,
    PRIMER,
    stype("maxv", "sprint", (45, 315), (60, 420), hard=True, max_velocity=True),
    stype("squat", "strength", (45, 270), (60, 360), hard=True, heavy_lower_body=True),
    stype("mobility", "mobility", (30, 60)),
    stype("mobility-short", "mobility", (15, 30), addon=True),
    stype("walk", "recovery", (20, 48)),
    stype("test", "test", (50, 350), hard=True),
)


@st.composite
def scenarios(draw) -> dict[str, Any]:
    start = START + dt.timedelta(days=draw(st.integers(0, 6)))  # any weekday
    n_days = draw(st.integers(14, 35))
    date = lambda d: (start + dt.timedelta(days=d)).isoformat()  # noqa: E731
    race_days = draw(st.lists(st.integers(0, n_days - 1), max_size=3, unique=True))
    races = [
        {"name": f"race{i}", "date": date(d), "priority": draw(st.sampled_from("ABC"))}
        for i, d in enumerate(race_days)
    ]
    training_days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=2, max_size=7, unique=True))
    minutes: Any = draw(
        st.one_of(
            st.integers(45, 150),
            st.dictionaries(st.sampled_from(WEEKDAYS), st.integers(0, 150), min_size=2, max_size=7),
        )
    )
    availability: dict[str, Any] = {
        "training_days": training_days,
        "minutes_per_day": minutes,
        "max_sessions_per_day": draw(st.integers(1, 3)),
    }
    if draw(st.booleans()):
        first = draw(st.integers(0, n_days - 1))
        last = min(n_days - 1, first + draw(st.integers(0, 6)))
        if not any(first <= d <= last for d in race_days):
            availability["blackouts"] = [
                {"start": date(first), "end": date(last), "reason": "away"}
            ]

    preset_library = draw(st.booleans())
    sessions: dict[str, Any] = {"preset": "sprint-default"} if preset_library else SMALL_LIBRARY
    ids = ["tempo", "mobility", "mobility-short", "primer"]  # in both libraries
    if draw(st.integers(0, 3)) == 0:
        availability["fixed"] = [  # on a training day: a commitment on a day off is refused
            {"weekday": draw(st.sampled_from(training_days)), "session": draw(st.sampled_from(ids))}
        ]

    rules: dict[str, Any] = {"preset": "sprint-default"}
    for name in RULE_TOGGLES:
        rules[name] = {"enabled": draw(st.booleans())}
    rules["rest_days"]["min_per_week"] = draw(st.integers(0, 2))
    rules["weekly_load_cap"]["max_load"] = draw(st.integers(800, 3000))
    rules["ramp"]["max_increase_pct"] = draw(st.sampled_from([5.0, 10.0, 12.5, 33.3]))
    rules["deload"]["every_weeks"] = draw(st.integers(2, 4))
    rules["time_trial"]["every_weeks"] = draw(st.integers(2, 4))
    rules["monotony"]["max_monotony"] = draw(st.sampled_from([1.5, 2.0, 2.5]))
    if draw(
        st.integers(0, 3)
    ):  # the preset's minimums are written for 7-day availability: mostly loosen them
        rules["frequency"]["per_category"] = {
            "sprint": {"min": 0, "max": 3},
            "strength": {"min": 0, "max": 2},
            "mobility": {"min": 0},
            "recovery": {"min": 0},
        }
        rules["frequency"]["per_phase"] = {}
    if draw(st.integers(0, 2)):  # and its phase lengths for long blocks
        rules["phases"]["lengths"] = {"specific_prep": {"min_weeks": draw(st.integers(0, 1))}}

    athlete: dict[str, Any] = {"name": "generated"}
    athlete["response"] = draw(
        st.sampled_from(
            [
                {"preset": p}
                for p in ("banister-classic", "calvert-1976", "clarke-skiba-2013", "turner-2017")
            ]
            + [GOOD]
        )
    )
    if draw(st.booleans()):
        loads = draw(
            st.lists(st.sampled_from([0, 0, 48, 120, 315, 420, 525]), min_size=28, max_size=28)
        )
        athlete["history"] = [
            {"date": (start - dt.timedelta(days=28 - i)).isoformat(), "load": v}
            for i, v in enumerate(loads)
        ]
    else:
        athlete["initial_fitness"] = float(draw(st.integers(0, 1500)))
        athlete["initial_fatigue"] = float(draw(st.integers(0, 1000)))
        if rules["ramp"]["enabled"] or rules["acute_chronic"]["enabled"] or draw(st.booleans()):
            athlete["current_weekly_load"] = draw(st.sampled_from([0, 600, 1200, 1800, 2400]))
    return {
        "plan": {"start": start.isoformat(), "end": date(n_days - 1)},
        "athlete": athlete,
        "races": races,
        "availability": availability,
        "sessions": sessions,
        "rules": rules,
    }


LIBRARY_PRECHECKS = ("rules.frequency.", "rules.taper.", "rules.time_trial", "availability.fixed.")


def validated(doc: dict[str, Any]) -> periodize.Scenario | None:
    """The scenario; a taper that cannot fit the short calendar is switched off (that pre-check is
    tested elsewhere). A scenario the library pre-checks refuse must really be infeasible: the
    solver, given it without the pre-checks, must prove so (None is returned). Any other
    validation problem means the generator is wrong."""
    try:
        return periodize.scenario_from_dict(copy.deepcopy(doc))
    except ScenarioError as exc:
        fields = {p.field for p in exc.problems}
        if fields == {"rules.taper"}:
            doc["rules"]["taper"]["enabled"] = False
            return validated(doc)
        assert all(f.startswith(LIBRARY_PRECHECKS) for f in fields), str(exc)
        raw = periodize.Scenario.model_validate(resolve_presets(copy.deepcopy(doc), "<generated>"))
        plan = periodize.solve(raw, work_limit=TIME_LIMIT, seed=0)
        assert plan.status == "infeasible", f"pre-check {fields} refused a {plan.status} scenario"
        return None


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(doc=scenarios())
def test_generated_plans_pass_the_audit_or_are_infeasible(doc):
    scenario = validated(doc)
    if scenario is None:
        return
    plan = periodize.solve(scenario, work_limit=TIME_LIMIT, seed=0)
    note(f"status {plan.status}")
    event(f"status {plan.status}")
    assert plan.status in ("optimal", "feasible", "infeasible", "unknown")
    if plan.status in ("infeasible", "unknown"):
        assert plan.days == [] and plan.objective is None  # no plan, nothing to audit
        return
    violations = run_audit(scenario, plan)
    assert violations == [], [f"{v.rule}: {v.date or v.week}: {v.message}" for v in violations]
    assert plan.violations == []
    assert len(plan.days) == scenario.n_days and len(plan.weeks) == scenario.n_weeks
    assert [r.predicted_performance for r in plan.races] == [
        plan.days[(r.date - scenario.start).days].performance for r in plan.races
    ]
    assert plan.gap is not None and plan.gap >= 0
    if plan.status == "optimal":
        assert plan.gap == 0 and plan.bound == plan.objective
