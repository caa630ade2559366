"""Explain an infeasible scenario: a minimal set of rule instances that cannot hold together.

Every rule instance (a rule in one plan week, availability included) gets an enforcement
literal; CP-SAT solves the feasibility model (no objective, one worker) under all of them as
assumptions and returns a sufficient set when it is infeasible. That set need not be minimal, so
it is shrunk by deletion: drop one instance, re-solve, keep the drop if still infeasible (and
intersect with the new core). Finally each remaining instance is dropped in turn to check that
the rest has a plan — the set is then minimal by test, not by trust.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from periodize.core.cancel import CancelToken
from periodize.plan.conflict import Conflict, describe
from periodize.scenario.registry import AVAILABILITY_RULES, RULE_NAMES, RULE_PARTS
from periodize.scenario.schema import Scenario
from periodize.solver.model.build import build_model
from periodize.solver.search import parameters, stopping

EVERY_RULE = frozenset((*RULE_NAMES, *RULE_PARTS, *AVAILABILITY_RULES))


class _Oracle:
    """Feasibility of the scenario under a subset of its rule instances."""

    def __init__(self, scenario: Scenario, deadline: float, seed: int):
        self.model, self.pv = build_model(
            scenario, relaxable=EVERY_RULE, objective=False, by_part=True
        )
        self.keys = sorted(self.pv.keep)
        self.index = {self.pv.keep[k].index: k for k in self.keys}
        self.deadline, self.seed, self.solves = deadline, seed, 0

    def check(self, keys) -> tuple[cp_model.CpSolverStatus, list]:
        """(CP-SAT status, a sufficient subset of keys when infeasible) under those instances."""
        self.model.clear_assumptions()
        self.model.add_assumptions([self.pv.keep[k] for k in sorted(keys)])
        solver = cp_model.CpSolver()
        parameters.assumptions_core(solver, self.deadline, self.seed)
        code = stopping.run(solver, self.model)
        self.solves += 1
        core = []
        if code == cp_model.INFEASIBLE:
            wanted = set(keys)
            core = [
                self.index[i]
                for i in solver.sufficient_assumptions_for_infeasibility()
                if i in self.index and self.index[i] in wanted  # presolve may add others
            ]
        return code, core


def explain(
    scenario: Scenario,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    cancel: CancelToken | None = None,
) -> Conflict:
    """A minimal conflict set of the scenario's rule instances, or status 'feasible'/'unknown',
    within `time_limit` wall-clock seconds; `cancel` stops it (core/cancel.py)."""
    with stopping.solving(cancel):
        started = time.perf_counter()
        oracle = _Oracle(scenario, started + time_limit, seed)

        def result(status, keys=(), minimal=False) -> Conflict:
            tl = oracle.pv.timeline
            return Conflict(
                status=status,
                rules=[describe(scenario, tl, rule, week) for rule, week in sorted(keys)],
                minimal=minimal,
                seconds=round(time.perf_counter() - started, 3),
                solves=oracle.solves,
            )

        code, core = oracle.check(oracle.keys)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return result("feasible")
        if code != cp_model.INFEASIBLE:
            return result("unknown")
        # Deletion, first over whole instances (a rule in a week, all its parts together), then over
        # the parts of the instances left (which frequency categories): the conflict is found at the
        # level a coach reads first, then made precise.
        groups = _group(sorted(core) or list(oracle.keys), oracle.keys)
        kept = _delete(oracle, list(groups.values()))
        if kept is None:
            return result("conflict", _flat(groups.values()))  # out of time: not shown minimal
        kept = _delete(oracle, [[k] for k in _flat(kept)])
        if kept is None:
            return result("conflict", _flat(groups.values()))
        core = _flat(kept)
        for key in core:  # the check: without any one of them the others can hold together
            code, _ = oracle.check([k for k in core if k != key])
            if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return result("conflict", core)
        return result("conflict", core, minimal=True)


def _instance(key: tuple[str, int]) -> tuple[str, int]:
    return (key[0].partition(":")[0], key[1])


def _group(core: list, keys: list) -> dict[tuple[str, int], list]:
    """The core's instances, each with all of its parts."""
    wanted = {_instance(k) for k in core}
    groups: dict[tuple[str, int], list] = {}
    for key in keys:
        if _instance(key) in wanted:
            groups.setdefault(_instance(key), []).append(key)
    return groups


def _flat(groups) -> list:
    return sorted(k for group in groups for k in group)


def _delete(oracle: _Oracle, groups: list[list]) -> list[list] | None:
    """Drop each group that the conflict does not need (None when time runs out)."""
    groups = sorted(groups)
    for group in list(groups):
        if group not in groups:
            continue
        rest = [g for g in groups if g != group]
        code, smaller = oracle.check(_flat(rest))
        if code == cp_model.INFEASIBLE:
            needed = set(smaller)
            groups = [g for g in rest if needed & set(g)] if needed else rest
        elif code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
    return groups
