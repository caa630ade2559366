"""CP-SAT on a long season after the skeleton search has given up: the plain 2-worker portfolio on
the model with the redundant cuts throughout, without them throughout, or split (a share of the
time without, the rest with them, hinted); `dives` (solver/search/pipeline.py, the "dives" share): two
LP-guided dives on the model without the cuts until their first plan, then the model with them;
and `pieces` (solver/search/pieces.py): the macrocycle pieces' bound and skeleton, then CP-SAT on that
skeleton (model without the cuts) for the rest of the time.

    python benchmarks/long_season.py SCENARIO ... [--time-limit 45] [--seeds 0 1] [--shares 1/3 dives pieces]

Objective and bound are CP-SAT's scaled ones (the training-dependent part of the objective).
"""

from __future__ import annotations

import argparse
import sys
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=45.0, help="wall seconds per variant")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument(
        "--shares", nargs="+", default=["1/3", "dives", "pieces"], help="time without cuts"
    )
    parser.add_argument("scenarios", nargs="+")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from ortools.sat.python import cp_model

    from periodize.core.terms import DEFAULT_TIME_LIMIT
    from periodize.scenario.loading import load_scenario
    from periodize.solver.model.build import build_model
    from periodize.solver.search.budget import SHARES
    from periodize.solver.search.cuts import add_redundant_cuts
    from periodize.solver.search.pieces import search_pieces
    from periodize.solver.search.runs import dives, plain_solve, solution
    from periodize.solver.search.skeleton import solve_leaf

    print("| scenario | seed | time without cuts | plan | bound | gap % |")
    print("|---|---:|---|---:|---:|---:|")
    for path in args.scenarios:
        model, pv = build_model(load_scenario(path))
        plain = model.clone()
        add_redundant_cuts(pv, SHARES["cuts"].fraction * DEFAULT_TIME_LIMIT, threads=2)
        for seed in args.seeds:
            for share in ["0", "1", *args.shares]:
                end = time.perf_counter() + args.time_limit
                if share == "pieces":
                    pieces = search_pieces(model, pv, end)
                    plan = bound = None
                    if pieces is not None:
                        solver, code = solve_leaf(plain, pieces.skeleton, None, end, 2, seed)
                        bound = pieces.bound
                        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                            plan = solver.objective_value
                    gap = "–" if plan is None else f"{100 * (bound - plan) / abs(plan):.2f}"
                    print(f"| {Path(path).stem} | {seed} | {share} | {plan} | {bound} | {gap} |")
                    continue
                fraction = SHARES["dives"].fraction if share == "dives" else float(Fraction(share))
                first = time.perf_counter() + fraction * args.time_limit
                plans, bounds, hint = [], [], None
                first_stage = dives if share == "dives" else plain_solve
                for run, stage, stage_end in (
                    (first_stage, plain, first),
                    (plain_solve, model, end),
                ):
                    if stage_end - time.perf_counter() < 0.5:
                        continue
                    solver, code = run(stage, pv, stage_end, 2, seed, False, hint=hint)
                    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                        plans.append(solver.objective_value)
                        bounds.append(solver.best_objective_bound)
                        hint = solution(solver)
                    if code == cp_model.OPTIMAL:
                        break
                plan, bound = max(plans, default=None), min(bounds, default=None)
                gap = "–" if plan is None else f"{100 * (bound - plan) / abs(plan):.2f}"
                print(f"| {Path(path).stem} | {seed} | {share} | {plan} | {bound} | {gap} |")


if __name__ == "__main__":
    main()
