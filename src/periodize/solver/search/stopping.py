"""Stopping solves on request. Each solve runs under a cancel token (core/cancel.py: the
caller's, or its own) that every CP-SAT run of the solve watches; `cancel_running()`
(`periodize.cancel()`) cancels the tokens of every solve in progress, and `interrupt()`
(Ctrl-C at the command line, in the CLI's process and a local pool's workers) stops every solve
of the process, the later ones too. A stopped CP-SAT search ends as if its time limit had come,
searches that start afterwards end at once, and the pipeline's loops end, so that each solve
returns its best plan so far, marked `interrupted`. Every CP-SAT run of the solver goes through
`run`.

CP-SAT's own Ctrl-C handling is switched off (`catch_sigint_signal`): it stops only the search in
progress, silently, and the pipeline then went on with its next stage as if nothing happened.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from ortools.sat.python import cp_model

from periodize.core.cancel import CancelToken

# How often a request re-stops the searches in progress: a search that was about to start when
# the request came is stopped within this many seconds.
RESTOP_SECONDS = 0.05

_interrupted = threading.Event()  # Ctrl-C: every solve of the process, for good
_current: contextvars.ContextVar[CancelToken | None] = contextvars.ContextVar(
    "periodize_cancel_token", default=None
)
_running: Counter[CancelToken] = Counter()  # the tokens of the solves in progress
_active: dict[cp_model.CpSolver, CancelToken | None] = {}  # the CP-SAT searches in progress
_lock = threading.Lock()

P = ParamSpec("P")
T = TypeVar("T")


@contextmanager
def solving(token: CancelToken | None = None) -> Iterator[CancelToken]:
    """Everything run inside (on this thread, or through `in_context`) is one solve that `token`
    stops. Without a token: the enclosing solve's (a re-plan's steps are one solve), else a new
    one."""
    token = token or _current.get() or CancelToken()
    reset = _current.set(token)
    with _lock:
        _running[token] += 1
    unlisten = token.on_cancel(lambda: _start_stopper(lambda: _is_running(token), token))
    try:
        yield token
    finally:
        unlisten()
        with _lock:
            _running[token] -= 1
            if not _running[token]:
                del _running[token]
        _current.reset(reset)


def in_context(function: Callable[P, T]) -> Callable[P, T]:
    """`function` run in this thread's context: a pool thread's sub-solve watches this solve's
    token."""
    context = contextvars.copy_context()
    return lambda *args, **kwargs: context.run(function, *args, **kwargs)


def cancel_running() -> None:
    """Cancel every solve in progress in this process (thread-safe; returns at once)."""
    with _lock:
        tokens = list(_running)
    for token in tokens:
        token.cancel()


def interrupt() -> None:
    """Ctrl-C: stop every solve of this process, and every later one (returns at once)."""
    if _interrupted.is_set():
        return
    _interrupted.set()
    cancel_running()
    _start_stopper(lambda: True, None)


def requested() -> bool:
    """This solve was cancelled, or the process interrupted."""
    token = _current.get()
    return _interrupted.is_set() or (token is not None and token.cancelled)


def past(deadline: float) -> bool:
    """The deadline (a perf_counter time) has passed, or a stop was requested."""
    return requested() or time.perf_counter() >= deadline


def run(solver: cp_model.CpSolver, model: cp_model.CpModel) -> cp_model.CpSolverStatus:
    """solver.solve(model), stopped by a request."""
    solver.parameters.catch_sigint_signal = False
    with _lock:
        if requested():  # too late to search: a valid response with nothing found
            solver.parameters.max_time_in_seconds = 0.0
        _active[solver] = _current.get()
    try:
        return solver.solve(model)
    finally:
        with _lock:
            del _active[solver]


def _is_running(token: CancelToken) -> bool:
    with _lock:
        return token in _running


def _start_stopper(while_: Callable[[], bool], token: CancelToken | None) -> None:
    """Stop the searches of `token` (every search: None) until `while_` is false: a solver only
    takes a stop once its search has started, so the stop is repeated."""

    def stop() -> None:
        while while_():
            with _lock:
                for solver, owner in list(_active.items()):
                    if token is None or owner is token:
                        solver.stop_search()
            time.sleep(RESTOP_SECONDS)

    threading.Thread(target=stop, name="periodize-stop", daemon=True).start()
