"""Race-day rules: the race alone on race day, rest or a primer the day before, an easy day after,
a short reduction before B races, and before A races a sharpening session and no long rest."""

from __future__ import annotations

from periodize.core.terms import Priority
from periodize.solver.model.variables import PlanVariables


def add_race_day(pv: PlanVariables) -> None:
    """Race day holds only the race (the race itself is fixed by the variable domains; add-ons are
    excluded there while this rule is on)."""
    rule = pv.scenario.rules.race_day
    for day in sorted(pv.timeline.race_by_day):
        pv.model.add(pv.count(day, lambda t: t.category.value == "race") == 1)
        if rule.enabled:
            pv.add("race_day", day // 7, pv.count(day, lambda t: t.category.value != "race") == 0)


def add_day_before_race(pv: PlanVariables) -> None:
    """The day before a race holds only rest or a short primer (allowed_sessions)."""
    rule = pv.scenario.rules.day_before_race
    if not rule.enabled:
        return
    allowed = set(rule.allowed_sessions)
    for day in sorted(pv.timeline.race_by_day):
        before = day - 1
        if before < 0 or before in pv.timeline.race_by_day:
            continue
        pv.add("day_before_race", before // 7, pv.count(before, lambda t: t.id not in allowed) == 0)


def add_day_after_race(pv: PlanVariables) -> None:
    """The day after a race is easy: only sessions of the allowed categories."""
    rule = pv.scenario.rules.day_after_race
    if not rule.enabled:
        return
    allowed = set(rule.allowed_categories)
    for day in sorted(pv.timeline.race_by_day):
        after = day + 1
        if after >= pv.timeline.n_days or after in pv.timeline.race_by_day:
            continue
        pv.add(
            "day_after_race", after // 7, pv.count(after, lambda t: t.category not in allowed) == 0
        )


def add_b_race_reduction(pv: PlanVariables) -> None:
    """No hard session in the `days` days before a B race (Friel: 2-5 days of reduced load)."""
    rule = pv.scenario.rules.b_race_reduction
    if not rule.enabled:
        return
    for day, race in sorted(pv.timeline.race_by_day.items()):
        if race.priority != Priority.B:
            continue
        for d in range(max(0, day - rule.days), day):
            if d not in pv.timeline.race_by_day:
                pv.add("b_race_reduction", d // 7, pv.hard(d) == 0)


def add_sharpening(pv: PlanVariables) -> None:
    """A hard main session of the sharpening categories on one of the days min..max_days_before
    every A race (the days of the window inside the plan; none inside it: nothing to require)."""
    rule = pv.scenario.rules.sharpening
    if not rule.enabled:
        return
    cats = set(rule.categories)
    for _race, day in pv.timeline.a_races:
        window = pv.timeline.days_before(day, rule.min_days_before, rule.max_days_before)
        if window:
            sharp = sum(pv.main_count(d, lambda t: t.hard and t.category in cats) for d in window)
            pv.add("sharpening", day // 7, sharp >= 1)


def add_pre_race_rest(pv: PlanVariables) -> None:
    """In the `days` days before every A race, at most `max_consecutive` of the days the athlete
    can train in a row are complete rest days (unavailable days are skipped)."""
    rule = pv.scenario.rules.pre_race_rest
    if not rule.enabled:
        return
    run = rule.max_consecutive + 1
    for _race, day in pv.timeline.a_races:
        days = pv.timeline.trainable_days_before(day, rule.days)
        for first in range(len(days) - run + 1):
            window = days[first : first + run]
            pv.add(
                "pre_race_rest",
                day // 7,
                sum(pv.is_rest(d) for d in window) <= rule.max_consecutive,
            )


BUILDERS = {
    "race_day": add_race_day,
    "day_before_race": add_day_before_race,
    "day_after_race": add_day_after_race,
    "b_race_reduction": add_b_race_reduction,
    "sharpening": add_sharpening,
    "pre_race_rest": add_pre_race_rest,
}
