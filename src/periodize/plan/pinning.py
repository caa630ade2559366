"""How the days already done become the model's pins: a training log's rows, the plan's own
sessions where the log does not reach, `--missed` and `--done` (scenario/completed.py describes the
result). Never imports the solver."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from periodize.core.errors import Problem, ScenarioError
from periodize.core.terms import PREP_PHASES, Category, Phase
from periodize.scenario.completed import Done, DoneSession
from periodize.scenario.schema import Dose, Scenario, SessionLibrary, SessionType

LOGGED = "logged-"  # id prefix of the library types that stand for free-form logged sessions


class LoggedLike(Protocol):
    """What a training-log row provides (traininglog.LoggedSession), read only."""

    @property
    def date(self) -> dt.date: ...
    @property
    def session(self) -> str | None: ...
    @property
    def name(self) -> str: ...
    @property
    def category(self) -> Category: ...
    @property
    def hard(self) -> bool: ...
    @property
    def load(self) -> int: ...
    @property
    def minutes(self) -> int | None: ...
    @property
    def source(self) -> str: ...


def logged_type(category: Category, hard: bool) -> SessionType:
    """The library type a free-form logged session counts as: its category and intensity, for
    the rules; its load comes from the log (the dose is a placeholder)."""
    dose = Dose(minutes=0, load=0) if category == Category.rest else Dose(minutes=1, load=1)
    kind = f"{category.value}{'-hard' if hard else ''}"
    return SessionType(
        id=f"{LOGGED}{kind}", name=f"logged {kind.replace('-', ' ')}", category=category,
        hard=hard, doses=[dose],
    )  # fmt: skip


def nearest_dose(session: SessionType, load: int) -> int:
    """Index of the type's dose whose load is nearest to `load` (the first on a tie)."""
    return min(range(len(session.doses)), key=lambda i: (abs(session.doses[i].load - load), i))


def completed_training(
    scenario: Scenario,
    planned: Mapping[dt.date, Sequence[DoneSession]],
    today: dt.date,
    log: Sequence[LoggedLike] = (),
    missed: Iterable[dt.date] = (),
    done_types: Mapping[dt.date, str] | None = None,
    phases: Mapping[int, Phase] | None = None,
    deloads: Iterable[int] = (),
) -> tuple[Done, list[SessionType]]:
    """What was done before `today`, and the logged- types it needs in the library.

    Each day before today is, in this order: nothing (`missed`); the library type `done_types`
    names (the plan's dose of it that day, else its first dose); from the log's first day on,
    the log's sessions (a day the log leaves empty: nothing done); before it, the plan's
    sessions `planned`, as the athlete followed it. `phases` and `deloads` are the plan's, for
    the weeks that ended before today. Raises ScenarioError for a date outside the plan or a
    type the library does not hold."""
    library = scenario.sessions
    start = scenario.start
    problems = _check_dates(scenario, today, missed, done_types or {})
    if problems:
        raise ScenarioError(problems)
    missed = set(missed)
    done_types = dict(done_types or {})
    log_from = min((row.date for row in log), default=None)
    extra: dict[str, SessionType] = {}
    days: dict[dt.date, tuple[DoneSession, ...]] = {}
    day = start
    while day < today:
        if day in missed:
            sessions: list[DoneSession] = []
        elif day in done_types:
            session = library.type_of(done_types[day])
            plan_doses = [s.dose for s in planned.get(day, ()) if s.type == session.id]
            i = plan_doses[0] if plan_doses else 0
            dose = session.doses[i]
            sessions = [DoneSession(type=session.id, dose=i, load=dose.load,
                                    minutes=dose.minutes, note="done (--done)")]  # fmt: skip
        elif log_from is not None and day >= log_from:
            sessions = [_from_log(row, library, extra) for row in log if row.date == day]
        else:
            sessions = list(planned.get(day, ()))
        active = [s for s in sessions if _kind(library, extra, s.type) != Category.rest]
        days[day] = tuple(active)  # a day with nothing but rest: nothing done
        day += dt.timedelta(days=1)
    over = (today - start).days // 7  # weeks 0..over-1 ended before today
    past = {w: p for w, p in sorted((phases or {}).items()) if w < over}
    done = Done(
        today=today,
        days=days,
        phases=past,
        deloads=_reduced_weeks(scenario, days, past, {w for w in deloads if w < over}),
    )
    return done, [extra[k] for k in sorted(extra)]


