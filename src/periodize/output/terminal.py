"""Readable terminal view of a plan: week by week, one line a day, then the race-day predictions."""

from __future__ import annotations

from periodize.plan.schema import Plan
from periodize.scenario.schema import Scenario
from periodize.scenario.simulation import PERFORMANCE_FORMULA, in_test_units

PHASE_LABEL = {
    "general_prep": "general preparation",
    "specific_prep": "specific preparation",
    "pre_competition": "pre-competition",
    "taper": "taper",
    "race": "race",
    "transition": "transition",
}

# What ended the search, as the status line says it (Plan.stopped_by).
ENDED = {
    "complete": "search complete",
    "time_limit": "ended by the time limit",
    "work_limit": "ended by the work limit (reproducible)",
    "cutoff": "ended: cannot beat a better plan found elsewhere",
    "interrupted": "interrupted",
}


def _session_text(session) -> str:
    return session.type if session.minutes == 0 else f"{session.type} {session.minutes}'"


def render_plan(scenario: Scenario, plan: Plan, days: bool = True) -> str:
    """The plan as text: a header, each week (phase, load, ramp, hard days) with its days, the races."""
    lines = [
        f"periodize · {scenario.athlete.name} · {scenario.start} .. {scenario.end} ({len(plan.days)} days, {len(plan.weeks)} weeks)"
    ]
    gap = f"{100 * plan.gap:.2f} %" if plan.gap is not None else "n/a"
    bound = f"{plan.bound:.2f}" if plan.bound is not None else "n/a (no search reached one)"
    lines.append(
        f"status {plan.status} · objective {plan.objective:.2f} · bound {bound} · gap {gap} · "
        f"{plan.solve_seconds:.1f} s · seed {plan.seed} · {plan.workers} worker(s)"
        + (" · interrupted: the best plan so far" if plan.interrupted else "")
        + (f" · {ENDED[plan.stopped_by]}" if plan.stopped_by and not plan.interrupted else "")
        + (f" · re-planned from {plan.today}" if plan.today is not None else "")
    )
    races = {r.date: r for r in plan.races}
    response = scenario.athlete.response

    def shown(performance: float) -> str:  # a fitted model's predictions are the test's values
        if response.test:
            return f"{in_test_units(response, performance):>9.4g}"
        return f"{performance:>9.1f}"

    for week in plan.weeks:
        ramp = "" if week.ramp_pct is None else f" · ramp {week.ramp_pct:+.1f} %"
        acwr = "" if week.acute_chronic is None else f" · A:C {week.acute_chronic:.2f}"
        deload = " (deload)" if week.deload else ""
        lines.append("")
        lines.append(
            f"Week {week.week + 1:>2} · {week.start} · {PHASE_LABEL[week.phase.value]}{deload} · load {week.load}{ramp}{acwr} · hard days {week.hard_days}"
        )
        if not days:
            continue
        for day in plan.days[7 * week.week : 7 * week.week + week.days]:
            text = " + ".join(_session_text(s) for s in day.sessions)
            if plan.today is not None and day.date < plan.today:
                text = f"done: {text}"
            hard = "H" if any(s.hard for s in day.sessions) else " "
            race = (
                f"  ◀ {races[day.date].name} ({races[day.date].priority.value})"
                if day.date in races
                else ""
            )
            lines.append(
                f"  {day.date:%a %d %b} {hard} {text:<44} load {day.load:>4} · form {shown(day.performance)}"
                f" · TSB {day.tsb:>+6.1f}{race}"
            )
    lines.append("")
    formula = PERFORMANCE_FORMULA[plan.response]
    if response.test:  # a model fitted to a test (periodize fit): its units
        unit = f" {response.unit}" if response.unit else ""
        better = ", lower is better" if response.lower_is_better else ""
        lines.append(
            f"Race-day predictions ({response.test}{unit}{better}: the {plan.response} model "
            "fitted to it, morning of the race):"
        )
        for r in plan.races:
            value = in_test_units(response, r.predicted_performance)
            change = "" if r.change_pct is None else f"  {r.change_pct:+.1f} % over untrained"
            lines.append(f"  {r.date} {r.priority.value} {r.name:<28} {value:10.4g}{unit}{change}")
    else:
        lines.append(f"Race-day predictions ({plan.response}: {formula}, morning of the race):")
        for r in plan.races:
            change = "" if r.change_pct is None else f"  {r.change_pct:+.1f} % over untrained"
            lines.append(
                f"  {r.date} {r.priority.value} {r.name:<28} {r.predicted_performance:10.1f}"
                f"{change}"
            )
        if plan.races and not plan.baseline:
            lines.append(
                "  (model units: the model has no untrained baseline, p0 = 0; a model fitted to "
                "the athlete's tests, periodize fit, gives test units and % changes)"
            )
    if plan.violations:
        lines.append("")
        lines.append(f"AUDIT FAILED: {len(plan.violations)} violation(s):")
        lines.extend(f"  {v.rule}: {v.date or ''} {v.message}" for v in plan.violations)
    elif plan.bends:
        lines.append("Audit: every hard rule holds; the bends below are the only exceptions.")
    else:
        lines.append("Audit: every rule holds.")
    if plan.in_the_log:
        lines.append(
            f"In the days already done ({len(plan.in_the_log)} finding(s); what happened, "
            "not the plan):"
        )
        lines.extend(f"  {v.rule}: {v.date or ''} {v.message}" for v in plan.in_the_log)
    if plan.bends:
        what = "rule-weeks bent to make a plan possible" if plan.relaxed else "soft-rule bends"
        cost = f" (penalty {plan.penalty:g})" if plan.penalty else ""
        lines.append("")
        lines.append(f"{len(plan.bends)} {what}{cost}:")
        for b in plan.bends:
            cost = f"penalty {b.penalty:g}" if b.penalty is not None else "hard rule, relaxed"
            lines.append(f"  {b.rule} in week {b.week + 1} (from {b.start}), {cost}:")
            lines.extend(f"      {finding}" for finding in b.findings)
    used = sorted({s.type for d in plan.days for s in d.sessions})
    described = [
        t for t in (scenario.sessions.by_id(u) for u in used) if t is not None and t.prescription
    ]
    if described:
        lines.append("")
        lines.append("Sessions in this plan:")
        for t in described:
            lines.append(f"  {t.id:<18} {t.name or t.id}: {t.prescription}")
    return "\n".join(lines)


def render_changes(plan: Plan) -> str:
    """A re-plan's changed days: what the old plan held, what the new one holds, and why."""
    if plan.today is None:
        return ""
    if not plan.changes:
        return f"\nNo day from {plan.today} changed: the plan stands."
    lines = ["", f"{len(plan.changes)} day(s) changed from {plan.today}:"]
    for c in plan.changes:
        lines.append(
            f"  {c.date:%a %d %b}  {' + '.join(c.before) or 'rest'}  ->  "
            f"{' + '.join(c.after) or 'rest'}  ({c.why})"
        )
    return "\n".join(lines)
