"""The package's shape (docs/contributing.md, "Layout"): packages in layers whose imports point
one way, no import cycles, no flat modules beside the packages, and no module past ~500 lines."""

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
# Bottom first: a module may import its own layer and the layers before it, never one after it.
# Everything up to the audit, the training log and the fit is the solver-free data model; only
# the solver and what stands on it may import OR-Tools.
LAYERS = (
    "periodize.core",
    "periodize.scenario",
    "periodize.plan",
    "periodize.audit",
    "periodize.traininglog",
    "periodize.fitting",
    "periodize.solver.model",
    "periodize.solver.search",
    "periodize.solver",
    "periodize.api",
    "periodize.output",
    "periodize.sweep",
    "periodize.cli",
    "periodize",
)
SOLVER = LAYERS.index("periodize.solver.model")


def _layer(module: str) -> int:
    """The index of the layer a module belongs to: the longest layer name it lies in."""
    return max(
        (i for i, layer in enumerate(LAYERS) if module == layer or module.startswith(layer + ".")),
        key=lambda i: len(LAYERS[i]),
    )


def _imports(module: str, path: Path, *, lazy: bool) -> set[str]:
    """Modules of the package (or top-level outside names) that `module` imports; with `lazy`,
    imports inside functions (and under TYPE_CHECKING) count too."""
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


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down_the_layers(module):
    own = _layer(module)
    upward = {
        target
        for target in _imports(module, MODULES[module], lazy=True)
        if target in MODULES and _layer(target) > own
    }
    assert not upward, f"{module} ({LAYERS[own]}) imports a later layer: {sorted(upward)}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_only_the_solver_and_what_stands_on_it_import_ortools(module):
    reaches = {t for t in _imports(module, MODULES[module], lazy=True) if t.startswith("ortools")}
    assert _layer(module) >= SOLVER or not reaches, (module, sorted(reaches))


def test_every_module_lives_in_a_layer_package():
    flat = [m for m in MODULES if m.count(".") == 1 and m not in LAYERS]
    assert flat == [], f"modules beside the packages: {flat}; give each a package of LAYERS"
    packages = {m for m, p in MODULES.items() if p.name == "__init__.py"}
    for package in sorted(packages):
        tree = ast.parse(MODULES[package].read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{package}: say in its docstring what it owns"


def test_a_layer_fails_the_check_when_it_imports_upward():
    assert _layer("periodize.scenario.schema") < _layer("periodize.plan.schema")
    assert _layer("periodize.solver.model.rules.load") < _layer("periodize.solver.search.cuts")
    assert _layer("periodize") == len(LAYERS) - 1


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_readable(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= 500, f"{module}: {lines} lines; split it by concern"
