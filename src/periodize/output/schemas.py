"""JSON Schemas of the scenario format and of the plan file (published in docs/)."""

from __future__ import annotations

import json
from typing import Any


def scenario_schema() -> str:
    """JSON Schema of a scenario file (docs/scenario.schema.json)."""
    from periodize.scenario.schema import Scenario

    schema = Scenario.model_json_schema()
    schema["title"] = "periodize scenario"
    _as_written(schema)
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def _as_written(schema: dict[str, Any]) -> None:
    """The file as people write it, before presets are resolved: a preset name where a response
    model, a session library or a rule set goes; a busso table that names only what it changes;
    and `$schema`, the editors' pointer to this file."""
    preset = {"type": "string", "description": "The name of a bundled preset (models/)."}
    response = schema["$defs"]["Athlete"]["properties"]["response"]
    response["oneOf"] = [preset, *response["oneOf"]]
    schema["$defs"]["BussoResponse"]["required"] = ["model"]
    for key in ("sessions", "rules"):
        schema["properties"][key] = {"anyOf": [preset, schema["properties"][key]]}
    schema["properties"]["$schema"] = {
        "type": "string",
        "description": "Where editors find this schema (ignored by periodize).",
    }


def plan_schema() -> str:
    """JSON Schema of the plan file written by `solve --out plan.json` (docs/plan.schema.json)."""
    from periodize.plan.schema import Plan

    schema = Plan.model_json_schema()
    schema["title"] = "periodize plan"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
