"""Stopping the solves of this process on request: Ctrl-C at the command line, `periodize.cancel()`
from Python. Every CP-SAT search in progress stops as if its time limit had come, searches that
start afterwards stop at once, and the pipeline's loops end, so that each solve returns its best
plan so far, marked `interrupted`. Every CP-SAT run of the planner goes through `run`.

CP-SAT's own Ctrl-C handling is switched off (`catch_sigint_signal`): it stops only the search in
progress, silently, and the pipeline then went on with its next stage as if nothing happened.
"""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

# How often a request re-stops the searches in progress: a search that was about to start when
# the request came is stopped within this many seconds.
RESTOP_SECONDS = 0.05

_requested = threading.Event()
_active: set[cp_model.CpSolver] = set()
_lock = threading.Lock()


def request() -> None:
    """Stop every solve of this process (thread-safe; returns at once)."""
    if _requested.is_set():
        return
    _requested.set()
    threading.Thread(target=_stop_while_requested, daemon=True).start()


def requested() -> bool:
    return _requested.is_set()


def clear() -> None:
    """Forget a request: the next solve runs in full."""
    _requested.clear()


def past(deadline: float) -> bool:
    """The deadline (a perf_counter time) has passed, or a stop was requested."""
    return _requested.is_set() or time.perf_counter() >= deadline


def run(solver: cp_model.CpSolver, model: cp_model.CpModel) -> cp_model.CpSolverStatus:
    """solver.solve(model), stopped by a request."""
    solver.parameters.catch_sigint_signal = False
    with _lock:
        if _requested.is_set():  # too late to search: a valid response with nothing found
            solver.parameters.max_time_in_seconds = 0.0
        _active.add(solver)
    try:
        return solver.solve(model)
    finally:
        with _lock:
            _active.discard(solver)


def _stop_while_requested() -> None:
    # a solver only takes a stop once its search has started: repeat until the request is over
    while _requested.is_set():
        with _lock:
            for solver in list(_active):
                solver.stop_search()
        time.sleep(RESTOP_SECONDS)
