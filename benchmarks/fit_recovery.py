"""How often `periodize fit` recovers known parameters within its reported 95 % intervals:
synthetic athletes (tests/fit_simulation.py: a periodized load history, tests every week or
two with a test's typical noise) simulated from known banister and busso parameters, each fitted
without a prior; a trial counts as recovered when every true parameter lies in its interval.
Prints, per model, the rate over the trials, each parameter's own rate, and the seconds per fit.

    python benchmarks/fit_recovery.py [--trials 100] [--model banister|busso]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fit_simulation import BANISTER_TRUTH, BUSSO_TRUTH, athlete, covered  # noqa: E402

from periodize.fitting.estimate import fit  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--model", choices=["banister", "busso"], action="append")
    args = parser.parse_args()
    truths = [t for t in (BANISTER_TRUTH, BUSSO_TRUTH) if t.family in (args.model or [t.family])]
    print(
        "| model | trials | tests per trial | all parameters in their 95 % interval | per parameter | warned | s per fit |"
    )
    print("|---|---:|---:|---:|---|---:|---:|")
    for truth in truths:
        recovered = warned = tests = 0
        per: dict[str, int] = {}
        start = time.perf_counter()
        for seed in range(args.trials):
            history, series = athlete(truth, seed)
            result = fit(history, series, truth.family, leave_one_out=False)
            hits = covered(truth, result)
            recovered += all(hits.values())
            warned += bool(result.warnings)
            tests += len(series.results)
            for name, hit in hits.items():
                per[name] = per.get(name, 0) + hit
        seconds = (time.perf_counter() - start) / args.trials
        rates = ", ".join(f"{n} {100 * k / args.trials:.0f} %" for n, k in per.items())
        print(
            f"| {truth.family} | {args.trials} | {tests / args.trials:.1f} | "
            f"{100 * recovered / args.trials:.0f} % | {rates} | {warned} | {seconds:.2f} |"
        )


if __name__ == "__main__":
    main()
