"""Decision variables of the planning model and the expressions built from them.

One Boolean `choice[day, session, dose]` per session dose a day can hold; availability
(training days, blackouts, race days, fixed commitments, minutes) decides which exist.
Daily load, weekly load, hard days and category counts are linear in the choices.
Each week has one phase Boolean per phase it may take.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from periodize.core.terms import PREP_PHASES, Category, Phase
from periodize.plan.pinning import LOGGED, pinned_choices
from periodize.scenario.schema import Scenario, SessionType
from periodize.scenario.timeline import Timeline

Expr = cp_model.LinearExpr | int  # a linear expression in the choices (0 when empty)
_WHEN = re.compile(r"@([dw])(\d+)$")  # the day or week a variable belongs to, from its name


@dataclass
class PlanVariables:
    """Container of the model's decision variables, indexed by day, session id, dose and week."""

    scenario: Scenario
    timeline: Timeline
    model: cp_model.CpModel
    choice: dict[tuple[int, str, int], cp_model.IntVar] = field(default_factory=dict)
    day_load: list[cp_model.IntVar] = field(default_factory=list)
    day_max_load: list[int] = field(default_factory=list)
    week_load: list[cp_model.IntVar] = field(default_factory=list)
    phase: dict[tuple[int, Phase], cp_model.IntVar] = field(default_factory=dict)
    prep: list[cp_model.IntVar] = field(default_factory=list)
    deload: dict[int, cp_model.IntVar] = field(default_factory=dict)
    _loading: dict[int, cp_model.IntVar] = field(default_factory=dict)
    # Rule instances that may be bent: one `keep` literal per (rule, week) of a rule listed in
    # `relaxable` (soft rules; every rule when explaining a conflict or with --relax).
    relaxable: frozenset[str] = frozenset()
    keep: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    # explaining a conflict: rules with parts (frequency per category) get a literal per part,
    # named "rule:part", so that the explanation can say which part clashes
    by_part: bool = False
    # days already done (a re-plan): their load, by plan day
    done_load: dict[int, int] = field(default_factory=dict)

    def add(
        self,
        rule: str,
        week: int,
        constraint: cp_model.BoundedLinearExpression | cp_model.Constraint | bool,
        *,
        part: str | None = None,
        enforce_if: Sequence[cp_model.IntVar] = (),
    ) -> None:
        """Add a constraint that belongs to one instance of a rule: `rule` as the scenario names it
        (e.g. "rest_days", "availability.training_days") in plan week `week`, holding only where
        every `enforce_if` literal is true. For a relaxable rule the constraint holds only while
        that instance's keep literal is true. A constraint decided while building (a bool) adds
        nothing when true and a contradiction (or keep = 0) when false."""
        if self.timeline.today and self._wholly_done(week, constraint, enforce_if):
            return  # it happened: a re-plan cannot change it (scenario/completed.py)
        relaxable = rule in self.relaxable
        if part is not None and self.by_part:
            rule = f"{rule}:{part}"
        if isinstance(constraint, bool):
            if constraint:
                return
            if relaxable:
                added = self.model.add(self.keep_literal(rule, week) == 0)
            else:
                added = self.model.add_bool_or([])
        else:
            added = constraint
            if not isinstance(added, cp_model.Constraint):  # an expression; else already added
                added = self.model.add(constraint)
            if relaxable:
                added.only_enforce_if(self.keep_literal(rule, week))
        if enforce_if:
            added.only_enforce_if(list(enforce_if))

    def _wholly_done(
        self,
        week: int,
        constraint: cp_model.BoundedLinearExpression | cp_model.Constraint | bool,
        enforce_if: Sequence[cp_model.IntVar],
    ) -> bool:
        """The rule instance involves only days already done: every variable in it belongs to
        a day before today or to a week over before today (variables are named <what>@d<day>
        or <what>@w<week>); a constraint decided while building, by its week."""
        if isinstance(constraint, bool):
            return self.timeline.week_is_over(week)
        if isinstance(constraint, cp_model.Constraint):
            return False  # already in the model
        variables = [*constraint.vars, *enforce_if]
        return all(self._done_variable(v.name) for v in variables)

    def _done_variable(self, name: str) -> bool:
        match = _WHEN.search(name)
        if match is None:
            return False
        index = int(match.group(2))
        if match.group(1) == "d":
            return index < self.timeline.today
        return self.timeline.week_is_over(index)

    def keep_literal(self, rule: str, week: int) -> cp_model.IntVar:
        """True when the rule instance (rule, week) is enforced; created on first use."""
        key = (rule, week)
        if key not in self.keep:
            self.keep[key] = self.model.new_bool_var(f"keep[{rule}]@w{week}")
        return self.keep[key]

    @property
    def types(self) -> list[SessionType]:
        return self.scenario.sessions.types

    def main_types(self) -> list[SessionType]:
        return sorted((t for t in self.types if not t.addon), key=lambda t: t.id)

    def addon_types(self) -> list[SessionType]:
        return sorted((t for t in self.types if t.addon), key=lambda t: t.id)

    def session_choices(self, day: int, session: SessionType) -> list[cp_model.IntVar]:
        return [self.choice[k] for k in self._keys(day, session.id)]

    def _keys(self, day: int, session_id: str) -> list[tuple[int, str, int]]:
        return [
            (day, session_id, i)
            for i in range(len(self.scenario.sessions.by_id(session_id).doses))
            if (day, session_id, i) in self.choice
        ]

    def holds(self, day: int, session: SessionType) -> Expr:
        """1 if the day holds this session type (any dose)."""
        return sum(self.session_choices(day, session))

    def count(self, day: int, predicate) -> Expr:
        """How many of the day's sessions (main and add-ons) satisfy predicate(session_type)."""
        return sum(
            self.holds(day, t) for t in sorted(self.types, key=lambda t: t.id) if predicate(t)
        )

    def main_count(self, day: int, predicate) -> Expr:
        """How many of the day's main sessions (0 or 1) satisfy predicate(session_type)."""
        return sum(self.holds(day, t) for t in self.main_types() if predicate(t))

    def hard(self, day: int) -> Expr:
        """1 if the day holds a hard session."""
        return self.main_count(day, lambda t: t.hard)

    def category(self, day: int, category: Category) -> Expr:
        """Main sessions of a category on a day (add-ons do not count toward weekly frequency)."""
        return self.main_count(day, lambda t: t.category == category)

    def is_rest(self, day: int) -> Expr:
        return self.category(day, Category.rest)

    def training_sessions(self, day: int) -> Expr:
        """Main sessions that are training (not rest, not a race)."""
        return self.main_count(day, lambda t: t.category not in (Category.rest, Category.race))

    def phase_is(self, week: int, phase: Phase) -> Expr:
        return self.phase.get((week, phase), 0)

    def loading(self, week: int) -> cp_model.IntVar:
        """Literal: the week is a loading week (a preparation phase and not a deload)."""
        if week not in self._loading:
            lit = self.model.new_bool_var(f"loading@w{week}")
            self.model.add(lit == self.prep[week] - self.deload.get(week, 0))
            self._loading[week] = lit
        return self._loading[week]


