"""Re-planning the default scenario (scenarios/sprint-16wk.toml) after training happened: how
many future days change, whether every rule holds, and how soon the first plan comes.

Cases, on a plan solved once with the default time limit (or --plan):
- midpoint: a log identical to the plan, re-planned from day 57 (week 9): nothing should change;
- easy-missed: the first easy session of week 6 missed, re-planned from the next day;
- sprints-missed: both sprint sessions of week 10 missed, re-planned from week 11.
"first plan" is the time at the end of the first search stage that holds a plan (progress
callback): an upper bound on when the first plan was found. Prints a Markdown table of medians.

    python benchmarks/replan.py [--runs 3] [--time-limit 60] [--plan PLAN.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from pathlib import Path

import periodize
from periodize.core.terms import Category
from periodize.plan.schema import Plan

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "sprint-16wk.toml"


def cases(scenario: periodize.Scenario, plan: Plan) -> dict[str, tuple[dt.date, list[dt.date]]]:
    """Case name -> (today, missed days)."""

    def date(n: int) -> dt.date:
        return scenario.start + dt.timedelta(days=n)

    def training(n: int) -> list:
        return [s for s in plan.days[n].sessions if s.category not in (Category.rest,)]

    easy = next(n for n in range(35, 42) if training(n) and not any(s.hard for s in training(n)))
    sprints = [n for n in range(63, 70) if any(s.category == Category.sprint for s in training(n))]
    return {
        "midpoint": (date(56), []),
        "easy-missed": (date(easy + 1), [date(easy)]),
        "sprints-missed": (date(70), [date(n) for n in sprints]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--plan", type=Path, default=None)
    args = parser.parse_args()
    scenario = periodize.load_scenario(SCENARIO)
    if args.plan:
        plan = periodize.load_plan(args.plan)
    else:
        plan = periodize.solve(scenario, time_limit=args.time_limit)
    print(f"machine: {platform.machine()}, {platform.python_version()}; base plan {plan.status}, "
          f"objective {plan.objective}")  # fmt: skip
    print("| case | today | missed | first plan s | whole re-plan s | days changed | rules hold |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, (today, missed) in cases(scenario, plan).items():
        firsts, totals, changed, clean = [], [], [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            seen: list[float] = []

            def progress(p, seen=seen, start=start) -> None:
                if p.objective is not None and not seen:
                    seen.append(time.perf_counter() - start)

            new = periodize.replan(
                scenario, plan, today, missed=missed, time_limit=args.time_limit,
                progress=progress,
            )  # fmt: skip
            totals.append(time.perf_counter() - start)
            firsts.append(seen[0] if seen else float("nan"))
            changed.append(len(new.changes))
            clean.append(bool(new.days) and not new.violations)
        print(
            f"| {name} | {today} | {len(missed)} | {statistics.median(firsts):.1f} | "
            f"{statistics.median(totals):.1f} | {statistics.median(changed):g} "
            f"({', '.join(map(str, changed))}) | {'yes' if all(clean) else 'no'} |"
        )


if __name__ == "__main__":
    main()
