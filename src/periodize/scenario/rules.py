"""The coaching rules' settings: one pydantic model per rule, each default with its source.

Every rule can be switched off and made soft (bent at a penalty). `Rules` is the `[rules]`
table of a scenario; which builder and which audit check enforce each rule is in
`scenario/registry.py`. This module never imports the solver.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from periodize.core.terms import Category, Count, Flag, NonNegInt, Number, Phase, Strict, Text

# Upper limits of counts and lengths, far beyond any real plan: they keep the model's numbers within
# what CP-SAT takes (a count of 2^63 - 1 made it reject the model; a taper reference of 10^12 weeks
# never finished building).
MAX_WEEKS = 104  # weeks: two years
MAX_WEEKLY_COUNT = 70  # sessions in a week: 10 a day
MAX_TAPER_DAYS = 56  # days: 8 weeks, twice the longest taper Mujika & Padilla 2003 report


class Rule(Strict):
    """A coaching rule; every rule can be switched off, and made soft: a soft rule may be bent
    where that pays, each bent instance (the rule in one week) costing `penalty` performance points."""

    enabled: Flag = True
    mode: Literal["hard", "soft"] = Field(
        "hard", description="hard: never broken; soft: may be bent at `penalty` per week it bends."
    )
    penalty: Number | None = Field(
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

    min: NonNegInt = Field(0, le=MAX_WEEKLY_COUNT)
    max: NonNegInt | None = Field(None, le=MAX_WEEKLY_COUNT)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.max is not None and self.max < self.min:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self


class HardRecovery(Rule):
    """Minimum time between hard sessions (Haugen et al. 2019, Table 2: 48 h; 48-72 h after max velocity)."""

    hours: Count = Field(48, ge=24, le=336)
    max_velocity_hours: Count = Field(72, ge=24, le=336)


class ConsecutiveHardDays(Rule):
    """Most hard days in a row (alternate hard and easy days, the brief; Foster 1998)."""

    max_days: Count = Field(2, ge=1, le=7)


class StrengthBeforeSprint(Rule):
    """No heavy lower-body strength the day before a sprint session (J Sci Sport Exerc 2023)."""

    sprint_categories: list[Category] = Field(
        default_factory=lambda: [Category.sprint, Category.hill, Category.test, Category.race]
    )


class RestDays(Rule):
    """Minimum full rest days per week (brief: one rest day in the weekly template)."""

    min_per_week: NonNegInt = Field(1, le=7)


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

    max_load: Count = Field(3000, ge=0, le=10_000_000)


class Ramp(Rule):
    """Largest week-over-week load increase (10 % convention; Buist 2008, Nielsen 2014)."""

    max_increase_pct: Number = Field(10.0, ge=0, le=1000)


class Deload(Rule):
    """A reduced week at least every N weeks (3:1 loading:deload, practitioner convention)."""

    every_weeks: Count = Field(4, ge=2, le=MAX_WEEKS)
    min_reduction_pct: Number = Field(20.0, ge=0, le=100)
    max_reduction_pct: Number = Field(50.0, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Deload:
        if self.min_reduction_pct > self.max_reduction_pct:
            raise ValueError("min_reduction_pct is above max_reduction_pct")
        return self


class AcuteChronic(Rule):
    """Acute (7-day) : chronic (28-day) load ratio band (Gabbett 2016: 0.8-1.3)."""

    enabled: Flag = False
    low: Number = Field(0.8, ge=0, le=4)
    high: Number = Field(1.3, gt=0, le=4)

    @model_validator(mode="after")
    def _ordered(self) -> AcuteChronic:
        if self.low > self.high:
            raise ValueError("low is above high")
        return self


class Monotony(Rule):
    """Weekly monotony (mean / SD of daily load) cap (Foster 1998; 2.0 is a secondary figure)."""

    enabled: Flag = False
    max_monotony: Number = Field(2.0, gt=0, le=100)


class Taper(Rule):
    """Taper before A races (Bosquet 2007: 8-14 d, volume -41..-60 %, intensity and frequency kept;
    Mujika & Padilla 2003: frequency cut at most 20 %). Volume and frequency are measured per day
    over every taper day up to the race, against the reference weeks' days; a deload week among
    them stands for the loading week before it (a deload is not the training a taper reduces)."""

    min_days: Count = Field(8, ge=1, le=MAX_TAPER_DAYS)
    max_days: Count = Field(14, ge=1, le=MAX_TAPER_DAYS)
    min_volume_reduction_pct: Number = Field(41.0, ge=0, le=100)
    max_volume_reduction_pct: Number = Field(60.0, ge=0, le=100)
    reference_weeks: Count = Field(
        3,
        ge=1,
        le=12,
        description="Pre-taper weeks the reduction is measured against (a deload week stands for the week before it).",
    )
    hard_sprint_every_days: Count = Field(
        7,
        ge=1,
        le=MAX_TAPER_DAYS,
        description="At least one hard sprint session in every this many taper days.",
    )
    max_frequency_cut_pct: Number = Field(20.0, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> Taper:
        if self.min_days > self.max_days:
            raise ValueError("min_days is above max_days")
        if self.min_volume_reduction_pct > self.max_volume_reduction_pct:
            raise ValueError("min_volume_reduction_pct is above max_volume_reduction_pct")
        return self


class BRaceReduction(Rule):
    """No hard sessions in the days before a B race (Friel: 2-5 days of reduced load)."""

    days: Count = Field(3, ge=2, le=5)


class RaceDay(Rule):
    """Race day holds only the race."""


class DayBeforeRace(Rule):
    """The day before a race is rest or a short primer."""

    allowed_sessions: list[str] = Field(
        default_factory=lambda: ["rest", "primer", "mobility-short"]
    )


class Sharpening(Rule):
    """A short hard sprint session 2-4 days before every A race: the taper keeps intensity
    (Mujika & Padilla 2003; Bosquet 2007), and the last hard session falls where its fatigue has
    passed by race day (Haugen 2019: 48-72 h after sprint work). The 2-4 day window is a
    practitioner convention (ASSUMPTION)."""

    min_days_before: Count = Field(2, ge=1, le=14, description="Nearest day before the race.")
    max_days_before: Count = Field(4, ge=1, le=14, description="Farthest day before the race.")
    categories: list[Category] = Field(
        default_factory=lambda: [Category.sprint],
        description="A hard main session of one of these categories sharpens.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Sharpening:
        if self.min_days_before > self.max_days_before:
            raise ValueError("min_days_before is above max_days_before")
        return self


class PreRaceRest(Rule):
    """At most `max_consecutive` complete rest days in a row in the `days` days before an A race:
    a taper reduces training, it does not stop it (frequency kept: Mujika & Padilla 2003,
    Bosquet 2007; Thomas & Busso 2005). Days the athlete cannot train are skipped: they neither
    count nor break a run. The 2-in-7 figure is a practitioner convention (ASSUMPTION)."""

    days: Count = Field(7, ge=2, le=28, description="Days before the race the rule looks at.")
    max_consecutive: Count = Field(2, ge=0, le=27, description="Most rest days in a row there.")


class DayAfterRace(Rule):
    """The day after a race is easy (no race simulation the day after a race)."""

    allowed_categories: list[Category] = Field(
        default_factory=lambda: [Category.rest, Category.recovery, Category.mobility]
    )


class TimeTrial(Rule):
    """A time-trial test (40 m / flying 20 m) at least every N weeks of preparation, never in a taper."""

    every_weeks: Count = Field(4, ge=1, le=MAX_WEEKS)


class PhaseLength(Strict):
    """How many weeks a phase may last in each macrocycle."""

    min_weeks: NonNegInt = Field(0, le=MAX_WEEKS)
    max_weeks: NonNegInt | None = Field(None, le=MAX_WEEKS)

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
        1, le=MAX_WEEKS, description="Transition weeks after an A race that is not the last."
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

    preset: Text | None = Field(
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
    sharpening: Sharpening = Field(default_factory=Sharpening)
    pre_race_rest: PreRaceRest = Field(default_factory=PreRaceRest)
    time_trial: TimeTrial = Field(default_factory=TimeTrial)
    phases: Phases = Field(default_factory=Phases)
