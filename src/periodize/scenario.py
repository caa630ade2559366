"""The scenario: athlete, races, availability, session library, rules and objective.

A scenario file (TOML or JSON) names presets from models/ and overrides any field of them;
`load_scenario` resolves the presets and validates the result into a `Scenario`. This
module never imports the solver.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import tomllib
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import Problem, ScenarioError

DEFAULT_PRESET = (
    "sprint-default"  # session library and rule set used unless a scenario sets preset = ""
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Strict(BaseModel):
    """Base for every scenario table: unknown keys are errors (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Category(str, Enum):
    """What kind of work a session is; rules count and restrict sessions by category."""

    sprint = "sprint"
    hill = "hill"
    tempo = "tempo"
    strength = "strength"
    mobility = "mobility"
    recovery = "recovery"
    rest = "rest"
    test = "test"
    race = "race"
    primer = "primer"


class Priority(str, Enum):
    """Race priority (Friel): A races are peaked for, B races get a short reduction, C are trained through."""

    A = "A"
    B = "B"
    C = "C"


class Phase(str, Enum):
    """Training phases, in the order they run before each A race (Friel; Bompa)."""

    general_prep = "general_prep"
    specific_prep = "specific_prep"
    pre_competition = "pre_competition"
    taper = "taper"
    race = "race"
    transition = "transition"


Weekday = Enum("Weekday", {d: d for d in WEEKDAYS}, type=str)  # type: ignore[misc]
NonNegInt = Annotated[int, Field(ge=0)]
Load = Annotated[int, Field(ge=0, le=100_000, description="Session-RPE load, AU (at most 100000).")]
Minutes = Annotated[int, Field(ge=0, le=1440, description="Minutes (at most a day, 1440).")]


# --------------------------------------------------------------------------- athlete
class ResponseModel(Strict):
    """Banister fitness-fatigue parameters: p(t) = p0 + k1*fitness(t) - k2*fatigue(t)."""

    preset: str | None = Field(
        None, description="Name of a preset in models/response/ the values came from."
    )
    k1: float = Field(1.0, gt=0, description="Fitness gain per unit load.")
    k2: float = Field(2.0, gt=0, description="Fatigue gain per unit load.")
    tau1: float = Field(45.0, gt=0, description="Fitness decay time constant, days.")
    tau2: float = Field(15.0, gt=0, description="Fatigue decay time constant, days.")
    p0: float = Field(0.0, description="Baseline performance (units of the model).")
    source: str = Field("", description="Where the parameters come from.")

    @model_validator(mode="after")
    def _fitness_outlasts_fatigue(self) -> ResponseModel:
        if self.tau1 <= self.tau2:
            raise ValueError("tau1 (fitness) must be longer than tau2 (fatigue)")
        return self


class Athlete(Strict):
    """Who trains, how they respond to training, and where they start from."""

    name: str = "athlete"
    response: ResponseModel = Field(
        default_factory=lambda: ResponseModel(preset="banister-classic"),
        description="A preset name from models/response/ or inline Banister parameters.",
    )
    initial_fitness: float = Field(
        0.0, ge=0, description="Fitness on the morning of the start day."
    )
    initial_fatigue: float = Field(
        0.0, ge=0, description="Fatigue on the morning of the start day."
    )
    history_csv: str | None = Field(
        None,
        description="CSV of recent daily loads (columns date,load), relative to the scenario file; "
        "when given it replaces initial_fitness/initial_fatigue and feeds the ramp and acute:chronic rules.",
    )
    history: list[DailyLoad] = Field(
        default_factory=list, description="Recent daily loads (filled from history_csv)."
    )


class DailyLoad(Strict):
    """One day of recorded training load (session-RPE AU)."""

    date: dt.date
    load: Load


# --------------------------------------------------------------------------- races, plan
class Race(Strict):
    """A competition on the calendar."""

    name: str = Field(min_length=1)
    date: dt.date
    priority: Priority = Priority.A


class PlanWindow(Strict):
    """The days the plan covers."""

    start: dt.date
    end: dt.date | None = Field(
        None, description="Last plan day; default: last race + transition_days."
    )
    transition_days: int = Field(
        7, ge=0, le=365, description="Days planned after the last race when end is not given."
    )


# --------------------------------------------------------------------------- availability
class Blackout(Strict):
    """Dates with no training at all (travel, exams, illness)."""

    start: dt.date
    end: dt.date
    reason: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Blackout:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class FixedCommitment(Strict):
    """This weekday always holds this session type (e.g. club tempo on Thursdays)."""

    weekday: Weekday  # type: ignore[valid-type]
    session: str = Field(description="Session type id.")


class Availability(Strict):
    """When the athlete can train."""

    training_days: list[Weekday] = Field(  # type: ignore[valid-type]
        default_factory=lambda: list(Weekday), description="Weekdays training is possible."
    )
    minutes_per_day: Minutes | dict[Weekday, Minutes] = Field(  # type: ignore[valid-type]
        120, description="Minutes available per day: one number, or one per weekday."
    )
    max_sessions_per_day: int = Field(
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

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = ""
    category: Category
    hard: bool = Field(False, description="High intensity or high neuromuscular stress.")
    max_velocity: bool = Field(
        False, description="Maximal-velocity work: needs the longer recovery."
    )
    heavy_lower_body: bool = Field(
        False, description="Heavy lower-body strength (not the day before sprinting)."
    )
    addon: bool = Field(False, description="A short add-on that can join a day's main session.")
    doses: list[Dose] = Field(min_length=1)
    prescription: str = ""

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

    preset: str | None = Field(
        None, description="Name of a library in models/sessions/ the types came from."
    )
    types: list[SessionType] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> SessionLibrary:
        ids = [t.id for t in self.types]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate session ids: {', '.join(dupes)}")
        if not any(t.category == Category.rest for t in self.types):
            raise ValueError("the library needs a session of category 'rest'")
        if not any(t.category == Category.race for t in self.types):
            raise ValueError("the library needs a session of category 'race'")
        return self

    def by_id(self, session_id: str) -> SessionType | None:
        return next((t for t in self.types if t.id == session_id), None)

    @property
    def rest(self) -> SessionType:
        return next(t for t in self.types if t.category == Category.rest)

    @property
    def race(self) -> SessionType:
        return next(t for t in self.types if t.category == Category.race)


# --------------------------------------------------------------------------- rules
class Rule(Strict):
    """A coaching rule; every rule can be switched off, and made soft: a soft rule may be bent
    where that pays, each bent instance (the rule in one week) costing `penalty` performance points."""

    enabled: bool = True
    mode: Literal["hard", "soft"] = Field(
        "hard", description="hard: never broken; soft: may be bent at `penalty` per week it bends."
    )
    penalty: float | None = Field(
        None,
        gt=0,
        le=1e6,
        description="Soft rules: predicted-performance points each bent instance (one rule in one "
        "week) costs in the objective.",
    )

    @model_validator(mode="after")
    def _soft_needs_penalty(self) -> Rule:
        if self.mode == "soft" and self.penalty is None:
            raise ValueError("a soft rule needs a penalty (performance points per bent week)")
        return self


class Range(Strict):
    """An inclusive count range; max None means no upper limit."""

    min: NonNegInt = 0
    max: NonNegInt | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class HardRecovery(Rule):
    """Minimum time between hard sessions (Haugen et al. 2019, Table 2: 48 h; 48-72 h after max velocity)."""

    hours: int = Field(48, ge=24, le=336)
    max_velocity_hours: int = Field(72, ge=24, le=336)


class ConsecutiveHardDays(Rule):
    """Most hard days in a row (alternate hard and easy days, the brief; Foster 1998)."""

    max_days: int = Field(2, ge=1)


class StrengthBeforeSprint(Rule):
    """No heavy lower-body strength the day before a sprint session (J Sci Sport Exerc 2023)."""

    sprint_categories: list[Category] = Field(
        default_factory=lambda: [Category.sprint, Category.hill, Category.test, Category.race]
    )


class RestDays(Rule):
    """Minimum full rest days per week (brief: one rest day in the weekly template)."""

    min_per_week: NonNegInt = 1


class Frequency(Rule):
    """Sessions per week per category, with overrides per phase (brief: 2 sprint, 2 strength, 1 mobility, 1 recovery)."""

    per_category: dict[Category, Range] = Field(default_factory=dict)
    per_phase: dict[Phase, dict[Category, Range]] = Field(default_factory=dict)

    def range_for(self, phase: Phase, category: Category) -> Range:
        """The count range that applies to a category in a week of this phase."""
        override = self.per_phase.get(phase, {})
        if category in override:
            return override[category]
        return self.per_category.get(category, Range())


class WeeklyLoadCap(Rule):
    """Most load in one week (AU); athlete-specific."""

    max_load: int = Field(3000, ge=0, le=10_000_000)


class Ramp(Rule):
    """Largest week-over-week load increase (10 % convention; Buist 2008, Nielsen 2014)."""

    max_increase_pct: float = Field(10.0, ge=0)


class Deload(Rule):
    """A reduced week at least every N weeks (3:1 loading:deload, practitioner convention)."""

    every_weeks: int = Field(4, ge=2)
    min_reduction_pct: float = Field(20.0, ge=0, le=100)
    max_reduction_pct: float = Field(50.0, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Deload:
        if self.min_reduction_pct > self.max_reduction_pct:
            raise ValueError("min_reduction_pct is above max_reduction_pct")
        return self


class AcuteChronic(Rule):
    """Acute (7-day) : chronic (28-day) load ratio band (Gabbett 2016: 0.8-1.3)."""

    enabled: bool = False
    low: float = Field(0.8, ge=0)
    high: float = Field(1.3, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> AcuteChronic:
        if self.low > self.high:
            raise ValueError("low is above high")
        return self


class Monotony(Rule):
    """Weekly monotony (mean / SD of daily load) cap (Foster 1998; 2.0 is a secondary figure)."""

    enabled: bool = False
    max_monotony: float = Field(2.0, gt=0)


class Taper(Rule):
    """Taper before A races (Bosquet 2007: 8-14 d, volume -41..-60 %, intensity and frequency kept;
    Mujika & Padilla 2003: frequency cut at most 20 %)."""

    min_days: int = Field(8, ge=1)
    max_days: int = Field(14, ge=1)
    min_volume_reduction_pct: float = Field(41.0, ge=0, le=100)
    max_volume_reduction_pct: float = Field(60.0, ge=0, le=100)
    reference_weeks: int = Field(
        3, ge=1, description="Pre-taper weeks the reduction is measured against."
    )
    hard_sprint_every_days: int = Field(
        7, ge=1, description="At least one hard sprint session in every this many taper days."
    )
    max_frequency_cut_pct: float = Field(20.0, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Taper:
        if self.min_days > self.max_days:
            raise ValueError("min_days is above max_days")
        if self.min_volume_reduction_pct > self.max_volume_reduction_pct:
            raise ValueError("min_volume_reduction_pct is above max_volume_reduction_pct")
        return self


class BRaceReduction(Rule):
    """No hard sessions in the days before a B race (Friel: 2-5 days of reduced load)."""

    days: int = Field(3, ge=2, le=5)


class RaceDay(Rule):
    """Race day holds only the race."""


class DayBeforeRace(Rule):
    """The day before a race is rest or a short primer."""

    allowed_sessions: list[str] = Field(
        default_factory=lambda: ["rest", "primer", "mobility-short"]
    )


class DayAfterRace(Rule):
    """The day after a race is easy (no race simulation the day after a race)."""

    allowed_categories: list[Category] = Field(
        default_factory=lambda: [Category.rest, Category.recovery, Category.mobility]
    )


class TimeTrial(Rule):
    """A time-trial test (40 m / flying 20 m) at least every N weeks of preparation, never in a taper."""

    every_weeks: int = Field(4, ge=1)


class PhaseLength(Strict):
    """How many weeks a phase may last in each macrocycle."""

    min_weeks: NonNegInt = 0
    max_weeks: NonNegInt | None = None

    @model_validator(mode="after")
    def _ordered(self) -> PhaseLength:
        if self.max_weeks is not None and self.max_weeks < self.min_weeks:
            raise ValueError(f"min_weeks {self.min_weeks} is above max_weeks {self.max_weeks}")
        return self


class Phases(Rule):
    """Periodization: general prep -> specific prep -> pre-competition -> taper -> race before each
    A race, transition after (Friel; Bompa). Switched off, the preparation weeks still take a phase
    (which sets their frequency ranges) but in any order and for any number of weeks, and
    transition weeks are not restricted to easy work."""

    lengths: dict[Literal["general_prep", "specific_prep", "pre_competition"], PhaseLength] = Field(
        default_factory=dict,
        description="Weeks per preparation phase (the taper's length comes from the taper rule).",
    )
    weeks_between_peaks: NonNegInt = Field(
        1, description="Transition weeks after an A race that is not the last."
    )
    transition_categories: list[Category] = Field(
        default_factory=lambda: [
            Category.rest,
            Category.recovery,
            Category.mobility,
            Category.tempo,
        ]
    )


class Rules(Strict):
    """Every coaching rule the planner enforces as a hard constraint."""

    preset: str | None = Field(
        None, description="Name of a rule set in models/rules/ the values came from."
    )
    hard_recovery: HardRecovery = Field(default_factory=HardRecovery)
    consecutive_hard_days: ConsecutiveHardDays = Field(default_factory=ConsecutiveHardDays)
    strength_before_sprint: StrengthBeforeSprint = Field(default_factory=StrengthBeforeSprint)
    rest_days: RestDays = Field(default_factory=RestDays)
    frequency: Frequency = Field(default_factory=Frequency)
    weekly_load_cap: WeeklyLoadCap = Field(default_factory=WeeklyLoadCap)
    ramp: Ramp = Field(default_factory=Ramp)
    deload: Deload = Field(default_factory=Deload)
    acute_chronic: AcuteChronic = Field(default_factory=AcuteChronic)
    monotony: Monotony = Field(default_factory=Monotony)
    taper: Taper = Field(default_factory=Taper)
    b_race_reduction: BRaceReduction = Field(default_factory=BRaceReduction)
    race_day: RaceDay = Field(default_factory=RaceDay)
    day_before_race: DayBeforeRace = Field(default_factory=DayBeforeRace)
    day_after_race: DayAfterRace = Field(default_factory=DayAfterRace)
    time_trial: TimeTrial = Field(default_factory=TimeTrial)
    phases: Phases = Field(default_factory=Phases)


RULE_NAMES = tuple(name for name in Rules.model_fields if name != "preset")
# Constraint families that are part of a rule (named as the audit names them)
RULE_PARTS = {"phases.transition": "phases"}
# Availability facts: never soft, but named in conflict explanations
AVAILABILITY_RULES = (
    "availability.training_days",
    "availability.blackouts",
    "availability.fixed",
    "availability.minutes_per_day",
    "availability.max_sessions_per_day",
)


def rule_of(name: str) -> str:
    """The scenario rule a constraint family belongs to ("phases.transition" -> "phases")."""
    return RULE_PARTS.get(name, name)


def soft_rules(rules: Rules) -> dict[str, float]:
    """Every enabled soft rule family with its penalty per bent instance."""
    soft = {}
    for name in (*RULE_NAMES, *RULE_PARTS):
        rule = getattr(rules, rule_of(name))
        if rule.enabled and rule.mode == "soft":
            soft[name] = float(rule.penalty)
    return soft


class Objective(Strict):
    """Weights of each race priority in the objective (sum of weighted race-day performances)."""

    A: float = Field(1.0, ge=0)
    B: float = Field(0.3, ge=0)
    C: float = Field(0.1, ge=0)

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

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        ids = {t.id for t in self.sessions.types}
        weekdays = [f.weekday.value for f in self.availability.fixed]
        for day in sorted({d for d in weekdays if weekdays.count(d) > 1}):
            raise ValueError(f"availability.fixed: two fixed commitments on {day}")
        dates = [h.date for h in self.athlete.history]
        for day in sorted({d for d in dates if dates.count(d) > 1}):
            raise ValueError(f"athlete.history_csv: {day} appears twice")
        for i, fixed in enumerate(self.availability.fixed):
            if fixed.session not in ids:
                raise ValueError(
                    f"availability.fixed.{i}.session: unknown session type '{fixed.session}'"
                )
        for sid in self.rules.day_before_race.allowed_sessions:
            if sid not in ids:
                raise ValueError(
                    f"rules.day_before_race.allowed_sessions: unknown session type '{sid}'"
                )
        names = [r.name for r in self.races]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"races: duplicate race names: {', '.join(dupes)}")
        return self

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

    def sorted_races(self) -> list[Race]:
        return sorted(self.races, key=lambda r: (r.date, r.name))


Athlete.model_rebuild()


# --------------------------------------------------------------------------- loading
def _read_document(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError([Problem(str(path), "", "the file is not UTF-8 text")]) from None
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), "", "file not found")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(str(path), "", f"cannot read file: {exc}")]) from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            [Problem(str(path), f"line {exc.lineno}", f"invalid JSON: {exc.msg}")]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([Problem(str(path), "", f"invalid TOML: {exc}")]) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(str(path), "", "the document must be a table/object at the top level")]
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


