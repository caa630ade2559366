"""Reading a training log: `read_log` takes CSV files (periodize's own, intervals.icu's activities
export, TrainingPeaks' workouts export, told apart by their header), FIT and TCX activity files
(`traininglog/activities.py`), and returns one `TrainingLog` (docs/log.md).

Every problem names the file, the row (its line number, as a spreadsheet numbers it: the header
is row 1) and the column as the header writes it, with the value and the reason; all of them
are raised together in one `ScenarioError`. Nothing is written. This module never imports the
solver.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from periodize.core.errors import Problem, ScenarioError
from periodize.core.files import UnreadableFile, read_input
from periodize.scenario.schema import Scenario
from periodize.traininglog.activities import read_fit, read_tcx
from periodize.traininglog.log import (
    Activity,
    LoggedSession,
    TrainingLog,
    Value,
    finite,
    merge,
    resolve,
)
from periodize.traininglog.naming import flag, named

Row = dict[str, str]  # lower-case column name -> cell, stripped


class Table:
    """A CSV file's rows, with the header as written (for messages) and by lower-case name."""

    def __init__(self, file: str, header: list[str], rows: list[tuple[int, Row]]):
        self.file = file
        self.columns = {name.lower(): name for name in header}
        self.rows = rows

    def has(self, *names: str) -> bool:
        return all(name in self.columns for name in names)

    def at(self, line: int, name: str) -> str:
        """Where a cell is: 'row 4, column Rpe' (the column as the header writes it)."""
        return f"row {line}, column {self.columns.get(name, name)}"


def _table(path: Path, file: str) -> Table:
    """The CSV's header and rows (blank lines skipped), each row with the line it starts on."""
    try:
        text = read_input(path).removeprefix("\ufeff")  # a spreadsheet's byte-order mark
    except UnreadableFile as exc:
        raise ScenarioError([Problem(file, "", str(exc))]) from None
    reader = csv.reader(io.StringIO(text))
    header: list[str] = []
    rows: list[tuple[int, Row]] = []
    try:
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            if not any(f.strip() for f in fields):
                continue
            if not header:
                header = [f.strip() for f in fields]
                continue
            cells = {
                n.lower(): (fields[i].strip() if i < len(fields) else "")
                for i, n in enumerate(header)
            }
            rows.append((line, cells))
    except csv.Error as exc:
        raise ScenarioError([Problem(file, f"row {reader.line_num}", f"not CSV: {exc}")]) from None
    if not header:
        raise ScenarioError([Problem(file, "row 1", "the file is empty: a header row is needed")])
    return Table(file, header, rows)


# --------------------------------------------------------------------------- cells
def _text(table: Table, line: int, row: Row, name: str) -> Value[str] | None:
    cell = row.get(name, "")
    return Value(cell, table.at(line, name)) if cell else None


def _number(
    table: Table, line: int, row: Row, name: str, problems: list[Problem], scale: float = 1.0
) -> Value[float] | None:
    """A finite number in the cell (times `scale`: seconds to minutes ...), None when empty."""
    cell = row.get(name, "")
    if not cell:
        return None
    value = finite(cell)
    if value is None:
        problems.append(Problem(table.file, table.at(line, name), f"{cell!r} is not a number"))
        return None
    return Value(value * scale, table.at(line, name))


def _date(
    table: Table, line: int, row: Row, name: str, problems: list[Problem]
) -> Value[dt.date] | None:
    """A date YYYY-MM-DD, or the day of a date and time (2027-01-04T07:30:00) as written."""
    cell = row.get(name, "")
    try:
        day = (
            dt.date.fromisoformat(cell)
            if len(cell) == 10
            else dt.datetime.fromisoformat(cell).date()
        )
    except ValueError:
        reason = f"{cell!r} is not a date YYYY-MM-DD" if cell else "empty: every row needs a date"
        problems.append(Problem(table.file, table.at(line, name), reason))
        return None
    return Value(day, table.at(line, name))


# --------------------------------------------------------------------------- the formats
PERIODIZE_COLUMNS = "date, session or name + category (and hard), load or minutes + rpe (or avg_hr)"


def _periodize(
    table: Table, index: int, scenario: Scenario, problems: list[Problem]
) -> list[Activity]:
    """periodize's own CSV (docs/log.md): date, session (a library id) or name + category (+ hard),
    and load, or minutes + rpe, or minutes + avg_hr."""
    if not table.has("date") or not (table.has("session") or table.has("name")):
        reason = (
            f"columns {', '.join(table.columns.values())!r}: the header needs {PERIODIZE_COLUMNS}"
        )
        raise ScenarioError([Problem(table.file, "row 1", reason)])
    activities = []
    for line, row in table.rows:
        before = len(problems)
        date = _date(table, line, row, "date", problems)
        hard = _text(table, line, row, "hard")
        hard_flag = None if hard is None else flag(hard.value)
        if hard is not None and hard_flag is None:
            problems.append(Problem(table.file, hard.at, f"{hard.value!r}: write true or false"))
        session, name = _text(table, line, row, "session"), _text(table, line, row, "name")
        if session is None and name is None:
            reason = "empty: give a library session id, or a name and a category"
            problems.append(Problem(table.file, table.at(line, "session"), reason))
        load, minutes = (_number(table, line, row, c, problems) for c in ("load", "minutes"))
        rpe, heart_rate = (_number(table, line, row, c, problems) for c in ("rpe", "avg_hr"))
        if date is None or len(problems) > before:
            continue  # the row's other findings would follow from its bad cells
        activities.append(
            Activity(
                file=table.file,
                order=(index, line),
                source=f"{table.file} row {line}",
                at=f"row {line}",
                date=date,
                session=session,
                name=name,
                category=_text(table, line, row, "category"),
                hard=None if hard is None or hard_flag is None else Value(hard_flag, hard.at),
                load=load,
                minutes=minutes,
                rpe=rpe,
                heart_rate=heart_rate,
            )
        )
    return activities


