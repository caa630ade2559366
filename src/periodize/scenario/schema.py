"""The scenario schema: athlete, races, plan window, availability, session library, rules and
objective, as pydantic models with cited defaults.

`scenario/loading.py` reads a scenario file, resolves its presets and validates it into a `Scenario`;
`scenario/precheck.py` finds the contradictions that need no solver. The rules' own settings are in
`scenario/rules.py`, the shared vocabulary (categories, phases, priorities) in `core/terms.py`; both are
re-exported here for convenience. This module never imports the solver.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from pydantic import Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from periodize.core.terms import (
    WEEKDAYS,
    Category,
    Count,
    Flag,
    Load,
    Minutes,
    NonNegInt,
    Number,
    Phase,
    Priority,
    Strict,
    Text,
    Weekday,
    duplicates,
)
from periodize.scenario.completed import Done
from periodize.scenario.response import MAX_STATE, BanisterResponse, BussoResponse, ResponseModel
from periodize.scenario.rules import Rules

__all__ = [
    "WEEKDAYS",
    "Athlete",
    "Availability",
    "Blackout",
    "Category",
    "DailyLoad",
    "Dose",
    "FixedCommitment",
    "Load",
    "Minutes",
    "NonNegInt",
    "Objective",
    "Phase",
    "PlanWindow",
    "Priority",
    "Race",
    "BanisterResponse",
    "BussoResponse",
    "ResponseModel",
    "Rules",
    "Scenario",
    "SessionLibrary",
    "SessionType",
    "Strict",
    "Weekday",
]


# --------------------------------------------------------------------------- athlete
class Athlete(Strict):
    """Who trains, how they respond to training, and where they start from."""

    name: Text = "athlete"
    response: ResponseModel = Field(
        default_factory=lambda: BanisterResponse(preset="banister-classic"),
        description="A preset name from models/response/, or inline parameters of the banister "
        "or busso model.",
    )
    initial_fitness: Number = Field(
        0.0, ge=0, le=MAX_STATE, description="Fitness on the morning of the start day."
    )
    initial_fatigue: Number = Field(
        0.0, ge=0, le=MAX_STATE, description="Fatigue on the morning of the start day."
    )
    history_csv: Text | None = Field(
        None,
        description="CSV of recent daily loads (columns date,load), relative to the scenario file; "
        "when given it replaces initial_fitness/initial_fatigue and feeds the ramp and acute:chronic rules.",
    )
    history: list[DailyLoad] = Field(
        default_factory=list, description="Recent daily loads (filled from history_csv)."
    )
    current_weekly_load: Count | None = Field(
        None,
        ge=0,
        le=700_000,
        description="Session-RPE load of the athlete's recent weeks (AU a week), when there is no "
        "history_csv: it stands for the four weeks before the start in the ramp, acute:chronic and "
        "deload rules (week 1 ramps from it) and for the starting CTL/ATL.",
    )
    resting_heart_rate: Number | None = Field(
        None,
        ge=20,
        le=120,
        description="Resting heart rate, beats a minute (20-120): with max_heart_rate, it turns "
        "a logged session's average heart rate into Banister's TRIMP when the log has no load "
        "and no RPE (docs/log.md).",
    )
    max_heart_rate: Number | None = Field(
        None,
        ge=100,
        le=250,
        description="Maximal heart rate, beats a minute (100-250), above resting_heart_rate: "
        "the top of TRIMP's heart-rate reserve (docs/log.md).",
    )
    trimp_weighting: Literal["male", "female"] = Field(
        "male",
        description="TRIMP's intensity weighting: 0.64*e^(1.92x) (male) or 0.86*e^(1.67x) "
        "(female), x the fraction of heart-rate reserve (Banister 1991; Morton, Fitz-Clarke & "
        "Banister 1990).",
    )

    @model_validator(mode="after")
    def _heart_rates_ordered(self) -> Athlete:
        rest, top = self.resting_heart_rate, self.max_heart_rate
        if rest is not None and top is not None and rest >= top:
            raise ValueError(
                f"resting_heart_rate {rest:g} is not below max_heart_rate {top:g}: TRIMP needs a "
                "heart-rate reserve"
            )
        return self


class DailyLoad(Strict):
    """One day of recorded training load (session-RPE AU)."""

    date: dt.date
    load: Load


# --------------------------------------------------------------------------- races, plan
class Race(Strict):
    """A competition on the calendar."""

    name: Text = Field(min_length=1)
    date: dt.date
    priority: Priority = Priority.A


class PlanWindow(Strict):
    """The days the plan covers."""

    start: dt.date
    end: dt.date | None = Field(
        None, description="Last plan day; default: last race + transition_days."
    )
    transition_days: Count = Field(
        7, ge=0, le=365, description="Days planned after the last race when end is not given."
    )


# --------------------------------------------------------------------------- availability
class Blackout(Strict):
    """Dates with no training at all (travel, exams, illness)."""

    start: dt.date
    end: dt.date
    reason: Text = ""

    @model_validator(mode="after")
    def _ordered(self) -> Blackout:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class FixedCommitment(Strict):
    """This weekday always holds this session type (e.g. club tempo on Thursdays)."""

    weekday: Weekday  # type: ignore[valid-type]
    session: Text = Field(description="Session type id.")


class Availability(Strict):
    """When the athlete can train."""

    training_days: list[Weekday] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(Weekday), description="Weekdays training is possible."
    )
    minutes_per_day: Minutes | dict[Weekday, Minutes] = Field(  # type: ignore[valid-type]
        120, description="Minutes available per day: one number, or one per weekday."
    )
    max_sessions_per_day: Count = Field(
        2, ge=1, le=10, description="Most sessions in a day: one main session plus add-ons."
    )
    blackouts: list[Blackout] = Field(default_factory=list)
    fixed: list[FixedCommitment] = Field(default_factory=list)

    def minutes_on(self, weekday: str) -> int:
        """Minutes available on a weekday ('mon'..'sun')."""
        if isinstance(self.minutes_per_day, int):
            return self.minutes_per_day
        for day, minutes in self.minutes_per_day.items():
            if day.value == weekday:
                return minutes
        return 0


# --------------------------------------------------------------------------- sessions
class Dose(Strict):
    """One way to do a session: its duration and its session-RPE load (CR-10 RPE x minutes, Foster 2001)."""

    minutes: Minutes
    load: Load


class SessionType(Strict):
    """A kind of session in the library."""

    id: Text = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: Text = ""
    category: Category
    hard: Flag = Field(False, description="High intensity or high neuromuscular stress.")
    max_velocity: Flag = Field(
        False, description="Maximal-velocity work: needs the longer recovery."
    )
    heavy_lower_body: Flag = Field(
        False, description="Heavy lower-body strength (not the day before sprinting)."
    )
    addon: Flag = Field(False, description="A short add-on that can join a day's main session.")
    doses: list[Dose] = Field(min_length=1)
    prescription: Text = ""

    @model_validator(mode="after")
    def _consistent(self) -> SessionType:
        if self.addon and (self.hard or self.category in (Category.rest, Category.race)):
            raise ValueError("an add-on session cannot be hard, rest or a race")
        if (self.max_velocity or self.heavy_lower_body) and not self.hard:
            raise ValueError("a max_velocity or heavy_lower_body session must be hard")
        if self.category == Category.rest and any(d.load or d.minutes for d in self.doses):
            raise ValueError("a rest session has zero minutes and zero load")
        return self


class SessionLibrary(Strict):
    """The session types a plan can use."""

    preset: Text | None = Field(
        None, description="Name of a library in models/sessions/ the types came from."
    )
    types: list[SessionType] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> SessionLibrary:
        ids = [t.id for t in self.types]
        dupes = sorted(duplicates(ids))
        if dupes:
            raise ValueError(f"duplicate session ids: {', '.join(dupes)}")
        if not any(t.category == Category.rest for t in self.types):
            raise ValueError("the library needs a session of category 'rest'")
        if not any(t.category == Category.race for t in self.types):
            raise ValueError("the library needs a session of category 'race'")
        return self

    def by_id(self, session_id: str) -> SessionType | None:
        """The session type with this id, or None."""
        return next((t for t in self.types if t.id == session_id), None)

    def type_of(self, session_id: str) -> SessionType:
        """The session type with this id (one the scenario's validation already checked)."""
        session = self.by_id(session_id)
        if session is None:
            raise KeyError(f"unknown session type '{session_id}'")
        return session

    @property
    def rest(self) -> SessionType:
        return next(t for t in self.types if t.category == Category.rest)

    @property
    def race(self) -> SessionType:
        return next(t for t in self.types if t.category == Category.race)


class Objective(Strict):
    """Weights of each race priority in the objective (sum of weighted race-day performances)."""

    A: Number = Field(1.0, ge=0, le=1000)
    B: Number = Field(0.3, ge=0, le=1000)
    C: Number = Field(0.1, ge=0, le=1000)

    def weight(self, priority: Priority) -> float:
        return float(getattr(self, priority.value))


# --------------------------------------------------------------------------- scenario
class Scenario(Strict):
    """A planning problem: everything the planner needs, presets resolved."""

    plan: PlanWindow
    athlete: Athlete = Field(default_factory=Athlete)
    races: list[Race] = Field(default_factory=list)
    availability: Availability = Field(default_factory=Availability)
    sessions: SessionLibrary = Field(
        default_factory=lambda: SessionLibrary(preset="sprint-default")
    )
    rules: Rules = Field(default_factory=lambda: Rules(preset="sprint-default"))
    objective: Objective = Field(default_factory=Objective)
    # set by a re-plan, never read from a file: the days before `done.today` are fixed to what
    # was done (scenario/completed.py)
    done: SkipJsonSchema[Done | None] = Field(None, exclude=True)

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        ids = {t.id for t in self.sessions.types}
        weekdays = [f.weekday.value for f in self.availability.fixed]
        for day in sorted(duplicates(weekdays)):
            raise ValueError(f"availability.fixed: two fixed commitments on {day}")
        dates = [h.date for h in self.athlete.history]
        for day in sorted(duplicates(dates)):
            raise ValueError(f"athlete.history_csv: {day} appears twice")
        if self.athlete.history and self.athlete.current_weekly_load is not None:
            raise ValueError(
                "athlete.current_weekly_load: give a history_csv or a current weekly load, not "
                "both (the history holds the current load)"
            )
        self._busso_has_units_and_start()
        self._load_rules_have_a_start()
        for i, fixed in enumerate(self.availability.fixed):
            if fixed.session not in ids:
                raise ValueError(
                    f"availability.fixed.{i}.session: unknown session type '{fixed.session}' "
                    f"(the library has: {', '.join(sorted(ids))})"
                )
        for sid in self.rules.day_before_race.allowed_sessions:
            if sid not in ids:
                raise ValueError(
                    f"rules.day_before_race.allowed_sessions: unknown session type '{sid}' "
                    f"(the library has: {', '.join(sorted(ids))})"
                )
        names = [r.name for r in self.races]
        dupes = sorted(duplicates(names))
        if dupes:
            raise ValueError(f"races: duplicate race names: {', '.join(dupes)}")
        return self

    def _busso_has_units_and_start(self) -> None:
        response = self.athlete.response
        if not isinstance(response, BussoResponse):
            return
        if self.athlete.initial_fitness or self.athlete.initial_fatigue:
            raise ValueError(
                "athlete.initial_fitness: initial_fitness and initial_fatigue are Banister states; "
                "with the busso model the start comes from history_csv or current_weekly_load"
            )
        if response.load_scale is None and self.sustainable_daily_load() is None:
            raise ValueError(
                "athlete.response.load_scale: the busso model needs its load units: set "
                "load_scale, or a weekly load cap or current_weekly_load to scale it by"
            )

    def _load_rules_have_a_start(self) -> None:
        """The ramp and acute:chronic rules compare week 1 with the weeks before the start: they
        need the load the athlete trains now (without it week 1 may hold any load up to the weekly cap)."""
        if self.athlete.history or self.athlete.current_weekly_load is not None:
            return
        needing = [name for name in ("ramp", "acute_chronic") if getattr(self.rules, name).enabled]
        if needing:
            raise ValueError(
                f"athlete.current_weekly_load: the {' and '.join(needing)} rule"
                f"{'s compare' if len(needing) > 1 else ' compares'} week 1 with the weeks before "
                "the start: give the load the athlete trains now (session-RPE AU a week) or a "
                "history_csv"
            )

    def sustainable_daily_load(self) -> float | None:
        """The daily load the athlete can sustain: the weekly load cap / 7 (the coach's statement
        of the most a week may hold), else the current weekly load / 7, else unknown."""
        cap = self.rules.weekly_load_cap
        if cap.enabled and cap.max_load > 0:
            return cap.max_load / 7
        if self.athlete.current_weekly_load:
            return self.athlete.current_weekly_load / 7
        return None

    @property
    def start(self) -> dt.date:
        return self.plan.start

    @property
    def end(self) -> dt.date:
        """Last plan day (inclusive)."""
        if self.plan.end is not None:
            return self.plan.end
        if self.races:
            try:
                return max(r.date for r in self.races) + dt.timedelta(
                    days=self.plan.transition_days
                )
            except OverflowError:
                return dt.date.max
        try:
            return self.plan.start + dt.timedelta(days=7 * 12 - 1)
        except OverflowError:
            return dt.date.max

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def n_weeks(self) -> int:
        return math.ceil(self.n_days / 7)

    def prior_loads(self) -> dict[int, int]:
        """Daily loads before the start, by day offset (-1 is the day before): the recorded
        history, or four weeks of `current_weekly_load` (each week's load spread over its days),
        or nothing."""
        if self.athlete.history:
            return {(h.date - self.start).days: h.load for h in self.athlete.history}
        weekly = self.athlete.current_weekly_load
        if weekly is None:
            return {}
        daily, extra = divmod(weekly, 7)
        return {-7 * week + d: daily + (d < extra) for week in range(1, 5) for d in range(7)}

    def sorted_races(self) -> list[Race]:
        return sorted(self.races, key=lambda r: (r.date, r.name))


Athlete.model_rebuild()
