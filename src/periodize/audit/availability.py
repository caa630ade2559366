"""Availability: the athlete's training days and blackouts, the minutes each day allows, fixed
weekly commitments and the most sessions in a day (solver/model/rules/availability.py builds them)."""

from __future__ import annotations

from periodize.audit.view import PlanView


def _check_unavailable(view: PlanView, rule: str) -> None:
    """Nothing but rest on the days `rule` makes unavailable (a race there holds no add-on)."""
    for i in range(view.tl.n_days):
        if view.tl.unavailable_rule(i) != rule:
            continue
        if i in view.tl.race_by_day:
            if view.addons(i):
                view.flag(rule, "an add-on on a race day that is not a training day", day=i)
        elif not view.rest(i):
            why = view.tl.blackout_reason(i) or f"{view.tl.weekday(i)} is not a training day"
            view.flag(rule, f"training on an unavailable day ({why})", day=i)


def check_training_days(view: PlanView) -> None:
    """Rest on the weekdays the athlete does not train."""
    _check_unavailable(view, "availability.training_days")


def check_blackouts(view: PlanView) -> None:
    """Rest on blackout days (travel, exams, illness)."""
    _check_unavailable(view, "availability.blackouts")


def check_minutes_per_day(view: PlanView) -> None:
    """The day's sessions fit in the minutes available that weekday (race days are exempt)."""
    avail = view.sc.availability
    for i, day in enumerate(view.days):
        if i in view.tl.race_by_day:
            continue
        minutes = sum(s.minutes for s in day.sessions)
        cap = avail.minutes_on(view.tl.weekday(i))
        if minutes > cap:
            view.flag(
                "availability.minutes_per_day",
                f"{minutes} min > {cap} min available",
                day=i,
                amount=minutes - cap,
            )


def check_fixed(view: PlanView) -> None:
    """Each fixed weekly commitment is held on every available day of its weekday."""
    fixed = {f.weekday.value: f.session for f in view.sc.availability.fixed}
    for i, day in enumerate(view.days):
        want = fixed.get(view.tl.weekday(i))
        if i in view.tl.race_by_day or not want or not view.tl.can_train(i):
            continue
        if want not in {s.type for s in day.sessions}:
            view.flag("availability.fixed", f"fixed commitment '{want}' missing", day=i)


def check_max_sessions_per_day(view: PlanView) -> None:
    """At most max_sessions_per_day sessions (the main one and its add-ons) in a day."""
    limit = view.sc.availability.max_sessions_per_day
    for i, day in enumerate(view.days):
        if len(day.sessions) > limit:
            view.flag(
                "availability.max_sessions_per_day",
                f"{len(day.sessions)} sessions > {limit}",
                day=i,
                amount=len(day.sessions) - limit,
            )


CHECKS = {
    "availability.training_days": check_training_days,
    "availability.blackouts": check_blackouts,
    "availability.minutes_per_day": check_minutes_per_day,
    "availability.fixed": check_fixed,
    "availability.max_sessions_per_day": check_max_sessions_per_day,
}
