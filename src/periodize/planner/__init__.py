"""The CP-SAT planner: one builder per rule family, the Banister objective, solve and extract."""

from .solve import DEFAULT_TIME_LIMIT, build_model, solve

__all__ = ["DEFAULT_TIME_LIMIT", "build_model", "solve"]
