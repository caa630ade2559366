"""Warm starts: a neighbouring plan shifted in time, as a CP-SAT solution hint.

When a race moves by `shift` days, the run-in to it moves too: plan day d of the new scenario
is hinted with what day d - shift held in the old plan (the session and its dose), every other
choice of that day with 0. The shift is rounded to whole weeks so that week phases and deload
labels move with it. Days the old plan does not cover stay unhinted; CP-SAT's search starts from
the hint (which is not repaired: see `plain_solve` in solver/search/runs.py).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from periodize.plan.schema import Plan
from periodize.solver.model.variables import PlanVariables


def shifted_hint(
    pv: PlanVariables, plan: Plan, shift: int
) -> list[tuple[cp_model.IntVar | int, int]]:
    """(variable, value) pairs hinting `plan` moved `shift` days later onto this model (rounded
    to whole weeks, so that the weekly rules still hold)."""
    shift = 7 * round(shift / 7)
    library = pv.scenario.sessions
    held: dict[int, set[tuple[str, int]]] = {}
    for old, day in enumerate(plan.days):
        chosen = set()
        for s in day.sessions:
            t = library.by_id(s.type)
            doses = [] if t is None else t.doses
            dose = next(
                (i for i, d in enumerate(doses) if (d.minutes, d.load) == (s.minutes, s.load)),
                None,
            )
            if dose is not None:
                chosen.add((s.type, dose))
        held[old + shift] = chosen
        if old < shift:  # weeks the moved plan does not reach repeat its first weeks
            held.setdefault(old, chosen)
    pairs: list[tuple[cp_model.IntVar | int, int]] = [
        (var, int((sid, dose) in held[day]))
        for (day, sid, dose), var in sorted(pv.choice.items())
        if day in held
    ]
    weeks = {w.week + shift // 7: w for w in plan.weeks}
    weeks.update({w.week: w for w in plan.weeks if 7 * w.week < shift})
    for (week, phase), var in sorted(pv.phase.items(), key=lambda kv: (kv[0][0], kv[0][1].value)):
        if week in weeks:
            pairs.append((var, int(weeks[week].phase == phase)))
    for week, var in sorted(pv.deload.items()):
        if week in weeks:
            pairs.append((var, int(weeks[week].deload)))
    return pairs
