"""The malformed-input campaign: every field of a full scenario (presets expanded) with a wrong
type, left out, or set to an extreme value, plus deep nesting, broken history CSVs and bad paths.
Each case is a file run through `periodize validate --no-solve` and, when that accepts it,
`periodize solve --time-limit 2 --workers 1`, each a separate process with a 10 s limit.

    python benchmarks/inputs.py [--base scenarios/three-days.toml] [--jobs 2] [--sample N] [--seed 0]

A case fails when a command prints a traceback or exits 1 (an uncaught error), does not end
within 10 s (a hang), or when `validate` accepts a value of the wrong type (a silent accept).
Every other outcome is fine: exit 2 naming the file, or a plan, or exit 3/4 for a valid but
impossible or too-hard scenario. Prints the counts and each failure; exit 1 if any.
(docs/reliability.md has the latest figures.)
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from periodize.scenario.loading import _read_document, resolve_presets  # noqa: E402

COMMAND_SECONDS = 10.0
GOOD_CSV = "date,load\n2026-12-28,300\n2026-12-29,0\n2026-12-30,420\n"


@dataclass
class Case:
    """One input file (a document, or raw text) and what it does to the base."""

    name: str
    kind: str  # "wrong type", "missing", "extreme", "structure", "csv", "path"
    doc: Any = None
    text: str | None = None
    suffix: str = ".json"
    files: dict[str, bytes] = field(default_factory=dict)


def leaves(node: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """(path, value) of every scalar in the document; lists are visited at their first two
    items (the rest have the same fields)."""
    if isinstance(node, dict):
        return [leaf for key in sorted(node) for leaf in leaves(node[key], (*path, key))]
    if isinstance(node, list):
        return [leaf for i, item in enumerate(node[:2]) for leaf in leaves(item, (*path, i))]
    return [(path, node)]


def with_value(doc: dict, path: tuple, value: Any, *, delete: bool = False) -> dict:
    doc = copy.deepcopy(doc)
    node = doc
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


def wrong_types(value: Any) -> list[Any]:
    if isinstance(value, bool):
        return [0, 1, "true"]
    if isinstance(value, (int, float)):
        return [True, str(value), [value], {"x": value}]
    if isinstance(value, str):
        return [5, True, [value]]
    if isinstance(value, dt.date):
        return ["not-a-date", 20270104]
    return []


def extremes(value: Any) -> list[Any]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [10**12, 2**63 - 1, -(2**63), -1]
    if isinstance(value, float):
        return [1e12, 1e300, -1e300, 5e-324]
    if isinstance(value, str):
        return ["x" * 100_000, "a\x00b"]
    return []


def cases(base: dict) -> list[Case]:
    found = []
    for path, value in leaves(base):
        where = ".".join(map(str, path))
        for bad in wrong_types(value):
            found.append(Case(f"{where} = {bad!r}"[:90], "wrong type", with_value(base, path, bad)))
        for bad in extremes(value):
            found.append(Case(f"{where} = {bad!r}"[:90], "extreme", with_value(base, path, bad)))
        found.append(Case(f"{where} missing", "missing", with_value(base, path, None, delete=True)))
    deep = "[" * 100_000 + "]" * 100_000
    found += [
        Case("JSON nested 100000 deep", "structure", text='{"plan": ' + deep + "}"),
        Case(
            "TOML nested 5000 deep",
            "structure",
            text="x = " + "[" * 5000 + "]" * 5000,
            suffix=".toml",
        ),
        Case("JSON top level a list", "structure", text="[1, 2]"),
        Case("empty file", "structure", text="", suffix=".toml"),
        Case("not UTF-8", "structure", text="\udcff", suffix=".toml"),
        Case(
            "preset name 1 MB", "structure", with_value(base, ("rules", "preset"), "r" * 1_000_000)
        ),
    ]
    history = with_value(base, ("athlete", "history_csv"), "history.csv")
    history["athlete"].pop("current_weekly_load", None)
    for name, csv in [
        ("history inf", "date,load\n2026-12-28,inf\n"),
        ("history negative", "date,load\n2026-12-28,-5\n"),
        ("history not UTF-8", b"date,load\n2026-12-28,\xff\n"),
        ("history no load column", "date,minutes\n2026-12-28,30\n"),
        ("history bad date", "date,load\n2026-28-12,300\n"),
        ("history after the start", "date,load\n2030-01-01,300\n"),
        ("history duplicate day", "date,load\n2026-12-28,300\n2026-12-28,200\n"),
        ("history 10^12 load", "date,load\n2026-12-28,1000000000000\n"),
        ("history 200000 rows", "date,load\n" + "2026-12-28,1\n" * 200_000),
    ]:
        data = csv if isinstance(csv, bytes) else csv.encode()
        found.append(Case(name, "csv", history, files={"history.csv": data}))
    for name, target in [
        ("history is a folder", "."),
        ("history missing", "nope.csv"),
        ("history NUL in path", "a\x00b.csv"),
        ("history /dev/zero", "/dev/zero"),
        ("history path 100000 long", "h" * 100_000),
    ]:
        found.append(Case(name, "path", with_value(history, ("athlete", "history_csv"), target)))
    return found


def write(case: Case, folder: Path) -> Path:
    path = folder / f"scenario{case.suffix}"
    if case.text is not None:
        path.write_text(case.text, encoding="utf-8", errors="surrogateescape")
    else:
        path.write_text(json.dumps(case.doc, default=str), encoding="utf-8")
    for name, data in case.files.items():
        (folder / name).write_bytes(data)
    return path


def run(args: list[str]) -> tuple[str, int | None, str]:
    exe = str(Path(sys.executable).with_name("periodize"))
    try:
        done = subprocess.run(
            [exe, *args], capture_output=True, text=True, timeout=COMMAND_SECONDS, errors="replace"
        )
    except subprocess.TimeoutExpired:
        return "hang", None, ""
    text = done.stdout + done.stderr
    if "Traceback" in text or done.returncode == 1:
        return "traceback", done.returncode, text[-400:]
    return "ok", done.returncode, text[-200:]


def check(case: Case) -> tuple[str, str]:
    """(outcome, detail): ok, traceback, hang or silent accept."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write(case, Path(tmp))
        outcome, code, text = run(["validate", "--no-solve", str(path)])
        if outcome != "ok":
            return outcome, f"validate: {text}"
        if code == 0 and case.kind == "wrong type":
            return "silent accept", "validate exit 0"
        if code != 0:
            return "ok", ""
        outcome, code, text = run(
            [
                "solve",
                str(path),
                "--time-limit",
                "2",
                "--workers",
                "1",
                "--quiet",
                "--out",
                str(Path(tmp) / "plan.json"),
            ]
        )
        return (outcome, f"solve: {text}") if outcome != "ok" else ("ok", "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=str(ROOT / "scenarios" / "three-days.toml"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=0, help="run a random sample of N cases")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    base_path = Path(args.base)
    base = resolve_presets(_read_document(base_path), str(base_path))
    base["athlete"].pop("history_csv", None)
    all_cases = cases(base)
    chosen = all_cases
    if args.sample:
        chosen = random.Random(args.seed).sample(all_cases, min(args.sample, len(all_cases)))
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(check, chosen))
    counts = Counter(outcome for outcome, _ in results)
    kinds = Counter(case.kind for case in chosen)
    print(
        f"{len(chosen)} cases from {base_path.name} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
    )
    print(
        ", ".join(
            f"{name}: {counts.get(name, 0)}"
            for name in ("ok", "traceback", "hang", "silent accept")
        )
    )
    failures = [
        (case, outcome, detail)
        for case, (outcome, detail) in zip(chosen, results)
        if outcome != "ok"
    ]
    for case, outcome, detail in failures:
        print(f"  {outcome:13} {case.kind:10} {case.name}\n      {detail.strip()[-300:]!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
