"""Solve each reference scenario with fixed settings and print a table.

    python benchmarks/run.py [--runs 3] [--time-limit 60] [--workers 2] [SCENARIO ...]

Each solve is a whole `periodize solve` process (import, model build, solve, audit, output),
timed from outside; peak memory is the child's maximum resident set size. With --runs > 1 the
table shows the median wall time of the runs and the status/gap of the median run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = sorted((ROOT / "benchmarks" / "scenarios").glob("*.toml")) or sorted(
    (ROOT / "scenarios").glob("*.toml")
)


def run_once(scenario: Path, time_limit: float, workers: int, seed: int) -> dict:
    exe = Path(sys.executable).with_name("periodize")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "plan.json"
        cmd = [
            str(exe),
            "solve",
            str(scenario),
            "--quiet",
            "--time-limit",
            str(time_limit),
            "--workers",
            str(workers),
            "--seed",
            str(seed),
            "--out",
            str(out),
        ]
        pid_start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _, _, rusage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - pid_start
        plan = json.loads(out.read_text()) if out.exists() else {}
    return {
        "wall": wall,
        "mem_mb": rusage.ru_maxrss / 1024,
        "status": plan.get("status", f"exit {proc.returncode or 0}"),
        "objective": plan.get("objective"),
        "bound": plan.get("bound"),
        "gap": plan.get("gap"),
        "weeks": len(plan.get("weeks", [])),
        "violations": len(plan.get("violations", [])),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"settings: --time-limit {args.time_limit:g} --workers {args.workers} --seed {args.seed}; median of {args.runs} run(s)"
    )
    print()
    print("| scenario | weeks | status | objective | bound | gap % | wall s | peak MB | audit |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---|")
    for scenario in args.scenarios:
        runs = sorted(
            (
                run_once(scenario, args.time_limit, args.workers, args.seed)
                for _ in range(args.runs)
            ),
            key=lambda r: r["wall"],
        )
        mid = runs[len(runs) // 2]
        gap = "" if mid["gap"] is None else f"{100 * mid['gap']:.3f}"
        obj = "" if mid["objective"] is None else f"{mid['objective']:.1f}"
        bound = "" if mid["bound"] is None else f"{mid['bound']:.1f}"
        audit = "ok" if mid["violations"] == 0 else f"{mid['violations']} violations"
        print(
            f"| {scenario.stem} | {mid['weeks']} | {mid['status']} | {obj} | {bound} | {gap} | "
            f"{statistics.median(r['wall'] for r in runs):.2f} | {max(r['mem_mb'] for r in runs):.0f} | {audit} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
