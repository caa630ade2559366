"""Benchmark of issue 23: `periodize compare` on the 16-week scenario over its default 8 weekly
dates (4 weeks before to 3 weeks after the A race), timed from outside as a whole command with
the machine's load average before and after; what the ranking decided; and how long
`periodize solve --workers 1 --time-limit 20` really takes. Optionally a squad solved on the local
pool and on a Dask LocalCluster under a work budget (identical plans expected).

    python benchmarks/compare.py [--runs 3] [--time-limit 180] [--work-limit W] [--busy N]
                                 [--solve-runs 3] [--squad 0] [--squad-work 1]

Each run is a separate process; the table's wall time is the median of the runs. The table says
how many dates got a plan and how many an interval (a plan and a proven bound), and the
command's own verdict on the top place. --busy N runs N busy processes beside the sweeps (the
contention benchmark's load: benchmarks/contention.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import busy  # noqa: E402  (the benchmarks' shared busy processes)

SCENARIO = ROOT / "scenarios" / "sprint-16wk.toml"
EXE = [sys.executable, "-m", "periodize.cli.main"]


def load() -> str:
    """The 1-minute load average (the machine is shared: figures mean little without it)."""
    return f"{os.getloadavg()[0]:.2f}"


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    return time.perf_counter() - started, done


def sweep(args: argparse.Namespace) -> None:
    budget = ["--time-limit", str(args.time_limit)] if args.time_limit else []
    budget += ["--work-limit", str(args.work_limit)] if args.work_limit else []
    walls = []
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores; compare {' '.join(budget)}")
    print(f"{args.busy} busy process(es) beside each sweep")
    print(
        "| run | load before | wall s | rounds | dates with a plan | with a bound | top place | load after |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as tmp, busy(args.busy):
            before = load()
            wall, done = timed([*EXE, "compare", str(SCENARIO), *budget, "--out",
                                f"{tmp}/table.json"])  # fmt: skip
            rows = json.loads(Path(f"{tmp}/table.json").read_text())
        walls.append(wall)
        planned = sum(r.get("performance") is not None for r in rows)
        bounded = sum(r.get("bound") is not None for r in rows)
        output = (done.stdout + done.stderr).splitlines()
        verdict = next((ln for ln in output if ln.startswith("Top place")), "no verdict")
        rounds = next((ln for ln in done.stderr.splitlines() if ln.startswith("round")), "")
        count = sum(ln.startswith("round") for ln in done.stderr.splitlines())
        print(f"| {run} | {before} | {wall:.1f} | {count} | {planned} of {len(rows)} | "
              f"{bounded} of {len(rows)} | {verdict} | {load()} |")  # fmt: skip
        if args.verbose:
            print(done.stdout, rounds)
    print(f"median wall: {statistics.median(walls):.1f} s")


def one_worker_solve(args: argparse.Namespace) -> None:
    walls = []
    for _ in range(args.solve_runs):
        before = load()
        wall, done = timed([*EXE, "solve", str(SCENARIO), "--workers", "1", "--time-limit",
                            "20", "--quiet"])  # fmt: skip
        walls.append(wall)
        status = next((ln for ln in done.stdout.splitlines() if ln.startswith("status")), "")
        print(f"solve --workers 1 --time-limit 20: {wall:.2f} s (load {before} -> {load()}); "
              f"{status}")  # fmt: skip
    if walls:
        print(f"median: {statistics.median(walls):.2f} s, max {max(walls):.2f} s")


def squad(args: argparse.Namespace) -> None:
    from distributed import Client, LocalCluster

    from periodize import load_scenario
    from periodize.sweep.batch import solve_many

    base = load_scenario(ROOT / "benchmarks" / "scenarios" / "three-days.toml")
    # distinct athletes: Dask would otherwise compute identical tasks only once
    athletes = [
        base.model_copy(update={"athlete": base.athlete.model_copy(update={"name": f"a{i}"})})
        for i in range(args.squad)
    ]
    started = time.perf_counter()
    local = solve_many(athletes, work_limit=args.squad_work)
    local_s = time.perf_counter() - started
    with LocalCluster(n_workers=os.cpu_count(), threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:  # fmt: skip
        started = time.perf_counter()
        remote = solve_many(athletes, work_limit=args.squad_work, executor=client.get_executor())
        dask_s = time.perf_counter() - started
    same = [
        a.model_dump(exclude={"solve_seconds", "found_at_seconds", "plan_id"}) for a in local
    ] == [  # type: ignore[union-attr]
        b.model_dump(exclude={"solve_seconds", "found_at_seconds", "plan_id"})
        for b in remote  # type: ignore[union-attr]
    ]
    print(f"squad of {args.squad} at {args.squad_work} work units: local pool {local_s:.1f} s, "
          f"Dask LocalCluster {dask_s:.1f} s, identical plans: {same}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="compare runs (0: none)")
    parser.add_argument("--time-limit", type=float, default=None, help="[default: compare's]")
    parser.add_argument("--work-limit", type=float, default=None)
    parser.add_argument("--solve-runs", type=int, default=3)
    parser.add_argument("--squad", type=int, default=0)
    parser.add_argument("--squad-work", type=float, default=1.0)
    parser.add_argument("--verbose", action="store_true", help="print each run's table")
    parser.add_argument("--busy", type=int, default=0, help="busy processes beside each sweep")
    args = parser.parse_args()
    if args.runs:
        sweep(args)
    if args.solve_runs:
        one_worker_solve(args)
    if args.squad:
        squad(args)


if __name__ == "__main__":
    main()
