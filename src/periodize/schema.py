"""JSON Schemas of the scenario format and of the plan file (published in docs/)."""

from __future__ import annotations

import json


def scenario_schema() -> str:
    """JSON Schema of a scenario file (docs/scenario.schema.json)."""
    from .scenario import Scenario

    schema = Scenario.model_json_schema()
    schema["title"] = "periodize scenario"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def plan_schema() -> str:
    """JSON Schema of the plan file written by `solve --out plan.json` (docs/plan.schema.json)."""
    from .plan import Plan

    schema = Plan.model_json_schema()
    schema["title"] = "periodize plan"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
