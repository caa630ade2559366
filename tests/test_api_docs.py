"""docs/api.md's embedding example runs as written: a dict scenario, a progress callback, a
stop button on a timer, the audit and the exports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


@pytest.mark.slow
def test_the_embedding_example_runs(capsys):
    (code,) = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    namespace: dict = {}
    exec(compile(code, str(DOC), "exec"), namespace)
    plan = namespace["plan"]
    assert plan.status in ("optimal", "feasible") and len(namespace["days"]) == len(plan.days)
    printed = capsys.readouterr().out.splitlines()
    stages = [line.split()[0] for line in printed[:-1]]
    assert stages and all(s in ("one_worker", "construct", "cuts", "quick", "skeleton", "pieces",
                                "construct_plan", "first_plan_dives", "portfolio")
                          for s in stages)  # fmt: skip
    assert printed[-1].startswith(plan.status)
