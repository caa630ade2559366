"""The plan's structure, checked before any rule: it covers the scenario's days in order with
library sessions at library doses, one main session a day, and each race on its day. The model
holds these by construction (solver/model/variables.py, solver/model/rules/availability.py and races.py);
a plan edited by hand may not."""

from __future__ import annotations

from periodize.audit.view import PlanView
from periodize.core.terms import Category


def check_structure(view: PlanView) -> bool:
    """Every structural finding; False when the plan's days are not the scenario's days, or a
    session is not in the library, so that no rule can be checked."""
    if not check_shape(view):
        return False
    check_daily_structure(view)
    check_races_held(view)
    return True


def check_shape(view: PlanView) -> bool:
    """The plan covers the scenario's days in order, uses library sessions at library doses, and
    its loads add up. Nothing else is checked when this fails."""
    n = view.tl.n_days
    if len(view.days) != n:
        view.flag(
            "plan",
            f"the plan has {len(view.days)} days; the scenario runs {view.sc.start}..{view.sc.end} ({n} days)",
        )
        return False
    ok = True
    for i, day in enumerate(view.days):
        if day.date != view.tl.date(i):
            view.flag("plan", f"day {i} is dated {day.date}, expected {view.tl.date(i)}", day=i)
            return False
        if day.week != i // 7:
            view.flag("plan", f"week index {day.week} should be {i // 7} (0-based)", day=i)
            ok = False
        for s in day.sessions:
            if s.done is not None and i < view.today:
                continue  # done, as the log says: any load, a free-form kind (plan/pinning.py)
            t = view.lib.by_id(s.type)
            if t is None:
                view.flag("sessions", f"unknown session type '{s.type}'", day=i)
                ok = False
                continue
            if (s.minutes, s.load) not in {(d.minutes, d.load) for d in t.doses}:
                view.flag(
                    "sessions",
                    f"'{s.type}' at {s.minutes} min / {s.load} AU is not one of its doses",
                    day=i,
                )
                ok = False
            if s.category != t.category or s.hard != t.hard:
                view.flag("sessions", f"'{s.type}' category/hard differ from the library", day=i)
                ok = False
        if day.load != sum(s.load for s in day.sessions):
            view.flag(
                "plan",
                f"day load {day.load} is not the sum of its sessions",
                day=i,
                amount=day.load - sum(s.load for s in day.sessions),
            )
            ok = False
        if day.phase != view.days[7 * (i // 7)].phase:
            view.flag("phases", "all days of a week share the week's phase", day=i)
            ok = False
    return ok


def check_daily_structure(view: PlanView) -> None:
    """Exactly one main session a day (rest counts); no add-on on a rest day, none twice."""
    for i in range(view.tl.n_days):
        mains, addons = view.main(i), view.addons(i)
        if len(mains) != 1:
            view.flag(
                "availability.sessions",
                f"{len(mains)} main sessions (exactly one, rest included)",
                day=i,
            )
        if addons and any(s.category == Category.rest for s in mains):
            view.flag("availability.sessions", "an add-on on a rest day", day=i)
        types = [s.type for s in addons]
        for t in sorted({t for t in types if types.count(t) > 1}):
            view.flag("availability.sessions", f"add-on '{t}' twice on one day", day=i)


def check_races_held(view: PlanView) -> None:
    """Every race of the calendar is in the plan on its day, and no race session on other days."""
    for i in range(view.tl.n_days):
        race = view.tl.race_by_day.get(i)
        if race is not None and not view.has_race(i):
            view.flag("races", f"race '{race.name}' is not in the plan", day=i)
        elif race is None and view.has_race(i):
            view.flag("races", "a race session on a day with no race", day=i)
