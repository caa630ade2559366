"""The published JSON Schemas in docs/ match the code."""

from pathlib import Path

from periodize.schema import plan_schema, scenario_schema

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_scenario_schema_is_current():
    assert (DOCS / "scenario.schema.json").read_text() == scenario_schema(), (
        "run: periodize schema > docs/scenario.schema.json"
    )


def test_plan_schema_is_current():
    assert (DOCS / "plan.schema.json").read_text() == plan_schema(), (
        "run: periodize schema --plan > docs/plan.schema.json"
    )


def test_plan_schema_has_the_documented_keys():
    import json

    schema = json.loads(plan_schema())
    assert {
        "status",
        "objective",
        "bound",
        "gap",
        "solve_seconds",
        "races",
        "days",
        "weeks",
    } <= set(schema["properties"])
    day = schema["$defs"]["DayPlan"]["properties"]
    assert {
        "date",
        "week",
        "phase",
        "load",
        "fitness",
        "fatigue",
        "performance",
        "sessions",
    } <= set(day)
    session = schema["$defs"]["SessionEntry"]["properties"]
    assert {"type", "category", "hard", "minutes", "load"} <= set(session)
