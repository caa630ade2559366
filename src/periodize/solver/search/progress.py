"""What a solve has reached, as the `progress` callback of solve and replan receives it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """What a solve has reached, as a `progress` callback receives it: after each stage of the
    search (and once at the end of a one-worker or relaxed solve). In performance units."""

    stage: str
    seconds: float  # since the solve began
    objective: float | None  # the best plan so far (None: no plan yet)
    bound: float | None  # the best proven bound so far (None: none yet)
