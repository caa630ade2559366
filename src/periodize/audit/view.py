"""A finished plan as the audit reads it: its days, sessions, week phases and loads, and the
findings so far. Shared read-only helpers of every `audit/<family>.py`; never imports the solver."""

from __future__ import annotations

from periodize.core.terms import PREP_PHASES, Category, Phase
from periodize.plan.pinning import LOGGED, logged_type
from periodize.plan.schema import DayPlan, Plan, SessionEntry, Violation
from periodize.scenario.schema import Scenario, SessionLibrary
from periodize.scenario.timeline import Timeline

EPS = 1e-9  # tolerance of the ratio checks (the model compares integers scaled by 1000)


class PlanView:
    """The plan of one scenario, indexed by plan day and week, collecting violations."""

    def __init__(self, scenario: Scenario, plan: Plan) -> None:
        self.sc = scenario
        self.plan = plan
        self.rules = scenario.rules
        self.tl = Timeline(scenario)
        self.days: list[DayPlan] = plan.days
        self.found: list[Violation] = []
        self.in_the_log: list[Violation] = []
        self.today = 0 if plan.today is None else (plan.today - scenario.start).days
        self.lib = _with_logged_types(scenario.sessions, plan)

    def flag(
        self,
        rule: str,
        message: str,
        *,
        day: int | None = None,
        week: int | None = None,
        amount: float | None = None,
        until: int | None = None,
    ) -> None:
        """Record a finding on `day` (or in `week`); `until`: the last day of the window it
        concerns when that is after `day`. A finding wholly in the days a re-plan found done
        goes to `in_the_log`: what the training broke, not the plan."""
        date = self.days[day].date if day is not None and 0 <= day < len(self.days) else None
        if week is None and day is not None:
            week = day // 7
        found = Violation(rule=rule, date=date, week=week, amount=amount, message=message)
        last = until if until is not None else day
        if last is None and week is not None:
            last = 7 * week + 6
        if self.today and last is not None and last < self.today:
            self.in_the_log.append(found)
        else:
            self.found.append(found)

    def main(self, day: int) -> list[SessionEntry]:
        return [s for s in self.days[day].sessions if not self.is_addon(s.type)]

    def addons(self, day: int) -> list[SessionEntry]:
        return [s for s in self.days[day].sessions if self.is_addon(s.type)]

    def is_addon(self, type_id: str) -> bool:
        t = self.lib.by_id(type_id)
        return bool(t and t.addon)

    def has_race(self, day: int) -> bool:
        return any(s.category == Category.race for s in self.days[day].sessions)

    def hard(self, day: int) -> bool:
        return any(s.hard for s in self.days[day].sessions)

    def rest(self, day: int) -> bool:
        return all(s.category == Category.rest for s in self.days[day].sessions)

    def categories(self, day: int) -> list[Category]:
        return [s.category for s in self.main(day)]

    def week_phase(self, week: int) -> Phase:
        return self.days[7 * week].phase

    def weeks(self) -> range:
        return range(self.tl.n_weeks)

    def training_sessions_on(self, day: int) -> int:
        """Main sessions of the day that are training (not rest, not a race)."""
        return sum(1 for s in self.main(day) if s.category not in (Category.rest, Category.race))

    def week_load(self, week: int) -> int:
        return sum(self.days[d].load for d in self.tl.week_days(week))

    def deloads(self) -> set[int]:
        return {w.week for w in self.plan.weeks if w.deload}

    def loading(self, week: int) -> bool:
        return self.week_phase(week) in PREP_PHASES and week not in self.deloads()

    def history_week(self, week: int) -> int | None:
        first = 7 * week
        if -first > self.tl.history_days:
            return None
        return sum(self.tl.history_by_offset.get(d, 0) for d in range(first, first + 7))

    def window(self, last: int, length: int) -> int | None:
        first = last - length + 1
        if -first > self.tl.history_days:
            return None
        known = sum(self.tl.history_by_offset.get(d, 0) for d in range(first, 0))
        return known + sum(self.days[d].load for d in range(max(first, 0), last + 1))


def _with_logged_types(library: SessionLibrary, plan: Plan) -> SessionLibrary:
    """The library, and the kinds of the free-form logged sessions on a re-plan's days done
    (pinning.logged_type), so that every check reads them as the planner did."""
    logged = {
        s.type: logged_type(s.category, s.hard)
        for day in plan.days
        for s in day.sessions
        if s.done is not None and s.type.startswith(LOGGED) and library.by_id(s.type) is None
    }
    if not logged:
        return library
    return SessionLibrary(preset=library.preset, types=[*library.types, *logged.values()])
