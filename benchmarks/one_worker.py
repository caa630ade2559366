"""One CP-SAT worker, CP-SAT's default linearization against level 2 (what `--workers 1` and every
solve of a `compare` sweep use): plan, bound and gap after a fixed deterministic time.

    python benchmarks/one_worker.py [--time-limit 20] [SCENARIO ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=20.0, help="deterministic seconds")
    parser.add_argument("scenarios", nargs="*")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from ortools.sat.python import cp_model

    from periodize.scenario.loading import load_scenario
    from periodize.solver.model.build import build_model

    paths = args.scenarios or sorted(str(p) for p in (ROOT / "benchmarks/scenarios").glob("*.toml"))
    print("| scenario | linearization | status | plan | bound | gap % | wall s |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for path in paths:
        scenario = load_scenario(path)
        for level in (1, 2):
            model, _ = build_model(scenario)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = 0
            solver.parameters.max_deterministic_time = args.time_limit
            solver.parameters.linearization_level = level
            started = time.perf_counter()
            code = solver.solve(model)
            wall = time.perf_counter() - started
            found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            plan, bound = solver.objective_value, solver.best_objective_bound
            gap = f"{100 * (bound - plan) / max(1.0, abs(plan)):.2f}" if found else "—"
            print(
                f"| {Path(path).stem} | {level} | {solver.status_name(code).lower()} | "
                f"{plan:.0f} | {bound:.0f} | {gap} | {wall:.1f} |"
                if found
                else f"| {Path(path).stem} | {level} | {solver.status_name(code).lower()} | — | "
                f"{bound:.0f} | — | {wall:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
