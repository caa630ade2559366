"""Sessions per week per category, depending on the week's phase."""

from __future__ import annotations

from periodize.core.terms import PHASE_ORDER, Category
from periodize.solver.model.variables import PlanVariables


def add_frequency(pv: PlanVariables) -> None:
    """Main sessions of each category per week within the phase's range (brief: 2 sprint, 2 strength,
    1 mobility day, 1 recovery day). Minimums bind in full weeks with no race and no blackout;
    maximums bind in every week."""
    rule = pv.scenario.rules.frequency
    if not rule.enabled:
        return
    tl = pv.timeline
    for week in range(tl.n_weeks):
        days = tl.week_days(week)
        phases = sorted((p for (w, p) in pv.phase if w == week), key=PHASE_ORDER.__getitem__)
        for category in Category:
            if category in (Category.race, Category.rest):
                continue
            count = sum(pv.category(d, category) for d in days)
            part = category.value
            ranges = {p: rule.range_for(p, category) for p in phases}
            if any(r.max is not None for r in ranges.values()):
                cap = len(days)
                most = sum(
                    (cap if r.max is None else r.max) * pv.phase[(week, p)]
                    for p, r in ranges.items()
                )
                pv.add("frequency", week, count <= most, part=part)
            if tl.minimums_apply(week) and any(r.min for r in ranges.values()):
                least = sum(r.min * pv.phase[(week, p)] for p, r in ranges.items())
                pv.add("frequency", week, count >= least, part=part)


BUILDERS = {
    "frequency": add_frequency,
}
