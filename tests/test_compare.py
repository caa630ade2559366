"""compare_peaks and solve_many: the local process pool, a Dask LocalCluster on loopback, failing
candidates (invalid, infeasible, a crashed or lost worker), deterministic output under a work
budget, and the command line (tables for coaches and machines, a bad scheduler address)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import SPRINT, TEMPO, day, library, make, rules_off, run_cli, scenario_dict

import periodize
from periodize.sweep.batch import candidate_dates, compare_peaks, parse_step, solve_many
from periodize.sweep.pool import FAULT_ONCE

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
    """The table without its times (which vary from run to run)."""
    return frame.drop(columns=["solve_seconds"])


# per candidate, in CP-SAT's deterministic seconds: far more than the tiny block needs to prove
WORK = 5.0


@pytest.fixture(scope="module")
def local():
    return compare_peaks(make(block()), "race0", CANDIDATES, work_limit=WORK, processes=2)


def test_one_row_per_candidate_sorted_with_the_best_at_zero(local):
    assert list(local["date"]) == sorted(CANDIDATES)
    assert (local["status"] == "optimal").all() and (local["stopped_by"] == "complete").all()
    assert local["vs_best_pct"].max() == 0 and (local["vs_best_pct"] <= 0).all()
    # every candidate proven: every place decided, the latest date first
    assert list(local["place"]) == ["3", "2", "1"] and local["decided"].all()
    assert local.attrs["top_decided"] and local.attrs["rounds"] == 1
    later = local.set_index("date")["performance"]
    assert later[day(RACE_DAY + 3)] > later[day(RACE_DAY - 2)]  # more days to train (k2 < k1)
    for date, plan in local.attrs["plans"].items():
        assert [r.date for r in plan.races] == [date] and plan.violations == []


def test_the_same_sweep_twice_is_identical(local):
    again = compare_peaks(make(block()), "race0", CANDIDATES, work_limit=WORK, processes=2)
    pd.testing.assert_frame_equal(stable(local), stable(again))


# A sweep the work budget cuts short: the Banister three-day athlete's race on three Saturdays,
# 1.5 deterministic seconds per candidate (0.5 in the first round): plans, not proofs.
THREE_DAYS = Path(__file__).resolve().parents[1] / "benchmarks" / "scenarios" / "three-days.toml"
UNFINISHED = dict(race="Masters 100 m", dates=[dt.date(2027, 5, d) for d in (15, 22, 29)])
UNFINISHED_WORK = 1.5


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A Dask LocalCluster on loopback: 2 worker processes x 1 thread. Its workers watch a fault
    marker (pool.FAULT_ONCE) that exists until a test removes it to lose one worker."""
    distributed = pytest.importorskip("distributed")
    marker = tmp_path_factory.mktemp("fault") / "lost-once"
    marker.touch()
    previous = os.environ.get(FAULT_ONCE)
    os.environ[FAULT_ONCE] = str(marker)  # the worker processes inherit it
    try:
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None,
        ) as cluster, distributed.Client(cluster) as client:  # fmt: skip
            yield client, marker
    finally:
        if previous is None:
            os.environ.pop(FAULT_ONCE, None)
        else:
            os.environ[FAULT_ONCE] = previous


def test_a_work_budget_gives_the_same_sweep_on_the_local_pool_and_on_dask(cluster):
    client, _ = cluster
    scenario = periodize.load_scenario(THREE_DAYS)
    local = compare_peaks(scenario, **UNFINISHED, work_limit=UNFINISHED_WORK, processes=2)
    remote = compare_peaks(
        scenario, **UNFINISHED, work_limit=UNFINISHED_WORK, executor=client.get_executor()
    )
    assert (local["status"] == "feasible").any()  # the budget, not a proof, ended some solves
    assert set(local["stopped_by"]) <= {"work_limit", "cutoff", "complete"}
    pd.testing.assert_frame_equal(stable(local), stable(remote))
    assert local.attrs["rounds"] == remote.attrs["rounds"]
    for date, plan in local.attrs["plans"].items():
        assert plan.days == remote.attrs["plans"][date].days


def test_a_worker_lost_on_dask_loses_no_candidate(cluster):
    client, marker = cluster
    marker.unlink()  # the next solve to start kills its worker; Dask runs it again elsewhere
    frame = compare_peaks(make(block()), "race0", CANDIDATES, work_limit=WORK,
                          executor=client.get_executor())  # fmt: skip
    assert marker.exists()  # a worker was lost
    assert (frame["status"] == "optimal").all()


def test_a_worker_lost_on_the_local_pool_loses_no_candidate(tmp_path, monkeypatch, local):
    monkeypatch.setenv(FAULT_ONCE, str(tmp_path / "lost-once"))
    frame = compare_peaks(make(block()), "race0", CANDIDATES, work_limit=WORK, processes=2)
    assert (tmp_path / "lost-once").exists()
    pd.testing.assert_frame_equal(stable(local), stable(frame))


def test_failing_candidates_get_rows_and_the_sweep_finishes():
    # Saturdays always hold the sprint session, and the day before a race must be rest: a race
    # moved to a Sunday cannot be planned (on the Saturday itself the race replaces the sprint)
    doc = block(availability={"fixed": [{"weekday": "sat", "session": "sprint"}]})
    doc["races"][0]["date"] = day(RACE_DAY + 1).isoformat()
    dates = [day(-3), day(RACE_DAY), day(RACE_DAY + 1)]  # before the start; a Saturday; a Sunday
    assert day(RACE_DAY).weekday() == 5
    frame = compare_peaks(make(doc), "race0", dates, work_limit=WORK, processes=2)
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
    plans = solve_many(squad, work_limit=WORK, processes=2)
    assert isinstance(plans[1], str) and plans[1].startswith("crashed")
    assert plans[0].status == plans[2].status == "optimal"


