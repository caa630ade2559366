"""Reading the CP-SAT model's proto: which variables a constraint reads, and which plan week
owns each variable. The cuts (solver/search/cuts.py) and the macrocycle pieces (solver/search/pieces.py)
split the model by weeks with these."""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from periodize.solver.model.variables import PlanVariables


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


def constraint_vars(c: Any) -> list[int] | None:  # c: a ConstraintProto
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


def copy_renumbered(model: cp_model.CpModel, c: Any, index: dict[int, int]) -> None:
    """A copy of constraint `c` in `model`, its variables renumbered by `index` (plan-model
    variable -> `model` variable): the compact week models of the cuts and the construction."""

    def ref(r: int) -> int:
        return index[r] if r >= 0 else -index[-r - 1] - 1

    new = model.proto.constraints.add()
    new.copy_from(c)
    new.enforcement_literal.clear()
    new.enforcement_literal.extend(ref(r) for r in c.enforcement_literal)
    if c.has_linear():
        new.linear.vars.clear()
        new.linear.vars.extend(index[v] for v in c.linear.vars)
    elif c.has_int_prod() or c.has_lin_max():  # the monotony rule's squared loads
        target, source = (
            (new.int_prod, c.int_prod) if c.has_int_prod() else (new.lin_max, c.lin_max)
        )
        for copied, original in zip([target.target, *target.exprs], [source.target, *source.exprs]):
            copied.vars.clear()
            copied.vars.extend(index[v] for v in original.vars)
    else:
        for kind in ("exactly_one", "at_most_one", "bool_and", "bool_or"):
            if getattr(c, f"has_{kind}")():
                literals = getattr(new, kind).literals
                literals.clear()
                literals.extend(ref(r) for r in getattr(c, kind).literals)
