"""Errors a user can act on: each names the file, the field and the reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    field: str
    reason: str
    # the rule family a relaxed solve may bend instead of refusing (a pre-check that only says
    # "this rule cannot hold"); empty for a problem no plan can get around
    rule: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.reason}"


class ScenarioError(Exception):
    """A scenario (or plan) file that cannot be used; carries one Problem per issue found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
