"""Race-day rules: the race alone on race day, rest or a primer the day before, an easy day
after, and a short reduction before B races (solver/model/rules/races.py builds them). That each race
is in the plan, on its day, is checked with the plan's structure (audit/structure.py)."""

from __future__ import annotations

from periodize.audit.view import PlanView
from periodize.core.terms import Priority


def check_race_day(view: PlanView) -> None:
    """Race day holds only the race."""
    if not view.rules.race_day.enabled:
        return
    for i, race in sorted(view.tl.race_by_day.items()):
        if view.has_race(i) and len(view.days[i].sessions) > 1:
            view.flag("race_day", f"race day of '{race.name}' holds other sessions", day=i)


def check_day_before_race(view: PlanView) -> None:
    """The day before a race holds only the allowed sessions (rest or a short primer)."""
    rule = view.rules.day_before_race
    if not rule.enabled:
        return
    for day, race in sorted(view.tl.race_by_day.items()):
        before = day - 1
        if before < 0 or before in view.tl.race_by_day:
            continue
        bad = [s.type for s in view.days[before].sessions if s.type not in rule.allowed_sessions]
        if bad:
            view.flag(
                "day_before_race", f"{', '.join(bad)} the day before '{race.name}'", day=before
            )


def check_day_after_race(view: PlanView) -> None:
    """The day after a race holds only sessions of the allowed (easy) categories."""
    rule = view.rules.day_after_race
    if not rule.enabled:
        return
    for day, race in sorted(view.tl.race_by_day.items()):
        after = day + 1
        if after >= view.tl.n_days or after in view.tl.race_by_day:
            continue
        bad = [
            s.type for s in view.days[after].sessions if s.category not in rule.allowed_categories
        ]
        if bad:
            view.flag("day_after_race", f"{', '.join(bad)} the day after '{race.name}'", day=after)


def check_b_race_reduction(view: PlanView) -> None:
    """No hard session in the `days` days before a B race."""
    rule = view.rules.b_race_reduction
    if not rule.enabled:
        return
    for day, race in sorted(view.tl.race_by_day.items()):
        if race.priority != Priority.B:
            continue
        for d in range(max(0, day - rule.days), day):
            if d not in view.tl.race_by_day and view.hard(d):
                view.flag(
                    "b_race_reduction",
                    f"hard session {day - d} day(s) before B race '{race.name}'",
                    day=d,
                )


def check_sharpening(view: PlanView) -> None:
    """A hard main session of the sharpening categories min..max_days_before every A race."""
    rule = view.rules.sharpening
    if not rule.enabled:
        return
    for race, day in view.tl.a_races:
        window = view.tl.days_before(day, rule.min_days_before, rule.max_days_before)
        if window and not any(
            s.hard and s.category in rule.categories for d in window for s in view.main(d)
        ):
            view.flag(
                "sharpening",
                f"no hard {'/'.join(c.value for c in rule.categories)} session "
                f"{rule.min_days_before}-{rule.max_days_before} days before A race '{race.name}'",
                day=day,
            )


def check_pre_race_rest(view: PlanView) -> None:
    """At most max_consecutive complete rest days in a row, among the days the athlete can train,
    in the `days` days before every A race."""
    rule = view.rules.pre_race_rest
    if not rule.enabled:
        return
    for race, day in view.tl.a_races:
        run, longest, where = 0, 0, None
        for d in view.tl.trainable_days_before(day, rule.days):
            run = run + 1 if view.rest(d) else 0
            if run > longest:
                longest, where = run, d
        if longest > rule.max_consecutive:
            view.flag(
                "pre_race_rest",
                f"{longest} rest days in a row in the {rule.days} days before A race "
                f"'{race.name}' (at most {rule.max_consecutive})",
                day=where,
                week=day // 7,  # the rule instance is the race's week, as the model names it
                amount=longest - rule.max_consecutive,
            )


CHECKS = {
    "race_day": check_race_day,
    "day_before_race": check_day_before_race,
    "day_after_race": check_day_after_race,
    "b_race_reduction": check_b_race_reduction,
    "sharpening": check_sharpening,
    "pre_race_rest": check_pre_race_rest,
}
