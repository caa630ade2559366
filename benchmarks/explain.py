"""Time the explanation of every catalog scenario (tests/infeasible_catalog.py) and of a 16-week
infeasible scenario: conflict size, CP-SAT solves and wall seconds (median of --runs).

    python benchmarks/explain.py [--runs 3]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from infeasible_catalog import CATALOG  # noqa: E402

import periodize  # noqa: E402


def sixteen_weeks() -> periodize.Scenario:
    """The default 16-week scenario with three rest days a week: the template no longer fits."""
    sc = periodize.load_scenario(ROOT / "scenarios" / "sprint-16wk.toml")
    data = sc.model_dump(mode="json")
    data["rules"]["rest_days"]["min_per_week"] = 3
    data["rules"]["preset"] = None
    data["sessions"]["preset"] = None
    return periodize.Scenario.model_validate(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cases = {
        name: periodize.scenario_from_dict(copy.deepcopy(e["doc"]), name)
        for name, e in CATALOG.items()
    }
    cases["sprint-16wk + 3 rest days"] = sixteen_weeks()
    print("| scenario | weeks | rules in the conflict | minimal | solves | seconds (median) |")
    print("|---|---:|---|---|---:|---:|")
    for name, sc in cases.items():
        results = [periodize.explain(sc, time_limit=60) for _ in range(args.runs)]
        c = results[0]
        rules = ", ".join(sorted({r.rule for r in c.rules}))
        seconds = statistics.median(r.seconds for r in results)
        print(
            f"| {name} | {sc.n_weeks} | {len(c.rules)}: {rules} | {c.minimal} | {c.solves} | {seconds:.2f} |"
        )


if __name__ == "__main__":
    main()
