"""Stopping a solve: periodize.cancel() from Python, Ctrl-C at the command line (the best plan so
far, printed and written, exit 130), and a second Ctrl-C while the outputs are written (each file
whole or absent). No test depends on how fast the machine is: the solves have long limits and are
stopped once their search has started."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import periodize
from periodize.cli import main as cli
from periodize.solver.search import stopping

ROOT = Path(__file__).resolve().parents[1]
BLOCK = ROOT / "benchmarks" / "scenarios" / "sprint-16wk.toml"  # not proven in minutes
LONG_BLOCK_WAIT = 300.0  # seconds: only a guard against a hang, never reached when all is well


def _wait_for_a_search() -> None:
    """Until some CP-SAT search of this process is running."""
    waited = 0.0
    while not stopping._active:
        assert waited < LONG_BLOCK_WAIT, "no search started"
        time.sleep(0.05)
        waited += 0.05


def test_cancel_stops_a_solve_with_its_best_plan_so_far():
    scenario = periodize.load_scenario(BLOCK)
    result = {}
    worker = threading.Thread(
        target=lambda: result.update(plan=periodize.solve(scenario, time_limit=3600, workers=2))
    )
    worker.start()
    _wait_for_a_search()
    periodize.cancel()
    worker.join(LONG_BLOCK_WAIT)
    assert not worker.is_alive(), "the solve went on after cancel()"
    plan = result["plan"]
    assert plan.interrupted and plan.status in ("feasible", "unknown")
    if plan.days:
        assert periodize.audit(scenario, plan) == []
        assert plan.bound >= plan.objective - 1e-6
    # the request was for that solve only: the next one runs to its end
    again = periodize.solve(
        periodize.load_scenario(ROOT / "benchmarks" / "scenarios" / "three-days.toml"),
        work_limit=0.5,
        seed=0,
    )
    assert not again.interrupted and again.status in ("feasible", "optimal")


def _wait_for_searches_of(*tokens: periodize.CancelToken) -> None:
    """Until a CP-SAT search of each token's solve is running."""
    waited = 0.0
    while not set(tokens) <= set(stopping._active.values()):
        assert waited < LONG_BLOCK_WAIT, "the searches did not start"
        time.sleep(0.05)
        waited += 0.05


@pytest.mark.slow
def test_a_token_stops_its_own_solve_and_no_other():
    """Two solves on two threads of one process; cancelling one's token stops it alone."""
    scenario = periodize.load_scenario(BLOCK)
    stopped, running = periodize.CancelToken(), periodize.CancelToken()
    plans: dict[str, periodize.Plan] = {}

    def start(name: str, **options) -> threading.Thread:
        thread = threading.Thread(
            target=lambda: plans.update({name: periodize.solve(scenario, **options)})
        )
        thread.start()
        return thread

    long = start("stopped", time_limit=3600, workers=1, cancel=stopped)
    budgeted = start("running", work_limit=4, seed=0, cancel=running)
    _wait_for_searches_of(stopped, running)
    stopped.cancel()
    long.join(LONG_BLOCK_WAIT)
    assert not long.is_alive(), "the solve went on after its token was cancelled"
    budgeted.join(LONG_BLOCK_WAIT)
    assert plans["stopped"].interrupted
    assert not plans["running"].interrupted and not running.cancelled
    # the other solve was not disturbed: it is the plan its seed and budget give alone
    alone = periodize.solve(scenario, work_limit=4, seed=0)
    assert plans["running"].days == alone.days
    assert plans["running"].objective == alone.objective


def test_a_solve_given_a_cancelled_token_stops_as_soon_as_it_starts():
    token = periodize.CancelToken()
    token.cancel()
    plan = periodize.solve(periodize.load_scenario(BLOCK), time_limit=3600, cancel=token)
    assert plan.interrupted and plan.status in ("feasible", "unknown")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_prints_and_writes_the_best_plan_so_far_and_exits_130(tmp_path):
    out, ics = tmp_path / "plan.json", tmp_path / "plan.ics"
    command = [sys.executable, "-m", "periodize.cli", "solve", str(BLOCK), "--quiet"]
    command += ["--time-limit", "3600", "--out", str(out), "--ics", str(ics)]
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
    )
    assert child.stderr is not None
    first = child.stderr.readline()  # printed once Ctrl-C is handled
    assert first.startswith(f"solving {BLOCK}"), first
    time.sleep(1.0)  # into the search (earlier is fine too: then there is no plan yet)
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=LONG_BLOCK_WAIT)
    assert child.returncode == 130, (stdout, stderr)
    assert "interrupted" in stderr and "Traceback" not in stderr
    if out.exists():
        plan = json.loads(out.read_text())
        assert plan["interrupted"] is True and plan["status"] == "feasible"
        assert "interrupted: the best plan so far" in stdout
        assert ics.read_text().startswith("BEGIN:VCALENDAR")
    else:
        assert "interrupted before a plan was found" in stdout and not ics.exists()
    assert not list(tmp_path.glob(".*.part"))


def test_a_second_ctrl_c_while_writing_leaves_whole_files_or_none(tmp_path, monkeypatch):
    """The plan is written, then Ctrl-C comes while the calendar is being written: the plan file
    is whole, the calendar absent, no partial file is left, and the exit code is 130."""
    real_replace = os.replace

    def replace(source, target):  # Ctrl-C between writing the calendar and renaming it
        if str(target).endswith(".ics"):
            raise KeyboardInterrupt
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    out, ics = tmp_path / "plan.json", tmp_path / "plan.ics"
    scenario = ROOT / "benchmarks" / "scenarios" / "three-days.toml"
    args = ["solve", str(scenario), "--quiet", "--work-limit", "1"]
    result = CliRunner().invoke(cli.main, [*args, "--out", str(out), "--ics", str(ics)])
    assert result.exit_code == 130, result.output
    assert "interrupted again" in result.output
    assert json.loads(out.read_text())["days"]
    assert not ics.exists() and not list(tmp_path.glob(".*.part"))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process group is POSIX")
@pytest.mark.parametrize("command", ["compare", "solve-many"])
def test_ctrl_c_in_a_sweep_shows_what_was_found_and_exits_130(tmp_path, command):
    """Ctrl-C at a terminal reaches the whole process group: the pool's workers stop their
    solves (each keeps its best plan so far), no new round starts, the table of what was found
    is printed and the command exits 130, with no traceback and no 'Aborted!'."""
    args = [sys.executable, "-m", "periodize.cli", command, str(BLOCK)]
    if command == "compare":
        args += ["--time-limit", "3600", "--workers", "2"]
    else:
        args += [str(BLOCK), "--time-limit", "3600", "--outdir", str(tmp_path / "plans")]
    child = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )  # fmt: skip
    assert child.stderr is not None
    first = child.stderr.readline()
    assert "Ctrl-C stops it" in first, first
    time.sleep(3.0)  # the workers are solving
    os.killpg(child.pid, signal.SIGINT)
    stdout, stderr = child.communicate(timeout=LONG_BLOCK_WAIT)
    assert child.returncode == 130, (stdout, stderr)
    assert "Traceback" not in stderr and "Aborted!" not in stderr + stdout
    assert "interrupted" in stderr + stdout
    assert stdout.strip()  # the table of what was found
