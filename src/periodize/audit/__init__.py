"""Independent audit: re-checks every rule of a scenario on a finished plan, without the solver.

It reads only the scenario and the plan (days, sessions, week phases and deload labels), so it
also checks plans a person edited by hand. Each finding names the rule, the date or week and
by how much the limit is missed. One module per rule family, named as the planner's builders
(`audit/recovery.py` checks what `solver/model/rules/recovery.py` builds); the rules run in the
registry's order (scenario/registry.py). The audit never imports the planner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Set

from periodize.audit import availability, frequency, load, phases, races, recovery, taper
from periodize.audit.structure import check_structure
from periodize.audit.view import PlanView
from periodize.plan.schema import Bend, Plan, Violation
from periodize.scenario.registry import RULES, soft_rules
from periodize.scenario.schema import Scenario

Check = Callable[[PlanView], None]

FAMILIES = (availability, frequency, load, phases, races, recovery, taper)
CHECKS: dict[str, Check] = {
    name: check for family in FAMILIES for name, check in family.CHECKS.items()
}


def audit(scenario: Scenario, plan: Plan) -> list[Violation]:
    """Every violation of the scenario's rules found in the plan (empty list: the plan is valid).
    In a re-plan, findings wholly in the days already done are not the plan's: see audit_log."""
    return _checked(scenario, plan).found


def audit_log(scenario: Scenario, plan: Plan) -> list[Violation]:
    """A re-plan's findings wholly in the days already done: what the training broke."""
    return _checked(scenario, plan).in_the_log


def _checked(scenario: Scenario, plan: Plan) -> PlanView:
    view = PlanView(scenario, plan)
    if check_structure(view):
        for spec in RULES:
            CHECKS[spec.name](view)
    return view


def settle(scenario: Scenario, plan: Plan, bendable: Set[tuple[str, int]] = frozenset()) -> None:
    """Audit the plan and sort the findings: a finding of a soft rule, or of a rule instance
    (rule, week) in `bendable` (what a relaxed solve chose to bend), is a bend of the plan, with its
    amount and penalty; every other finding is a violation. Sets plan.violations, .bends, .penalty."""
    soft = soft_rules(scenario.rules)
    grouped: dict[tuple[str, int], list[Violation]] = {}
    violations = []
    for v in audit(scenario, plan):
        if v.week is not None and (v.rule in soft or (v.rule, v.week) in bendable):
            grouped.setdefault((v.rule, v.week), []).append(v)
        else:
            violations.append(v)
    bends = []
    for (rule, week), found in sorted(grouped.items()):
        amounts = [v.amount for v in found if v.amount is not None]
        bends.append(
            Bend(
                rule=rule,
                week=week,
                start=scenario.start + dt.timedelta(days=7 * week),
                amount=round(sum(amounts), 4) if amounts else None,
                penalty=soft.get(rule),
                findings=[f"{v.date or f'week {week + 1}'}: {v.message}" for v in found],
            )
        )
    plan.violations = violations
    plan.in_the_log = audit_log(scenario, plan) if plan.today else []
    plan.bends = bends
    plan.penalty = round(sum(b.penalty or 0.0 for b in bends), 4)
