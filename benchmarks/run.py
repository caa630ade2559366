"""Solve each reference scenario with fixed settings and print a table.

    python benchmarks/run.py [--runs 3] [--time-limit 60] [--workers 2] [--work-limit W]
                             [--busy N] [SCENARIO ...]

A SCENARIO is a path or the name of a reference scenario (`season-52wk` for
benchmarks/scenarios/season-52wk.toml). Each solve is a whole `periodize solve` process (import,
model build, solve, audit, output), timed from outside; peak memory is the child's maximum
resident set size, its CPU time the child's user + system time, and `found by` the part of the
solve whose plan it is (the plan's found_by). With --runs > 1 the table shows the median wall and
CPU time of the runs, the largest peak memory, and the status, objective, bound and gap of the run with the median gap (a run
without a plan counts as the largest gap). Exit code 1 if any run ended without a plan or with
audit violations.

--work-limit W solves on one worker and W deterministic seconds instead of the wall clock (the
figures then hold on any machine, however loaded). --busy N runs N busy processes (a Python loop
each) beside every solve, the contention a user's machine has (benchmarks/contention.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "benchmarks" / "scenarios"
DEFAULT = sorted(REFERENCE.glob("*.toml"))


def scenario_path(arg: str) -> Path:
    """A scenario argument as a file: the path itself, or a reference scenario by name."""
    for candidate in (Path(arg), REFERENCE / arg, REFERENCE / f"{arg}.toml"):
        if candidate.is_file():
            return candidate
    names = ", ".join(p.stem for p in DEFAULT)
    raise argparse.ArgumentTypeError(
        f"{arg!r} is neither a scenario file nor a reference scenario ({names})"
    )


def run_once(
    scenario: Path, time_limit: float, workers: int, seed: int, work_limit: float | None = None
) -> dict:
    exe = Path(sys.executable).with_name("periodize")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "plan.json"
        budget = (
            ["--work-limit", str(work_limit)]
            if work_limit is not None
            else ["--time-limit", str(time_limit), "--workers", str(workers)]
        )
        cmd = [str(exe), "solve", str(scenario), "--quiet", *budget, "--seed", str(seed)]
        cmd += ["--out", str(out)]
        errors = Path(tmp) / "stderr.txt"
        with errors.open("w") as stderr:
            pid_start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr)
            _, wait_status, rusage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - pid_start
        code = os.waitstatus_to_exitcode(wait_status)
        plan = json.loads(out.read_text()) if out.exists() else {}
        if not plan:
            message = errors.read_text().strip().splitlines()
            print(
                f"{scenario.stem}: exit {code}: {message[-1] if message else 'no output'}",
                file=sys.stderr,
            )
    return {
        "wall": wall,
        "mem_mb": rusage.ru_maxrss / 1024,
        "has_plan": bool(plan.get("days")),
        "status": plan.get("status", f"exit {code}"),
        "objective": plan.get("objective"),
        "bound": plan.get("bound"),
        "gap": plan.get("gap"),
        "weeks": len(plan.get("weeks", [])),
        "violations": len(plan.get("violations", [])),
        "found_by": plan.get("found_by") or "",
        "cpu": rusage.ru_utime + rusage.ru_stime,
    }


@contextlib.contextmanager
def busy(n: int) -> Iterator[None]:
    """`n` processes that each hold a core with a busy loop, stopped (by PID) on leaving."""
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", type=scenario_path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work-limit", type=float, default=None)
    parser.add_argument("--busy", type=int, default=0)
    args = parser.parse_args()
    budget = (
        f"--work-limit {args.work_limit:g}"
        if args.work_limit is not None
        else f"--time-limit {args.time_limit:g} --workers {args.workers}"
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"settings: {budget} --seed {args.seed}; {args.busy} busy process(es) beside each solve; "
        f"median of {args.runs} run(s)"
    )
    print()
    print(
        "| scenario | weeks | status | objective | bound | gap % | found by | wall s | CPU s "
        "| peak MB | audit |"
    )
    print("|---|---:|---|---:|---:|---:|---|---:|---:|---:|---|")
    failed = 0
    for scenario in args.scenarios:
        with busy(args.busy):
            runs = sorted(
                (
                    run_once(scenario, args.time_limit, args.workers, args.seed, args.work_limit)
                    for _ in range(args.runs)
                ),
                key=lambda r: math.inf if r["gap"] is None else r["gap"],
            )
        mid = runs[(len(runs) - 1) // 2]
        failed += sum(not r["has_plan"] or r["violations"] > 0 for r in runs)
        gap = "" if mid["gap"] is None else f"{100 * mid['gap']:.3f}"
        obj = "" if mid["objective"] is None else f"{mid['objective']:.1f}"
        bound = "" if mid["bound"] is None else f"{mid['bound']:.1f}"
        audit = (
            "—"
            if not mid["has_plan"]
            else "ok"
            if mid["violations"] == 0
            else f"{mid['violations']} violations"
        )
        print(
            f"| {scenario.stem} | {mid['weeks']} | {mid['status']} | {obj} | {bound} | {gap} | "
            f"{mid['found_by']} | {statistics.median(r['wall'] for r in runs):.2f} | "
            f"{statistics.median(r['cpu'] for r in runs):.1f} | "
            f"{max(r['mem_mb'] for r in runs):.0f} | {audit} |",
            flush=True,
        )
    if failed:
        print(f"{failed} run(s) ended without a plan or with audit violations", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
