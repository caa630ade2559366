"""The rule registry is complete: every rule has its settings, one builder, one audit check, a
test module that names it, a preset entry and its paragraphs in the docs. Adding a rule that
misses any of them fails here (docs/contributing.md lists the files a rule touches)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from periodize.audit import CHECKS
from periodize.scenario.registry import RULE_NAMES, RULES, RuleSpec
from periodize.scenario.rules import Rule, Rules
from periodize.scenario.schema import Scenario
from periodize.solver.model.rules import BUILDERS

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "periodize"
NAMES = [spec.name for spec in RULES]


def _field(path: str):
    """The pydantic field a dotted scenario path names ("rules.taper" -> Rules.taper)."""
    model, field = Scenario, None
    for part in path.split("."):
        field = model.model_fields[part]
        model = field.annotation
    return field


def test_names_are_unique():
    assert len(NAMES) == len(set(NAMES))


def test_every_rules_entry_is_registered():
    """Every [rules] entry of the scenario format is the settings of a registered rule."""
    assert set(RULE_NAMES) <= set(NAMES)
    assert {spec.rule for spec in RULES if not spec.is_availability} == set(RULE_NAMES)


def test_the_planner_and_the_audit_know_exactly_the_registered_rules():
    assert sorted(BUILDERS) == sorted(NAMES), "a rule without a builder, or a builder unregistered"
    assert sorted(CHECKS) == sorted(NAMES), "a rule without an audit check, or a check unregistered"


@pytest.mark.parametrize("spec", RULES, ids=NAMES)
def test_settings_builder_and_check_live_in_the_family_modules(spec: RuleSpec):
    field = _field(spec.settings)
    assert field is not None and field.description or field.default_factory or field.default
    if not spec.is_availability:
        settings = Rules.model_fields[spec.rule].annotation
        assert isinstance(settings, type) and issubclass(settings, Rule)
        assert settings.__doc__, f"{settings.__name__} needs a docstring citing its source"
    builder, check = BUILDERS[spec.name], CHECKS[spec.name]
    assert builder.__module__ == f"periodize.solver.model.rules.{spec.family}"
    assert check.__module__ == f"periodize.audit.{spec.family}"
    assert builder.__doc__ and check.__doc__, "say what coaching rule it encodes"
    assert (SRC / "solver" / "model" / "rules" / f"{spec.family}.py").is_file()
    assert (SRC / "audit" / f"{spec.family}.py").is_file()


@pytest.mark.parametrize("spec", RULES, ids=NAMES)
def test_a_test_module_names_the_rule(spec: RuleSpec):
    """tests/test_rules_<family>.py holds the tests where the rule binds and where the audit flags
    a hand-edited plan that breaks it; it names the rule as a string (as the audit names it)."""
    path = ROOT / "tests" / f"test_rules_{spec.family}.py"
    assert path.is_file(), f"no {path.name}"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    strings = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert spec.name in strings, f"{path.name} never names '{spec.name}'"
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert "assert_audit_flags" in calls or "run_audit" in calls, "no audit test"


@pytest.mark.parametrize(
    "spec", [s for s in RULES if not s.is_availability], ids=lambda spec: spec.name
)
def test_the_default_rule_set_has_an_entry(spec: RuleSpec):
    """models/rules/sprint-default.toml sets (and cites) every [rules] entry; the availability
    facts have no preset (their defaults are in the scenario schema)."""
    text = (ROOT / "models" / "rules" / "sprint-default.toml").read_text(encoding="utf-8")
    assert re.search(rf"^\[{re.escape(spec.rule)}[.\]]", text, re.M), spec.rule


@pytest.mark.parametrize("spec", RULES, ids=NAMES)
def test_the_docs_describe_the_rule(spec: RuleSpec):
    """docs/model.md names the rule where it gives its constraints; docs/scenario-format.md has
    its settings: a heading for a [rules] entry, a row of the availability table otherwise."""
    model = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert f"`{spec.name}`" in model, f"docs/model.md never names `{spec.name}`"
    reference = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    if spec.is_availability:
        field = spec.settings.removeprefix("availability.")
        assert f"| `{field}` |" in reference, f"docs/scenario-format.md: no row for `{field}`"
    else:
        assert re.search(rf"^#### `{re.escape(spec.rule)}`", reference, re.M), spec.rule
