"""The public Python API named in the README: load_scenario, solve, audit, scenario_from_dict, load_plan."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import SPRINT, TEMPO, library, make, rules_off, scenario_dict, solve_cached

import periodize
from periodize import ScenarioError

ROOT = Path(__file__).resolve().parents[1]


def test_load_scenario_resolves_presets():
    sc = periodize.load_scenario(ROOT / "scenarios" / "three-days.toml")
    assert sc.start.isoformat() == "2027-03-01" and sc.start.weekday() == 0
    assert sc.athlete.response.k1 == 0.031 and sc.athlete.response.tau3 == 2.3  # busso-2003
    assert sc.sessions.by_id("max-velocity").max_velocity  # the sprint-default library
    assert sc.rules.rest_days.min_per_week == 4  # the file's value over the preset's
    assert sc.rules.hard_recovery.hours == 48  # the preset's value


def test_scenario_from_dict_reports_every_problem():
    doc = scenario_dict(days=14, sessions=library(SPRINT, TEMPO))
    doc["races"][0]["priority"] = "Z"
    doc["availability"]["max_sessions_per_day"] = 0
    with pytest.raises(ScenarioError) as info:
        periodize.scenario_from_dict(doc, file="mine.toml")
    fields = sorted(p.field for p in info.value.problems)
    assert fields == ["availability.max_sessions_per_day", "races.0.priority"]
    assert all(p.file == "mine.toml" for p in info.value.problems)
    assert "mine.toml: races.0.priority:" in str(info.value)


def test_solve_attaches_the_audit():
    doc = scenario_dict(days=14, rules=rules_off(hard_recovery={}))
    plan = solve_cached(doc)
    assert (
        plan.status == "optimal" and plan.violations == [] and (plan.seed, plan.workers) == (0, 1)
    )
    assert plan.athlete == "tiny"


def test_readme_usage_in_a_fresh_interpreter(tmp_path):
    """The README's snippet, in the order it is written: import, solve, then audit."""
    code = textwrap.dedent(
        f"""
        from periodize import load_scenario, solve, audit
        import periodize
        sc = periodize.scenario_from_dict({scenario_dict(days=14, rules=rules_off(hard_recovery={}))!r})
        plan = solve(sc, work_limit=10, seed=0)
        assert plan.status == "optimal", plan.status
        assert audit(sc, plan) == []
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_periodize_audit_stays_a_function_after_solve():
    doc = scenario_dict(days=14, rules=rules_off(hard_recovery={}))
    sc = make(doc)
    plan = periodize.solve(sc, work_limit=10, seed=0)
    assert callable(periodize.audit)
    assert periodize.audit(sc, plan) == []


def test_domain_upper_reads_the_last_bound():
    """Regression: the proto's repeated domain field reads domain[-1] as the first element."""
    from ortools.sat.python import cp_model

    from periodize.solver.search.cuts import _upper

    model = cp_model.CpModel()
    assert _upper(model.new_int_var(3, 2200, "w")) == 2200


def test_one_worker_carries_the_full_lp():
    """--workers 1 proves the three-day athlete (the Banister benchmark copy) optimal within 10
    deterministic seconds: its single worker carries the full LP relaxation (CP-SAT's default
    single worker does not prove it in 20). Deterministic time, so this is not a timing test."""
    sc = periodize.load_scenario(ROOT / "benchmarks" / "scenarios" / "three-days.toml")
    plan = periodize.solve(sc, work_limit=10, seed=0)
    assert plan.status == "optimal" and plan.gap == 0


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"time_limit": -1}, "time_limit"),
        ({"time_limit": float("nan")}, "time_limit"),
        ({"time_limit": True}, "time_limit"),
        ({"seed": 2**31}, "seed"),
        ({"seed": -3}, "seed"),
        ({"workers": 0}, "workers"),
        ({"workers": 1.5}, "workers"),
    ],
)
def test_solve_refuses_options_out_of_range(options, named):
    """Bad options are a ValueError naming the option and the value, not an error from CP-SAT."""
    sc = periodize.scenario_from_dict(scenario_dict(days=7))
    with pytest.raises(ValueError, match=named):
        periodize.solve(sc, **options)


def test_solve_and_scenario_from_dict_refuse_the_wrong_kind_of_input():
    with pytest.raises(ValueError, match="takes a Scenario"):
        periodize.solve(scenario_dict(days=7))
    for wrong in (None, [], "plan.start = 2027-01-04"):
        with pytest.raises(periodize.ScenarioError, match="a table of fields"):
            periodize.scenario_from_dict(wrong)


def test_an_unknown_session_id_lists_the_library():
    doc = scenario_dict(days=7)
    doc["availability"]["fixed"] = [{"weekday": "tue", "session": "sprnt"}]
    with pytest.raises(ScenarioError) as err:
        periodize.scenario_from_dict(doc)
    text = str(err.value)
    assert "availability.fixed.0.session" in text and "'sprnt'" in text
    assert "the library has: " in text and "sprint" in text and "tempo" in text


def test_the_public_functions_stay_functions_after_their_packages_load():
    """A subpackage named as a root function would replace it when first imported."""
    import importlib

    import periodize

    for package in ("periodize.audit", "periodize.fitting.estimate", "periodize.solver.replan"):
        importlib.import_module(package)
    for name in ("audit", "fit", "replan", "solve", "explain", "cancel"):
        assert callable(getattr(periodize, name)) and not isinstance(
            getattr(periodize, name), type(periodize)
        ), name
