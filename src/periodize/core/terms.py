"""The vocabulary every other module shares: session categories, race priorities, training
phases in the order they run, weekdays, and the strict base of every scenario table.

It imports nothing from the package, so that the scenario schema, the rule settings, the
calendar, the planner and the audit can all build on it without import cycles.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic import Strict as NoCoercion

T = TypeVar("T")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def duplicates(items: Iterable[T]) -> set[T]:
    """The items that occur more than once (linear time: a history may hold 10^5 days)."""
    seen: set[T] = set()
    repeated: set[T] = set()
    for item in items:
        (repeated if item in seen else seen).add(item)
    return repeated


class Strict(BaseModel):
    """Base for every scenario table: unknown keys are errors (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Category(str, Enum):
    """What kind of work a session is; rules count and restrict sessions by category."""

    sprint = "sprint"
    hill = "hill"
    tempo = "tempo"
    strength = "strength"
    mobility = "mobility"
    recovery = "recovery"
    rest = "rest"
    test = "test"
    race = "race"
    primer = "primer"


class Priority(str, Enum):
    """Race priority (Friel): A races are peaked for, B races get a short reduction, C are trained through."""

    A = "A"
    B = "B"
    C = "C"


class Phase(str, Enum):
    """Training phases, in the order they run before each A race (Friel; Bompa)."""

    general_prep = "general_prep"
    specific_prep = "specific_prep"
    pre_competition = "pre_competition"
    taper = "taper"
    race = "race"
    transition = "transition"


Weekday = Enum("Weekday", {d: d for d in WEEKDAYS}, type=str)  # type: ignore[misc]
# The scalar types of every scenario field, taken as written: a number is not read from a string
# ("90") or a boolean (true), a whole number not from 2.5 or 2.0, a flag not from 0 or 1.
Number = Annotated[float, NoCoercion()]
Count = Annotated[int, NoCoercion()]
Flag = Annotated[bool, NoCoercion()]
Text = Annotated[str, NoCoercion()]
NonNegInt = Annotated[int, NoCoercion(), Field(ge=0)]
Load = Annotated[
    int,
    NoCoercion(),
    Field(ge=0, le=100_000, description="Session-RPE load, AU (at most 100000)."),
]
Minutes = Annotated[
    int, NoCoercion(), Field(ge=0, le=1440, description="Minutes (at most a day, 1440).")
]


PHASE_ORDER: dict[Phase, int] = {phase: rank for rank, phase in enumerate(Phase)}
"""Each phase's place in a macrocycle (general prep first, transition last)."""

PREP_PHASES = (Phase.general_prep, Phase.specific_prep, Phase.pre_competition)
"""The preparation phases: the weeks of a macrocycle before its taper, in order."""

# A solve's time limit when none is given, seconds.
DEFAULT_TIME_LIMIT = 60.0

# A solve's seed: CP-SAT's random_seed is a 32-bit integer.
MAX_SEED = 2**31 - 1