def build_variables(
    scenario: Scenario,
    timeline: Timeline,
    model: cp_model.CpModel,
    relaxable: frozenset[str] = frozenset(),
) -> PlanVariables:
    """Create the choice, load and phase variables. Availability is applied to the domains (a choice
    the availability rules forbid does not exist) unless that rule is relaxable, in which case the
    rule's tagged constraints exclude it."""
    pv = PlanVariables(scenario, timeline, model, relaxable=relaxable)
    avail = scenario.availability
    rules = scenario.rules
    fixed = {f.weekday.value: f.session for f in avail.fixed}
    library = scenario.sessions
    for day in range(timeline.n_days):
        if day < timeline.today:
            _pin_done_day(pv, day)
            continue
        minutes = avail.minutes_on(timeline.weekday(day))
        race = timeline.race_by_day.get(day)
        unavailable = timeline.unavailable_rule(day)
        trainable = unavailable is None or unavailable in relaxable
        fixed_id = fixed.get(timeline.weekday(day)) if race is None else None
        if fixed_id and (unavailable is not None or "availability.fixed" in relaxable):
            fixed_id = None  # not held on an unavailable day; stated as a constraint when relaxable
        fixed_type = library.by_id(fixed_id) if fixed_id else None
        fits = "availability.minutes_per_day" in relaxable
        race_day_addons = not rules.race_day.enabled or "race_day" in relaxable
        for session in sorted(library.types, key=lambda t: t.id):
            if session.id.startswith(LOGGED):  # a logged session's kind: only on days done
                continue
            if race is not None:
                allowed = session.category == Category.race or (
                    session.addon and race_day_addons and trainable
                )
            elif session.category == Category.race:
                allowed = False
            elif session.category == Category.rest:
                allowed = fixed_type is None or fixed_type.addon or fixed_type.id == session.id
            elif not trainable:
                allowed = False
            elif fixed_type is not None and not fixed_type.addon and not session.addon:
                allowed = session.id == fixed_type.id
            else:
                allowed = True
            if not allowed:
                continue
            for i, dose in enumerate(session.doses):
                too_long = race is None and session.category != Category.rest
                if too_long and dose.minutes > minutes and not fits:
                    continue
                pv.choice[(day, session.id, i)] = model.new_bool_var(f"{session.id}[{i}]@d{day}")
        max_load = sum(
            max(d.load for j, d in enumerate(t.doses) if (day, t.id, j) in pv.choice)
            for t in library.types
            if any((day, t.id, j) in pv.choice for j in range(len(t.doses)))
        )
        load = model.new_int_var(0, max_load, f"load@d{day}")
        model.add(
            load
            == sum(
                library.by_id(sid).doses[i].load * var
                for (d, sid, i), var in sorted(pv.choice.items())
                if d == day
            )
        )
        pv.day_load.append(load)
        pv.day_max_load.append(max_load)
    for week in range(timeline.n_weeks):
        days = timeline.week_days(week)
        upper = sum(pv.day_max_load[d] for d in days)
        wl = model.new_int_var(0, upper, f"week_load@w{week}")
        model.add(wl == sum(pv.day_load[d] for d in days))
        pv.week_load.append(wl)
    _build_phase_variables(pv)
    return pv