def resolve_presets(data: dict[str, Any], file: str) -> dict[str, Any]:
    """Replace preset names by the preset's values, with the file's own values on top.
    Sessions and rules use the sprint-default presets unless the file names another or sets
    preset = "" (no preset: the code defaults only); the response model likewise uses
    banister-classic unless the file gives k1, k2, tau1 and tau2 inline."""
    from . import presets

    data = dict(data)
    problems: list[Problem] = []

    athlete = data.get("athlete", {})
    if isinstance(athlete, dict):
        athlete = dict(athlete)
        response = athlete.get("response", "banister-classic")
        if isinstance(response, str):
            response = {"preset": response}
        if (
            isinstance(response, dict)
            and "preset" not in response
            and not {"k1", "k2", "tau1", "tau2"} <= set(response)
        ):
            response = {"preset": "banister-classic", **response}
        if isinstance(response, dict) and response.get("preset"):
            try:
                response = _deep_merge(presets.load("response", response["preset"]), response)
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
        lines = csv_path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ScenarioError(
            [Problem(file, field, f"cannot read {csv_path}: {exc.strerror or exc}")]
        ) from None
    except UnicodeDecodeError:
        raise ScenarioError([Problem(file, field, f"{csv_path} is not UTF-8 text")]) from None
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
    return ".".join(str(p) for p in loc) if loc else "(top level)"


