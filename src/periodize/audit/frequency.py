"""Sessions per category per week, within the range of the week's phase
(solver/model/rules/frequency.py builds it)."""

from __future__ import annotations

from periodize.audit.view import PlanView
from periodize.core.terms import Category


def check_frequency(view: PlanView) -> None:
    """Main sessions per category per week within the week's phase range (minimums in full weeks
    with no race and no blackout)."""
    rule = view.rules.frequency
    if not rule.enabled:
        return
    for w in view.weeks():
        phase = view.week_phase(w)
        for category in Category:
            if category in (Category.race, Category.rest):
                continue
            count = sum(view.categories(d).count(category) for d in view.tl.week_days(w))
            r = rule.range_for(phase, category)
            if r.max is not None and count > r.max:
                view.flag(
                    "frequency",
                    f"{count} {category.value} sessions (> {r.max} in {phase.value})",
                    week=w,
                    amount=count - r.max,
                )
            if view.tl.minimums_apply(w) and count < r.min:
                view.flag(
                    "frequency",
                    f"{count} {category.value} sessions (< {r.min} in {phase.value})",
                    week=w,
                    amount=r.min - count,
                )


CHECKS = {
    "frequency": check_frequency,
}
