"""A training log: what the athlete actually did, day by day, with each session's load and how
that load was obtained (docs/log.md).

The readers (`traininglog/reading.py` for CSV files, `traininglog/activities.py` for FIT and TCX activity files, with
`traininglog/naming.py` for how their activities name a session) turn a file into `Activity` records: what the file says, each value with the place it was written.
This module gives them their meaning against the scenario — which library session, which
category, which load — by one set of rules for every format, and merges the files into one
`TrainingLog`. It never imports the solver.

Load rules, in order (the first that applies):

1. a load written in the log (the periodize CSV's `load` column, a `load=` token): as written;
2. session-RPE: minutes x RPE (CR-10), Foster et al. 2001 (JSCR 15:109) — the plan's own unit;
3. a platform's own load (TrainingPeaks' TSS, intervals.icu's icu_training_load): as the
   platform computed it, in its units (`load_from="log"`);
4. Banister's TRIMP from the average heart rate: minutes x x x 0.64 e^(1.92 x) (men) or
   0.86 e^(1.67 x) (women), x = (HRavg - HRrest) / (HRmax - HRrest) (Banister 1991; Morton,
   Fitz-Clarke & Banister 1990), with the athlete's resting and maximal heart rate.

TRIMP and session-RPE are different scales and no factor converts one into the other here: the
two correlate within an athlete (Foster et al. 2001), but their ratio differs between athletes
and kinds of session, so any fixed factor would be invented; `load_from` says which was used.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from periodize.core.errors import Problem
from periodize.core.terms import Category
from periodize.scenario.schema import Scenario

T = TypeVar("T")
LoadFrom = Literal["log", "session-rpe", "trimp"]

# The ranges a logged value must lie in (docs/log.md): a session lasts at most a day, RPE is on
# Foster's CR-10 scale, and no session-RPE load can pass RPE 10 for a whole day.
MAX_MINUTES = 1440
MAX_RPE = 10.0
MAX_LOAD = int(MAX_RPE * MAX_MINUTES)
HEART_RATE_RANGE = (20.0, 250.0)  # beats a minute: below or above any human heart
# TRIMP's intensity weighting y = a e^(b x) (Banister 1991; Morton, Fitz-Clarke & Banister 1990).
TRIMP_WEIGHTING = {"male": (0.64, 1.92), "female": (0.86, 1.67)}


class LoggedSession(BaseModel):
    """One session the athlete did, as the log records it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date: dt.date
    session: str | None = Field(
        description="The library session id when the log names one; None for a free-form session."
    )
    name: str = Field(description="As written; the library's name for a library session.")
    category: Category
    hard: bool
    load: int = Field(ge=0, le=MAX_LOAD, description="The session's load (see load_from).")
    minutes: int | None = Field(ge=0, le=MAX_MINUTES)
    rpe: float | None = Field(ge=0, le=MAX_RPE, description="CR-10 RPE, when the log gives one.")
    load_from: LoadFrom = Field(
        description="log: as written in the file (a platform's load in its own units); "
        "session-rpe: minutes x RPE (Foster 2001), AU; trimp: Banister's TRIMP from heart rate."
    )
    source: str = Field(
        description="Where it was read: 'log.csv row 4', 'ride.fit session 1' (a FIT "
        "file's session message)."
    )


class TrainingLog(BaseModel):
    """Every logged session, sorted by date, then by file (in the order given) and place in it."""

    model_config = ConfigDict(extra="forbid")

    sessions: list[LoggedSession] = Field(default_factory=list)
    first: dt.date | None = Field(None, description="The first day the log covers.")
    last: dt.date | None = Field(None, description="The last day the log covers (inclusive).")
    notes: list[str] = Field(
        default_factory=list,
        description="Duplicates dropped and possible duplicates kept, for the reader to check.",
    )

    def on(self, day: dt.date) -> list[LoggedSession]:
        """The sessions logged on `day` (none: a rest day within the log, or outside it)."""
        return [s for s in self.sessions if s.date == day]

    def daily_loads(self) -> dict[dt.date, int]:
        """The load of every day from `first` to `last`, 0 on days with nothing logged."""
        if self.first is None or self.last is None:
            return {}
        loads = {
            self.first + dt.timedelta(days=i): 0 for i in range((self.last - self.first).days + 1)
        }
        for session in self.sessions:
            loads[session.date] += session.load
        return loads


