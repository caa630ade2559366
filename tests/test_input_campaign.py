"""Inputs taken as written, and a sample of the malformed-input campaign (benchmarks/inputs.py runs
all of it): no wrong type is coerced, no extreme value crashes or hangs the solve, and every
rejection names the file, the field, the value and the reason."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import START, set_in

import periodize
from periodize import ScenarioError
from periodize.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("inputs", ROOT / "benchmarks" / "inputs.py")
assert _spec and _spec.loader
campaign = importlib.util.module_from_spec(_spec)
sys.modules["inputs"] = campaign
_spec.loader.exec_module(campaign)

BASE = {
    "plan": {"start": START.isoformat()},
    "athlete": {"current_weekly_load": 1500},
    "races": [{"name": "R", "date": "2027-03-06"}],
}


@pytest.mark.parametrize(
    "path, value, written",
    [
        ("athlete.response", {"preset": "banister-classic", "p0": True}, "true"),
        ("availability.minutes_per_day", "90", '"90"'),
        ("rules.taper.reference_weeks", True, "true"),
        ("rules.taper.enabled", 0, "0"),
        ("rules.deload.every_weeks", 4.0, "4.0"),
        ("rules.ramp.max_increase_pct", "10", '"10"'),
        ("objective.A", False, "false"),
        ("athlete.current_weekly_load", 1500.5, "1500.5"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_not_coerced(path, value, written):
    with pytest.raises(ScenarioError) as exc:
        periodize.scenario_from_dict(set_in(BASE, path, value))
    (problem,) = exc.value.problems
    assert problem.field.startswith(path) and problem.reason.endswith(f", not {written}")


def test_a_number_where_a_decimal_belongs_is_fine():
    doc = set_in(BASE, "rules.ramp.max_increase_pct", 10)
    assert periodize.scenario_from_dict(doc).rules.ramp.max_increase_pct == 10.0


@pytest.mark.parametrize(
    "path, value, field",
    [
        ("rules.taper.reference_weeks", 10**12, "rules.taper.reference_weeks"),
        ("rules.frequency.per_category", {"tempo": {"max": 2**63 - 1}}, "rules.frequency"),
        ("athlete.response", {"preset": "banister-classic", "k1": 1e300}, "athlete.response.k1"),
        (
            "athlete.response",
            {"model": "busso", "k1": 0.03, "k3": 5e-324, "tau1": 30, "tau2": 16, "tau3": 2},
            "athlete.response.k3",
        ),
        ("sessions.preset", "x" * 100_000, "sessions.preset"),
    ],
)
def test_extreme_values_are_refused_with_their_field(path, value, field):
    """Each of these once crashed or hung the solve (a model CP-SAT rejects, a build that never
    ends, an infinite objective)."""
    with pytest.raises(ScenarioError) as exc:
        periodize.scenario_from_dict(set_in(BASE, path, value))
    assert any(p.field.startswith(field) for p in exc.value.problems), exc.value.problems
    assert all(len(p.reason) < 500 for p in exc.value.problems)


def test_a_sample_of_the_campaign_ends_cleanly(tmp_path):
    """25 cases drawn from the campaign with a fixed seed, through `validate` and `solve`
    in-process: exit 0, 2, 3 or 4, never an exception, and no wrong type accepted."""
    base_path = ROOT / "scenarios" / "three-days.toml"
    base = campaign.resolve_presets(campaign._read_document(base_path), str(base_path))
    cases = random.Random(0).sample(campaign.cases(base), 25)
    for i, case in enumerate(cases):
        folder = tmp_path / str(i)
        folder.mkdir()
        path = campaign.write(case, folder)
        checked = CliRunner().invoke(main, ["validate", "--no-solve", str(path)])
        assert checked.exception is None or isinstance(checked.exception, SystemExit), case.name
        assert checked.exit_code in (0, 2), (case.name, checked.output)
        if checked.exit_code == 2:
            assert checked.output.startswith(f"error: {path}"), (case.name, checked.output)
            continue
        assert case.kind != "wrong type", f"accepted: {case.name}"
        out = folder / "plan.json"
        args = ["solve", str(path), "--work-limit", "1", "--quiet"]
        solved = CliRunner().invoke(main, [*args, "--out", str(out)])
        assert solved.exception is None or isinstance(solved.exception, SystemExit), case.name
        assert solved.exit_code in (0, 2, 3, 4), (case.name, solved.output)
        if solved.exit_code == 0:
            assert json.loads(out.read_text())["days"]


def test_a_race_before_the_start_blames_the_race_not_an_end_never_written():
    doc = set_in(BASE, "races", [{"name": "Early", "date": "2026-12-20"}])
    with pytest.raises(ScenarioError) as exc:
        periodize.scenario_from_dict(doc)
    assert [p.field for p in exc.value.problems] == ["races.0.date"]
    written = set_in(doc, "plan.end", "2026-12-27")  # an end the user wrote is named
    with pytest.raises(ScenarioError) as exc:
        periodize.scenario_from_dict(written)
    assert {p.field for p in exc.value.problems} == {"plan.end", "races.0.date"}


def test_session_type_errors_name_the_users_own_index():
    """The library merges the file's types into the preset's; an error names the type as the file
    wrote it (its own index), not its place in the merged library."""
    doc = set_in(
        BASE,
        "sessions",
        {
            "preset": "sprint-default",
            "types": [
                {"id": "my-drills", "category": "sprint", "doses": [{"minutes": -5, "load": 9}]},
                {"id": "tempo", "category": "bogus"},  # overrides the preset's tempo
            ],
        },
    )
    with pytest.raises(ScenarioError) as exc:
        periodize.scenario_from_dict(doc)
    fields = {p.field for p in exc.value.problems}
    assert fields == {"sessions.types.0.doses.0.minutes", "sessions.types.1.category"}
