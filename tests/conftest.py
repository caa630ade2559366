"""Shared helpers: tiny scenarios built as dicts, a short deterministic solve, plan editing.

Every tiny scenario starts on Monday 2027-01-04, has every rule switched off unless the test
switches it on, and (by default) a custom session library and a response model in which all
training helps the race ("training is good": k2 < k1, so every day's load has a positive
influence on race day). Rules that cap or restrict training then bind, and switching them off
must give a strictly better objective.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import periodize
from periodize import audit as run_audit
from periodize.plan.assembly import assemble_plan
from periodize.plan.schema import Plan
from periodize.scenario.schema import Category, Phase, Rules

START = dt.date(2027, 1, 4)  # a Monday
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SOLVE_SECONDS = 5.0  # an upper bound only: tiny scenarios prove optimality in well under a second

#: a response model in which every day's load helps every later day (k2 < k1, tau1 > tau2)
GOOD = {"k1": 1.0, "k2": 0.5, "tau1": 45.0, "tau2": 15.0, "p0": 0.0}
#: the classic Banister set (loads within ~15 days of the race hurt it)
CLASSIC = {"preset": "banister-classic"}

RULE_NAMES = tuple(name for name in Rules.model_fields if name != "preset")


def day(n: int) -> dt.date:
    """Plan day n as a date."""
    return START + dt.timedelta(days=n)


def iso(n: int) -> str:
    return day(n).isoformat()


# --------------------------------------------------------------------------- session library
def stype(id: str, category: str, *doses: tuple[int, int], **flags: Any) -> dict[str, Any]:
    """A session type dict: stype('sprint', 'sprint', (60, 400), hard=True)."""
    return {
        "id": id,
        "category": category,
        "doses": [{"minutes": m, "load": load} for m, load in doses],
        **flags,
    }


REST = stype("rest", "rest", (0, 0))
RACE = stype("race", "race", (60, 300), hard=True)
SPRINT = stype("sprint", "sprint", (60, 400), hard=True)
TEMPO = stype("tempo", "tempo", (45, 150))
PRIMER = stype("primer", "primer", (25, 80))


def library(*types: dict[str, Any]) -> dict[str, Any]:
    """A session library holding rest, race and the given types."""
    return {
        "preset": "",
        "types": [REST, RACE, *types],
    }  # preset "": no sprint-default types merged in


def rules_off(**on: dict[str, Any]) -> dict[str, Any]:
    """A full rule table (no preset) with every rule off, except those given: name={...fields}
    (enabled defaults to true for those)."""
    rules: dict[str, Any] = {"preset": ""}  # no preset: nothing but what is written here
    rules.update({name: {"enabled": False} for name in RULE_NAMES})
    rules["day_before_race"]["allowed_sessions"] = ["rest"]
    for name, fields in on.items():
        rules[name] = {"enabled": True, **fields}
    return rules


def scenario_dict(
    *,
    days: int = 21,
    races: list[tuple[int, str]] | None = None,
    sessions: dict[str, Any] | None = None,
    rules: dict[str, Any] | None = None,
    response: dict[str, Any] | None = None,
    availability: dict[str, Any] | None = None,
    athlete: dict[str, Any] | None = None,
    start: dt.date = START,
) -> dict[str, Any]:
    """A tiny scenario document. races: (plan day, priority); by default one A race on the last day."""
    if races is None:
        races = [(days - 1, "A")]
    doc: dict[str, Any] = {
        "plan": {
            "start": start.isoformat(),
            "end": (start + dt.timedelta(days=days - 1)).isoformat(),
        },
        "athlete": {"name": "tiny", "response": copy.deepcopy(response or GOOD), **(athlete or {})},
        "races": [
            {"name": f"race{i}", "date": (start + dt.timedelta(days=d)).isoformat(), "priority": p}
            for i, (d, p) in enumerate(races)
        ],
        "availability": {"minutes_per_day": 120, "max_sessions_per_day": 2, **(availability or {})},
        "sessions": copy.deepcopy(sessions or library(SPRINT, TEMPO)),
        "rules": copy.deepcopy(rules or rules_off()),
    }
    return doc


def preset_block(
    races: list[tuple[str, str]],
    *,
    start: str = "2027-01-04",
    transition_days: int = 0,
    training_days: tuple[str, ...] = WEEKDAYS,
    rules: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A block on the bundled presets (sprint sessions and rules, the classic response model),
    races given as (date, priority); `rules` overrides the preset's."""
    return {
        "plan": {"start": start, "transition_days": transition_days},
        "athlete": {
            "name": "block",
            "response": "banister-classic",
            "initial_fitness": 1500.0,
            "initial_fatigue": 1200.0,
            "current_weekly_load": 1800,
        },
        "races": [
            {"name": f"race{i}", "date": date, "priority": priority}
            for i, (date, priority) in enumerate(races)
        ],
        "availability": {
            "training_days": list(training_days),
            "minutes_per_day": 120,
            "max_sessions_per_day": 2,
        },
        "sessions": {"preset": "sprint-default"},
        "rules": {"preset": "sprint-default", **copy.deepcopy(rules or {})},
    }


