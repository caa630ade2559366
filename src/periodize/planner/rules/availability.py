"""Availability: one main session a day, add-ons within the session limit, minutes within the day's time."""

from __future__ import annotations

from ...scenario import Category
from ..variables import PlanVariables


def add_daily_structure(pv: PlanVariables) -> None:
    """Every day holds exactly one main session (rest counts); add-ons join a training or race day
    up to max_sessions_per_day in all; a rest day holds nothing else."""
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


def add_non_training_days(pv: PlanVariables) -> None:
    """Days outside the training weekdays, and blackout days, are rest days (domains already hold
    only the rest session there; stated again so the rule is explicit in the model)."""
    tl = pv.timeline
    for day in range(tl.n_days):
        rule = tl.unavailable_rule(day)
        if rule is None:
            continue
        if day in tl.race_by_day:  # the race, and no add-on
            pv.add(rule, day // 7, sum(pv.holds(day, t) for t in pv.addon_types()) == 0)
        else:
            pv.add(rule, day // 7, pv.category(day, Category.rest) == 1)
