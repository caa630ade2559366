"""Load rules: weekly cap, ramp, deloads, acute:chronic ratio, monotony."""

from __future__ import annotations

import math

from periodize.core.terms import Phase
from periodize.solver.model.variables import PlanVariables

SCALE = 1000  # ratios are compared as integers: SCALE * a <= at_most(ratio) * b


def at_most(ratio: float) -> int:
    """SCALE * ratio rounded down: an upper limit that is never looser than the rule."""
    return math.floor(SCALE * ratio + 1e-9)


def at_least(ratio: float) -> int:
    """SCALE * ratio rounded up: a lower limit that is never looser than the rule."""
    return math.ceil(SCALE * ratio - 1e-9)


def history_week_load(pv: PlanVariables, week: int) -> int | None:
    """Recorded load of a week before the start (week -1 is the 7 days before), or None if not covered."""
    tl = pv.timeline
    first = 7 * week
    if -first > tl.history_days:
        return None
    return sum(tl.history_by_offset.get(d, 0) for d in range(first, first + 7))


def add_weekly_load_cap(pv: PlanVariables) -> None:
    """No week above max_load (AU)."""
    rule = pv.scenario.rules.weekly_load_cap
    if not rule.enabled:
        return
    for week, load in enumerate(pv.week_load):
        pv.add("weekly_load_cap", week, load <= rule.max_load)


def add_deload(pv: PlanVariables) -> None:
    """Among every `every_weeks` consecutive weeks at least one is reduced: a deload week (load cut by
    min..max_reduction_pct against the loading week before it; a week with a blackout, by at
    least min_reduction_pct: travel or illness may cut it further and it still counts, so that
    the ramp after it compares with the week before) or a taper, race or transition week."""
    rule = pv.scenario.rules.deload
    if not rule.enabled:
        return
    tl, model = pv.timeline, pv.model
    low, high = (
        at_least(1 - rule.max_reduction_pct / 100),
        at_most(1 - rule.min_reduction_pct / 100),
    )
    before0 = history_week_load(pv, -1)
    for week in range(tl.n_weeks):
        if (week, Phase.general_prep) not in pv.phase or (week == 0 and before0 is None):
            continue
        deload = model.new_bool_var(f"deload@w{week}")
        model.add_implication(deload, pv.prep[week])
        pv.deload[week] = deload
        if tl.week_is_over(week):  # a week already done keeps its label (scenario/completed.py)
            assert pv.scenario.done is not None
            model.add(deload == int(week in pv.scenario.done.deloads))
        if week == 0:
            if before0 == 0:
                pv.add("deload", 0, deload == 0)  # nothing to reduce from
            load, prev = pv.week_load[0], before0
        else:
            load, prev = pv.week_load[week], pv.week_load[week - 1]
            # a deload reduces a week that had load
            pv.add("deload", week, prev >= 1, enforce_if=[deload])
        if not tl.week_has_blackout(week):  # travel, illness: a deeper cut still counts
            pv.add("deload", week, SCALE * load >= low * prev, enforce_if=[deload])
        pv.add("deload", week, SCALE * load <= high * prev, enforce_if=[deload])
    for week in sorted(pv.deload):
        if week > 0:
            pv.add("deload", week, model.add_implication(pv.deload[week], pv.loading(week - 1)))
    n = rule.every_weeks
    for first in range(tl.n_weeks - n + 1):
        window = range(first, first + n)
        reduced = sum(pv.deload.get(w, 0) + (1 - pv.prep[w]) for w in window)
        pv.add("deload", first, reduced >= 1)


def add_ramp(pv: PlanVariables) -> None:
    """A week's load is at most (1 + max_increase_pct) x the last loading week's: the week before,
    or the week before a deload. Week 0 is compared with the history's last 7 days when known."""
    rule = pv.scenario.rules.ramp
    if not rule.enabled:
        return
    tl = pv.timeline
    factor = at_most(1 + rule.max_increase_pct / 100)
    before0 = history_week_load(pv, -1)
    if before0 is not None:
        pv.add("ramp", 0, SCALE * pv.week_load[0] <= factor * before0)
    if before0 is not None and 0 in pv.deload and tl.n_weeks > 1:
        pv.add("ramp", 1, SCALE * pv.week_load[1] <= factor * before0, enforce_if=[pv.deload[0]])
    for week in range(1, tl.n_weeks):
        load = SCALE * pv.week_load[week]
        pv.add(
            "ramp", week, load <= factor * pv.week_load[week - 1], enforce_if=[pv.loading(week - 1)]
        )
        prev = week - 1
        if prev in pv.deload and prev >= 1:
            pv.add(
                "ramp",
                week,
                load <= factor * pv.week_load[prev - 1],
                enforce_if=[pv.deload[prev], pv.loading(prev - 1)],
            )


def _window_load(pv: PlanVariables, last_day: int, length: int):
    """Load over `length` days ending on plan day last_day, history included; None if not covered."""
    tl = pv.timeline
    first = last_day - length + 1
    if -first > tl.history_days:
        return None
    known = sum(tl.history_by_offset.get(d, 0) for d in range(first, 0))
    return known + sum(pv.day_load[d] for d in range(max(first, 0), last_day + 1))


def add_acute_chronic(pv: PlanVariables) -> None:
    """At the end of each full week the 7-day load is at most `high` x the 28-day weekly average
    (Gabbett 2016), and, in loading weeks, at least `low` x it (deloads, tapers and transitions
    are meant to drop below)."""
    rule = pv.scenario.rules.acute_chronic
    if not rule.enabled:
        return
    tl = pv.timeline
    for week in range(tl.n_weeks):
        if not tl.is_full_week(week):
            continue
        end = 7 * week + 6
        acute, chronic = _window_load(pv, end, 7), _window_load(pv, end, 28)
        if chronic is None:
            continue
        pv.add("acute_chronic", week, 4 * SCALE * acute <= at_most(rule.high) * chronic)
        pv.add(
            "acute_chronic",
            week,
            4 * SCALE * acute >= at_least(rule.low) * chronic,
            enforce_if=[pv.loading(week)],
        )


def add_monotony(pv: PlanVariables) -> None:
    """Weekly monotony (mean / population SD of the 7 daily loads, Foster 1998) at most max_monotony.
    mean <= m * SD  <=>  (1 + m^2) * S^2 <= 7 * m^2 * Q, with S the week's load and Q the sum of squares."""
    rule = pv.scenario.rules.monotony
    if not rule.enabled:
        return
    tl, model = pv.timeline, pv.model
    m2 = math.floor(100 * rule.max_monotony**2 + 1e-9)  # rounded down: never looser than the rule
    squares: dict[int, object] = {}
    for day in range(tl.n_days):
        sq = model.new_int_var(0, pv.day_max_load[day] ** 2, f"load_sq@d{day}")
        model.add_multiplication_equality(sq, [pv.day_load[day], pv.day_load[day]])
        squares[day] = sq
    for week in range(tl.n_weeks):
        if not tl.is_full_week(week):
            continue
        total = pv.week_load[week]
        total_sq = model.new_int_var(
            0, sum(pv.day_max_load[d] for d in tl.week_days(week)) ** 2, f"week_sq@w{week}"
        )
        model.add_multiplication_equality(total_sq, [total, total])
        week_squares = sum(squares[d] for d in tl.week_days(week))
        pv.add("monotony", week, (100 + m2) * total_sq <= 7 * m2 * week_squares)


BUILDERS = {
    "deload": add_deload,
    "weekly_load_cap": add_weekly_load_cap,
    "ramp": add_ramp,
    "acute_chronic": add_acute_chronic,
    "monotony": add_monotony,
}
