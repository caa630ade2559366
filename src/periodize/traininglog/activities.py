"""Activity files in a training log: FIT (decoded with Garmin's own FIT SDK, `garmin-fit-sdk`)
and TCX (Garmin's Training Center XML, read with the standard library's XML parser).

Each FIT `session` message and each TCX `Activity` is one logged session (docs/log.md):

- its day: FIT, the start time in the device's local time (the activity message's
  local_timestamp), else in UTC; TCX, the day of its Id as written (usually UTC);
- its minutes: FIT total_timer_time (else total_elapsed_time); TCX, the laps' TotalTimeSeconds;
- its heart rate: FIT avg_heart_rate; TCX, the laps' AverageHeartRateBpm weighted by their time;
- its RPE: FIT workout_rpe (stored as RPE x 10); its platform load: FIT training_stress_score;
- its session: the title and notes convention of `lognaming.named` — FIT, the workout
  message's wkt_name, then the session's sport_profile_name; TCX, the Training Plan's Name,
  then the Activity's Notes (`session=tempo rpe=6`, or a library session's id or name).

This module never imports the solver.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any, cast
from xml.etree import ElementTree

from periodize.core.errors import Problem
from periodize.core.files import MAX_INPUT_BYTES
from periodize.scenario.schema import Scenario
from periodize.traininglog.log import DEFAULT_CATEGORY, Activity, Value, finite, sport_category
from periodize.traininglog.naming import named

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)  # FIT timestamps count seconds from it
TCX = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"


def _read_bytes(path: Path, problems: list[Problem]) -> bytes | None:
    """The file's bytes (at most MAX_INPUT_BYTES), or None with the reason."""
    file = str(path)
    try:
        if not path.is_file():
            problems.append(
                Problem(file, "", "file not found" if not path.exists() else "not a regular file")
            )
            return None
        if path.stat().st_size > MAX_INPUT_BYTES:
            problems.append(Problem(file, "", f"larger than {MAX_INPUT_BYTES // 2**20} MB"))
            return None
        return path.read_bytes()
    except OSError as exc:
        problems.append(Problem(file, "", f"cannot read it: {exc.strerror or exc}"))
        return None


# --------------------------------------------------------------------------- FIT
def _decode_fit(data: bytes) -> tuple[dict[str, list[dict[str, Any]]] | None, str]:
    """The FIT file's messages by kind, or None and why it cannot be used."""
    from garmin_fit_sdk import Decoder, Stream

    if not Decoder(Stream.from_byte_array(bytearray(data))).is_fit():
        return None, "not a FIT file (no FIT header)"
    if not Decoder(Stream.from_byte_array(bytearray(data))).check_integrity():
        return None, "damaged FIT file: its checksum does not match (truncated or altered)"
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    if errors:
        return None, f"damaged FIT file: {errors[0]}"
    return cast(dict[str, list[dict[str, Any]]], messages), ""


def _fit_number(
    mesg: dict[str, Any],
    field: str,
    at: str,
    problems: list[Problem],
    file: str,
    scale: float = 1.0,
) -> Value[float] | None:
    value = mesg.get(field)
    if value is None:
        return None
    if not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(Problem(file, f"{at}, field {field}", f"{value!r} is not a number"))
        return None
    return Value(float(value) * scale, f"{at}, field {field}")


def _local_offset(messages: dict[str, list[dict[str, Any]]]) -> dt.timedelta:
    """The device's offset from UTC: the activity message's local_timestamp less its timestamp
    (none without them: days are then UTC days)."""
    for activity in messages.get("activity_mesgs", []):
        local, stamp = activity.get("local_timestamp"), activity.get("timestamp")
        if isinstance(local, int) and isinstance(stamp, dt.datetime):
            return dt.timedelta(seconds=local - (stamp - FIT_EPOCH).total_seconds())
    return dt.timedelta(0)


