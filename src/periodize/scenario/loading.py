"""Loading a scenario: read a TOML or JSON file, resolve its presets (models/), read the
history CSV it names, validate it into a `Scenario` and run the solver-free pre-checks.

Every problem becomes a `Problem` naming the file, the field and the reason, raised together
in one `ScenarioError`. This module never imports the solver.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from periodize.core.errors import Problem, ScenarioError
from periodize.core.files import MAX_INPUT_BYTES, UnreadableFile, read_input
from periodize.scenario import presets
from periodize.scenario.precheck import precheck
from periodize.scenario.registry import soft_rules
from periodize.scenario.schema import Scenario

DEFAULT_PRESET = "sprint-default"  # session library and rule set unless a scenario sets preset = ""
# Each response family's preset, used unless the file gives every parameter of the family inline.
DEFAULT_RESPONSE = {"banister": "banister-classic", "busso": "busso-2003"}
RESPONSE_PARAMETERS = {
    "banister": {"k1", "k2", "tau1", "tau2"},
    "busso": {"k1", "k3", "tau1", "tau2", "tau3"},
}


def _read_document(path: Path) -> dict[str, Any]:
    try:
        text = read_input(path)
    except UnreadableFile as exc:
        raise ScenarioError([Problem(str(path), "", str(exc))]) from None
    return _parse_document(text, str(path), json_text=path.suffix.lower() == ".json")


def _parse_document(text: str, file: str, *, json_text: bool) -> dict[str, Any]:
    try:
        if json_text:
            data = json.loads(text)
        else:
            data = tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            [Problem(file, f"line {exc.lineno}", f"invalid JSON: {exc.msg}")]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([Problem(file, "", f"invalid TOML: {exc}")]) from None
    except RecursionError:  # arrays or tables nested thousands deep
        raise ScenarioError([Problem(file, "", "nested too deeply to read")]) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(file, "", "the document must be a table/object at the top level")]
        )
    return data


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _merge_sessions(preset_types: list[dict[str, Any]], user_types: list[Any]) -> list[Any]:
    """Session types in the file override preset types with the same id (field by field) or add new ones."""
    merged = {t["id"]: t for t in preset_types}
    order = [t["id"] for t in preset_types]
    extra: list[Any] = []
    for t in user_types:
        if isinstance(t, dict) and isinstance(t.get("id"), str):
            if t["id"] in merged:
                merged[t["id"]] = _deep_merge(merged[t["id"]], t)
            else:
                merged[t["id"]] = t
                order.append(t["id"])
        else:
            extra.append(t)
    return [merged[i] for i in order] + extra


def resolve_presets(
    data: dict[str, Any], file: str, base_dir: Path | None = None
) -> dict[str, Any]:
    """Replace preset names by the preset's values, with the file's own values on top.
    Sessions and rules use the sprint-default presets unless the file names another or sets
    preset = "" (no preset: the code defaults only); the response model likewise uses its
    family's default preset (DEFAULT_RESPONSE) unless the file gives every parameter inline.
    A response preset may also be a file (a path ending in .toml or holding a /, relative to
    `base_dir`, the scenario's folder): the model `periodize fit` writes."""
    base_dir = base_dir or Path(".")
    data = dict(data)
    problems: list[Problem] = []

    athlete = data.get("athlete", {})
    if isinstance(athlete, dict):
        athlete = dict(athlete)
        response = athlete.get("response", DEFAULT_RESPONSE["banister"])
        if isinstance(response, str):
            response = {"preset": response}
        if isinstance(response, dict) and "preset" not in response:
            family = response.get("model", "banister")
            required = RESPONSE_PARAMETERS.get(family if isinstance(family, str) else "", set())
            if family in DEFAULT_RESPONSE and not required <= set(response):
                response = {"preset": DEFAULT_RESPONSE[family], **response}
        if isinstance(response, dict) and response.get("preset"):
            name = response["preset"]
            try:
                if isinstance(name, str) and presets.is_path(name):  # a fitted model's file
                    preset = presets.load_file(base_dir / name, as_written=name)
                else:
                    preset = presets.load("response", name)
                response = _deep_merge(preset, response)
            except KeyError as exc:
                problems.append(Problem(file, "athlete.response.preset", str(exc.args[0])))
        athlete["response"] = response
        data["athlete"] = athlete

    sessions = data.get("sessions", {})
    if isinstance(sessions, str):
        sessions = {"preset": sessions}
    if isinstance(sessions, dict) and "preset" not in sessions:
        sessions = {"preset": DEFAULT_PRESET, **sessions}
    if isinstance(sessions, dict) and sessions.get("preset"):
        try:
            preset = presets.load("sessions", sessions["preset"])
            user_types = sessions.get("types", [])
            if isinstance(user_types, list):  # anything else is left for validation to report
                sessions = {
                    **sessions,
                    "types": _merge_sessions(preset.get("types", []), user_types),
                }
        except KeyError as exc:
            problems.append(Problem(file, "sessions.preset", str(exc.args[0])))
    data["sessions"] = sessions

    rules = data.get("rules", {})
    if isinstance(rules, str):
        rules = {"preset": rules}
    if isinstance(rules, dict) and "preset" not in rules:
        rules = {"preset": DEFAULT_PRESET, **rules}
    if isinstance(rules, dict) and rules.get("preset"):
        try:
            rules = _deep_merge(presets.load("rules", rules["preset"]), rules)
        except KeyError as exc:
            problems.append(Problem(file, "rules.preset", str(exc.args[0])))
    data["rules"] = rules

    if problems:
        raise ScenarioError(problems)
    return data


def _load_history(data: dict[str, Any], base_dir: Path, file: str) -> None:
    athlete = data.get("athlete")
    if not isinstance(athlete, dict) or not athlete.get("history_csv"):
        return
    csv_path = base_dir / str(athlete["history_csv"])
    field = "athlete.history_csv"
    try:
        lines = read_input(csv_path).splitlines()
    except UnreadableFile as exc:
        shown = str(csv_path) if len(str(csv_path)) <= 200 else f"{str(csv_path)[:200]}..."
        raise ScenarioError([Problem(file, field, f"{shown}: {exc}")]) from None
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    header = [h.strip().lower() for h in lines[0].split(",")] if lines else []
    if header[:2] != ["date", "load"]:
        raise ScenarioError(
            [Problem(file, field, f"{csv_path}: the first line must be 'date,load'")]
        )
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",")]
        try:
            rows.append({"date": dt.date.fromisoformat(parts[0]), "load": round(float(parts[1]))})
        except (ValueError, IndexError, OverflowError):
            problems.append(
                Problem(
                    file,
                    field,
                    f"{csv_path} line {lineno}: expected 'YYYY-MM-DD,load', got {line!r}",
                )
            )
    if problems:
        raise ScenarioError(problems)
    athlete = dict(athlete)
    athlete["history"] = rows
    data["athlete"] = athlete


