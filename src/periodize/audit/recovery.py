"""Recovery: time between hard sessions, hard days in a row, no heavy strength the day before
sprinting, rest days each week (solver/model/rules/recovery.py builds them)."""

from __future__ import annotations

from periodize.audit.view import PlanView


def check_hard_recovery(view: PlanView) -> None:
    """At least `hours` between hard sessions; `max_velocity_hours` after max-velocity work."""
    rule = view.rules.hard_recovery
    if not rule.enabled:
        return
    hard_days = [i for i in range(view.tl.n_days) if view.hard(i)]
    races = view.tl.race_by_day
    for a, b in zip(hard_days, hard_days[1:]):
        if a in races and b in races:
            continue  # races on consecutive days (heats and final, a weekend meet) are allowed
        need = rule.hours
        if any(view.lib.type_of(s.type).max_velocity for s in view.main(a)):
            need = max(need, rule.max_velocity_hours)
        have = 24 * (b - a)
        if have < need:
            view.flag(
                "hard_recovery",
                f"hard sessions {have} h apart (< {need} h)",
                day=b,
                amount=need - have,
            )


def check_consecutive_hard_days(view: PlanView) -> None:
    """At most max_days hard days in a row."""
    rule = view.rules.consecutive_hard_days
    if not rule.enabled:
        return
    run = 0
    for i in range(view.tl.n_days):
        run = run + 1 if view.hard(i) else 0
        if run > rule.max_days:
            view.flag(
                "consecutive_hard_days",
                f"{run} hard days in a row (> {rule.max_days})",
                day=i,
                amount=run - rule.max_days,
            )


def check_strength_before_sprint(view: PlanView) -> None:
    """No heavy lower-body strength the day before a sprint-category session."""
    rule = view.rules.strength_before_sprint
    if not rule.enabled:
        return
    for i in range(view.tl.n_days - 1):
        heavy = any(view.lib.type_of(s.type).heavy_lower_body for s in view.main(i))
        if heavy and any(c in rule.sprint_categories for c in view.categories(i + 1)):
            view.flag(
                "strength_before_sprint",
                "heavy lower-body strength the day before a sprint session",
                day=i,
            )


def check_rest_days(view: PlanView) -> None:
    """At least min_per_week rest days in each full week."""
    rule = view.rules.rest_days
    if not rule.enabled:
        return
    for w in view.weeks():
        if view.tl.is_full_week(w):
            rests = sum(view.rest(d) for d in view.tl.week_days(w))
            if rests < rule.min_per_week:
                view.flag(
                    "rest_days",
                    f"{rests} rest days (< {rule.min_per_week})",
                    week=w,
                    amount=rule.min_per_week - rests,
                )


CHECKS = {
    "hard_recovery": check_hard_recovery,
    "consecutive_hard_days": check_consecutive_hard_days,
    "strength_before_sprint": check_strength_before_sprint,
    "rest_days": check_rest_days,
}
