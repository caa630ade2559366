"""Fingerprints that a refactor must leave unchanged: per scenario, a hash of the CP-SAT model
(variables and constraints, without the redundant cuts) and of the plan a one-worker solve on a
work budget returns (the days, weeks, races, objective and bound; not the clock readings).

    python tools/fingerprint.py [--work-limit 3] [--examples 36] > before.txt
    ... change the code ...
    python tools/fingerprint.py [same options] | diff before.txt -

The scenarios: the bundled ones (scenarios/), the benchmarks' (benchmarks/scenarios/), the
starter scenario of `periodize init`, and `--examples` scenarios of the property tests'
generator (tests/test_hypothesis_plans.py, derandomized: the same on every run).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

# what varies between two runs of the same deterministic solve: the clock and the new plan id
CLOCK_FIELDS = {"solve_seconds", "found_at_seconds", "stages", "plan_id"}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def fingerprint(scenario: object, work_limit: float) -> str:
    import periodize
    from periodize.solver.model.build import build_model

    model, _ = build_model(scenario)  # type: ignore[arg-type]
    plan = periodize.solve(scenario, work_limit=work_limit, workers=1, seed=0)  # type: ignore[arg-type]
    kept = {k: v for k, v in plan.model_dump(mode="json").items() if k not in CLOCK_FIELDS}
    plan_text = json.dumps(kept, sort_keys=True).encode()
    return f"model {_digest(str(model.proto).encode())} plan {_digest(plan_text)} {plan.status}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-limit", type=float, default=3.0)
    parser.add_argument("--examples", type=int, default=36)
    args = parser.parse_args()

    import periodize
    from periodize import ScenarioError

    paths = sorted((ROOT / "scenarios").glob("*.toml")) + sorted(
        (ROOT / "benchmarks" / "scenarios").glob("*.toml")
    )
    for path in paths:
        scenario = periodize.load_scenario(path)
        print(path.relative_to(ROOT), fingerprint(scenario, args.work_limit), flush=True)

    from click.testing import CliRunner

    from periodize.cli.main import main as cli

    with tempfile.TemporaryDirectory() as folder:
        starter = Path(folder) / "starter.toml"
        CliRunner().invoke(cli, ["init", str(starter)])
        print("init starter", fingerprint(periodize.load_scenario(starter), args.work_limit))

    from hypothesis import HealthCheck, given, settings
    from test_hypothesis_plans import scenarios

    count = 0

    @settings(
        max_examples=args.examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(doc=scenarios())
    def each(doc: dict[str, object]) -> None:
        nonlocal count
        count += 1
        try:
            scenario = periodize.scenario_from_dict(copy.deepcopy(doc))
        except ScenarioError as error:
            print(f"example {count} refused {_digest(str(error).encode())}")
            return
        print(f"example {count}", fingerprint(scenario, args.work_limit), flush=True)

    each()


if __name__ == "__main__":
    main()