def _format_loc(loc: tuple[Any, ...]) -> str:
    """The field as the user wrote it: pydantic's path without the tags of union members (the
    response model's family, athlete.response.busso.k3 -> athlete.response.k3, and types such as
    availability.minutes_per_day.constrained-int)."""
    parts = [
        str(p)
        for i, p in enumerate(loc)
        if not (i and loc[i - 1] == "response" and p in DEFAULT_RESPONSE)
        and not (isinstance(p, str) and ("[" in p or p.startswith(("constrained-", "function-"))))
    ]
    return ".".join(parts) if parts else "(top level)"


def _as_written(value: Any) -> str:
    """A scalar as it reads in the file (true, "90", 2.5); a table or a list is not repeated."""
    if isinstance(value, (dict, list)):
        return ""
    try:
        return json.dumps(value, default=str)
    except ValueError:  # nan, inf
        return str(value)


STDIN = "<stdin>"  # the file name in errors about a scenario read from standard input

# Errors about a field's presence, not its value: the value is not repeated.
UNVALUED = {"value_error", "extra_forbidden", "missing"}


def _problems(exc: ValidationError, file: str) -> list[Problem]:
    """One problem per field, with the value as written; the reasons of a field that may take
    several forms (a union) are joined: "input should be a valid integer or a valid dictionary"."""
    reasons: dict[str, list[str]] = {}
    written: dict[str, str] = {}
    for err in exc.errors():
        msg = err["msg"].removeprefix("Value error, ")
        loc = _format_loc(err["loc"])
        head, sep, tail = msg.partition(": ")
        if not err["loc"] and sep and re.fullmatch(r"[a-z_][\w.]*", head):
            loc, msg = head, tail  # a cross-field check that names its own field
        elif err["type"] not in UNVALUED and (value := _as_written(err.get("input"))):
            msg = msg[0].lower() + msg[1:]
            written[loc] = value
        if msg not in reasons.setdefault(loc, []):
            reasons[loc].append(msg)
    problems = []
    for loc, msgs in reasons.items():
        reason = " or ".join([msgs[0], *(m.removeprefix("input should be ") for m in msgs[1:])])
        problems.append(
            Problem(file, loc, f"{reason}, not {written[loc]}" if loc in written else reason)
        )
    return problems


