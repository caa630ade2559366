"""compare_peaks and solve_many: the local process pool, a Dask LocalCluster on loopback, failing
candidates (invalid, infeasible, a crashed worker) and deterministic output."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import SPRINT, TEMPO, day, library, make, rules_off, scenario_dict

from periodize.batch import candidate_dates, compare_peaks, parse_step, solve_many
from periodize.cli import main

RACE_DAY = 12


def block(name: str = "tiny", **extra) -> dict:
    doc = scenario_dict(
        days=RACE_DAY + 1,
        sessions=library(SPRINT, TEMPO),
        rules=rules_off(hard_recovery={"hours": 48}, weekly_load_cap={"max_load": 1200}),
        **extra,
    )
    doc["athlete"]["name"] = name
    doc["plan"].pop("end")
    doc["plan"]["transition_days"] = 2
    return doc


CANDIDATES = [day(RACE_DAY - 2), day(RACE_DAY), day(RACE_DAY + 3)]


def stable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["solve_seconds"])


@pytest.fixture(scope="module")
def local():
    return compare_peaks(make(block()), "race0", CANDIDATES, time_limit=5, processes=2)


def test_one_row_per_candidate_sorted_with_the_best_at_zero(local):
    assert list(local["date"]) == sorted(CANDIDATES)
    assert (local["status"] == "optimal").all()
    assert local["relative_pct"].max() == 0 and (local["relative_pct"] <= 0).all()
    later = local.set_index("date")["performance"]
    assert later[day(RACE_DAY + 3)] > later[day(RACE_DAY - 2)]  # more days to train (k2 < k1)
    for date, plan in local.attrs["plans"].items():
        assert [r.date for r in plan.races] == [date] and plan.violations == []


def test_the_same_sweep_twice_is_identical(local):
    again = compare_peaks(make(block()), "race0", CANDIDATES, time_limit=5, processes=2)
    pd.testing.assert_frame_equal(stable(local), stable(again))


def test_dask_cluster_gives_the_local_pool_results(local):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as client:  # fmt: skip
        frame = compare_peaks(
            make(block()), "race0", CANDIDATES, time_limit=5, executor=client.get_executor()
        )
    pd.testing.assert_frame_equal(stable(local), stable(frame))


def test_failing_candidates_get_rows_and_the_sweep_finishes():
    # Saturdays always hold the sprint session, and the day before a race must be rest: a race
    # moved to a Sunday cannot be planned (on the Saturday itself the race replaces the sprint)
    doc = block(availability={"fixed": [{"weekday": "sat", "session": "sprint"}]})
    doc["races"][0]["date"] = day(RACE_DAY + 1).isoformat()
    dates = [day(-3), day(RACE_DAY), day(RACE_DAY + 1)]  # before the start; a Saturday; a Sunday
    assert day(RACE_DAY).weekday() == 5
    frame = compare_peaks(make(doc), "race0", dates, time_limit=5, processes=2)
    status = dict(zip(frame["date"], frame["status"]))
    assert status == {day(-3): "invalid", day(RACE_DAY): "optimal", day(RACE_DAY + 1): "infeasible"}
    assert "before plan.start" in frame.loc[frame["date"] == day(-3), "note"].item()
    why = frame.loc[frame["date"] == day(RACE_DAY + 1), "note"].item()
    # the fixed Saturday sprint clashes with resting the day before and with 48 h between hard days
    assert why.startswith("clash: availability.fixed in week 2; ")
    assert "day_before_race" in why or "hard_recovery" in why


def test_a_crashed_worker_marks_only_its_own_row(monkeypatch):
    monkeypatch.setenv("PERIODIZE_FAULT", "crasher")
    squad = [make(block("a")), make(block("crasher")), make(block("b"))]
    plans = solve_many(squad, time_limit=5, processes=2)
    assert isinstance(plans[1], str) and plans[1].startswith("crashed")
    assert plans[0].status == plans[2].status == "optimal"


def test_unknown_race_is_a_clear_error():
    from periodize.errors import ScenarioError

    with pytest.raises(ScenarioError, match="no race named 'nope'"):
        compare_peaks(make(block()), "nope", CANDIDATES, time_limit=5)


def test_dates_and_steps():
    assert parse_step("7d") == 7 and parse_step("2w") == 14
    with pytest.raises(ValueError):
        parse_step("0d")
    window = candidate_dates([dt.date(2027, 1, 2)], (dt.date(2027, 1, 1), dt.date(2027, 1, 15)), 7)
    assert window == [dt.date(2027, 1, d) for d in (1, 2, 8, 15)]


def test_cli_compare_and_solve_many(tmp_path):
    scenario = tmp_path / "s.json"
    import json

    scenario.write_text(json.dumps(block(), default=str))
    out, plot = tmp_path / "compare.csv", tmp_path / "compare.png"
    result = CliRunner().invoke(
        main,
        ["compare", str(scenario), "--race", "race0", "--window",
         f"{day(RACE_DAY - 2)}..{day(RACE_DAY)}", "--step", "1d", "--time-limit", "5",
         "--out", str(out), "--plot", str(plot)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == 3 and plot.read_bytes()[:4] == b"\x89PNG"
    result = CliRunner().invoke(
        main,
        ["solve-many", str(scenario), str(scenario), "--time-limit", "5",
         "--outdir", str(tmp_path / "plans"), "--out", str(tmp_path / "squad.json")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plans" / "s.plan.json").exists()
    bad = CliRunner().invoke(
        main, ["compare", str(scenario), "--race", "race0", "--dates", "May 5"]
    )
    assert bad.exit_code == 2 and "--dates" in bad.output and "Traceback" not in bad.output
