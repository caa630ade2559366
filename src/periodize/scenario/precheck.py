"""Pre-checks: contradictions in a scenario that need no solver (dates out of order, a blackout
on a race day, a rule that needs a kind of session the library cannot provide, no taper that
fits). Each is a `Problem` naming the field the user wrote. Never imports the solver."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

from periodize.core.errors import Problem
from periodize.core.terms import PREP_PHASES, duplicates
from periodize.scenario.schema import BussoResponse, Category, Phase, Scenario, SessionType
from periodize.scenario.simulation import busso_of
from periodize.scenario.timeline import Timeline

# The busso model's best steady daily load must be a session-RPE load a day can hold: beyond
# these the objective's coefficients overflow (k3 = 5e-324 made them infinite).
STEADY_OPTIMUM_AU = (1.0, 1_000_000.0)


def _busso_units(scenario: Scenario, file: str) -> list[Problem]:
    response = scenario.athlete.response
    if not isinstance(response, BussoResponse):
        return []
    model = busso_of(scenario)
    best = model.steady_optimum() if math.isfinite(model.scale) and model.scale > 0 else math.inf
    low, high = STEADY_OPTIMUM_AU
    if low <= best <= high:
        return []
    field = "athlete.response.load_scale" if response.load_scale else "athlete.response.k3"
    return [
        Problem(
            file,
            field,
            f"with k1 {response.k1:g}, k3 {response.k3:g} and these loads the busso model's best "
            f"steady daily load is {best:.3g} AU; it must lie within {low:g}..{high:g} AU a day",
        )
    ]


def precheck(scenario: Scenario, file: str) -> list[Problem]:
    """Contradictions that need no solver: dates out of order, a blackout on a race day, and the like."""
    problems: list[Problem] = []
    start, end = scenario.start, scenario.end
    if end < start and scenario.plan.end is not None:  # else a race before the start, below
        problems.append(Problem(file, "plan.end", f"{end} is before plan.start {start}"))
    for i, race in enumerate(scenario.races):
        if race.date < start:
            problems.append(
                Problem(
                    file,
                    f"races.{i}.date",
                    f"race '{race.name}' ({race.date}) is before plan.start {start}",
                )
            )
        if race.date > end:
            problems.append(
                Problem(
                    file,
                    f"races.{i}.date",
                    f"race '{race.name}' ({race.date}) is after plan end {end}",
                )
            )
        for j, b in enumerate(scenario.availability.blackouts):
            if b.start <= race.date <= b.end:
                problems.append(
                    Problem(
                        file,
                        f"availability.blackouts.{j}",
                        f"blackout {b.start}..{b.end} covers race '{race.name}' on {race.date}",
                    )
                )
    dates = [r.date for r in scenario.races]
    for d in sorted(duplicates(dates)):
        problems.append(Problem(file, "races", f"two races on {d}: one race a day"))
    history_dates = [h.date for h in scenario.athlete.history]
    if history_dates and max(history_dates) >= start:
        problems.append(
            Problem(
                file,
                "athlete.history_csv",
                f"history runs to {max(history_dates)}, not before plan.start {start}",
            )
        )
    if scenario.n_days > 7 * 104:
        problems.append(Problem(file, "plan.end", "plans longer than 104 weeks are not supported"))
    problems += _busso_units(scenario, file)
    if problems:
        return problems
    problems += _library_prechecks(scenario, file)

    taper = scenario.rules.taper
    for cycle in Timeline(scenario).macrocycles:
        if cycle.race is not None and taper.enabled and not cycle.taper_options:
            assert cycle.race_day is not None  # a cycle that ends in an A race
            offset = cycle.race_day - 7 * cycle.race_week
            problems.append(
                Problem(
                    file,
                    "rules.taper",
                    f"no taper of {taper.min_days}..{taper.max_days} days fits before A race '{cycle.race.name}' "
                    f"({cycle.race.date}): tapers start on a plan week boundary, {offset} days before the race week's "
                    f"race day, and the macrocycle starts in week {cycle.first_week + 1}",
                    rule="taper",
                )
            )
    return problems


def _library_prechecks(scenario: Scenario, file: str) -> list[Problem]:
    """Rules that certainly need a kind of session the library cannot provide on any training
    day (only where no choice of phases or taper length avoids the need)."""

    problems: list[Problem] = []
    avail, rules = scenario.availability, scenario.rules
    tl = Timeline(scenario)
    longest = max((avail.minutes_on(d.value) for d in avail.training_days), default=0)

    def usable(pred: Callable[[SessionType], bool]) -> bool:
        return any(
            pred(t) and not t.addon and min(d.minutes for d in t.doses) <= longest
            for t in scenario.sessions.types
        )

    if rules.frequency.enabled:
        for category in Category:
            if usable(partial(_of_category, category)):
                continue
            for week in range(tl.n_weeks):
                fixed = tl.fixed_phase.get(week)
                options = [fixed] if fixed else [*PREP_PHASES, Phase.taper]
                least = min(rules.frequency.range_for(p, category).min for p in options)
                if tl.minimums_apply(week) and least > 0:
                    problems.append(
                        Problem(
                            file,
                            f"rules.frequency.per_category.{category.value}.min",
                            f"at least {least} {category.value} session(s) in week {week + 1}, "
                            f"but the library has no {category.value} main session that fits "
                            f"{longest} min",
                            rule="frequency",
                        )
                    )
                    break
    every = rules.taper.hard_sprint_every_days
    for cycle in tl.macrocycles:
        if cycle.race is None or not rules.taper.enabled or not cycle.taper_options:
            continue
        assert cycle.race_day is not None
        offset = cycle.race_day - 7 * cycle.race_week
        shortest = min(7 * t + offset for t in cycle.taper_options)
        if shortest >= every and not usable(lambda t: t.hard and t.category == Category.sprint):
            problems.append(
                Problem(
                    file,
                    "rules.taper.hard_sprint_every_days",
                    f"the taper before '{cycle.race.name}' keeps a hard sprint session every "
                    f"{every} days, but the library has no hard sprint main session that fits "
                    f"{longest} min",
                    rule="taper",
                )
            )
    if rules.time_trial.enabled and not usable(lambda t: t.category == Category.test):
        for cycle in tl.macrocycles:
            reach = max(cycle.taper_options, default=0) if cycle.race is not None else 0
            if cycle.race_week - cycle.first_week - reach >= rules.time_trial.every_weeks:
                problems.append(
                    Problem(
                        file,
                        "rules.time_trial",
                        f"a time trial every {rules.time_trial.every_weeks} preparation weeks, "
                        f"but the library has no test session that fits {longest} min",
                        rule="time_trial",
                    )
                )
                break
    trains = {d.value for d in avail.training_days}
    for i, commitment in enumerate(avail.fixed):
        session = scenario.sessions.type_of(commitment.session)
        minutes = avail.minutes_on(commitment.weekday.value)
        shortest = min(d.minutes for d in session.doses)
        if commitment.weekday.value not in trains and session.category != Category.rest:
            days = ", ".join(d.value for d in avail.training_days)
            problems.append(
                Problem(
                    file,
                    f"availability.fixed.{i}",
                    f"'{commitment.session}' is fixed on {commitment.weekday.value}, which is not a "
                    f"training day (availability.training_days: {days}): it could never be held",
                    rule="availability.fixed",
                )
            )
        if (
            commitment.weekday.value in trains
            and session.category != Category.rest
            and shortest > minutes
        ):
            problems.append(
                Problem(
                    file,
                    f"availability.fixed.{i}",
                    f"'{commitment.session}' on {commitment.weekday.value} takes at least "
                    f"{shortest} min, but {commitment.weekday.value} has {minutes} min",
                    rule="availability.fixed",
                )
            )
    if rules.rest_days.enabled and rules.rest_days.min_per_week > 7:
        problems.append(
            Problem(
                file,
                "rules.rest_days.min_per_week",
                f"{rules.rest_days.min_per_week} rest days in a 7-day week",
                rule="rest_days",
            )
        )
    return problems


def _of_category(category: Category, session: SessionType) -> bool:
    return session.category == category