def make(doc: dict[str, Any]) -> periodize.Scenario:
    return periodize.scenario_from_dict(copy.deepcopy(doc))


def set_in(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of doc with doc[a][b][c] = value for path 'a.b.c' (numbers index lists)."""
    doc = copy.deepcopy(doc)
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
    node: Any = doc
    for k in keys[:-1]:
        node = node[k] if isinstance(node, list) else node.setdefault(k, {})
    node[keys[-1]] = value
    return doc


def delete_in(doc: dict[str, Any], path: str) -> dict[str, Any]:
    """A deep copy of doc without doc[a][b][c] for path 'a.b.c'."""
    doc = copy.deepcopy(doc)
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
    node: Any = doc
    for k in keys[:-1]:
        node = node[k]
    del node[keys[-1]]
    return doc


# --------------------------------------------------------------------------- command line
def run_cli(*args: str):
    """`periodize ARGS` in-process: never a traceback, and no exception but a SystemExit."""
    from click.testing import CliRunner

    from periodize.cli.main import main

    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


# --------------------------------------------------------------------------- solving
def solve_raw(scenario: periodize.Scenario, time_limit: float = SOLVE_SECONDS) -> Plan:
    return periodize.solve(scenario, work_limit=time_limit, seed=0)


def solve_small(scenario: periodize.Scenario | dict[str, Any], *, optimal: bool = True) -> Plan:
    """Solve a tiny scenario with one worker and seed 0; assert a plan was found (proven optimal
    unless optimal=False) and that the independent audit finds nothing."""
    if isinstance(scenario, dict):
        scenario = make(scenario)
    plan = solve_raw(scenario)
    assert plan.status in ("optimal", "feasible"), plan.status
    if optimal:
        assert plan.status == "optimal", (
            f"a tiny scenario should solve to optimal, got {plan.status}"
        )
    found = run_audit(scenario, plan)
    assert found == [], [f"{v.rule}: {v.date or v.week} {v.message}" for v in found]
    assert plan.violations == []
    return plan


_PLANS: dict[str, Plan] = {}


def solve_cached(doc: dict[str, Any]) -> Plan:
    """solve_small, memoized on the document (several tests reuse one solved tiny plan)."""
    key = json.dumps(doc, sort_keys=True, default=str)
    if key not in _PLANS:
        _PLANS[key] = solve_small(doc)
    return _PLANS[key].model_copy(deep=True)


def solve_pair(doc_on: dict[str, Any], doc_off: dict[str, Any]) -> tuple[Plan, Plan]:
    """Solve a scenario with a rule on (must audit clean) and the same with the rule off."""
    on = solve_cached(doc_on)
    off = solve_cached(doc_off)
    return on, off


def assert_rule_binds(
    doc_on: dict[str, Any], doc_off: dict[str, Any], rule: str
) -> tuple[Plan, Plan]:
    """The relaxed scenario's optimum is strictly better and breaks `rule` of the strict scenario."""
    on, off = solve_pair(doc_on, doc_off)
    assert off.objective > on.objective + 1e-6, (off.objective, on.objective)
    assert rule in rules_broken(make(doc_on), off), f"relaxed plan should break {rule}"
    return on, off


def rules_broken(scenario: periodize.Scenario, plan: Plan) -> set[str]:
    return {v.rule for v in run_audit(scenario, plan)}


# --------------------------------------------------------------------------- plan inspection
def sessions(plan: Plan, i: int) -> list[str]:
    return [s.type for s in plan.days[i].sessions]


def main_session(scenario: periodize.Scenario, plan: Plan, i: int):
    mains = [s for s in plan.days[i].sessions if not scenario.sessions.by_id(s.type).addon]
    assert len(mains) == 1
    return mains[0]


def is_hard(plan: Plan, i: int) -> bool:
    return any(s.hard for s in plan.days[i].sessions)


def is_rest(plan: Plan, i: int) -> bool:
    return all(s.category == Category.rest for s in plan.days[i].sessions)


def week_load(plan: Plan, w: int) -> int:
    return sum(d.load for d in plan.days[7 * w : 7 * w + 7])


def week_phase(plan: Plan, w: int) -> Phase:
    return plan.days[7 * w].phase


def count_category(scenario: periodize.Scenario, plan: Plan, w: int, category: str) -> int:
    return sum(
        1
        for d in plan.days[7 * w : 7 * w + 7]
        for s in d.sessions
        if s.category.value == category and not scenario.sessions.by_id(s.type).addon
    )


# --------------------------------------------------------------------------- plan editing
def dose_index(scenario: periodize.Scenario, session) -> int:
    t = scenario.sessions.by_id(session.type)
    return next(
        i for i, d in enumerate(t.doses) if (d.minutes, d.load) == (session.minutes, session.load)
    )


def edit_plan(
    scenario: periodize.Scenario,
    plan: Plan,
    changes: dict[int, list[str | tuple[str, int]]] | None = None,
    *,
    phases: dict[int, Phase] | None = None,
    deloads: set[int] | None = None,
) -> Plan:
    """A copy of plan with some days' sessions replaced (ids, or (id, dose index)), week phases
    and deload labels changed; loads, fitness, fatigue, weeks and races are recomputed consistently."""
    chosen = [[(s.type, dose_index(scenario, s)) for s in d.sessions] for d in plan.days]
    for i, new in (changes or {}).items():
        chosen[i] = [(s, 0) if isinstance(s, str) else s for s in new]
    n_weeks = len(plan.weeks)
    week_phases = [plan.days[7 * w].phase for w in range(n_weeks)]
    for w, p in (phases or {}).items():
        week_phases[w] = p
    if deloads is None:
        deloads = {w.week for w in plan.weeks if w.deload}
    edited = assemble_plan(scenario, chosen, week_phases, set(deloads), status=plan.status)
    return edited


def assert_audit_flags(scenario: periodize.Scenario, plan: Plan, rule: str) -> None:
    found = run_audit(scenario, plan)
    assert rule in {v.rule for v in found}, [f"{v.rule}: {v.message}" for v in found]


# --------------------------------------------------------------------------- files
def to_toml(doc: dict[str, Any]) -> str:
    """A small TOML writer (tables, inline tables, arrays, strings, numbers, booleans, dates)."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            if isinstance(v, float) and not math.isfinite(v):
                return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
            return repr(v)
        if isinstance(v, (dt.date, dt.datetime)):
            return v.isoformat()
        if isinstance(v, str):
            return json.dumps(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{json.dumps(str(k))} = {value(x)}" for k, x in v.items()) + "}"
        if v is None:
            raise ValueError("TOML has no null")
        raise TypeError(type(v))

    lines = []
    for k, v in doc.items():
        lines.append(f"{json.dumps(str(k))} = {value(v)}")
    return "\n".join(lines) + "\n"


def write_scenario(path: Path, doc: dict[str, Any]) -> Path:
    if path.suffix == ".json":
        path.write_text(json.dumps(doc, indent=1, default=str), encoding="utf-8")
    else:
        path.write_text(to_toml(doc), encoding="utf-8")
    return path
