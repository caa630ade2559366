"""Independent audit: re-checks every rule of a scenario on a finished plan, without the solver.

It reads only the scenario and the plan (days, sessions, week phases and deload labels), so it
also checks plans a person edited by hand. Each finding names the rule, the date or week and
by how much the limit is missed.
"""

from __future__ import annotations

import datetime as dt
import math

from .plan import Bend, DayPlan, Plan, Violation, monotony
from .scenario import Category, Phase, Priority, Scenario, soft_rules
from .timeline import PREP_PHASES, Timeline

ORDER = {p: i for i, p in enumerate(Phase)}
EPS = 1e-9


def audit(scenario: Scenario, plan: Plan) -> list[Violation]:
    """Every violation of the scenario's rules found in the plan (empty list: the plan is valid)."""
    auditor = _Auditor(scenario, plan)
    if not auditor.structure_ok():
        return auditor.found
    for check in (
        auditor.daily_structure,
        auditor.availability,
        auditor.races,
        auditor.hard_recovery,
        auditor.consecutive_hard_days,
        auditor.strength_before_sprint,
        auditor.rest_days,
        auditor.phases,
        auditor.taper,
        auditor.frequency,
        auditor.weekly_load_cap,
        auditor.deload,
        auditor.ramp,
        auditor.acute_chronic,
        auditor.monotony,
        auditor.time_trial,
    ):
        check()
    return auditor.found


def settle(scenario: Scenario, plan: Plan, bendable: set[tuple[str, int]] = frozenset()) -> None:
    """Audit the plan and sort the findings: a finding of a soft rule, or of a rule instance
    (rule, week) in `bendable` (what a relaxed solve chose to bend), is a bend of the plan, with its
    amount and penalty; every other finding is a violation. Sets plan.violations, .bends, .penalty."""
    soft = soft_rules(scenario.rules)
    grouped: dict[tuple[str, int], list[Violation]] = {}
    violations = []
    for v in audit(scenario, plan):
        key = (v.rule, v.week)
        if v.week is not None and (v.rule in soft or key in bendable):
            grouped.setdefault(key, []).append(v)
        else:
            violations.append(v)
    bends = []
    for (rule, week), found in sorted(grouped.items()):
        amounts = [v.amount for v in found if v.amount is not None]
        bends.append(
            Bend(
                rule=rule,
                week=week,
                start=scenario.start + dt.timedelta(days=7 * week),
                amount=round(sum(amounts), 4) if amounts else None,
                penalty=soft.get(rule),
                findings=[f"{v.date or f'week {week + 1}'}: {v.message}" for v in found],
            )
        )
    plan.violations = violations
    plan.bends = bends
    plan.penalty = round(sum(b.penalty or 0.0 for b in bends), 4)