def scenario_from_dict(
    data: dict[str, Any], file: str = "<scenario>", base_dir: Path | None = None
) -> Scenario:
    """Validate a scenario document (presets resolved here); raises ScenarioError listing every problem."""
    data = resolve_presets(data, file)
    _load_history(data, base_dir or Path("."), file)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            loc = _format_loc(err["loc"])
            head, sep, tail = msg.partition(": ")
            if not err["loc"] and sep and re.fullmatch(r"[a-z_][\w.]*", head):
                loc, msg = head, tail  # a cross-field check that names its own field
            problems.append(Problem(file, loc, msg))
        raise ScenarioError(problems) from None
    problems = precheck(scenario, file)
    if problems:
        raise ScenarioError(problems)
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file (.toml or .json), resolve its presets and validate it."""
    path = Path(path)
    data = _read_document(path)
    return scenario_from_dict(data, file=str(path), base_dir=path.parent)


def precheck(scenario: Scenario, file: str) -> list[Problem]:
    """Contradictions that need no solver: dates out of order, a blackout on a race day, and the like."""
    problems: list[Problem] = []
    start, end = scenario.start, scenario.end
    if end < start:
        problems.append(Problem(file, "plan.end", f"{end} is before plan.start {start}"))
    for i, race in enumerate(scenario.races):
        if race.date < start:
            problems.append(
                Problem(
                    file,
                    f"races.{i}.date",
                    f"race '{race.name}' ({race.date}) is before plan.start {start}",
                )
            )
        if race.date > end:
            problems.append(
                Problem(
                    file,
                    f"races.{i}.date",
                    f"race '{race.name}' ({race.date}) is after plan end {end}",
                )
            )
        for j, b in enumerate(scenario.availability.blackouts):
            if b.start <= race.date <= b.end:
                problems.append(
                    Problem(
                        file,
                        f"availability.blackouts.{j}",
                        f"blackout {b.start}..{b.end} covers race '{race.name}' on {race.date}",
                    )
                )
    dates = [r.date for r in scenario.races]
    for d in sorted({x for x in dates if dates.count(x) > 1}):
        problems.append(Problem(file, "races", f"two races on {d}: one race a day"))
    history_dates = [h.date for h in scenario.athlete.history]
    if history_dates and max(history_dates) >= start:
        problems.append(
            Problem(
                file,
                "athlete.history_csv",
                f"history runs to {max(history_dates)}, not before plan.start {start}",
            )
        )
    if scenario.n_days > 7 * 104:
        problems.append(Problem(file, "plan.end", "plans longer than 104 weeks are not supported"))
    if problems:
        return problems
    problems += _library_prechecks(scenario, file)
    from .timeline import Timeline

    taper = scenario.rules.taper
    for cycle in Timeline(scenario).macrocycles:
        if cycle.race is not None and taper.enabled and not cycle.taper_options:
            offset = cycle.race_day - 7 * cycle.race_week
            problems.append(
                Problem(
                    file,
                    "rules.taper",
                    f"no taper of {taper.min_days}..{taper.max_days} days fits before A race '{cycle.race.name}' "
                    f"({cycle.race.date}): tapers start on a plan week boundary, {offset} days before the race week's "
                    f"race day, and the macrocycle starts in week {cycle.first_week + 1}",
                )
            )
    return problems


def _library_prechecks(scenario: Scenario, file: str) -> list[Problem]:
    """Rules that certainly need a kind of session the library cannot provide on any training
    day (only where no choice of phases or taper length avoids the need)."""
    from .timeline import PREP_PHASES, Timeline

    problems: list[Problem] = []
    avail, rules = scenario.availability, scenario.rules
    tl = Timeline(scenario)
    longest = max((avail.minutes_on(d.value) for d in avail.training_days), default=0)

    def usable(pred) -> bool:
        return any(
            pred(t) and not t.addon and min(d.minutes for d in t.doses) <= longest
            for t in scenario.sessions.types
        )

    if rules.frequency.enabled:
        for category in Category:
            if usable(lambda t, c=category: t.category == c):
                continue
            for week in range(tl.n_weeks):
                fixed = tl.fixed_phase.get(week)
                options = [fixed] if fixed else [*PREP_PHASES, Phase.taper]
                least = min(rules.frequency.range_for(p, category).min for p in options)
                if tl.minimums_apply(week) and least > 0:
                    problems.append(
                        Problem(
                            file,
                            f"rules.frequency.per_category.{category.value}.min",
                            f"at least {least} {category.value} session(s) in week {week + 1}, "
                            f"but the library has no {category.value} main session that fits "
                            f"{longest} min",
                        )
                    )
                    break
    every = rules.taper.hard_sprint_every_days
    for cycle in tl.macrocycles:
        if cycle.race is None or not rules.taper.enabled or not cycle.taper_options:
            continue
        offset = cycle.race_day - 7 * cycle.race_week
        shortest = min(7 * t + offset for t in cycle.taper_options)
        if shortest >= every and not usable(lambda t: t.hard and t.category == Category.sprint):
            problems.append(
                Problem(
                    file,
                    "rules.taper.hard_sprint_every_days",
                    f"the taper before '{cycle.race.name}' keeps a hard sprint session every "
                    f"{every} days, but the library has no hard sprint main session that fits "
                    f"{longest} min",
                )
            )
    if rules.time_trial.enabled and not usable(lambda t: t.category == Category.test):
        for cycle in tl.macrocycles:
            reach = max(cycle.taper_options, default=0) if cycle.race is not None else 0
            if cycle.race_week - cycle.first_week - reach >= rules.time_trial.every_weeks:
                problems.append(
                    Problem(
                        file,
                        "rules.time_trial",
                        f"a time trial every {rules.time_trial.every_weeks} preparation weeks, "
                        f"but the library has no test session that fits {longest} min",
                    )
                )
                break
    trains = {d.value for d in avail.training_days}
    for i, fixed in enumerate(avail.fixed):
        session = scenario.sessions.by_id(fixed.session)
        minutes = avail.minutes_on(fixed.weekday.value)
        shortest = min(d.minutes for d in session.doses)
        if (
            fixed.weekday.value in trains
            and session.category != Category.rest
            and shortest > minutes
        ):
            problems.append(
                Problem(
                    file,
                    f"availability.fixed.{i}",
                    f"'{fixed.session}' on {fixed.weekday.value} takes at least {shortest} min, "
                    f"but {fixed.weekday.value} has {minutes} min",
                )
            )
    if rules.rest_days.enabled and rules.rest_days.min_per_week > 7:
        problems.append(
            Problem(
                file,
                "rules.rest_days.min_per_week",
                f"{rules.rest_days.min_per_week} rest days in a 7-day week",
            )
        )
    return problems
