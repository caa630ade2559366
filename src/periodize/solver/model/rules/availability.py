"""Availability: one main session a day, add-ons within the session limit, minutes within the day's time."""

from __future__ import annotations

from periodize.core.terms import Category
from periodize.solver.model.variables import PlanVariables


def add_daily_structure(pv: PlanVariables) -> None:
    """Every day holds exactly one main session (rest counts); add-ons join a training or race day
    up to max_sessions_per_day in all; a rest day holds nothing else. The structure and the
    availability.max_sessions_per_day rule share one constraint (add-ons <= limit x not rest,
    tighter in the LP than two), so this builder states both."""
    avail = pv.scenario.availability
    for day in range(pv.timeline.n_days):
        pv.model.add_exactly_one(v for t in pv.main_types() for v in pv.session_choices(day, t))
        for t in pv.addon_types():
            pv.model.add_at_most_one(pv.session_choices(day, t))  # each add-on type once a day
        addons = sum(pv.holds(day, t) for t in pv.addon_types())
        limit = avail.max_sessions_per_day - 1
        if "availability.max_sessions_per_day" in pv.relaxable:  # the limit apart from the rest day
            pv.model.add(addons <= len(pv.addon_types()) * (1 - pv.is_rest(day)))
            pv.add("availability.max_sessions_per_day", day // 7, addons <= limit)
        else:
            pv.model.add(addons <= limit * (1 - pv.is_rest(day)))


def add_minutes(pv: PlanVariables) -> None:
    """The day's sessions fit in the minutes available that weekday (race days are exempt)."""
    avail = pv.scenario.availability
    library = pv.scenario.sessions
    for day in range(pv.timeline.n_days):
        if day in pv.timeline.race_by_day:
            continue
        minutes = sum(
            library.by_id(sid).doses[i].minutes * var
            for (d, sid, i), var in sorted(pv.choice.items())
            if d == day
        )
        pv.add(
            "availability.minutes_per_day",
            day // 7,
            minutes <= avail.minutes_on(pv.timeline.weekday(day)),
        )


def add_fixed_commitments(pv: PlanVariables) -> None:
    """A fixed weekday session is held every such available week day (main sessions are fixed by the
    variable domains; a fixed add-on is required here)."""
    tl = pv.timeline
    library = pv.scenario.sessions
    for fixed in pv.scenario.availability.fixed:
        session = library.by_id(fixed.session)
        for day in range(tl.n_days):
            if (
                tl.weekday(day) != fixed.weekday.value
                or not tl.can_train(day)
                or day in tl.race_by_day
            ):
                continue
            pv.add("availability.fixed", day // 7, pv.holds(day, session) == 1)


def _add_unavailable(pv: PlanVariables, rule: str) -> None:
    """The days `rule` makes unavailable are rest days, and a race there holds no add-on (the
    variable domains already hold only the rest session there; stated again so that the rule is
    explicit in the model, and can be relaxed)."""
    tl = pv.timeline
    for day in range(tl.n_days):
        if tl.unavailable_rule(day) != rule:
            continue
        if day in tl.race_by_day:  # the race, and no add-on
            pv.add(rule, day // 7, sum(pv.holds(day, t) for t in pv.addon_types()) == 0)
        else:
            pv.add(rule, day // 7, pv.category(day, Category.rest) == 1)


def add_training_days(pv: PlanVariables) -> None:
    """Days outside the athlete's training weekdays are rest days."""
    _add_unavailable(pv, "availability.training_days")


def add_blackouts(pv: PlanVariables) -> None:
    """Blackout days (travel, exams, illness) are rest days."""
    _add_unavailable(pv, "availability.blackouts")


BUILDERS = {
    "availability.max_sessions_per_day": add_daily_structure,
    "availability.minutes_per_day": add_minutes,
    "availability.fixed": add_fixed_commitments,
    "availability.training_days": add_training_days,
    "availability.blackouts": add_blackouts,
}
