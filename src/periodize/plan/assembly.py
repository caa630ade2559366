"""A Plan from what a solver (or a hand edit) chose: the sessions of each day and the phase of
each week become the plan's days with their predictions, the weekly summaries (load, ramp as
the rule compares, acute:chronic, monotony) and the race-day predictions. Days a re-plan found
done are the sessions as done (scenario/completed.py). Never imports the solver."""

from __future__ import annotations

import datetime as dt
import statistics

from periodize.core.terms import PREP_PHASES
from periodize.plan.schema import (
    DayPlan,
    Plan,
    RacePrediction,
    SessionEntry,
    WeekSummary,
    new_plan_id,
)
from periodize.scenario.completed import DoneSession
from periodize.scenario.schema import Category, Phase, Scenario
from periodize.scenario.simulation import change_from_baseline, simulate, training_load_averages


# --------------------------------------------------------------------------- metrics
def monotony(loads: list[int]) -> float | None:
    """Mean / population SD of daily loads (Foster 1998); None when every day has the same load."""
    sd = statistics.pstdev(loads)
    return None if sd == 0 else statistics.fmean(loads) / sd


def _ramp_reference(
    before: list[WeekSummary], deloads: set[int], last_week: int | None
) -> int | None:
    """The load the ramp rule compares the next week with: the week before if it was a loading
    week, the week before a deload if it was one (solver/model/rules/load.py); the recorded week
    before the start for week 1 (and week 2 after a deload in week 1); None where the rule
    compares nothing (after a taper, race or transition week)."""

    def loading(w: WeekSummary) -> bool:
        return w.phase in PREP_PHASES and w.week not in deloads

    if not before:
        return last_week
    prev = before[-1]
    if loading(prev):
        return prev.load
    if prev.week not in deloads:
        return None
    if len(before) == 1:
        return last_week
    return before[-2].load if loading(before[-2]) else None


def week_summaries(scenario: Scenario, days: list[DayPlan], deloads: set[int]) -> list[WeekSummary]:
    """Weekly load, hard days, sessions per category, ramp, acute:chronic ratio and monotony."""
    history = scenario.prior_loads()
    history_days = -min(history, default=0)
    loads = [d.load for d in days]

    def window(last: int, length: int) -> int | None:
        first = last - length + 1
        if -first > history_days:
            return None
        return sum(history.get(i, 0) for i in range(first, 0)) + sum(
            loads[max(first, 0) : last + 1]
        )

    out: list[WeekSummary] = []
    for week in range((len(days) + 6) // 7):
        chunk = days[7 * week : 7 * week + 7]
        wl = sum(d.load for d in chunk)
        prev = _ramp_reference(out, deloads, window(-1, 7))
        counts: dict[str, int] = {}
        for d in chunk:
            for s in d.sessions:
                session_type = scenario.sessions.by_id(s.type)
                if session_type is not None and session_type.addon:
                    continue
                counts[s.category.value] = counts.get(s.category.value, 0) + 1
        acwr = None
        if len(chunk) == 7:
            acute, chronic = window(7 * week + 6, 7), window(7 * week + 6, 28)
            if chronic and acute is not None:
                acwr = round(acute / (chronic / 4), 3)
        mono = monotony([d.load for d in chunk]) if len(chunk) == 7 else None
        out.append(
            WeekSummary(
                week=week,
                start=chunk[0].date,
                days=len(chunk),
                phase=chunk[0].phase,
                deload=week in deloads,
                load=wl,
                hard_days=sum(any(s.hard for s in d.sessions) for d in chunk),
                rest_days=sum(all(s.category == Category.rest for s in d.sessions) for d in chunk),
                sessions=dict(sorted(counts.items())),
                ramp_pct=None if not prev else round(100 * (wl - prev) / prev, 1),
                acute_chronic=acwr,
                monotony=None if mono is None else round(mono, 3),
            )
        )
    return out


def _done_entries(scenario: Scenario, done: tuple[DoneSession, ...]) -> list[SessionEntry]:
    """A day already done, as it was done (nothing: the library's rest)."""
    library = scenario.sessions
    if not done:
        rest = library.rest
        return [SessionEntry(type=rest.id, category=rest.category, hard=False, minutes=0, load=0,
                             done="nothing done")]  # fmt: skip
    return [
        SessionEntry(
            type=s.type,
            category=library.type_of(s.type).category,
            hard=library.type_of(s.type).hard,
            minutes=s.minutes,
            load=s.load,
            done=s.note,
        )  # fmt: skip
        for s in sorted(done, key=lambda s: (library.type_of(s.type).addon, s.type))
    ]


def assemble_plan(
    scenario: Scenario,
    sessions_by_day: list[list[tuple[str, int]]],
    phases: list[Phase],
    deloads: set[int],
    **solver_fields: object,
) -> Plan:
    """Build a Plan from (session id, dose index) per day and a phase per week."""
    library = scenario.sessions
    day_sessions: list[list[SessionEntry]] = []
    for i, chosen in enumerate(sessions_by_day):
        date = scenario.start + dt.timedelta(days=i)
        if scenario.done is not None and date < scenario.done.today:
            day_sessions.append(_done_entries(scenario, scenario.done.days.get(date, ())))
            continue
        entries = []
        for sid, dose in sorted(chosen, key=lambda c: (library.type_of(c[0]).addon, c[0])):
            t = library.type_of(sid)
            entries.append(
                SessionEntry(
                    type=sid,
                    category=t.category,
                    hard=t.hard,
                    minutes=t.doses[dose].minutes,
                    load=t.doses[dose].load,
                )
            )
        day_sessions.append(entries)
    loads = [sum(s.load for s in entries) for entries in day_sessions]
    traj = simulate(scenario, loads)
    baseline = scenario.athlete.response.p0
    ctl, atl = training_load_averages(scenario, loads)
    days = [
        DayPlan(
            date=scenario.start + dt.timedelta(days=i),
            week=i // 7,
            phase=phases[i // 7],
            sessions=entries,
            load=loads[i],
            fitness=round(traj.fitness[i], 3),
            fatigue=round(traj.fatigue[i], 3),
            performance=round(traj.performance[i], 3),
            performance_pct=change_from_baseline(traj.performance[i], baseline),
            ctl=round(ctl[i], 3),
            atl=round(atl[i], 3),
            tsb=round(ctl[i] - atl[i], 3),
        )
        for i, entries in enumerate(day_sessions)
    ]
    race_day = {r.name: traj.performance[(r.date - scenario.start).days] for r in scenario.races}
    races = [
        RacePrediction(
            name=r.name,
            date=r.date,
            priority=r.priority,
            predicted_performance=round(race_day[r.name], 3),
            change_pct=change_from_baseline(race_day[r.name], baseline),
        )
        for r in scenario.sorted_races()
    ]
    solver_fields.setdefault("plan_id", new_plan_id())  # a re-plan then takes its predecessor's
    return Plan(
        days=days,
        weeks=week_summaries(scenario, days, deloads),
        races=races,
        response=scenario.athlete.response.model,
        baseline=baseline,
        **solver_fields,
    )
