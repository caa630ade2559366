"""The type check: mypy over src/periodize (configured in pyproject.toml) against a recorded
baseline that only shrinks.

The modules named strict in pyproject.toml must be clean. Elsewhere each file may keep the
errors recorded in mypy-baseline.json (counted per file and error code), no more: a new error
fails the check. So does a baseline larger than what mypy now finds, so that fixed errors are
struck from it at once (`make typecheck-baseline`, i.e. `--update`, which never lets it grow).

    python tools/typecheck.py [--update]
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "mypy-baseline.json"
ERROR = re.compile(r"^(?P<path>[^:]+):\d+: error: .*\[(?P<code>[a-z-]+)\]$")


def run_mypy() -> tuple[Counter[tuple[str, str]], list[str], int]:
    """Error counts per (file, code), the error lines, and mypy's exit code."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--no-pretty"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = [line for line in done.stdout.splitlines() if ": error: " in line]
    counts: Counter[tuple[str, str]] = Counter()
    for line in lines:
        match = ERROR.match(line)
        if match is None:  # an error mypy reports without a code (a syntax error, a crash)
            print(line)
            sys.exit(2)
        counts[(match["path"], match["code"])] += 1
    if done.returncode not in (0, 1):  # 2: mypy itself failed
        print(done.stdout + done.stderr)
        sys.exit(2)
    return counts, lines, done.returncode


def load_baseline() -> Counter[tuple[str, str]]:
    if not BASELINE.exists():
        return Counter()
    data = json.loads(BASELINE.read_text(encoding="utf-8"))
    return Counter({(path, code): n for path, codes in data.items() for code, n in codes.items()})


def save_baseline(counts: Counter[tuple[str, str]]) -> None:
    data: dict[str, dict[str, int]] = {}
    for (path, code), n in sorted(counts.items()):
        data.setdefault(path, {})[code] = n
    BASELINE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main() -> int:
    update = sys.argv[1:] == ["--update"]
    counts, lines, _ = run_mypy()
    baseline = load_baseline()
    grown = {key: n for key, n in counts.items() if n > baseline.get(key, 0)}
    if grown:
        print("mypy: new type errors (not in mypy-baseline.json):")
        for line in lines:
            match = ERROR.match(line)
            if match and (match["path"], match["code"]) in grown:
                print("  " + line)
        return 1
    shrunk = {key: n for key, n in baseline.items() if counts.get(key, 0) < n}
    if shrunk and update:
        save_baseline(counts)
        print(f"mypy-baseline.json: {sum(baseline.values())} -> {sum(counts.values())} errors")
        return 0
    if shrunk:
        print("mypy: fewer errors than mypy-baseline.json records; strike them from it with")
        print("  make typecheck-baseline")
        for (path, code), n in sorted(shrunk.items()):
            print(f"  {path} [{code}]: {n} recorded, {counts.get((path, code), 0)} now")
        return 1
    print(f"mypy: no new errors ({sum(counts.values())} recorded in mypy-baseline.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
