"""The published JSON Schemas in docs/ match the code."""

from pathlib import Path

from periodize.output.schemas import plan_schema, scenario_schema

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


def _jsonable(value):
    """A TOML document as JSON would carry it (dates as ISO strings)."""
    import datetime as dt

    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def test_every_bundled_scenario_passes_the_published_schema():
    """What an editor checks against docs/scenario.schema.json accepts the files we ship: the
    scenarios, the benchmark copies and the infeasible examples (preset names included)."""
    import json
    import tomllib

    import jsonschema

    schema = json.loads((DOCS / "scenario.schema.json").read_text())
    root = DOCS.parent
    files = sorted(
        [
            *root.glob("scenarios/*.toml"),
            *root.glob("benchmarks/scenarios/*.toml"),
            *root.glob("examples/**/*.json"),
        ]
    )
    assert len(files) >= 10
    validator = jsonschema.Draft202012Validator(schema)
    for path in files:
        text = path.read_text()
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
        errors = [
            f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_jsonable(data))
        ]
        assert errors == [], (path.name, errors)
    wrong = {"plan": {"start": "2027-01-04"}, "athlete": {"response": 3}}
    assert list(validator.iter_errors(wrong))  # and it still refuses what periodize refuses


def test_a_json_scenario_may_name_its_schema(tmp_path):
    import json

    import periodize

    doc = {
        "$schema": "../docs/scenario.schema.json",
        "plan": {"start": "2027-01-04"},
        "athlete": {"current_weekly_load": 1500},
    }
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(doc))
    assert periodize.load_scenario(path).start.isoformat() == "2027-01-04"