# --------------------------------------------------------------------------- load rules
def finite(text: str) -> float | None:
    """The text as a finite number, or None (not a number, nan, inf)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def session_rpe_load(minutes: int, rpe: float) -> int:
    """Foster's session-RPE load: duration (minutes) x CR-10 RPE, AU (Foster et al. 2001, JSCR
    15:109), rounded half up."""
    return math.floor(minutes * rpe + 0.5)


def trimp(
    minutes: int, heart_rate: float, resting: float, maximum: float, weighting: str = "male"
) -> int:
    """Banister's training impulse: minutes x x x a e^(b x), x the fraction of heart-rate reserve
    at the session's average heart rate (Banister 1991; a, b in TRIMP_WEIGHTING), rounded."""
    a, b = TRIMP_WEIGHTING[weighting]
    x = (heart_rate - resting) / (maximum - resting)
    return math.floor(minutes * x * a * math.exp(b * x) + 0.5)


# --------------------------------------------------------------------------- what a file says
@dataclass(frozen=True)
class Value(Generic[T]):
    """A value read from a file and where it was written ('row 4, column Rpe')."""

    value: T
    at: str


@dataclass(frozen=True)
class Activity:
    """One session as a file states it, before the library and the load rules give it meaning.

    `order` is (file index, place in the file): the log's order and the duplicate rule's. `sport`
    is the activity type of a device or platform file (Run, WeightTraining, running ...), for
    the default category of a free-form session."""

    file: str
    order: tuple[int, int]
    source: str
    at: str  # where the whole activity is: 'row 4', a FIT 'session 1' message, TCX 'Activity 1'
    date: Value[dt.date]
    session: Value[str] | None = None
    name: Value[str] | None = None
    category: Value[str] | None = None
    hard: Value[bool] | None = None
    load: Value[float] | None = None
    minutes: Value[float] | None = None
    rpe: Value[float] | None = None
    platform_load: Value[float] | None = None
    heart_rate: Value[float] | None = None
    sport: str | None = None


# --------------------------------------------------------------------------- free-form categories
# Activity types (platforms' and FIT's sport names, lower case, without spaces or underscores)
# whose free-form sessions are not the default category, tempo (aerobic work).
SPORT_CATEGORY = {
    "weighttraining": Category.strength,
    "strength": Category.strength,
    "strengthtraining": Category.strength,
    "crossfit": Category.strength,
    "yoga": Category.mobility,
    "pilates": Category.mobility,
    "stretching": Category.mobility,
    "flexibilitytraining": Category.mobility,
    "mobility": Category.mobility,
}
DEFAULT_CATEGORY = Category.tempo


def sport_category(sport: str | None) -> Category:
    """The category of a free-form session of this activity type (docs/log.md)."""
    key = re.sub(r"[\s_-]", "", (sport or "").lower())
    return SPORT_CATEGORY.get(key, DEFAULT_CATEGORY)


# --------------------------------------------------------------------------- meaning
def _library_list(scenario: Scenario) -> str:
    return ", ".join(sorted(t.id for t in scenario.sessions.types))


def _in_range(
    value: Value[float] | None, low: float, high: float, what: str, file: str, out: list[Problem]
) -> float | None:
    if value is None:
        return None
    if not low <= value.value <= high:
        out.append(Problem(file, value.at, f"{value.value:g}: {what} must be {low:g}..{high:g}"))
        return None
    return value.value