def _session_types_as_written(written: dict[str, Any], merged: dict[str, Any]) -> dict[str, str]:
    """`sessions.types.N` of the merged library -> the path the user wrote: their own index for
    the types in their file, the preset and the type's id for the types they did not write."""

    def types(doc: Any) -> list[Any]:
        sessions = doc.get("sessions") if isinstance(doc, dict) else None
        found = sessions.get("types") if isinstance(sessions, dict) else None
        return found if isinstance(found, list) else []

    own = {t.get("id"): i for i, t in enumerate(types(written)) if isinstance(t, dict)}
    extras = [
        i
        for i, t in enumerate(types(written))
        if not (isinstance(t, dict) and isinstance(t.get("id"), str))
    ]
    preset = (
        merged.get("sessions", {}).get("preset")
        if isinstance(merged.get("sessions"), dict)
        else None
    )
    renamed: dict[str, str] = {}
    merged_types = types(merged)
    first_extra = len(merged_types) - len(extras)
    for m, t in enumerate(merged_types):
        key = t.get("id") if isinstance(t, dict) else None
        if m >= first_extra:
            renamed[f"sessions.types.{m}"] = f"sessions.types.{extras[m - first_extra]}"
        elif key in own:
            renamed[f"sessions.types.{m}"] = f"sessions.types.{own[key]}"
        else:
            renamed[f"sessions.types.{m}"] = f"sessions.types (preset '{preset}', type '{key}')"
    return renamed


def _renamed(problem: Problem, renamed: dict[str, str]) -> Problem:
    parts = problem.field.split(".")
    if parts[:2] == ["sessions", "types"] and len(parts) > 2:
        head = ".".join(parts[:3])
        if head in renamed:
            field = renamed[head] + problem.field[len(head) :]
            return replace(problem, field=field)
    return problem


def scenario_from_dict(
    data: dict[str, Any],
    file: str = "<scenario>",
    base_dir: Path | None = None,
    relax: bool = False,
) -> Scenario:
    """Validate a scenario document (presets resolved here); raises ScenarioError listing every
    problem. A pre-check that only says a rule cannot hold does not refuse a soft rule, nor any
    rule with `relax` (for `solve(..., relax=True)`, which bends it and names it in the plan)."""
    if not isinstance(data, dict):
        reason = f"a scenario is a table of fields, got {type(data).__name__}"
        raise ScenarioError([Problem(file, "(top level)", reason)])
    data = {key: value for key, value in data.items() if key != "$schema"}  # editors' pointer
    if "done" in data:  # a field of the data model that only a re-plan sets
        reason = "not a scenario field: training already done comes from `periodize replan`"
        raise ScenarioError([Problem(file, "done", reason)])
    written = data
    data = resolve_presets(data, file, base_dir)
    _load_history(data, base_dir or Path("."), file)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        renamed = _session_types_as_written(written, data)
        raise ScenarioError([_renamed(p, renamed) for p in _problems(exc, file)]) from None
    bendable = set(soft_rules(scenario.rules))
    problems = [
        p for p in precheck(scenario, file) if not (p.rule and (relax or p.rule in bendable))
    ]
    if problems:
        renamed = _session_types_as_written(written, data)
        raise ScenarioError([_renamed(p, renamed) for p in problems])
    return scenario


def load_scenario(path: str | Path, relax: bool = False) -> Scenario:
    """Read a scenario file (.toml or .json; "-": a JSON scenario on standard input, paths in it
    relative to the working folder), resolve its presets and validate it (`relax`: as for
    scenario_from_dict)."""
    if str(path) == "-":
        text = sys.stdin.read(MAX_INPUT_BYTES + 1)
        if len(text) > MAX_INPUT_BYTES:
            raise ScenarioError([Problem(STDIN, "", f"larger than {MAX_INPUT_BYTES // 2**20} MB")])
        document = _parse_document(text, STDIN, json_text=True)
        return scenario_from_dict(document, file=STDIN, relax=relax)
    path = Path(path)
    data = _read_document(path)
    return scenario_from_dict(data, file=str(path), base_dir=path.parent, relax=relax)
