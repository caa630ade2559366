"""Periodization: phase order and lengths in each macrocycle, the transition, and time trials."""

from __future__ import annotations

from periodize.core.terms import PHASE_ORDER, PREP_PHASES, Category, Phase
from periodize.solver.model.variables import PlanVariables


def add_phase_order(pv: PlanVariables) -> None:
    """Within each macrocycle phases run general prep -> specific prep -> pre-competition -> taper,
    each for its min..max weeks (Friel's Prep/Base/Build/Peak; the taper's length comes from the
    taper rule)."""
    rule = pv.scenario.rules.phases
    if not rule.enabled:
        return
    for cycle in pv.timeline.macrocycles:
        weeks = range(cycle.first_week, min(cycle.race_week, pv.timeline.n_weeks))
        for a, b in zip(weeks, weeks[1:]):
            rank_a = sum(
                PHASE_ORDER[p] * v for (w, p), v in sorted(pv.phase.items(), key=_key) if w == a
            )
            rank_b = sum(
                PHASE_ORDER[p] * v for (w, p), v in sorted(pv.phase.items(), key=_key) if w == b
            )
            pv.add("phases", b, rank_a <= rank_b)
        if cycle.race is None:
            continue  # an open cycle (no A race) need not reach every phase
        for phase in PREP_PHASES:
            length = rule.lengths.get(phase)
            if length is None:
                continue
            count = sum(pv.phase_is(w, phase) for w in weeks)
            pv.add("phases", cycle.first_week, count >= length.min_weeks)
            if length.max_weeks is not None:
                pv.add("phases", cycle.first_week, count <= length.max_weeks)


def _key(item):
    (week, phase), _ = item
    return (week, PHASE_ORDER[phase])


def add_transition(pv: PlanVariables) -> None:
    """Transition weeks (after an A race) hold only easy work of the allowed categories, no hard sessions."""
    rule = pv.scenario.rules.phases
    if not rule.enabled:
        return
    allowed = set(rule.transition_categories) | {Category.race}
    tl = pv.timeline
    for week, phase in sorted(tl.fixed_phase.items()):
        if phase != Phase.transition:
            continue
        for day in tl.week_days(week):
            if day in tl.race_by_day:
                continue
            bad = pv.count(day, lambda t: t.category not in allowed or t.hard)
            pv.add("phases.transition", week, bad == 0)


def add_time_trial(pv: PlanVariables) -> None:
    """Time trials happen only in preparation weeks (never in a taper, race or transition week), and
    every `every_weeks` consecutive preparation weeks hold at least one."""
    rule = pv.scenario.rules.time_trial
    if not rule.enabled:
        return
    tl = pv.timeline
    tests = {d: pv.category(d, Category.test) for d in range(tl.n_days)}
    for week in range(tl.n_weeks):
        for day in tl.week_days(week):
            pv.add("time_trial", week, tests[day] <= pv.prep[week])
    n = rule.every_weeks
    for first in range(tl.n_weeks - n + 1):
        window = range(first, first + n)
        count = sum(tests[d] for w in window for d in tl.week_days(w))
        pv.add("time_trial", first, count >= 1, enforce_if=[pv.prep[w] for w in window])


BUILDERS = {
    "phases": add_phase_order,
    "phases.transition": add_transition,
    "time_trial": add_time_trial,
}
