"""The benchmark command (benchmarks/run.py): its table, scenario names and failures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "benchmarks" / "run.py"


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(RUN), *args], capture_output=True, text=True, timeout=120
    )


def test_a_reference_scenario_by_name_gets_its_row():
    done = bench("--runs", "1", "--work-limit", "10", "three-days")  # any machine load
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("| three-days"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    scenario, weeks, status, objective, bound, gap, found_by, wall, cpu, memory, audit = cells
    assert (weeks, status, audit) == ("13", "optimal", "ok")
    assert objective == bound and gap == "0.000"
    assert float(wall) > 0 and float(memory) > 0 and float(cpu) > 0
    assert found_by in ("one_worker", "construct")


def test_an_unknown_scenario_is_named_with_the_reference_ones():
    done = bench("--runs", "1", "no-such-scenario")
    assert done.returncode == 2
    assert "'no-such-scenario'" in done.stderr and "season-52wk" in done.stderr


def test_a_run_without_a_plan_shows_its_exit_code_and_fails(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('[plan]\nstart = "not a date"\n')
    done = bench("--runs", "1", "--time-limit", "2", str(broken))
    assert done.returncode == 1
    row = next(line for line in done.stdout.splitlines() if line.startswith("| broken"))
    assert "| exit 2 |" in row and row.rstrip().endswith("| — |")
    assert "plan.start" in done.stderr
