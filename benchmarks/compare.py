"""Benchmark of issue 4: 8 candidate dates of the 16-week scenario's A race, solved by
`periodize compare` (a process pool, processes x CP-SAT workers <= cores) against the same 8
scenarios solved one after another with `periodize solve` (all cores each), and optionally a
squad of N scenarios through a Dask LocalCluster against the local pool.

    python benchmarks/compare.py [--time-limit 20] [--same-settings] [--squad 0]
                                 [--squad-scenario FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "benchmarks" / "scenarios" / "sprint-16wk.toml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument(
        "--same-settings", action="store_true",
        help="also time compare's own solves (1 CP-SAT worker each) one after another",
    )  # fmt: skip
    parser.add_argument("--squad", type=int, default=0, help="also run a squad of N through Dask")
    parser.add_argument(
        "--squad-scenario", default=str(ROOT / "benchmarks/scenarios/three-days.toml")
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import pandas as pd

    from periodize.batch import race_variant, solve_many
    from periodize.loading import load_scenario

    exe = str(Path(sys.executable).with_name("periodize"))
    scenario = load_scenario(SCENARIO)
    race = scenario.races[0]
    dates = [race.date + dt.timedelta(days=7 * k) for k in range(-4, 4)]
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores; --time-limit {args.time_limit}")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run(
            [exe, "compare", str(SCENARIO), "--race", race.name, "--dates",
             ",".join(d.isoformat() for d in dates), "--time-limit", str(args.time_limit),
             "--out", f"{tmp}/compare.csv"],
            check=False, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        parallel = time.perf_counter() - started
        frame = pd.read_csv(f"{tmp}/compare.csv")
        started = time.perf_counter()
        for date in dates:
            path = Path(tmp) / f"{date}.json"
            path.write_text(
                json.dumps(race_variant(scenario, race.name, date).model_dump(mode="json"))
            )
            subprocess.run(
                [exe, "solve", str(path), "--quiet", "--time-limit", str(args.time_limit)],
                check=False, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        sequential = time.perf_counter() - started
        same = None
        if args.same_settings:  # the very solves compare runs (1 worker, deterministic), in turn
            started = time.perf_counter()
            for date in dates:
                subprocess.run(
                    [exe, "solve", str(Path(tmp) / f"{date}.json"), "--quiet", "--workers", "1",
                     "--time-limit", str(args.time_limit)],
                    check=False, stdout=subprocess.DEVNULL,
                )  # fmt: skip
            same = time.perf_counter() - started
    print(frame[["date", "status", "performance", "relative_pct", "gap"]].to_string(index=False))
    print(f"8 candidates: compare {parallel:.1f} s, one after another {sequential:.1f} s, "
          f"ratio {parallel / sequential:.2f}")  # fmt: skip
    if same is not None:
        print(f"the same 8 solves (1 worker each) one after another {same:.1f} s, "
              f"ratio {parallel / same:.2f}")  # fmt: skip
    if args.squad:
        from distributed import Client, LocalCluster

        base = load_scenario(args.squad_scenario)
        # distinct athletes: Dask would otherwise compute identical tasks only once
        squad = [
            base.model_copy(
                update={"athlete": base.athlete.model_copy(update={"name": f"athlete {i}"})}
            )
            for i in range(args.squad)
        ]
        started = time.perf_counter()
        local = solve_many(squad, time_limit=args.time_limit)
        local_s = time.perf_counter() - started
        with LocalCluster(n_workers=os.cpu_count(), threads_per_worker=1, host="127.0.0.1",
                          dashboard_address=None) as cluster, Client(cluster) as client:  # fmt: skip
            started = time.perf_counter()
            remote = solve_many(squad, time_limit=args.time_limit, executor=client.get_executor())
            dask_s = time.perf_counter() - started
        same = [a.model_dump(exclude={"solve_seconds", "plan_id"}) for a in local] == [
            b.model_dump(exclude={"solve_seconds", "plan_id"}) for b in remote
        ]
        print(f"squad of {args.squad}: local pool {local_s:.1f} s, Dask LocalCluster {dask_s:.1f} s, "
              f"identical plans: {same}")  # fmt: skip


if __name__ == "__main__":
    main()
