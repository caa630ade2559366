"""The package's shape: no import cycles, the data model and the audit never reach the solver,
and no module grows past ~500 lines (docs/contributing.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "periodize"
MODULES = {
    ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__"): path
    for path in sorted(PACKAGE.rglob("*.py"))
}
# The data model, the calendar, the plan, the audit, the fit and the training log: none may import
# the planner or OR-Tools.
SOLVER_FREE = (
    "periodize.terms",
    "periodize.settings",
    "periodize.scenario",
    "periodize.response_models",
    "periodize.registry",
    "periodize.loading",
    "periodize.precheck",
    "periodize.presets",
    "periodize.timeline",
    "periodize.response",
    "periodize.plan",
    "periodize.revisions",
    "periodize.conflict",
    "periodize.audit",
    "periodize.fitdata",
    "periodize.fitmodel",
    "periodize.fitprofile",
    "periodize.fitting",
    "periodize.fitoutput",
    "periodize.assembly",
    "periodize.completed",
    "periodize.pinning",
    "periodize.traininglog",
    "periodize.logimport",
    "periodize.logfiles",
    "periodize.lognaming",
)


def _imports(module: str, path: Path, *, lazy: bool) -> set[str]:
    """Modules of the package (or top-level outside names) that `module` imports; with `lazy`,
    imports inside functions count too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree) if lazy else tree.body:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in MODULES else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _cycles(lazy: bool) -> list[list[str]]:
    graph = {m: {t for t in _imports(m, p, lazy=lazy) if t in MODULES} for m, p in MODULES.items()}
    cycles, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycles.append(path[path.index(module) :] + [module])
            return
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return cycles


@pytest.mark.parametrize("lazy", [False, True], ids=["module level", "with lazy imports"])
def test_no_import_cycles(lazy):
    assert _cycles(lazy) == []


@pytest.mark.parametrize("module", SOLVER_FREE)
def test_the_data_model_and_the_audit_never_reach_the_solver(module):
    seen, todo = set(), [m for m in MODULES if m == module or m.startswith(module + ".")]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for target in _imports(current, MODULES[current], lazy=True):
            assert not target.startswith(("ortools", "periodize.planner")), (current, target)
            if target in MODULES:
                todo.append(target)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_readable(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"{module}: {lines} lines; split it by concern"