def test_unknown_race_is_a_clear_error():
    from periodize.core.errors import ScenarioError

    with pytest.raises(ScenarioError, match="no race named 'nope'"):
        compare_peaks(make(block()), "nope", CANDIDATES, work_limit=WORK)


def test_dates_and_steps():
    assert parse_step("7d") == 7 and parse_step("2w") == 14
    with pytest.raises(ValueError):
        parse_step("0d")
    window = candidate_dates([dt.date(2027, 1, 2)], (dt.date(2027, 1, 1), dt.date(2027, 1, 15)), 7)
    assert window == [dt.date(2027, 1, d) for d in (1, 2, 8, 15)]


def test_cli_compare_and_solve_many(tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(block(), default=str))
    out, plot = tmp_path / "compare.csv", tmp_path / "compare.png"
    window = ["--window", f"{day(RACE_DAY - 2)}..{day(RACE_DAY)}", "--step", "1d"]
    result = run_cli(
        "compare", str(scenario), "--race", "race0", *window, "--work-limit", "5",
        "--out", str(out), "--plot", str(plot),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert len(table) == 3 and plot.read_bytes()[:4] == b"\x89PNG"
    assert {"place", "decided", "prediction", "gap_pct", "taper_start"} <= set(table.columns)
    assert "Top place decided: " + str(day(RACE_DAY)) in result.output  # the latest date
    assert "place" in result.output and "gap" in result.output  # the coach's table
    result = run_cli(
        "solve-many", str(scenario), str(scenario), "--work-limit", "5",
        "--outdir", str(tmp_path / "plans"), "--out", str(tmp_path / "squad.json"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plans" / "s.plan.json").exists()
    bad = run_cli("compare", str(scenario), "--race", "race0", "--dates", "May 5")
    assert bad.exit_code == 2 and "--dates" in bad.output


def test_cli_compare_prints_machine_tables_and_defaults_to_the_a_race(tmp_path):
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(block(), default=str))
    dates = f"{day(RACE_DAY - 1)},{day(RACE_DAY)}"
    result = subprocess.run(
        [sys.executable, "-m", "periodize.cli", "compare", str(scenario), "--dates", dates,
         "--work-limit", "5", "--out", "json"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)  # standard output holds the JSON alone
    assert [r["date"][:10] for r in rows] == [str(day(RACE_DAY - 1)), str(day(RACE_DAY))]
    assert "Top place" in result.stderr  # the coach's table went to standard error


@pytest.mark.parametrize("listener", ["closed", "http"])
def test_a_bad_scheduler_address_exits_2_naming_it(tmp_path, listener):
    """A closed loopback port, and one where a plain HTTP server listens: exit 2 with the address
    in the message (the probe has short timeouts: no hang, no huge allocation)."""
    import http.server
    import socket
    import threading

    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(block(), default=str))
    if listener == "closed":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = None
    else:
        server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
    address = f"tcp://127.0.0.1:{port}"
    try:
        result = run_cli(
            "compare", str(scenario), "--race", "race0", "--dates", str(day(RACE_DAY)),
            "--work-limit", "5", "--scheduler", address,
        )  # fmt: skip
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    assert result.exit_code == 2, result.output
    assert address in result.output and "--scheduler" in result.output


def test_wall_clock_budgets_per_candidate_and_for_the_whole_squad(tmp_path):
    """The wall-clock budgets run (generous: the tiny block is proven in well under a second), and
    a per-solve flag without --time-limit is refused."""
    frame = compare_peaks(make(block()), "race0", CANDIDATES, time_limit=60, per_candidate=True)
    assert (frame["status"] == "optimal").all() and frame.attrs["top_decided"]
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(block(), default=str))
    squad = run_cli("solve-many", str(scenario), str(scenario), "--time-limit", "120",
                    "--outdir", str(tmp_path / "plans"))  # fmt: skip
    assert squad.exit_code == 0 and "optimal" in squad.output
    refused = run_cli("solve-many", str(scenario), "--per-athlete")
    assert refused.exit_code == 2 and "--per-athlete" in refused.output


def test_the_verdict_never_says_decided_or_equivalent_while_a_date_lacks_its_interval():
    """A sweep where one date got no plan (or no bound): whatever the others' intervals say, the
    top place is 'not decided', and that date is named."""
    from periodize.sweep.ranking import Place
    from periodize.sweep.table import verdict

    dates = [dt.date(2027, 4, 3), dt.date(2027, 4, 10)]
    frame = pd.DataFrame({"date": dates})
    frame.attrs.update(
        places={dates[0]: Place(1, 1)}, top_decided=False, top_equivalent=[],
        undetermined=[dates[1]], rounds=2, sweep_seconds=1.0,
    )  # fmt: skip
    text = "\n".join(verdict(frame))
    assert "Top place not decided: 2027-04-10" in text and "Top place decided" not in text
    assert "Not ranked (no plan or no bound): 2027-04-10" in text
    frame.attrs.update(
        undetermined=[], top_equivalent=dates, places={d: Place(1, 2) for d in dates}
    )
    frame.attrs["tolerance"] = 0.0025
    assert "practically equivalent between 2027-04-03, 2027-04-10" in "\n".join(verdict(frame))