class _Auditor:
    def __init__(self, scenario: Scenario, plan: Plan):
        self.sc = scenario
        self.plan = plan
        self.rules = scenario.rules
        self.tl = Timeline(scenario)
        self.days: list[DayPlan] = plan.days
        self.found: list[Violation] = []
        self.lib = scenario.sessions

    # ------------------------------------------------------------------ helpers
    def flag(
        self,
        rule: str,
        message: str,
        *,
        day: int | None = None,
        week: int | None = None,
        amount: float | None = None,
    ) -> None:
        date = self.days[day].date if day is not None and 0 <= day < len(self.days) else None
        if week is None and day is not None:
            week = day // 7
        self.found.append(
            Violation(rule=rule, date=date, week=week, amount=amount, message=message)
        )

    def main(self, day: int):
        return [s for s in self.days[day].sessions if not self._addon(s.type)]

    def addons(self, day: int):
        return [s for s in self.days[day].sessions if self._addon(s.type)]

    def _addon(self, type_id: str) -> bool:
        t = self.lib.by_id(type_id)
        return bool(t and t.addon)

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

    def training_sessions(self, week: int) -> int:
        """Main sessions of the week that are training (not rest, not a race)."""
        return sum(
            1
            for d in self.tl.week_days(week)
            for s in self.main(d)
            if s.category not in (Category.rest, Category.race)
        )

    def week_load(self, week: int) -> int:
        return sum(self.days[d].load for d in self.tl.week_days(week))

    def deloads(self) -> set[int]:
        return {w.week for w in self.plan.weeks if w.deload}

    def loading(self, week: int) -> bool:
        return self.week_phase(week) in PREP_PHASES and week not in self.deloads()

    # ------------------------------------------------------------------ structure
    def structure_ok(self) -> bool:
        """The plan covers the scenario's days in order, uses library sessions at library doses, and
        its loads add up. Nothing else is checked when this fails."""
        n = self.tl.n_days
        if len(self.days) != n:
            self.flag(
                "plan",
                f"the plan has {len(self.days)} days; the scenario runs {self.sc.start}..{self.sc.end} ({n} days)",
            )
            return False
        ok = True
        for i, day in enumerate(self.days):
            if day.date != self.tl.date(i):
                self.flag("plan", f"day {i} is dated {day.date}, expected {self.tl.date(i)}", day=i)
                return False
            if day.week != i // 7:
                self.flag("plan", f"week {day.week} should be {i // 7}", day=i)
                ok = False
            for s in day.sessions:
                t = self.lib.by_id(s.type)
                if t is None:
                    self.flag("sessions", f"unknown session type '{s.type}'", day=i)
                    ok = False
                    continue
                if (s.minutes, s.load) not in {(d.minutes, d.load) for d in t.doses}:
                    self.flag(
                        "sessions",
                        f"'{s.type}' at {s.minutes} min / {s.load} AU is not one of its doses",
                        day=i,
                    )
                    ok = False
                if s.category != t.category or s.hard != t.hard:
                    self.flag(
                        "sessions", f"'{s.type}' category/hard differ from the library", day=i
                    )
                    ok = False
            if day.load != sum(s.load for s in day.sessions):
                self.flag(
                    "plan",
                    f"day load {day.load} is not the sum of its sessions",
                    day=i,
                    amount=day.load - sum(s.load for s in day.sessions),
                )
                ok = False
            if day.phase != self.days[7 * (i // 7)].phase:
                self.flag("phases", "all days of a week share the week's phase", day=i)
                ok = False
        return ok

    # ------------------------------------------------------------------ availability
    def daily_structure(self) -> None:
        """One main session a day; add-ons within max_sessions_per_day; nothing else on a rest day."""
        limit = self.sc.availability.max_sessions_per_day
        for i in range(self.tl.n_days):
            mains, addons = self.main(i), self.addons(i)
            if len(mains) != 1:
                self.flag(
                    "availability.sessions",
                    f"{len(mains)} main sessions (exactly one, rest included)",
                    day=i,
                )
            if len(self.days[i].sessions) > limit:
                self.flag(
                    "availability.max_sessions_per_day",
                    f"{len(self.days[i].sessions)} sessions > {limit}",
                    day=i,
                    amount=len(self.days[i].sessions) - limit,
                )
            if addons and any(s.category == Category.rest for s in mains):
                self.flag("availability.sessions", "an add-on on a rest day", day=i)
            types = [s.type for s in addons]
            for t in sorted({t for t in types if types.count(t) > 1}):
                self.flag("availability.sessions", f"add-on '{t}' twice on one day", day=i)

    def availability(self) -> None:
        """Rest on non-training days and blackouts; minutes within the day's time; fixed commitments held."""
        avail = self.sc.availability
        fixed = {f.weekday.value: f.session for f in avail.fixed}
        for i, day in enumerate(self.days):
            if i in self.tl.race_by_day:
                if not self.tl.can_train(i) and self.addons(i):
                    self.flag(
                        self.tl.unavailable_rule(i),
                        "an add-on on a race day that is not a training day",
                        day=i,
                    )
                continue
            if not self.tl.can_train(i) and not self.rest(i):
                why = self.tl.blackout_reason(i) or f"{self.tl.weekday(i)} is not a training day"
                self.flag(
                    self.tl.unavailable_rule(i), f"training on an unavailable day ({why})", day=i
                )
            minutes = sum(s.minutes for s in day.sessions)
            cap = avail.minutes_on(self.tl.weekday(i))
            if minutes > cap:
                self.flag(
                    "availability.minutes_per_day",
                    f"{minutes} min > {cap} min available",
                    day=i,
                    amount=minutes - cap,
                )
            want = fixed.get(self.tl.weekday(i))
            if want and self.tl.can_train(i) and want not in {s.type for s in day.sessions}:
                self.flag("availability.fixed", f"fixed commitment '{want}' missing", day=i)

    # ------------------------------------------------------------------ races
    def races(self) -> None:
        """The race on its day (alone, with race_day); rest or primer the day before; easy the day
        after; no hard session in the days before a B race."""
        rules = self.rules
        for i in range(self.tl.n_days):
            has_race = any(s.category == Category.race for s in self.days[i].sessions)
            if i in self.tl.race_by_day:
                name = self.tl.race_by_day[i].name
                if not has_race:
                    self.flag("races", f"race '{name}' is not in the plan", day=i)
                elif rules.race_day.enabled and len(self.days[i].sessions) > 1:
                    self.flag("race_day", f"race day of '{name}' holds other sessions", day=i)
            elif has_race:
                self.flag("races", "a race session on a day with no race", day=i)
        for day, race in sorted(self.tl.race_by_day.items()):
            before, after = day - 1, day + 1
            if rules.day_before_race.enabled and before >= 0 and before not in self.tl.race_by_day:
                bad = [
                    s.type
                    for s in self.days[before].sessions
                    if s.type not in rules.day_before_race.allowed_sessions
                ]
                if bad:
                    self.flag(
                        "day_before_race",
                        f"{', '.join(bad)} the day before '{race.name}'",
                        day=before,
                    )
            if (
                rules.day_after_race.enabled
                and after < self.tl.n_days
                and after not in self.tl.race_by_day
            ):
                bad = [
                    s.type
                    for s in self.days[after].sessions
                    if s.category not in rules.day_after_race.allowed_categories
                ]
                if bad:
                    self.flag(
                        "day_after_race", f"{', '.join(bad)} the day after '{race.name}'", day=after
                    )
            if rules.b_race_reduction.enabled and race.priority == Priority.B:
                for d in range(max(0, day - rules.b_race_reduction.days), day):
                    if d not in self.tl.race_by_day and self.hard(d):
                        self.flag(
                            "b_race_reduction",
                            f"hard session {day - d} day(s) before B race '{race.name}'",
                            day=d,
                        )

    # ------------------------------------------------------------------ recovery
    def hard_recovery(self) -> None:
        """At least `hours` between hard sessions; `max_velocity_hours` after max-velocity work."""
        rule = self.rules.hard_recovery
        if not rule.enabled:
            return
        hard_days = [i for i in range(self.tl.n_days) if self.hard(i)]
        races = self.tl.race_by_day
        for a, b in zip(hard_days, hard_days[1:]):
            if a in races and b in races:
                continue  # races on consecutive days (heats and final, a weekend meet) are allowed
            need = rule.hours
            if any(self.lib.by_id(s.type).max_velocity for s in self.main(a)):
                need = max(need, rule.max_velocity_hours)
            have = 24 * (b - a)
            if have < need:
                self.flag(
                    "hard_recovery",
                    f"hard sessions {have} h apart (< {need} h)",
                    day=b,
                    amount=need - have,
                )

    def consecutive_hard_days(self) -> None:
        """At most max_days hard days in a row."""
        rule = self.rules.consecutive_hard_days
        if not rule.enabled:
            return
        run = 0
        for i in range(self.tl.n_days):
            run = run + 1 if self.hard(i) else 0
            if run > rule.max_days:
                self.flag(
                    "consecutive_hard_days",
                    f"{run} hard days in a row (> {rule.max_days})",
                    day=i,
                    amount=run - rule.max_days,
                )

    def strength_before_sprint(self) -> None:
        """No heavy lower-body strength the day before a sprint-category session."""
        rule = self.rules.strength_before_sprint
        if not rule.enabled:
            return
        for i in range(self.tl.n_days - 1):
            heavy = any(self.lib.by_id(s.type).heavy_lower_body for s in self.main(i))
            if heavy and any(c in rule.sprint_categories for c in self.categories(i + 1)):
                self.flag(
                    "strength_before_sprint",
                    "heavy lower-body strength the day before a sprint session",
                    day=i,
                )

    def rest_days(self) -> None:
        """At least min_per_week rest days in each full week."""
        rule = self.rules.rest_days
        if not rule.enabled:
            return
        for w in self.weeks():
            if self.tl.is_full_week(w):
                rests = sum(self.rest(d) for d in self.tl.week_days(w))
                if rests < rule.min_per_week:
                    self.flag(
                        "rest_days",
                        f"{rests} rest days (< {rule.min_per_week})",
                        week=w,
                        amount=rule.min_per_week - rests,
                    )

    # ------------------------------------------------------------------ phases and taper
    def phases(self) -> None:
        """Race weeks and transition weeks as the calendar says; prep phases in order and within their
        lengths in each macrocycle; only easy work in transition weeks."""
        for week, phase in sorted(self.tl.fixed_phase.items()):
            if self.week_phase(week) != phase:
                self.flag(
                    "phases",
                    f"week should be '{phase.value}', is '{self.week_phase(week).value}'",
                    week=week,
                )
        for cycle in self.tl.macrocycles:
            for week in range(cycle.first_week, min(cycle.race_week, self.tl.n_weeks)):
                allowed = (*PREP_PHASES, Phase.taper) if cycle.race is not None else PREP_PHASES
                if self.week_phase(week) not in allowed:
                    self.flag(
                        "phases", f"'{self.week_phase(week).value}' inside a macrocycle", week=week
                    )
        rule = self.rules.phases
        if not rule.enabled:
            return
        for cycle in self.tl.macrocycles:
            weeks = range(cycle.first_week, min(cycle.race_week, self.tl.n_weeks))
            for a, b in zip(weeks, weeks[1:]):
                if ORDER[self.week_phase(a)] > ORDER[self.week_phase(b)]:
                    self.flag(
                        "phases",
                        f"'{self.week_phase(b).value}' after '{self.week_phase(a).value}'",
                        week=b,
                    )
            if cycle.race is None:
                continue
            for phase in PREP_PHASES:
                length = rule.lengths.get(phase)
                if length is None:
                    continue
                count = sum(self.week_phase(w) == phase for w in weeks)
                if count < length.min_weeks or (
                    length.max_weeks is not None and count > length.max_weeks
                ):
                    self.flag(
                        "phases",
                        f"{count} weeks of {phase.value} before '{cycle.race.name}' (allowed {length.min_weeks}..{length.max_weeks})",
                        week=cycle.first_week,
                    )
        allowed = set(rule.transition_categories) | {Category.race}
        for w in self.weeks():
            if self.week_phase(w) != Phase.transition:
                continue
            for d in self.tl.week_days(w):
                if d in self.tl.race_by_day:
                    continue  # race days follow the race-day rules
                bad = [s.type for s in self.days[d].sessions if s.category not in allowed or s.hard]
                if bad:
                    self.flag("phases.transition", f"{', '.join(bad)} in a transition week", day=d)

    def taper(self) -> None:
        """Before each A race: taper of min..max days, volume cut in range, a hard sprint session in every
        `hard_sprint_every_days` taper days, training-session frequency cut at most max_frequency_cut_pct."""
        rule = self.rules.taper
        taper_weeks = [w for w in self.weeks() if self.week_phase(w) == Phase.taper]
        if not rule.enabled:
            if taper_weeks:
                self.flag("taper", "taper weeks while the taper rule is off", week=taper_weeks[0])
            return
        for cycle in self.tl.macrocycles:
            if cycle.race is None:
                continue
            mine = [
                w
                for w in range(cycle.first_week, cycle.race_week)
                if self.week_phase(w) == Phase.taper
            ]
            if mine and mine != list(range(cycle.race_week - len(mine), cycle.race_week)):
                self.flag(
                    "taper",
                    f"taper weeks before '{cycle.race.name}' are not the weeks right before the race week",
                    week=mine[0],
                )
                continue
            start_week = cycle.race_week - len(mine)
            length = cycle.race_day - 7 * start_week
            if not rule.min_days <= length <= rule.max_days:
                self.flag(
                    "taper",
                    f"taper of {length} days before '{cycle.race.name}' (allowed {rule.min_days}..{rule.max_days})",
                    day=7 * start_week,
                    amount=length,
                )
            days = range(7 * start_week, cycle.race_day)
            n = rule.hard_sprint_every_days
            for first in range(days.start, days.stop - n + 1):
                if not any(
                    s.hard and s.category == Category.sprint
                    for d in range(first, first + n)
                    for s in self.main(d)
                ):
                    self.flag(
                        "taper",
                        f"no hard sprint session in the {n} taper days from {self.days[first].date}",
                        day=first,
                    )
            if not mine:
                continue
            ref = [
                w
                for w in range(start_week - rule.reference_weeks, start_week)
                if w >= cycle.first_week
            ]
            if not ref:
                continue
            taper_mean = sum(self.week_load(w) for w in mine) / len(mine)
            ref_mean = sum(self.week_load(w) for w in ref) / len(ref)
            if ref_mean > 0:
                cut = 100 * (1 - taper_mean / ref_mean)
                if (
                    cut < rule.min_volume_reduction_pct - EPS
                    or cut > rule.max_volume_reduction_pct + EPS
                ):
                    self.flag(
                        "taper",
                        f"taper volume cut {cut:.1f} % before '{cycle.race.name}' (allowed {rule.min_volume_reduction_pct}..{rule.max_volume_reduction_pct} %)",
                        week=start_week,
                        amount=round(cut, 2),
                    )
            taper_freq = sum(self.training_sessions(w) for w in mine) / len(mine)
            ref_freq = sum(self.training_sessions(w) for w in ref) / len(ref)
            if (
                ref_freq > 0
                and 100 * (1 - taper_freq / ref_freq) > rule.max_frequency_cut_pct + EPS
            ):
                self.flag(
                    "taper",
                    f"taper session frequency cut {100 * (1 - taper_freq / ref_freq):.1f} % (> {rule.max_frequency_cut_pct} %)",
                    week=start_week,
                )

    # ------------------------------------------------------------------ frequency
    def frequency(self) -> None:
        """Main sessions per category per week within the week's phase range (minimums in full weeks
        with no race and no blackout)."""
        rule = self.rules.frequency
        if not rule.enabled:
            return
        for w in self.weeks():
            phase = self.week_phase(w)
            for category in Category:
                if category in (Category.race, Category.rest):
                    continue
                count = sum(self.categories(d).count(category) for d in self.tl.week_days(w))
                r = rule.range_for(phase, category)
                if r.max is not None and count > r.max:
                    self.flag(
                        "frequency",
                        f"{count} {category.value} sessions (> {r.max} in {phase.value})",
                        week=w,
                        amount=count - r.max,
                    )
                if self.tl.minimums_apply(w) and count < r.min:
                    self.flag(
                        "frequency",
                        f"{count} {category.value} sessions (< {r.min} in {phase.value})",
                        week=w,
                        amount=r.min - count,
                    )

    # ------------------------------------------------------------------ load
    def weekly_load_cap(self) -> None:
        rule = self.rules.weekly_load_cap
        if not rule.enabled:
            return
        for w in self.weeks():
            load = self.week_load(w)
            if load > rule.max_load:
                self.flag(
                    "weekly_load_cap",
                    f"week load {load} > {rule.max_load}",
                    week=w,
                    amount=load - rule.max_load,
                )

    def _history_week(self, week: int) -> int | None:
        first = 7 * week
        if -first > self.tl.history_days:
            return None
        return sum(self.tl.history_by_offset.get(d, 0) for d in range(first, first + 7))

    def deload(self) -> None:
        """Deload weeks are prep weeks cut by min..max_reduction_pct against a loading week before them;
        every every_weeks consecutive weeks hold a deload or a taper/race/transition week."""
        rule = self.rules.deload
        deloads = self.deloads()
        if not rule.enabled:
            if deloads:
                self.flag("deload", "deload weeks while the deload rule is off", week=min(deloads))
            return
        for w in sorted(deloads):
            if self.week_phase(w) not in PREP_PHASES:
                self.flag("deload", f"a deload label on a {self.week_phase(w).value} week", week=w)
                continue
            prev = self.week_load(w - 1) if w > 0 else self._history_week(-1)
            if prev is None or (w > 0 and not self.loading(w - 1)):
                self.flag("deload", "a deload week must follow a loading week", week=w)
                continue
            load = self.week_load(w)
            cut = 100 * (1 - load / prev) if prev else 0.0
            if (
                prev == 0
                or cut < rule.min_reduction_pct - EPS
                or cut > rule.max_reduction_pct + EPS
            ):
                self.flag(
                    "deload",
                    f"deload cut {cut:.1f} % (allowed {rule.min_reduction_pct}..{rule.max_reduction_pct} %)",
                    week=w,
                    amount=round(cut, 2),
                )
        for first in range(self.tl.n_weeks - rule.every_weeks + 1):
            window = range(first, first + rule.every_weeks)
            if not any(w in deloads or self.week_phase(w) not in PREP_PHASES for w in window):
                self.flag(
                    "deload",
                    f"{rule.every_weeks} weeks without a deload from week {first}",
                    week=first,
                )

    def ramp(self) -> None:
        """Week load at most (1 + max_increase_pct) x the last loading week's (the week before, or the
        week before a deload); week 0 against the history's last 7 days."""
        rule = self.rules.ramp
        if not rule.enabled:
            return
        limit = 1 + rule.max_increase_pct / 100

        def check(w: int, ref: int, what: str) -> None:
            load = self.week_load(w)
            if load > limit * ref + EPS:
                self.flag(
                    "ramp",
                    f"week load {load} is {100 * (load / ref - 1) if ref else math.inf:.1f} % above {what} ({ref})",
                    week=w,
                    amount=load - limit * ref,
                )

        before0 = self._history_week(-1)
        deloads = self.deloads()
        if before0 is not None:
            check(0, before0, "the last 7 days of history")
            if 0 in deloads and self.tl.n_weeks > 1:
                check(1, before0, "the last 7 days of history (week 1 follows a deload)")
        for w in range(1, self.tl.n_weeks):
            if self.loading(w - 1):
                check(w, self.week_load(w - 1), "the week before")
            elif (w - 1) in deloads and w >= 2 and self.loading(w - 2):
                check(w, self.week_load(w - 2), "the loading week before the deload")

    def _window(self, last: int, length: int) -> int | None:
        first = last - length + 1
        if -first > self.tl.history_days:
            return None
        known = sum(self.tl.history_by_offset.get(d, 0) for d in range(first, 0))
        return known + sum(self.days[d].load for d in range(max(first, 0), last + 1))

    def acute_chronic(self) -> None:
        """7-day : 28-day/4 load at each full week's end at most `high`; at least `low` in loading weeks."""
        rule = self.rules.acute_chronic
        if not rule.enabled:
            return
        for w in self.weeks():
            if not self.tl.is_full_week(w):
                continue
            end = 7 * w + 6
            acute, chronic = self._window(end, 7), self._window(end, 28)
            if chronic is None:
                continue
            ratio = acute / (chronic / 4) if chronic else (math.inf if acute else 0.0)
            if 4 * acute > rule.high * chronic + EPS:
                self.flag(
                    "acute_chronic",
                    f"acute:chronic {ratio:.2f} > {rule.high}",
                    day=end,
                    amount=round(ratio - rule.high, 4),
                )
            if self.loading(w) and 4 * acute < rule.low * chronic - EPS:
                self.flag(
                    "acute_chronic",
                    f"acute:chronic {ratio:.2f} < {rule.low} in a loading week",
                    day=end,
                    amount=round(rule.low - ratio, 4),
                )

    def monotony(self) -> None:
        """Mean / population SD of the daily loads of each full week at most max_monotony."""
        rule = self.rules.monotony
        if not rule.enabled:
            return
        for w in self.weeks():
            if not self.tl.is_full_week(w):
                continue
            loads = [self.days[d].load for d in self.tl.week_days(w)]
            value = monotony(loads)
            if value is not None and value > rule.max_monotony + 1e-6:
                self.flag(
                    "monotony",
                    f"monotony {value:.2f} > {rule.max_monotony}",
                    week=w,
                    amount=round(value - rule.max_monotony, 4),
                )
            if value is None and any(loads):
                self.flag("monotony", "the same load every day (monotony is infinite)", week=w)

    # ------------------------------------------------------------------ tests
    def time_trial(self) -> None:
        """Time trials only in prep weeks; every every_weeks consecutive prep weeks hold one."""
        rule = self.rules.time_trial
        if not rule.enabled:
            return
        tests = {
            w: sum(self.categories(d).count(Category.test) for d in self.tl.week_days(w))
            for w in self.weeks()
        }
        for w, count in tests.items():
            if count and self.week_phase(w) not in PREP_PHASES:
                self.flag(
                    "time_trial", f"a time trial in a {self.week_phase(w).value} week", week=w
                )
        for first in range(self.tl.n_weeks - rule.every_weeks + 1):
            window = list(range(first, first + rule.every_weeks))
            if all(self.week_phase(w) in PREP_PHASES for w in window) and not any(
                tests[w] for w in window
            ):
                self.flag(
                    "time_trial",
                    f"no time trial in the {rule.every_weeks} prep weeks from week {first}",
                    week=first,
                )
