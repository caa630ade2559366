"""How a device or platform activity names its session (docs/log.md, "Naming the session"):
watches and platforms do not know the session library, so an activity's title and notes say
which session it was — key=value tokens (session=tempo rpe=6), or a title that is a library
session's id or name — and otherwise it is a free-form session named by its title. Used by the
readers of intervals.icu and TrainingPeaks CSV (`traininglog/reading.py`) and of FIT and TCX files
(`traininglog/activities.py`). This module never imports the solver.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from periodize.core.errors import Problem
from periodize.scenario.schema import Scenario, SessionType
from periodize.traininglog.log import Activity, Value, finite

# A device or platform activity names its session in its title or notes (docs/log.md): key=value
# tokens (session=tempo rpe=6), or a title that is a library session's id or name.
TOKEN = re.compile(r"\b(session|category|hard|rpe|load|date)=(\S+)", re.IGNORECASE)
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}


def flag(text: str) -> bool | None:
    """true/false, yes/no, y/n, 1/0 (any case); None for anything else."""
    word = text.strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def library_match(title: str, scenario: Scenario) -> SessionType | None:
    """The library session whose id or name the whole title is (case and spaces aside)."""
    wanted = " ".join(title.split()).casefold()
    for session in scenario.sessions.types:
        if wanted and wanted in (session.id.casefold(), " ".join(session.name.split()).casefold()):
            return session
    return None


def named(
    activity: Activity, texts: list[Value[str]], scenario: Scenario, problems: list[Problem]
) -> Activity:
    """A device or platform activity with what its title and notes (`texts`, the title first)
    say: key=value tokens override the file's own fields; without a session or category token, a
    title that is a library session's id or name makes it that session; otherwise it is a
    free-form session named by its title (tokens removed), or by its activity type."""
    file = activity.file
    fields: dict[str, Any] = {}
    for text in texts:
        for match in TOKEN.finditer(text.value):
            key, raw = match.group(1).lower(), match.group(2).rstrip(",;")
            value = _token_value(key, raw, text.at, file, problems)
            if value is not None:
                fields[key] = Value(value, f"{text.at} ({key}=)")
    title = texts[0] if texts else None
    if "session" not in fields and "category" not in fields and title is not None:
        session = library_match(title.value, scenario)
        if session is not None:
            fields["session"] = Value(session.id, title.at)
    if "session" not in fields:
        bare = " ".join(TOKEN.sub(" ", title.value).split()) if title is not None else ""
        where = title.at if title is not None else activity.at
        fields["name"] = Value(bare or activity.sport or "activity", where)
    return replace(activity, **fields)


def _token_value(key: str, raw: str, at: str, file: str, problems: list[Problem]) -> object:
    """A token's value as its field's type, or None with a problem."""
    if key in ("session", "category"):
        return raw
    if key == "hard":
        value = flag(raw)
        if value is None:
            problems.append(Problem(file, at, f"hard={raw}: write hard=yes or hard=no"))
        return value
    if key == "date":
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            problems.append(Problem(file, at, f"date={raw}: not a date YYYY-MM-DD"))
            return None
    number = finite(raw)
    if number is None:
        problems.append(Problem(file, at, f"{key}={raw}: not a number"))
        return None
    return number
