"""Re-planning after training happened: the days before today are what was done, the days from
today are solved again under every rule, keeping as much of the old plan as the objective allows.

Three steps (the time limit shared as NEAREST_SHARE, BEST_SHARE, the rest):
1. the nearest plan: the fewest changed days that keep every rule, whatever the prediction: a
   first plan in seconds, usually the old plan mended around the days that went differently;
2. the best race-day prediction (the whole pipeline, hinted with the nearest plan);
3. lexicographic: among plans within `tolerance_pct` of the training effect of the best plan
   (its predicted performance above the untrained baseline), the one that changes the fewest
   future days (a day changes when its sessions or doses differ), then the fewest week phases.
   A coach reads a re-plan against the plan the athlete already knows: a small loss of
   predicted performance (inside the model's own error) is worth a calendar that mostly stays.
With --relax, one relaxed solve (the fewest bent rule-weeks, then the best plan) instead.

Every changed day is listed in `Plan.changes` with the reason: the rule the old plan's day
would now break (the old plan audited with the log in place), or the objective.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from periodize.audit import audit
from periodize.core.cancel import CancelToken
from periodize.core.errors import Problem, ScenarioError
from periodize.core.terms import DEFAULT_TIME_LIMIT
from periodize.plan.assembly import assemble_plan
from periodize.plan.pinning import LOGGED, LoggedLike, completed_training, logged_type, nearest_dose
from periodize.plan.schema import DayChange, Plan, Violation
from periodize.scenario.completed import DoneSession
from periodize.scenario.registry import soft_rules
from periodize.scenario.schema import Scenario, SessionLibrary
from periodize.scenario.timeline import Timeline
from periodize.solver.model.build import build_model
from periodize.solver.model.objective import objective_terms, performance, soft_penalties
from periodize.solver.model.variables import PlanVariables
from periodize.solver.search import stopping
from periodize.solver.search.budget import check_options, default_workers
from periodize.solver.search.extract import extract_plan
from periodize.solver.search.pipeline import search
from periodize.solver.search.progress import Progress
from periodize.solver.search.runs import plain_solve
from periodize.solver.search.warm_start import shifted_hint

# Shares of the time limit: the nearest plan (the first plan, in seconds), then the best
# prediction; the fewest changes within the tolerance get the rest.
NEAREST_SHARE = 0.15
BEST_SHARE = 0.5
DEFAULT_TOLERANCE_PCT = 1.0
# The fewest-changes search may first change only the days up to the end of the week 1 week
# after today's, then 3, then 7 weeks after (None: every day), each when the one before holds none.
WINDOWS: tuple[int | None, ...] = (1, 3, 7, None)


def replan(
    scenario: Scenario,
    plan: Plan,
    today: dt.date,
    *,
    log: Sequence[LoggedLike] = (),
    missed: Iterable[dt.date] = (),
    done: Mapping[dt.date, str] | None = None,
    tolerance_pct: float = DEFAULT_TOLERANCE_PCT,
    time_limit: float | None = None,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int | None = None,
    relax: bool = False,
    progress: Callable[[Progress], None] | None = None,
    cancel: CancelToken | None = None,
) -> Plan:
    """The plan re-solved from `today` (see the module's description). Returns a Plan with
    `today`, days before it as done (sessions carry `done`) and `changes`; not yet audited.
    time_limit: wall-clock seconds for the whole re-plan (default 60 unless work_limit is
    given); work_limit: CP-SAT's deterministic seconds on one worker, shared by the steps as
    the time limit is (the same seed gives the same re-plan however loaded the machine is).
    cancel: a token that stops the whole re-plan (core/cancel.py)."""
    check_options(time_limit, seed, workers, work_limit)
    if not 0 <= tolerance_pct <= 100:
        raise ValueError(f"tolerance_pct: a percentage from 0 to 100, got {tolerance_pct!r}")
    problems = _mismatches(scenario, plan, today)
    if problems:
        raise ScenarioError(problems)
    with stopping.solving(cancel):
        started = time.perf_counter()
        if time_limit is None and work_limit is None:
            time_limit = DEFAULT_TIME_LIMIT
        budget = _Budget(started, time_limit, work_limit)
        workers = 1 if work_limit is not None else workers or default_workers()
        derived = scenario_with_done(scenario, plan, today, log, missed, done)
        if relax:  # every rule may bend: the fewest bends, then the best plan (no fewest changes)
            wall, work = budget.step(1.0)
            bent = search(derived, time_limit=wall, work_limit=work, seed=seed, workers=workers,
                         relax=True, warm_start=(plan, 0), progress=progress)  # fmt: skip
            return _finished(derived, plan, bent, started)
        nearest = _fewest_changes(derived, plan, None, budget.step(NEAREST_SHARE), seed, workers)
        _report(progress, "nearest plan", started, nearest)
        if nearest is None and stopping.requested():
            return _finished(derived, plan, _no_plan(derived, seed, workers, started), started)
        wall, work = budget.step(BEST_SHARE if nearest else 1 - NEAREST_SHARE)
        best = search(
            derived, time_limit=wall, work_limit=work, seed=seed, workers=workers,
            warm_start=(nearest or plan, 0), progress=progress,
        )  # fmt: skip
        if not best.days:
            return _finished(derived, plan, nearest or best, started)
        if nearest is not None and nearest.objective is not None and best.objective is not None:
            if nearest.objective > best.objective:  # the nearest plan predicts better: it is best
                best = nearest.model_copy(update={"bound": best.bound})
        floor = _floor(derived, best, tolerance_pct)
        rest = budget.step(1 - NEAREST_SHARE - BEST_SHARE)
        kept = _fewest_changes(derived, plan, floor, rest, seed, workers, bound=best.bound)
        chosen = kept or best
        _report(progress, "fewest changes", started, chosen)
        return _finished(derived, plan, chosen, started)


@dataclass(frozen=True)
class _Budget:
    """The whole re-plan's limits, shared by its steps: wall-clock seconds and CP-SAT's
    deterministic seconds (either may be None)."""

    started: float
    time_limit: float | None
    work_limit: float | None

    def step(self, share: float) -> tuple[float | None, float | None]:
        """A step's time limit (its share, never past the whole limit) and work limit."""
        wall = None
        if self.time_limit is not None:
            left = self.started + self.time_limit - time.perf_counter()
            wall = max(0.1, min(share * self.time_limit, left))
        work = None if self.work_limit is None else share * self.work_limit
        return wall, work


def _report(
    progress: Callable[[Progress], None] | None, stage: str, started: float, plan: Plan | None
) -> None:
    if progress is not None and plan is not None:
        seconds = time.perf_counter() - started
        progress(Progress(stage, round(seconds, 3), plan.objective, plan.bound))


def _floor(scenario: Scenario, best: Plan, tolerance_pct: float) -> float:
    """The least objective a plan may have: `tolerance_pct` % of best's training effect (its
    objective above the untrained baseline) below best's."""
    assert best.objective is not None
    constant = objective_terms(scenario, Timeline(scenario)).constant
    return best.objective - tolerance_pct / 100 * abs(best.objective - constant)


def _no_plan(scenario: Scenario, seed: int, workers: int, started: float) -> Plan:
    return extract_plan(scenario, build_model(scenario)[1], None, cp_model.UNKNOWN, None, seed,
                        workers, started)  # fmt: skip


def _mismatches(scenario: Scenario, plan: Plan, today: dt.date) -> list[Problem]:
    """A plan that is not this scenario's, or a today before the plan's own."""
    if not plan.days or plan.days[0].date != scenario.start:
        begins = plan.days[0].date if plan.days else "no day"
        reason = f"the plan starts on {begins}, the scenario on {scenario.start}: not its plan"
        return [Problem("<plan>", "days", reason)]
    if plan.today is not None and today < plan.today:
        reason = f"{today} is before {plan.today}, the day the plan was re-planned from"
        return [Problem("--today", "", reason)]
    return []


def scenario_with_done(
    scenario: Scenario,
    plan: Plan,
    today: dt.date,
    log: Sequence[LoggedLike] = (),
    missed: Iterable[dt.date] = (),
    done: Mapping[dt.date, str] | None = None,
) -> Scenario:
    """The scenario with the days before `today` fixed to what was done (plan/pinning.py); the
    library gains the logged- types of free-form sessions in the log."""
    library = scenario.sessions
    known = {t.id: t for t in library.types}
    for day in plan.days:  # a plan that is itself a re-plan holds logged- types on done days
        for s in day.sessions:
            if s.type not in known and s.type.startswith(LOGGED):
                known[s.type] = logged_type(s.category, s.hard)
    base = scenario.model_copy(
        update={"sessions": SessionLibrary(preset=library.preset, types=list(known.values()))}
    )
    planned = {
        day.date: [
            DoneSession(
                type=s.type,
                dose=nearest_dose(known[s.type], s.load),
                load=s.load,
                minutes=s.minutes,
                note=s.done or "as planned",
            )  # fmt: skip
            for s in day.sessions
            if s.type in known
        ]
        for day in plan.days
    }
    record, extra = completed_training(
        base, planned, today, log=log, missed=missed, done_types=done,
        phases={w.week: w.phase for w in plan.weeks},
        deloads=[w.week for w in plan.weeks if w.deload],
    )  # fmt: skip
    known.update({t.id: t for t in extra})
    sessions = SessionLibrary(preset=library.preset, types=list(known.values()))
    return scenario.model_copy(update={"done": record, "sessions": sessions})


def _fewest_changes(
    scenario: Scenario,
    old: Plan,
    floor: float | None,
    limits: tuple[float | None, float | None],
    seed: int,
    workers: int,
    bound: float | None = None,
) -> Plan | None:
    """The plan that changes the fewest of the old plan's days from today, then week phases,
    among those whose objective is at least `floor` (None: any plan: the nearest plan that
    keeps every rule); None when none is found in time. `bound`: the proven bound to report.
    The changes a log calls for are mostly near today, so the search first may change only
    the days up to the end of the week after today's, then further (WINDOWS); the first
    window that holds a plan is searched for its fewest changes."""
    started = time.perf_counter()
    wall, work = limits
    deadline = math.inf if wall is None else started + wall
    model, pv = build_model(scenario, objective=False)
    terms = objective_terms(scenario, pv.timeline)
    if floor is not None:
        value = performance(pv) - soft_penalties(pv)
        model.add(value >= math.ceil((floor - terms.constant) * terms.scale))
    changed = _changed_days(scenario, old, pv)
    changed_phases = [
        1 - var
        for (week, phase), var in sorted(pv.phase.items(), key=lambda kv: (kv[0][0], kv[0][1].value))
        if 7 * week + 6 >= pv.timeline.today and week < len(old.weeks)
        and old.weeks[week].phase == phase
    ]  # fmt: skip
    model.minimize((len(changed_phases) + 1) * sum(changed.values()) + sum(changed_phases))
    hint = shifted_hint(pv, old, 0)  # the old days: the search starts where the answer is near
    first_week = pv.timeline.today // 7
    for i, weeks in enumerate(WINDOWS):
        if stopping.requested():
            return None
        windowed = model.clone()
        horizon = pv.timeline.n_days if weeks is None else 7 * (first_week + 1 + weeks)
        for day, var in changed.items():
            if day >= horizon:
                windowed.add(var == 0)
        # each window its part of what is left (the last, all of it); the work budget in equal
        # parts, so that a work-limited re-plan does not depend on the wall clock
        left = max(0.0, deadline - time.perf_counter())
        window_end = time.perf_counter() + (left if weeks is None else left / (len(WINDOWS) - i))
        solver, code = plain_solve(
            windowed, pv, window_end, workers, seed, False,
            work=None if work is None else work / len(WINDOWS), hint=hint, tuned=False,
        )  # fmt: skip
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
    else:
        return None
    plan = extract_plan(scenario, pv, solver, cp_model.FEASIBLE, None, seed, workers, started)
    objective = _predicted(scenario, plan, terms.targets)
    bound = objective if bound is None else bound
    plan.objective = round(objective, 4)
    plan.bound = round(bound, 4)
    plan.gap = round(abs(bound - objective) / max(abs(objective), 1e-9), 6)
    plan.status = "optimal" if plan.gap == 0 else "feasible"
    return plan


def _changed_days(scenario: Scenario, old: Plan, pv: PlanVariables) -> dict[int, cp_model.IntVar]:
    """A Boolean per day from today: true when the day's sessions (or doses) differ from the
    old plan's."""
    model, library = pv.model, scenario.sessions
    out = {}
    old_days = {d.date: d for d in old.days}  # a scenario may run longer than the old plan
    for day in range(pv.timeline.today, pv.timeline.n_days):
        before = old_days.get(pv.timeline.date(day))
        held = {(s.type, nearest_dose(library.type_of(s.type), s.load))
                for s in (before.sessions if before else ())}  # fmt: skip
        var = model.new_bool_var(f"changed@d{day}")
        for (d, sid, i), choice in sorted(pv.choice.items()):
            if d == day:
                model.add(var >= (1 - choice if (sid, i) in held else choice))
        if any((day, sid, i) not in pv.choice for sid, i in held):
            model.add(var == 1)  # the old day cannot be held at all now
        out[day] = var
    return out


def _predicted(scenario: Scenario, plan: Plan, targets: list[tuple[int, float]]) -> float:
    """The plan's objective from its own predictions (the model's value of a plan it did not
    maximize can sit below them): weighted race-day performance less soft-rule penalties."""
    soft = soft_rules(scenario.rules)
    penalty = sum(soft.get(b.rule, 0.0) for b in plan.bends)
    return sum(w * plan.days[day].performance for day, w in targets) - penalty


def _finished(scenario: Scenario, old: Plan, new: Plan, started: float) -> Plan:
    """The new plan with its changes against the old one and the whole re-plan's time."""
    new.solve_seconds = round(time.perf_counter() - started, 3)
    assert scenario.done is not None
    new.today = scenario.done.today
    if new.days:
        new.changes = changes(scenario, old, new)
    return new


def changes(scenario: Scenario, old: Plan, new: Plan) -> list[DayChange]:
    """Each day from today whose sessions differ, with why: a finding of the old plan audited
    with the days done in place (on that day, else in its week), else the objective."""
    assert new.today is not None
    today = (new.today - scenario.start).days
    n = len(new.days)
    if len(old.days) == n:
        kept = assemble_plan(
            scenario,
            [[(s.type, nearest_dose(scenario.sessions.type_of(s.type), s.load))
              for s in d.sessions] for d in old.days],
            [w.phase for w in old.weeks],
            {w.week for w in old.weeks if w.deload},
            status=old.status,
        )  # fmt: skip
        kept.today = new.today
        found = audit(scenario, kept)
    else:  # the calendar changed length (a race added after the end): no day-by-day audit
        found = []
    out = []
    for day in range(today, len(new.days)):
        before, after = _sessions(old, day), _sessions(new, day)
        if before != after:
            out.append(
                DayChange(
                    date=new.days[day].date,
                    before=before,
                    after=after,
                    why=_why(found, new.days[day].date, day // 7),
                )  # fmt: skip
            )
    return out


def _sessions(plan: Plan, day: int) -> list[str]:
    if day >= len(plan.days):
        return []
    return [f"{s.type} {s.minutes}'" for s in plan.days[day].sessions]


def _why(found: list[Violation], date: dt.date, week: int) -> str:
    on_day = [v for v in found if v.date == date]
    in_week = [v for v in found if v.date is None and v.week == week]
    for v in on_day or in_week:
        return f"the old plan would break {v.rule}: {v.message}"
    return "a better race-day prediction"


__all__ = ["DEFAULT_TOLERANCE_PCT", "replan", "scenario_with_done"]
