"""Recovery between hard sessions, hard days in a row, strength before sprinting, rest days."""

from __future__ import annotations

import math

from periodize.core.terms import Category
from periodize.solver.model.variables import PlanVariables


def add_hard_recovery(pv: PlanVariables) -> None:
    """At least `hours` between hard sessions (48 h: no hard days back to back) and
    `max_velocity_hours` after max-velocity work (72 h: two easy days after). Haugen et al. 2019.
    Races may follow each other (heats and a final, a weekend meet); no other hard session
    comes within the gap of them."""
    rule = pv.scenario.rules.hard_recovery
    if not rule.enabled:
        return
    n = pv.timeline.n_days
    races = pv.timeline.race_by_day
    gap = math.ceil(rule.hours / 24) - 1  # easy days required after a hard day
    if gap > 0:
        for day in range(n - 1):
            window = range(day, min(day + gap + 1, n))
            week = window[-1] // 7  # the audit names the second hard day
            if sum(d in races for d in window) >= 2:
                pv.add(
                    "hard_recovery", week, sum(pv.hard(d) for d in window if d not in races) == 0
                )
            else:  # clique: one hard day in any gap+1 days
                pv.add("hard_recovery", week, sum(pv.hard(d) for d in window) <= 1)
    vgap = math.ceil(rule.max_velocity_hours / 24) - 1
    if vgap > gap:
        for day in range(n - 1):
            after = [
                d
                for d in range(day + 1, min(day + vgap + 1, n))
                if not (day in races and d in races)
            ]
            maxv = pv.main_count(day, lambda t: t.max_velocity)
            if not after:
                continue
            if vgap <= gap + 1 and sum(d in races for d in after) < 2:
                # the base rule already allows one hard day in `after`: one clique is exact and tight
                pv.add("hard_recovery", after[0] // 7, maxv + sum(pv.hard(d) for d in after) <= 1)
            else:
                for d in after:  # pairwise: otherwise the clique would also bind on other days
                    pv.add("hard_recovery", d // 7, maxv + pv.hard(d) <= 1)


def add_consecutive_hard_days(pv: PlanVariables) -> None:
    """At most `max_days` hard days in a row (alternate hard and easy days)."""
    rule = pv.scenario.rules.consecutive_hard_days
    if not rule.enabled:
        return
    n = pv.timeline.n_days
    for day in range(n - rule.max_days):
        window = range(day, day + rule.max_days + 1)
        pv.add(
            "consecutive_hard_days",
            window[-1] // 7,
            sum(pv.hard(d) for d in window) <= rule.max_days,
        )


def add_strength_before_sprint(pv: PlanVariables) -> None:
    """No heavy lower-body strength the day before a sprint session (J Sci Sport Exerc 2023)."""
    rule = pv.scenario.rules.strength_before_sprint
    if not rule.enabled:
        return
    cats = set(rule.sprint_categories)
    for day in range(pv.timeline.n_days - 1):
        heavy = pv.main_count(day, lambda t: t.heavy_lower_body)
        sprint_next = pv.main_count(day + 1, lambda t: t.category in cats)
        pv.add("strength_before_sprint", day // 7, heavy + sprint_next <= 1)


def add_rest_days(pv: PlanVariables) -> None:
    """At least `min_per_week` full rest days in every full week."""
    rule = pv.scenario.rules.rest_days
    if not rule.enabled:
        return
    tl = pv.timeline
    for week in range(tl.n_weeks):
        if tl.is_full_week(week):
            rests = sum(pv.category(d, Category.rest) for d in tl.week_days(week))
            pv.add("rest_days", week, rests >= rule.min_per_week)


BUILDERS = {
    "hard_recovery": add_hard_recovery,
    "consecutive_hard_days": add_consecutive_hard_days,
    "strength_before_sprint": add_strength_before_sprint,
    "rest_days": add_rest_days,
}