def read_fit(path: Path, index: int, scenario: Scenario, problems: list[Problem]) -> list[Activity]:
    """One activity per session message of a FIT activity file."""
    file = str(path)
    data = _read_bytes(path, problems)
    if data is None:
        return []
    messages, reason = _decode_fit(data)
    if messages is None:
        problems.append(Problem(file, "", reason))
        return []
    sessions = messages.get("session_mesgs", [])
    if not sessions:
        problems.append(Problem(file, "", "no session message: not an activity file"))
        return []
    offset = _local_offset(messages)
    workouts = [w for w in messages.get("workout_mesgs", []) if w.get("wkt_name")]
    activities = []
    for number, mesg in enumerate(sessions, 1):
        before = len(problems)
        at = f"session {number}"
        start = mesg.get("start_time") or mesg.get("timestamp")
        if not isinstance(start, dt.datetime):
            problems.append(
                Problem(file, f"{at}, field start_time", "missing: the session has no start time")
            )
            continue
        duration = (
            "total_timer_time" if mesg.get("total_timer_time") is not None else "total_elapsed_time"
        )
        sport = str(mesg.get("sport") or "") or None
        sub_sport = str(mesg.get("sub_sport") or "")
        if sport_category(sub_sport) != DEFAULT_CATEGORY:
            sport = sub_sport  # training + strength_training: strength
        activity = Activity(
            file=file,
            order=(index, number),
            source=f"{file} {at}",
            at=at,
            date=Value((start + offset).date(), f"{at}, field start_time"),
            minutes=_fit_number(mesg, duration, at, problems, file, scale=1 / 60),
            rpe=_fit_number(mesg, "workout_rpe", at, problems, file, scale=0.1),
            platform_load=_fit_number(mesg, "training_stress_score", at, problems, file),
            heart_rate=_fit_number(mesg, "avg_heart_rate", at, problems, file),
            sport=sport,
        )
        texts = [Value(str(w["wkt_name"]), "workout, field wkt_name") for w in workouts[:1]]
        if mesg.get("sport_profile_name"):
            texts.append(Value(str(mesg["sport_profile_name"]), f"{at}, field sport_profile_name"))
        activity = named(activity, texts, scenario, problems)
        if len(problems) == before:  # else the row's other findings would follow from its bad cell
            activities.append(activity)
    return activities


# --------------------------------------------------------------------------- TCX
def _tcx_number(
    element: ElementTree.Element, tag: str, at: str, problems: list[Problem], file: str
) -> float | None:
    """The number in a child element (path `tag`), None when absent."""
    text = element.findtext(tag)
    if text is None:
        return None
    value = finite(text)
    if value is None:
        name = tag.replace(TCX, "")
        problems.append(Problem(file, f"{at}, element {name}", f"{text.strip()!r} is not a number"))
        return None
    return value


def read_tcx(path: Path, index: int, scenario: Scenario, problems: list[Problem]) -> list[Activity]:
    """One activity per Activity element of a TCX file."""
    file = str(path)
    data = _read_bytes(path, problems)
    if data is None:
        return []
    try:
        # expat (bundled with Python >= 3.11) refuses entity-expansion bombs on its own
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        problems.append(Problem(file, f"line {line}", f"not well-formed XML (column {column + 1})"))
        return []
    if root.tag != f"{TCX}TrainingCenterDatabase":
        problems.append(Problem(file, "", f"not a TCX file (its root element is {root.tag!r})"))
        return []
    activities, found = [], len(problems)
    for number, element in enumerate(root.iter(f"{TCX}Activity"), 1):
        before = len(problems)
        at = f"Activity {number}"
        start = (element.findtext(f"{TCX}Id") or "").strip()
        try:
            date = dt.datetime.fromisoformat(start).date()
        except ValueError:
            problems.append(Problem(file, f"{at}, element Id", f"{start!r} is not a date and time"))
            continue
        seconds, beats, timed = 0.0, 0.0, 0.0
        laps = element.findall(f"{TCX}Lap")
        for lap_number, lap in enumerate(laps, 1):
            lap_at = f"{at}, Lap {lap_number}"
            lap_seconds = _tcx_number(lap, f"{TCX}TotalTimeSeconds", lap_at, problems, file) or 0.0
            heart_rate = _tcx_number(
                lap, f"{TCX}AverageHeartRateBpm/{TCX}Value", lap_at, problems, file
            )
            seconds += lap_seconds
            if heart_rate is not None and lap_seconds > 0:
                beats, timed = beats + heart_rate * lap_seconds, timed + lap_seconds
        activity = Activity(
            file=file,
            order=(index, number),
            source=f"{file} {at}",
            at=at,
            date=Value(date, f"{at}, element Id"),
            minutes=Value(seconds / 60, f"{at}, element TotalTimeSeconds") if laps else None,
            heart_rate=Value(beats / timed, f"{at}, element AverageHeartRateBpm")
            if timed
            else None,
            sport=element.get("Sport"),
        )
        texts = []
        plan = element.findtext(f"{TCX}Training/{TCX}Plan/{TCX}Name")
        if plan and plan.strip():
            texts.append(Value(plan.strip(), f"{at}, element Training/Plan/Name"))
        notes = element.findtext(f"{TCX}Notes")
        if notes and notes.strip():
            texts.append(Value(notes.strip(), f"{at}, element Notes"))
        activity = named(activity, texts, scenario, problems)
        if len(problems) == before:  # else the row's other findings would follow from its bad cell
            activities.append(activity)
    if not activities and len(problems) == found:
        problems.append(Problem(file, "", "no Activity element: not an activity file"))
    return activities
