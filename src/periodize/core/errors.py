"""Errors a user can act on: each names the file, the field and the reason."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


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


class ExitCode(IntEnum):
    """The exit code of every `periodize` command (docs/reliability.md, "Exit codes")."""

    OK = 0
    RULE_BROKEN = 1  # `periodize audit`: the plan breaks a rule
    INVALID = 2  # invalid input or option, or an output that cannot be written (named)
    INFEASIBLE = 3  # no plan meets every rule (proven; the clashing rules are printed)
    NO_PLAN = 4  # no plan found within the budget
    AUDIT_FAILED = 5  # the plan failed its own audit (a bug)
    SOME_FAILED = 6  # compare / solve-many: some candidate or athlete got no plan
    INTERRUPTED = 130  # Ctrl-C: the shell's code for a command ended by SIGINT (128 + 2)
