"""The README's "Using it" commands run as written (in a copy of the scenarios, the solve with a
shorter time limit): each exits 0 and leaves the files the next one reads."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def using_it_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Using it") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    commands = []
    for line in block.group(1).splitlines():
        words = shlex.split(line, comments=True)
        assert words[0] == ".venv/bin/periodize", line
        commands.append(words[1:])
    return commands


@pytest.mark.slow
def test_the_readme_commands_run_as_written(tmp_path):
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    commands = using_it_commands()
    assert [c[0] for c in commands] == [
        "init", "solve", "validate", "audit", "replan", "schema", "report", "log"
    ]  # fmt: skip
    for args in commands:
        if args[0] in ("solve", "replan"):  # shortened, on a deterministic budget, whatever
            args = [*args, "--work-limit", "10"]  # the load
        done = subprocess.run(
            [sys.executable, "-m", "periodize.cli", *args],
            cwd=tmp_path, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, (args, done.stdout[-500:], done.stderr[-500:])
    assert (tmp_path / "my-block.toml").exists() and (tmp_path / "plan.html").exists()
