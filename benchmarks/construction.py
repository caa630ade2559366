"""The week-by-week construction (solver/search/construct.py) on generated scenarios: how often it
builds a plan that passes the audit where the scenario has one, and its CPU time.

    python benchmarks/construction.py [--examples 100] [--work-limit 2]

The scenarios are the property tests' generator (tests/test_hypothesis_plans.py, derandomized:
the same scenarios on every run). Whether a scenario has a plan is what a one-worker solve on
`--work-limit` deterministic seconds says (optimal or feasible: it has one; infeasible: none;
unknown: not counted). Construction CPU is the process's CPU time from the model build's end to
the checked plan (the construction's CP-SAT steps run on one thread). Prints one line per
outcome and the median and largest CPU times.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--work-limit", type=float, default=2.0)
    args = parser.parse_args()

    from hypothesis import HealthCheck, given, settings
    from test_hypothesis_plans import scenarios

    import periodize
    from periodize import ScenarioError
    from periodize.solver.model.build import build_model
    from periodize.solver.search.construct import checked, construct
    from periodize.solver.search.extract import extract_plan

    outcomes: Counter[str] = Counter()
    cpu: list[float] = []
    failures: list[str] = []

    @settings(
        max_examples=args.examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(doc=scenarios())
    def measure(doc) -> None:
        try:
            scenario = periodize.scenario_from_dict(copy.deepcopy(doc))
        except ScenarioError:
            outcomes["refused by validation (no plan can exist, or a bad draw)"] += 1
            return
        searched = periodize.solve(scenario, work_limit=args.work_limit, seed=0)
        model, pv = build_model(scenario)
        started = time.process_time()
        built = construct(model, pv.timeline.n_weeks, 0)
        solver = None if built is None else checked(model, built, 0)
        cpu.append(time.process_time() - started)
        has_plan = searched.status in ("optimal", "feasible")
        if solver is None:
            key = (
                "has a plan, construction failed" if has_plan else f"{searched.status}, none built"
            )
            if has_plan:
                failures.append(f"{scenario.n_days} days, {len(scenario.races)} races")
            outcomes[key] += 1
            return
        plan = extract_plan(scenario, pv, solver, 4, None, 0, 1, 0.0)  # 4: FEASIBLE
        ok = periodize.audit(scenario, plan) == []
        outcomes[f"built, audit {'ok' if ok else 'VIOLATIONS'} (search: {searched.status})"] += 1

    measure()
    for key, count in sorted(outcomes.items()):
        print(f"{count:4d}  {key}")
    built = sum(n for k, n in outcomes.items() if k.startswith("built, audit ok"))
    planned = built + outcomes["has a plan, construction failed"]
    if planned:
        print(f"built where a plan exists: {built} of {planned} ({100 * built / planned:.1f} %)")
    if cpu:
        print(
            f"construction CPU: median {statistics.median(cpu):.2f} s, "
            f"largest {max(cpu):.2f} s, {sum(c <= 1.0 for c in cpu)} of {len(cpu)} within 1 s"
        )
    for failure in failures:
        print("failed:", failure)


if __name__ == "__main__":
    main()