def resolve(
    activity: Activity, scenario: Scenario, problems: list[Problem]
) -> LoggedSession | None:
    """The logged session an activity stands for, or None with the reasons added to `problems`."""
    file, found = activity.file, len(problems)
    session_id, kind = _kind(activity, scenario, problems)
    minutes_value = _in_range(activity.minutes, 0, MAX_MINUTES, "minutes", file, problems)
    minutes = None if minutes_value is None else math.floor(minutes_value + 0.5)
    rpe = _in_range(activity.rpe, 0, MAX_RPE, "RPE (CR-10)", file, problems)
    loaded = _load(activity, scenario, minutes, rpe, problems)
    if len(problems) > found or kind is None or loaded is None:
        return None
    name, category, hard = kind
    load, load_from = loaded
    return LoggedSession(
        date=activity.date.value,
        session=session_id,
        name=name,
        category=category,
        hard=hard,
        load=load,
        minutes=minutes,
        rpe=rpe,
        load_from=load_from,
        source=activity.source,
    )


def _kind(
    activity: Activity, scenario: Scenario, problems: list[Problem]
) -> tuple[str | None, tuple[str, Category, bool] | None]:
    """(library id or None, (name, category, hard)) of an activity."""
    file = activity.file
    if activity.session is not None:
        session = scenario.sessions.by_id(activity.session.value)
        if session is None:
            reason = (
                f"unknown session {activity.session.value!r} (the library has: "
                f"{_library_list(scenario)})"
            )
            problems.append(Problem(file, activity.session.at, reason))
            return None, None
        for given, own, what in (
            (activity.category, session.category.value, "category"),
            (activity.hard, session.hard, "hard"),
        ):
            if given is not None and given.value != own:
                reason = (
                    f"{given.value!r}: session {session.id!r} has {what} {own!r} in the library "
                    f"(leave {what} empty for a library session)"
                )
                problems.append(Problem(file, given.at, reason))
        return session.id, (session.name or session.id, session.category, session.hard)
    if activity.name is None or not activity.name.value.strip():
        where = activity.name.at if activity.name else activity.at
        problems.append(Problem(file, where, "empty: name the session (or give a library id)"))
        return None, None
    if activity.category is not None:
        try:
            category = Category(activity.category.value.strip().lower())
        except ValueError:
            reason = (
                f"{activity.category.value!r} is not a category (one of: "
                f"{', '.join(c.value for c in Category)})"
            )
            problems.append(Problem(file, activity.category.at, reason))
            return None, None
    elif activity.sport is not None:
        category = sport_category(activity.sport)
    else:
        reason = "a free-form session needs a category (or give a library id in session)"
        problems.append(Problem(file, activity.name.at, reason))
        return None, None
    hard = activity.hard.value if activity.hard is not None else False
    return None, (activity.name.value.strip(), category, hard)


def _load(
    activity: Activity,
    scenario: Scenario,
    minutes: int | None,
    rpe: float | None,
    problems: list[Problem],
) -> tuple[int, LoadFrom] | None:
    """The load by the module's rules, and which rule gave it."""
    file = activity.file
    if activity.load is not None:
        load = _in_range(activity.load, 0, MAX_LOAD, "a session's load (AU)", file, problems)
        return None if load is None else (math.floor(load + 0.5), "log")
    if minutes is not None and rpe is not None:
        return session_rpe_load(minutes, rpe), "session-rpe"
    if activity.platform_load is not None:
        what = "a session's load"
        load = _in_range(activity.platform_load, 0, MAX_LOAD, what, file, problems)
        return None if load is None else (math.floor(load + 0.5), "log")
    if minutes is not None and activity.heart_rate is not None:
        return _trimp(activity.heart_rate, minutes, scenario, file, problems)
    if activity.minutes is not None and activity.rpe is None and activity.heart_rate is None:
        reason = "no load: give an RPE (session-RPE = minutes x RPE) or a load"
        problems.append(Problem(file, activity.minutes.at, reason))
    elif activity.minutes is None and (activity.rpe or activity.heart_rate):
        problems.append(Problem(file, activity.at, "no duration: give the minutes"))
    elif activity.minutes is None:
        reason = "no load: give a load, or minutes and an RPE, or minutes and a heart rate"
        problems.append(Problem(file, activity.at, reason))
    return None


