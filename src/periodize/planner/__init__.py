"""The CP-SAT planner: the model (variables, one builder per rule family, the objective), the
search pipeline that solves it, and the extraction of the Plan."""

from ..terms import DEFAULT_TIME_LIMIT
from .budget import default_workers
from .extract import extract_plan
from .model import build_model
from .pipeline import Progress, solve

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "Progress",
    "build_model",
    "default_workers",
    "extract_plan",
    "solve",
]
