"""The files `periodize fit` reads: a daily load history and a series of performance tests (CSV).

Load history (one row per session or per day; several rows of one date are added up):

    date,load                 load in the scenario's units (session-RPE AU, TSS, BikeScore ...)
    date,duration,rpe         session-RPE load = duration (minutes) x RPE (CR-10), Foster 2001

Performance tests:

    date,test,value,lower_is_better[,unit]
    2027-01-18,40 m,5.42,true,s

Dates are YYYY-MM-DD; column names are matched without regard to case or surrounding spaces,
and other columns (notes ...) are ignored. A date missing from the history between its first
and last row counts as a rest day (load 0), as in a scenario's history_csv; long runs of
missing days are reported, since a fit takes them for rest. Every problem is a `Problem`
naming the file, the line and the column as written, the value and the reason, raised
together in one `ScenarioError`. This module never imports the solver.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path

from periodize.core.errors import Problem, ScenarioError

# A run of this many missing days or more is reported: the fit counts it as rest.
LONG_GAP_DAYS = 7
TRUE_WORDS = {"true", "yes", "1", "y"}
FALSE_WORDS = {"false", "no", "0", "n"}


@dataclass(frozen=True)
class LoadHistory:
    """Daily loads from `start` on, one per day (missing days 0), and where they came from."""

    file: str
    sha256: str
    start: dt.date
    loads: tuple[float, ...]
    gaps: tuple[tuple[dt.date, dt.date], ...]  # runs of >= LONG_GAP_DAYS missing days
    session_rpe: bool  # True when the loads were made from duration x RPE

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=len(self.loads) - 1)

    def day(self, date: dt.date) -> int:
        """Index of `date` in `loads` (0 for `start`)."""
        return (date - self.start).days


@dataclass(frozen=True)
class TestResult:
    """One performance test: its date, the value as measured and its line in the file."""

    date: dt.date
    value: float
    line: int


@dataclass(frozen=True)
class TestSeries:
    """All results of one test (say a 40 m time), and whether a lower value is better."""

    file: str
    sha256: str
    name: str
    unit: str
    lower_is_better: bool
    results: tuple[TestResult, ...]


def _read_rows(path: Path) -> tuple[str, str, list[str], list[tuple[int, dict[str, str]]]]:
    """The file's text hash, its header (lower case) and its rows as {column: text} with their
    line numbers; blank lines skipped."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError([Problem(file, "", "file not found")]) from None
    except OSError as exc:
        raise ScenarioError(
            [Problem(file, "", f"cannot read file: {exc.strerror or exc}")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")  # a spreadsheet's byte-order mark is not part of a name
    except UnicodeDecodeError:
        raise ScenarioError([Problem(file, "", "the file is not UTF-8 text")]) from None
    reader = csv.reader(io.StringIO(text))
    header: list[str] = []
    rows: list[tuple[int, dict[str, str]]] = []
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if not header:
            header = [f.strip().lower() for f in fields]
            continue
        row = {
            name: (fields[i].strip() if i < len(fields) else "") for i, name in enumerate(header)
        }
        rows.append((reader.line_num, row))
    if not header:
        raise ScenarioError([Problem(file, "line 1", "the file is empty: a header line is needed")])
    return file, hashlib.sha256(raw).hexdigest(), header, rows


def _where(line: int, column: str) -> str:
    return f"line {line}, column {column}"


def _date(file: str, line: int, text: str, problems: list[Problem]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(Problem(file, _where(line, "date"), f"{text!r} is not a date YYYY-MM-DD"))
        return None


def _number(
    file: str, line: int, column: str, text: str, problems: list[Problem], *, minimum: float | None
) -> float | None:
    """A finite number (at least `minimum` when given), else a problem naming the cell."""
    if not text:
        reason = "empty: write a number" + (
            " (0 for a rest day, or leave the date out)" if column == "load" else ""
        )
        problems.append(Problem(file, _where(line, column), reason))
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(file, _where(line, column), f"{text!r} is not a number"))
        return None
    if not math.isfinite(value):
        problems.append(Problem(file, _where(line, column), f"{text!r} is not a finite number"))
        return None
    if minimum is not None and value < minimum:
        problems.append(
            Problem(file, _where(line, column), f"{text!r}: must be at least {minimum:g}")
        )
        return None
    return value


def read_loads(path: str | Path) -> LoadHistory:
    """The daily load history of a CSV (module docstring), missing days as rest."""
    file, digest, header, rows = _read_rows(Path(path))
    if "date" not in header or not ("load" in header or {"duration", "rpe"} <= set(header)):
        raise ScenarioError(
            [
                Problem(
                    file,
                    "line 1",
                    f"columns {','.join(header)!r}: the header must have 'date,load' or "
                    "'date,duration,rpe' (duration in minutes, RPE 0-10: Foster's session-RPE)",
                )
            ]
        )
    session_rpe = "load" not in header
    problems: list[Problem] = []
    by_date: dict[dt.date, float] = {}
    for line, row in rows:
        date = _date(file, line, row["date"], problems)
        if session_rpe:
            minutes = _number(file, line, "duration", row["duration"], problems, minimum=0)
            rpe = _number(file, line, "rpe", row["rpe"], problems, minimum=0)
            if rpe is not None and rpe > 10:
                problems.append(
                    Problem(file, _where(line, "rpe"), f"{row['rpe']!r}: RPE is 0-10 (CR-10)")
                )
                rpe = None
            load = None if minutes is None or rpe is None else minutes * rpe
        else:
            load = _number(file, line, "load", row["load"], problems, minimum=0)
        if date is not None and load is not None:
            by_date[date] = by_date.get(date, 0.0) + load
    if problems:
        raise ScenarioError(problems)
    if not by_date:
        raise ScenarioError([Problem(file, "line 2", "no load rows after the header")])
    start, end = min(by_date), max(by_date)
    loads = tuple(
        by_date.get(start + dt.timedelta(days=i), 0.0) for i in range((end - start).days + 1)
    )
    gaps: list[tuple[dt.date, dt.date]] = []
    dates = sorted(by_date)
    for before, after in zip(dates, dates[1:]):
        if (after - before).days - 1 >= LONG_GAP_DAYS:
            gaps.append((before + dt.timedelta(days=1), after - dt.timedelta(days=1)))
    return LoadHistory(file, digest, start, loads, tuple(gaps), session_rpe)


def _flag(file: str, line: int, text: str, problems: list[Problem]) -> bool | None:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    problems.append(
        Problem(file, _where(line, "lower_is_better"), f"{text!r}: write true or false")
    )
    return None


def read_tests(path: str | Path, test: str | None = None) -> TestSeries:
    """The results of one test from a tests CSV (module docstring): the file's only test, or
    the one named `test` when it holds several."""
    file, digest, header, rows = _read_rows(Path(path))
    missing = [c for c in ("date", "test", "value", "lower_is_better") if c not in header]
    if missing:
        raise ScenarioError(
            [
                Problem(
                    file,
                    "line 1",
                    f"columns {','.join(header)!r}: missing {', '.join(missing)} (the header "
                    "must have date,test,value,lower_is_better and may have unit)",
                )
            ]
        )
    names = sorted({row["test"] for _, row in rows if row["test"]})
    if test is None:
        if len(names) > 1:
            raise ScenarioError(
                [
                    Problem(
                        file,
                        "column test",
                        f"the file has {len(names)} tests ({', '.join(names)}): choose one "
                        "with --test",
                    )
                ]
            )
        test = names[0] if names else ""
    elif test not in names:
        reason = f"no test named {test!r} (the file has: {', '.join(names) or 'none'})"
        raise ScenarioError([Problem(file, "column test", reason)])
    problems: list[Problem] = []
    results: list[TestResult] = []
    flags: dict[bool, int] = {}  # lower_is_better -> first line saying so
    units: dict[str, int] = {}
    for line, row in rows:
        if not row["test"]:
            problems.append(Problem(file, _where(line, "test"), "empty: name the test"))
            continue
        if row["test"] != test:
            continue
        date = _date(file, line, row["date"], problems)
        value = _number(file, line, "value", row["value"], problems, minimum=None)
        flag = _flag(file, line, row["lower_is_better"], problems)
        if flag is not None:
            flags.setdefault(flag, line)
        units.setdefault(row.get("unit", ""), line)
        if date is not None and value is not None:
            results.append(TestResult(date, value, line))
    if len(flags) > 1:
        reason = (
            f"test {test!r} says lower_is_better true on line {flags[True]} and false on line "
            f"{flags[False]}: one test is one direction"
        )
        problems.append(Problem(file, _where(max(flags.values()), "lower_is_better"), reason))
    if len(units) > 1:
        (first, line_a), (second, line_b) = sorted(units.items(), key=lambda item: item[1])[:2]
        reason = (
            f"test {test!r} is in {first!r} on line {line_a} and {second!r} here: one unit a test"
        )
        problems.append(Problem(file, _where(line_b, "unit"), reason))
    if problems:
        raise ScenarioError(problems)
    if not results:
        raise ScenarioError([Problem(file, "line 2", "no test rows after the header")])
    results.sort(key=lambda r: (r.date, r.line))
    return TestSeries(file, digest, test, next(iter(units)), next(iter(flags)), tuple(results))


def check_cover(history: LoadHistory, tests: TestSeries) -> None:
    """Every test must fall within the history (up to the day after its last row, whose morning
    the last load reaches): outside it the loads that made the test are unknown."""
    problems = [
        Problem(
            tests.file,
            _where(r.line, "date"),
            f"{r.date} is outside the load history {history.file} "
            f"({history.start} .. {history.end}): the loads before a test must be known",
        )
        for r in tests.results
        if not history.start <= r.date <= history.end + dt.timedelta(days=1)
    ]
    if problems:
        raise ScenarioError(problems)
