"""Periodization: phase order and lengths in each macrocycle, the transition weeks, and time
trials (solver/model/rules/phases.py builds them)."""

from __future__ import annotations

from periodize.audit.view import PlanView
from periodize.core.terms import PHASE_ORDER, PREP_PHASES, Category, Phase
from periodize.scenario.rules import PhaseLength


def check_phases(view: PlanView) -> None:
    """Race weeks and transition weeks as the calendar says, and only preparation and taper weeks
    inside a macrocycle (whatever the rule's settings); with the rule on, prep phases in order and
    within their lengths in each macrocycle."""
    for week, phase in sorted(view.tl.fixed_phase.items()):
        if view.week_phase(week) != phase:
            view.flag(
                "phases",
                f"week should be '{phase.value}', is '{view.week_phase(week).value}'",
                week=week,
            )
    for cycle in view.tl.macrocycles:
        for week in range(cycle.first_week, min(cycle.race_week, view.tl.n_weeks)):
            allowed = (*PREP_PHASES, Phase.taper) if cycle.race is not None else PREP_PHASES
            if view.week_phase(week) not in allowed:
                view.flag(
                    "phases", f"'{view.week_phase(week).value}' inside a macrocycle", week=week
                )
    rule = view.rules.phases
    if not rule.enabled:
        return
    lengths: dict[str, PhaseLength] = {name: weeks for name, weeks in rule.lengths.items()}
    for cycle in view.tl.macrocycles:
        weeks = range(cycle.first_week, min(cycle.race_week, view.tl.n_weeks))
        for a, b in zip(weeks, weeks[1:]):
            if PHASE_ORDER[view.week_phase(a)] > PHASE_ORDER[view.week_phase(b)]:
                view.flag(
                    "phases",
                    f"'{view.week_phase(b).value}' after '{view.week_phase(a).value}'",
                    week=b,
                )
        if cycle.race is None:
            continue
        for phase in PREP_PHASES:
            length = lengths.get(phase.value)
            if length is None:
                continue
            count = sum(view.week_phase(w) == phase for w in weeks)
            if count < length.min_weeks or (
                length.max_weeks is not None and count > length.max_weeks
            ):
                view.flag(
                    "phases",
                    f"{count} weeks of {phase.value} before '{cycle.race.name}' (allowed {length.min_weeks}..{length.max_weeks})",
                    week=cycle.first_week,
                )


def check_transition(view: PlanView) -> None:
    """Only easy work (transition_categories, nothing hard) in transition weeks; part of the
    phases rule, named "phases.transition"."""
    rule = view.rules.phases
    if not rule.enabled:
        return
    allowed = set(rule.transition_categories) | {Category.race}
    for w in view.weeks():
        if view.week_phase(w) != Phase.transition:
            continue
        for d in view.tl.week_days(w):
            if d in view.tl.race_by_day:
                continue  # race days follow the race-day rules
            bad = [s.type for s in view.days[d].sessions if s.category not in allowed or s.hard]
            if bad:
                view.flag("phases.transition", f"{', '.join(bad)} in a transition week", day=d)


def check_time_trial(view: PlanView) -> None:
    """Time trials only in prep weeks; every every_weeks consecutive prep weeks hold one."""
    rule = view.rules.time_trial
    if not rule.enabled:
        return
    tests = {
        w: sum(view.categories(d).count(Category.test) for d in view.tl.week_days(w))
        for w in view.weeks()
    }
    for w, count in tests.items():
        if count and view.week_phase(w) not in PREP_PHASES:
            view.flag("time_trial", f"a time trial in a {view.week_phase(w).value} week", week=w)
    for first in range(view.tl.n_weeks - rule.every_weeks + 1):
        window = list(range(first, first + rule.every_weeks))
        if all(view.week_phase(w) in PREP_PHASES for w in window) and not any(
            tests[w] for w in window
        ):
            view.flag(
                "time_trial",
                f"no time trial in the {rule.every_weeks} prep weeks from week {first + 1}",
                week=first,
            )


CHECKS = {
    "phases": check_phases,
    "phases.transition": check_transition,
    "time_trial": check_time_trial,
}