def _reduced_weeks(
    scenario: Scenario,
    days: Mapping[dt.date, Sequence[DoneSession]],
    phases: Mapping[int, Phase],
    planned: set[int],
) -> frozenset[int]:
    """The deload weeks among the weeks over: those the plan made deloads, and a preparation
    week whose load, as done, fell by at least the deload rule's min_reduction_pct against the
    loading week before it (missed sessions made it a reduced week: the ramp then compares the
    next week with the week before it, as after a planned deload)."""
    rule = scenario.rules.deload
    loads: dict[int, int] = {}
    for day, sessions in days.items():
        week = (day - scenario.start).days // 7
        loads[week] = loads.get(week, 0) + sum(s.load for s in sessions)
    reduced = set(planned)
    if not rule.enabled:
        return frozenset(reduced)
    for week in sorted(phases):
        before = week - 1
        loading = before in phases and phases[before] in PREP_PHASES and before not in reduced
        cut = 1 - rule.min_reduction_pct / 100
        if phases[week] in PREP_PHASES and loading and loads.get(week, 0) <= cut * loads[before]:
            reduced.add(week)
    return frozenset(reduced)


def _kind(library: SessionLibrary, extra: Mapping[str, SessionType], sid: str) -> Category:
    found = library.by_id(sid) or extra[sid]
    return found.category


def _from_log(
    row: LoggedLike, library: SessionLibrary, extra: dict[str, SessionType]
) -> DoneSession:
    """A log row as a done session: its library type, else the logged- type of its kind."""
    session = library.by_id(row.session) if row.session else None
    if session is None:
        if row.category == Category.race:
            session = library.race
        elif row.category == Category.rest:
            session = library.rest
        else:
            session = logged_type(row.category, row.hard)
            extra[session.id] = session
    minutes = row.minutes if row.minutes is not None else 0
    note = f"{row.name} ({row.source})" if row.name else row.source
    return DoneSession(
        type=session.id, dose=nearest_dose(session, row.load), load=row.load, minutes=minutes,
        note=note,
    )  # fmt: skip


def _check_dates(
    scenario: Scenario, today: dt.date, missed: Iterable[dt.date], done_types: Mapping[dt.date, str]
) -> list[Problem]:
    start, end = scenario.start, scenario.end
    problems = []
    if not start <= today <= end:
        problems.append(Problem("--today", "", f"{today} is outside the plan ({start} .. {end})"))
    for day in sorted(missed):
        if not start <= day < today:
            problems.append(
                Problem(
                    "--missed", "", f"{day} is not a plan day before today ({start} .. {today})"
                )
            )
    ids = ", ".join(t.id for t in scenario.sessions.types)
    for day, sid in sorted(done_types.items()):
        if not start <= day < today:
            problems.append(
                Problem("--done", "", f"{day} is not a plan day before today ({start} .. {today})")
            )
        if scenario.sessions.by_id(sid) is None:
            problems.append(
                Problem("--done", "", f"{day}={sid}: unknown session type (library: {ids})")
            )
    return problems


def pinned_choices(
    sessions: Sequence[DoneSession], library: SessionLibrary, max_addons: int
) -> list[tuple[str, int]]:
    """The (type, dose) choices the model fixes on a done day: one main session (the hardest,
    then the heaviest; rest when nothing main was done) and each add-on type once, within the
    day's add-on limit and not on a rest day. Whatever else was done counts as load only
    (the plan still lists it)."""
    mains = [s for s in sessions if not library.type_of(s.type).addon]
    main = min(mains, key=lambda s: (not library.type_of(s.type).hard, -s.load), default=None)
    if main is None or library.type_of(main.type).category == Category.rest:
        return [(library.rest.id, 0)]
    chosen = [(main.type, main.dose)]
    for s in sessions:
        if library.type_of(s.type).addon and all(s.type != t for t, _ in chosen):
            if len(chosen) - 1 < max_addons:
                chosen.append((s.type, s.dose))
    return chosen