def _trimp(
    heart_rate: Value[float], minutes: int, scenario: Scenario, file: str, problems: list[Problem]
) -> tuple[int, LoadFrom] | None:
    athlete = scenario.athlete
    low, high = HEART_RATE_RANGE
    if _in_range(heart_rate, low, high, "a heart rate (bpm)", file, problems) is None:
        return None
    rest, top = athlete.resting_heart_rate, athlete.max_heart_rate
    if rest is None or top is None:
        reason = (
            f"{heart_rate.value:g} bpm: a load from heart rate (TRIMP) needs "
            "athlete.resting_heart_rate and athlete.max_heart_rate in the scenario"
        )
        problems.append(Problem(file, heart_rate.at, reason))
        return None
    if not rest <= heart_rate.value <= top:
        reason = (
            f"{heart_rate.value:g} bpm is outside the athlete's heart-rate reserve "
            f"({rest:g}..{top:g} bpm)"
        )
        problems.append(Problem(file, heart_rate.at, reason))
        return None
    return trimp(minutes, heart_rate.value, rest, top, athlete.trimp_weighting), "trimp"


# --------------------------------------------------------------------------- merging files
def _activity_key(session: LoggedSession) -> tuple[object, ...] | None:
    """What makes two rows one activity: the day, the session (a free-form one by category and
    name) and the minutes; None when the minutes are unknown (never a duplicate)."""
    if session.minutes is None:
        return None
    kind = session.session or (session.category.value, session.name.casefold())
    return (session.date, kind, session.minutes)


def merge(found: list[tuple[tuple[int, int], LoggedSession]]) -> TrainingLog:
    """One log from the sessions of every file, each with its (file index, place) order.

    The same activity imported twice (the same date, session and minutes in two files) is kept
    once: the file given first wins, and a later file's rows with that key are dropped up to as
    many as the earlier files hold (any more are sessions of their own). Rows within one file
    are never merged. The same session on one day in two files with different minutes is kept
    twice, with a note (maybe one activity, timed differently)."""
    ordered = sorted(found, key=lambda item: (item[1].date, item[0]))
    by_file: dict[int, list[tuple[tuple[int, int], LoggedSession]]] = {}
    for order, session in sorted(found, key=lambda item: item[0]):
        by_file.setdefault(order[0], []).append((order, session))
    dropped: set[tuple[int, int]] = set()
    notes: list[str] = []
    kept_before: Counter[tuple[object, ...]] = Counter()
    first_source: dict[tuple[object, ...], str] = {}
    for index in sorted(by_file):
        here: Counter[tuple[object, ...]] = Counter()
        for order, session in by_file[index]:
            key = _activity_key(session)
            if key is None:
                continue
            here[key] += 1
            if here[key] <= kept_before[key]:
                dropped.add(order)
                notes.append(
                    f"dropped {session.source}: the same activity as {first_source[key]} (same "
                    f"date, session and minutes; the file given first is kept)"
                )
            else:
                first_source.setdefault(key, session.source)
        for key, count in here.items():
            kept_before[key] = max(kept_before[key], count)
    sessions = [session for order, session in ordered if order not in dropped]
    notes += _near_duplicates([(o, s) for o, s in ordered if o not in dropped])
    dates = [s.date for s in sessions]
    return TrainingLog(
        sessions=sessions,
        first=min(dates, default=None),
        last=max(dates, default=None),
        notes=notes,
    )


def _near_duplicates(kept: list[tuple[tuple[int, int], LoggedSession]]) -> list[str]:
    """Notes on one day's sessions of one kind from different files whose minutes differ: maybe
    one activity recorded twice (the log keeps both)."""
    notes = []
    for i, (order, session) in enumerate(kept):
        for other_order, other in kept[i + 1 :]:
            if other.date != session.date:
                break
            same_kind = (other.session or (other.category, other.name.casefold())) == (
                session.session or (session.category, session.name.casefold())
            )
            if same_kind and other_order[0] != order[0]:
                notes.append(
                    f"kept both {session.source} and {other.source}: the same session on "
                    f"{session.date} from two files with different minutes "
                    f"({session.minutes}, {other.minutes}); if it is one activity, remove one"
                )
    return notes