@dataclass(frozen=True)
class PlatformColumns:
    """Where a training platform's activities CSV keeps each field (lower-cased headers)."""

    date: str
    minutes: tuple[str, ...]  # the first of these that is filled
    minutes_per_unit: float  # minutes in one unit of that column
    rpe: str
    load: str  # the platform's own load (its scale, not the plan's AU)
    heart_rate: str
    sport: str
    texts: tuple[str, str]  # the title, then the notes
    done: tuple[str, ...] = ()  # a row with none of these filled is a planned workout: skipped


# intervals.icu's activities CSV: start_date_local, name, type, moving_time (s), icu_rpe,
# icu_training_load, average_heartrate; description if present.
INTERVALS_ICU = PlatformColumns(
    date="start_date_local", minutes=("moving_time", "elapsed_time"), minutes_per_unit=1 / 60,
    rpe="icu_rpe", load="icu_training_load", heart_rate="average_heartrate", sport="type",
    texts=("name", "description"),
)  # fmt: skip
# TrainingPeaks' workouts CSV: Title, WorkoutType, WorkoutDay, TimeTotalInHours, Rpe, TSS,
# HeartRateAverage, AthleteComments; rows with nothing done (planned workouts) are skipped.
TRAININGPEAKS = PlatformColumns(
    date="workoutday", minutes=("timetotalinhours",), minutes_per_unit=60, rpe="rpe",
    load="tss", heart_rate="heartrateaverage", sport="workouttype",
    texts=("title", "athletecomments"),
    done=("timetotalinhours", "tss", "rpe", "heartrateaverage"),
)  # fmt: skip


def _platform(
    columns: PlatformColumns, table: Table, index: int, scenario: Scenario, problems: list[Problem]
) -> list[Activity]:
    """A platform's activities CSV, read by `columns`."""
    activities = []
    for line, row in table.rows:
        before = len(problems)
        if columns.done and not any(row.get(name) for name in columns.done):
            continue
        date = _date(table, line, row, columns.date, problems)
        if date is None:
            continue
        duration = next((c for c in columns.minutes if row.get(c)), columns.minutes[-1])
        activity = Activity(
            file=table.file,
            order=(index, line),
            source=f"{table.file} row {line}",
            at=f"row {line}",
            date=date,
            minutes=_number(table, line, row, duration, problems, scale=columns.minutes_per_unit),
            rpe=_number(table, line, row, columns.rpe, problems),
            platform_load=_number(table, line, row, columns.load, problems),
            heart_rate=_number(table, line, row, columns.heart_rate, problems),
            sport=row.get(columns.sport) or None,
        )
        texts = [v for v in (_text(table, line, row, n) for n in columns.texts) if v]
        activity = named(activity, texts, scenario, problems)
        if len(problems) == before:  # else the row's other findings would follow from its bad cell
            activities.append(activity)
    return activities


Reader = Callable[[Table, int, Scenario, list[Problem]], list[Activity]]


def csv_format(table: Table) -> tuple[str, Reader]:
    """The CSV's format, told by its header: intervals.icu (start_date_local), TrainingPeaks
    (WorkoutDay), else periodize's own."""
    if table.has("start_date_local"):
        return "intervals.icu", partial(_platform, INTERVALS_ICU)
    if table.has("workoutday"):
        return "TrainingPeaks", partial(_platform, TRAININGPEAKS)
    return "periodize", _periodize


def read_activities(
    path: Path, index: int, scenario: Scenario, problems: list[Problem]
) -> list[Activity]:
    """The activities of one log file: .fit and .tcx by their suffix, any other as CSV."""
    suffix = path.suffix.lower()
    if suffix == ".fit":
        return read_fit(path, index, scenario, problems)
    if suffix == ".tcx":
        return read_tcx(path, index, scenario, problems)
    table = _table(path, str(path))
    return csv_format(table)[1](table, index, scenario, problems)


def _place(problem: Problem) -> int:
    """A problem's row (or session, Activity, line) number, to report a file's in its order."""
    number = re.match(r"\D*(\d+)", problem.field)
    return int(number.group(1)) if number else 0


def read_log(paths: Sequence[str | Path], scenario: Scenario) -> TrainingLog:
    """The training log of these files against the scenario's library and athlete: sessions
    sorted by date, then by file (in the order given) and place in it; the same activity in two
    files kept once (the first file's). ScenarioError listing every problem of every file."""
    problems: list[Problem] = []
    found: list[tuple[tuple[int, int], LoggedSession]] = []
    seen: dict[Path, str] = {}
    for index, given in enumerate(paths):
        path = Path(given)
        key = path.resolve()
        if key in seen:
            problems.append(Problem(str(path), "", f"given twice (also as {seen[key]})"))
            continue
        seen[key] = str(path)
        mine: list[Problem] = []
        try:
            activities = read_activities(path, index, scenario, mine)
        except ScenarioError as exc:  # the file as a whole cannot be read
            activities, mine = [], mine + exc.problems
        for activity in activities:
            session = resolve(activity, scenario, mine)
            if session is not None:
                found.append((activity.order, session))
        problems += sorted(mine, key=_place)
    if problems:
        raise ScenarioError(problems)
    return merge(found)