def _pin_done_day(pv: PlanVariables, day: int) -> None:
    """A day already done: its choices fixed to what was done (pinning.pinned_choices), its
    load the load done (what the fixed choices' doses do not account for is a constant)."""
    library, model = pv.scenario.sessions, pv.model
    done = pv.timeline.done_days.get(day, ())
    limit = pv.scenario.availability.max_sessions_per_day - 1
    nominal = 0
    for sid, i in pinned_choices(done, library, limit):
        var = model.new_bool_var(f"{sid}[{i}]@d{day}")
        model.add(var == 1)
        pv.choice[(day, sid, i)] = var
        nominal += library.type_of(sid).doses[i].load
    actual = sum(s.load for s in done)
    load = model.new_int_var(actual, actual, f"load@d{day}")
    model.add(load == sum(
        library.type_of(sid).doses[i].load * var
        for (d, sid, i), var in sorted(pv.choice.items()) if d == day
    ) + (actual - nominal))  # fmt: skip
    pv.day_load.append(load)
    pv.day_max_load.append(actual)
    pv.done_load[day] = actual


def _build_phase_variables(pv: PlanVariables) -> None:
    """One Boolean per (week, phase) the week may take; exactly one per week."""
    tl, model = pv.timeline, pv.model
    for week in range(tl.n_weeks):
        fixed = tl.fixed_phase.get(week)
        if fixed is not None:
            options = [fixed]
        else:
            cycle = tl.cycle_of_week(week)
            options = list(PREP_PHASES)
            if (
                cycle is not None
                and cycle.race is not None
                and week >= cycle.race_week - max(cycle.taper_options, default=0)
            ):
                options.append(Phase.taper)
        for phase in options:
            pv.phase[(week, phase)] = model.new_bool_var(f"phase_{phase.value}@w{week}")
        model.add_exactly_one(pv.phase[(week, p)] for p in options)
        done = pv.scenario.done.phases.get(week) if pv.scenario.done else None
        if done is not None and done in options:  # a week already over keeps its phase
            model.add(pv.phase[(week, done)] == 1)
        prep = model.new_bool_var(f"prep@w{week}")
        model.add(prep == sum(pv.phase_is(week, p) for p in PREP_PHASES))
        pv.prep.append(prep)
