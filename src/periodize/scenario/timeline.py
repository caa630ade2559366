"""The plan's calendar: days, weeks, availability, races and the macrocycles they imply.

Shared by the planner and the audit (never imports the solver). Weeks are consecutive
7-day blocks counted from the plan's start date; the last week may be shorter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from periodize.core.terms import PREP_PHASES, WEEKDAYS, Phase, Priority
from periodize.scenario.completed import DoneSession
from periodize.scenario.schema import Race, Scenario

__all__ = ["PREP_PHASES", "Macrocycle", "Timeline"]


@dataclass(frozen=True)
class Macrocycle:
    """Weeks leading to one A race: prep weeks [first_week, race_week) then the race week."""

    race: Race | None
    first_week: int
    race_week: int  # for an open cycle (no A race) this is one past its last week
    race_day: int | None
    taper_options: tuple[int, ...] = field(default=())  # possible taper lengths in whole weeks


@dataclass
class Timeline:
    """Day and week indexing of one scenario."""

    scenario: Scenario

    @cached_property
    def n_days(self) -> int:
        return self.scenario.n_days

    @cached_property
    def n_weeks(self) -> int:
        return self.scenario.n_weeks

    def date(self, day: int) -> dt.date:
        return self.scenario.start + dt.timedelta(days=day)

    def weekday(self, day: int) -> str:
        return WEEKDAYS[self.date(day).weekday()]

    @staticmethod
    def week_of(day: int) -> int:
        return day // 7

    @cached_property
    def today(self) -> int:
        """The first plan day a re-plan may change (days before it are done); 0 for a plan."""
        done = self.scenario.done
        return 0 if done is None else (done.today - self.scenario.start).days

    @cached_property
    def done_days(self) -> dict[int, tuple[DoneSession, ...]]:
        """What was done on each day before `today` (scenario/completed.py)."""
        done = self.scenario.done
        if done is None:
            return {}
        return {(d - self.scenario.start).days: s for d, s in sorted(done.days.items())}

    def week_is_over(self, week: int) -> bool:
        """Every day of the week is before `today`: the week was done, not planned."""
        return 7 * week + 7 <= self.today

    def week_days(self, week: int) -> range:
        return range(7 * week, min(7 * week + 7, self.n_days))

    def is_full_week(self, week: int) -> bool:
        return len(self.week_days(week)) == 7

    def blackout_reason(self, day: int) -> str | None:
        date = self.date(day)
        for b in self.scenario.availability.blackouts:
            if b.start <= date <= b.end:
                return b.reason or "blackout"
        return None

    @cached_property
    def race_by_day(self) -> dict[int, Race]:
        return {
            (r.date - self.scenario.start).days: r
            for r in self.scenario.sorted_races()
            if self.scenario.start <= r.date <= self.scenario.end
        }

    def can_train(self, day: int) -> bool:
        """A training weekday with no blackout (race days are handled separately)."""
        avail = self.scenario.availability
        return (
            self.weekday(day) in {d.value for d in avail.training_days}
            and self.blackout_reason(day) is None
        )

    def days_before(self, race_day: int, nearest: int, farthest: int) -> list[int]:
        """The plan days `nearest..farthest` days before `race_day` that are not race days."""
        return [
            d
            for d in range(race_day - farthest, race_day - nearest + 1)
            if d >= 0 and d not in self.race_by_day
        ]

    def trainable_days_before(self, race_day: int, days: int) -> list[int]:
        """The days of the `days` before `race_day` the athlete can train or race on (the days
        off by availability left out)."""
        return [
            d
            for d in range(max(0, race_day - days), race_day)
            if self.can_train(d) or d in self.race_by_day
        ]

    def unavailable_rule(self, day: int) -> str | None:
        """The availability rule that keeps a day from training: a blackout, or a weekday that is
        not a training day; None on a training day."""
        if self.blackout_reason(day) is not None:
            return "availability.blackouts"
        if not self.can_train(day):
            return "availability.training_days"
        return None

    def week_has_race(self, week: int) -> bool:
        return any(d in self.race_by_day for d in self.week_days(week))

    def week_has_blackout(self, week: int) -> bool:
        return any(self.blackout_reason(d) for d in self.week_days(week))

    def minimums_apply(self, week: int) -> bool:
        """Weekly minimum counts apply to full weeks with no race and no blackout."""
        return (
            self.is_full_week(week)
            and not self.week_has_race(week)
            and not self.week_has_blackout(week)
        )

    # ------------------------------------------------------------------ history
    @cached_property
    def history_by_offset(self) -> dict[int, int]:
        """Recorded loads keyed by (negative) day index relative to the plan start."""
        return self.scenario.prior_loads()

    @cached_property
    def history_days(self) -> int:
        """How many days before the start the history covers (0 without history)."""
        return -min(self.history_by_offset, default=0)

    # ------------------------------------------------------------------ macrocycles
    @cached_property
    def a_races(self) -> list[tuple[Race, int]]:
        return [(r, d) for d, r in sorted(self.race_by_day.items()) if r.priority == Priority.A]

    @cached_property
    def macrocycles(self) -> list[Macrocycle]:
        """One macrocycle per A race; after the last one the rest of the plan is transition.
        With no A race, one open cycle covers the whole plan."""
        rules = self.scenario.rules
        cycles: list[Macrocycle] = []
        first = 0
        for race, day in self.a_races:
            week = self.week_of(day)
            if (
                week < first
            ):  # an A race in the previous race week or its transition: no cycle of its own
                continue
            offset = day - 7 * week
            options: tuple[int, ...] = ()
            if rules.taper.enabled:
                options = tuple(
                    t
                    for t in range(week - first + 1)
                    if rules.taper.min_days <= 7 * t + offset <= rules.taper.max_days
                )
            cycles.append(Macrocycle(race, first, week, day, options))
            first = week + 1 + rules.phases.weeks_between_peaks
        if not self.a_races:
            cycles.append(Macrocycle(None, 0, self.n_weeks, None))
        return cycles

    @cached_property
    def fixed_phase(self) -> dict[int, Phase]:
        """Weeks whose phase follows from the calendar alone: A race weeks and transition weeks."""
        fixed: dict[int, Phase] = {}
        cycles = self.macrocycles
        for cycle in cycles:
            if cycle.race is not None:
                fixed[cycle.race_week] = Phase.race
        covered: set[int] = set()
        for cycle in cycles:
            covered.update(range(cycle.first_week, min(cycle.race_week + 1, self.n_weeks)))
        for week in range(self.n_weeks):
            if week not in covered:
                fixed[week] = Phase.transition
        return fixed

    def cycle_of_week(self, week: int) -> Macrocycle | None:
        for cycle in self.macrocycles:
            if cycle.first_week <= week < cycle.race_week:
                return cycle
        return None
