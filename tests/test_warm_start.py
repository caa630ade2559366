"""Warm starts: a neighbouring candidate's plan, shifted in time, as a solution hint."""

from __future__ import annotations

import datetime as dt

from conftest import CLASSIC, rules_off, scenario_dict

import periodize
from periodize.solver.model.build import build_model
from periodize.solver.search.warm_start import shifted_hint
from periodize.sweep.batch import race_variant

DOC = scenario_dict(
    days=35,
    races=[(27, "A")],
    response=CLASSIC,
    rules=rules_off(hard_recovery={}, rest_days={}, weekly_load_cap={"max_load": 1200}),
)


def test_the_hint_is_the_neighbours_plan_moved_in_time():
    sc = periodize.scenario_from_dict(DOC)
    plan = periodize.solve(sc, work_limit=5)
    earlier = race_variant(sc, "race0", sc.races[0].date - dt.timedelta(days=7))
    _, pv = build_model(earlier)
    hint = dict((id(var), value) for var, value in shifted_hint(pv, plan, -7))
    for (day, sid, dose), var in sorted(pv.choice.items()):
        if day + 7 >= len(plan.days):
            assert id(var) not in hint  # the moved plan does not reach that far
            continue
        held = {(s.type, s.minutes) for s in plan.days[day + 7].sessions}
        minutes = sc.sessions.by_id(sid).doses[dose].minutes
        assert hint[id(var)] == int((sid, minutes) in held)
    for week, w in enumerate(plan.weeks[1:]):
        for (wk, phase), var in pv.phase.items():
            if wk == week:
                assert hint[id(var)] == int(w.phase == phase)


def test_a_warm_started_solve_is_valid_and_reproducible():
    sc = periodize.scenario_from_dict(DOC)
    plan = periodize.solve(sc, work_limit=5)
    earlier = race_variant(sc, "race0", sc.races[0].date - dt.timedelta(days=7))
    runs = [periodize.solve(earlier, work_limit=5, seed=3, warm_start=(plan, -7)) for _ in range(2)]
    assert runs[0].days and runs[0].violations == []
    clock = {"solve_seconds", "found_at_seconds", "plan_id"}  # the clock's readings, a random id
    assert runs[0].model_dump(exclude=clock) == runs[1].model_dump(exclude=clock)


def test_compare_starts_every_candidate_from_a_given_plan(tmp_path):
    import json

    from click.testing import CliRunner

    from periodize.cli.main import main

    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(DOC))
    plan = tmp_path / "plan.json"
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(scenario), "--work-limit", "5", "--out", str(plan)])
    assert solved.exit_code == 0, solved.output
    out = tmp_path / "compare.csv"
    args = ["compare", str(scenario), "--race", "race0", "--dates", "2027-01-24,2027-01-31"]
    result = runner.invoke(
        main, [*args, "--work-limit", "2", "--warm-start", str(plan), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    import pandas as pd

    frame = pd.read_csv(out)
    assert list(frame["violations"]) == [0, 0] and frame["performance"].notna().all()
    missing = runner.invoke(main, [*args, "--warm-start", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "nope.json" in missing.output


def test_hints_are_never_repaired(monkeypatch):
    """OR-Tools 9.15 aborts the whole process (CHECK failed: heuristics.fixed_search) when the
    time limit ends a `repair_hint` search, reproduced on season-30wk at 0.2-0.5 s limits with
    one and two workers: no solve may ask for it, warm-started or hinted with the best plan."""
    from ortools.sat.python import cp_model

    seen = []
    solve = cp_model.CpSolver.solve

    def spy(self, model, *args, **kwargs):
        seen.append((len(model.proto.solution_hint.vars), self.parameters.repair_hint))
        return solve(self, model, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "solve", spy)
    sc = periodize.scenario_from_dict(DOC)
    plan = periodize.solve(sc, work_limit=5)
    later = race_variant(sc, "race0", sc.races[0].date + dt.timedelta(days=7))
    for workers in (1, 2):
        periodize.solve(later, time_limit=5, workers=workers, warm_start=(plan, 7))
    assert any(hinted for hinted, _ in seen)
    assert not any(repair for _, repair in seen)
