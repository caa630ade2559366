"""One module per rule family, each with a `BUILDERS` table from rule name (as the registry
names it) to the function that adds the rule's constraints; `BUILDERS` here joins them, and the
model runs them in the registry's order (scenario/registry.py)."""

from __future__ import annotations

from collections.abc import Callable

from periodize.solver.model.rules import (
    availability,
    frequency,
    load,
    phases,
    races,
    recovery,
    taper,
)
from periodize.solver.model.variables import PlanVariables

Builder = Callable[[PlanVariables], None]

FAMILIES = (availability, frequency, load, phases, races, recovery, taper)
BUILDERS: dict[str, Builder] = {
    name: builder for family in FAMILIES for name, builder in family.BUILDERS.items()
}
