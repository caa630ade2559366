"""Load rules: weekly cap, deloads, ramp, acute:chronic ratio, monotony
(solver/model/rules/load.py builds them)."""

from __future__ import annotations

import math

from periodize.audit.view import EPS, PlanView
from periodize.core.terms import PREP_PHASES
from periodize.plan.assembly import monotony


def check_weekly_load_cap(view: PlanView) -> None:
    """No week above max_load (AU)."""
    rule = view.rules.weekly_load_cap
    if not rule.enabled:
        return
    for w in view.weeks():
        load = view.week_load(w)
        if load > rule.max_load:
            view.flag(
                "weekly_load_cap",
                f"week load {load} > {rule.max_load}",
                week=w,
                amount=load - rule.max_load,
            )


def check_deload(view: PlanView) -> None:
    """Deload weeks are prep weeks cut by min..max_reduction_pct against a loading week before them
    (a week with a blackout, travel or illness, by at least min_reduction_pct);
    every every_weeks consecutive weeks hold a deload or a taper/race/transition week."""
    rule = view.rules.deload
    deloads = view.deloads()
    if not rule.enabled:
        if deloads:
            view.flag("deload", "deload weeks while the deload rule is off", week=min(deloads))
        return
    for w in sorted(deloads):
        if view.week_phase(w) not in PREP_PHASES:
            view.flag("deload", f"a deload label on a {view.week_phase(w).value} week", week=w)
            continue
        prev = view.week_load(w - 1) if w > 0 else view.history_week(-1)
        if prev is None or (w > 0 and not view.loading(w - 1)):
            view.flag("deload", "a deload week must follow a loading week", week=w)
            continue
        load = view.week_load(w)
        cut = 100 * (1 - load / prev) if prev else 0.0
        deeper = cut > rule.max_reduction_pct + EPS and not view.tl.week_has_blackout(w)
        if prev == 0 or cut < rule.min_reduction_pct - EPS or deeper:
            view.flag(
                "deload",
                f"deload cut {cut:.1f} % (allowed {rule.min_reduction_pct}..{rule.max_reduction_pct} %)",
                week=w,
                amount=round(cut, 2),
            )
    for first in range(view.tl.n_weeks - rule.every_weeks + 1):
        window = range(first, first + rule.every_weeks)
        if not any(w in deloads or view.week_phase(w) not in PREP_PHASES for w in window):
            view.flag(
                "deload",
                f"{rule.every_weeks} weeks without a deload from week {first + 1}",
                week=first,
            )


def check_ramp(view: PlanView) -> None:
    """Week load at most (1 + max_increase_pct) x the last loading week's (the week before, or the
    week before a deload); week 0 against the history's last 7 days."""
    rule = view.rules.ramp
    if not rule.enabled:
        return
    limit = 1 + rule.max_increase_pct / 100

    def check(w: int, ref: int, what: str) -> None:
        load = view.week_load(w)
        if load > limit * ref + EPS:
            view.flag(
                "ramp",
                f"week load {load} is {100 * (load / ref - 1) if ref else math.inf:.1f} % above {what} ({ref})",
                week=w,
                amount=load - limit * ref,
            )

    before0 = view.history_week(-1)
    deloads = view.deloads()
    if before0 is not None:
        check(0, before0, "the last 7 days of history")
        if 0 in deloads and view.tl.n_weeks > 1:
            check(1, before0, "the last 7 days of history (week 1 follows a deload)")
    for w in range(1, view.tl.n_weeks):
        if view.loading(w - 1):
            check(w, view.week_load(w - 1), "the week before")
        elif (w - 1) in deloads and w >= 2 and view.loading(w - 2):
            check(w, view.week_load(w - 2), "the loading week before the deload")


def check_acute_chronic(view: PlanView) -> None:
    """7-day : 28-day/4 load at each full week's end at most `high`; at least `low` in loading weeks."""
    rule = view.rules.acute_chronic
    if not rule.enabled:
        return
    for w in view.weeks():
        if not view.tl.is_full_week(w):
            continue
        end = 7 * w + 6
        acute, chronic = view.window(end, 7), view.window(end, 28)
        if chronic is None or acute is None:
            continue
        ratio = acute / (chronic / 4) if chronic else (math.inf if acute else 0.0)
        if 4 * acute > rule.high * chronic + EPS:
            view.flag(
                "acute_chronic",
                f"acute:chronic {ratio:.2f} > {rule.high}",
                day=end,
                amount=round(ratio - rule.high, 4),
            )
        if view.loading(w) and 4 * acute < rule.low * chronic - EPS:
            view.flag(
                "acute_chronic",
                f"acute:chronic {ratio:.2f} < {rule.low} in a loading week",
                day=end,
                amount=round(rule.low - ratio, 4),
            )


def check_monotony(view: PlanView) -> None:
    """Mean / population SD of the daily loads of each full week at most max_monotony."""
    rule = view.rules.monotony
    if not rule.enabled:
        return
    for w in view.weeks():
        if not view.tl.is_full_week(w):
            continue
        loads = [view.days[d].load for d in view.tl.week_days(w)]
        value = monotony(loads)
        if value is not None and value > rule.max_monotony + 1e-6:
            view.flag(
                "monotony",
                f"monotony {value:.2f} > {rule.max_monotony}",
                week=w,
                amount=round(value - rule.max_monotony, 4),
            )
        if value is None and any(loads):
            view.flag("monotony", "the same load every day (monotony is infinite)", week=w)


CHECKS = {
    "weekly_load_cap": check_weekly_load_cap,
    "deload": check_deload,
    "ramp": check_ramp,
    "acute_chronic": check_acute_chronic,
    "monotony": check_monotony,
}
