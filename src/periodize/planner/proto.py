"""Reading the CP-SAT model's proto: which variables a constraint reads, and which plan week
owns each variable. The cuts (planner/cuts.py) and the macrocycle pieces (planner/pieces.py)
split the model by weeks with these."""

from __future__ import annotations

from .variables import PlanVariables


def week_owned(pv: PlanVariables) -> tuple[dict[int, int], dict[int, tuple]]:
    """For each week-owned variable: its week, and a label equal for the same role in every week."""
    week: dict[int, int] = {}
    label: dict[int, tuple] = {}
    for (day, sid, i), v in pv.choice.items():
        week[v.index], label[v.index] = day // 7, ("x", day % 7, sid, i)
    for day, v in enumerate(pv.day_load):
        week[v.index], label[v.index] = day // 7, ("load", day % 7)
    for w, v in enumerate(pv.week_load):
        week[v.index], label[v.index] = w, ("W",)
    for (w, p), v in pv.phase.items():
        week[v.index], label[v.index] = w, ("phase", p.value)
    for w, v in enumerate(pv.prep):
        week[v.index], label[v.index] = w, ("prep",)
    for w, v in pv.deload.items():
        week[v.index], label[v.index] = w, ("deload",)
    for w, v in pv._loading.items():
        week[v.index], label[v.index] = w, ("loading",)
    return week, label


def constraint_vars(c) -> list[int] | None:
    """Variables a constraint reads (negations folded); None for a kind this module does not handle."""
    refs = list(c.enforcement_literal)
    if c.has_linear():
        refs += list(c.linear.vars)
    elif c.has_exactly_one():
        refs += list(c.exactly_one.literals)
    elif c.has_at_most_one():
        refs += list(c.at_most_one.literals)
    elif c.has_bool_and():
        refs += list(c.bool_and.literals)
    elif c.has_bool_or():
        refs += list(c.bool_or.literals)
    elif c.has_int_prod() or c.has_lin_max():  # the monotony rule's squared loads
        product = c.int_prod if c.has_int_prod() else c.lin_max
        for expression in [product.target, *product.exprs]:
            refs += list(expression.vars)
    else:
        return None
    return [r if r >= 0 else -r - 1 for r in refs]
