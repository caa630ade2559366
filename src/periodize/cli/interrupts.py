"""Ctrl-C at the command line: the first stops the search and keeps the best plan found so far
(its outputs are written, the command exits ExitCode.INTERRUPTED); a second one, while the outputs
are written, ends the command at once, each file written whole or not at all (core/files.py).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import click

T = TypeVar("T")


def solve_interruptibly(solve: Callable[[], T], what: str) -> T:
    """solve() on a worker thread, so that Ctrl-C reaches Python while CP-SAT searches; the
    first Ctrl-C stops every search of the process (stopping.interrupt) and solve() returns its plan."""
    from periodize.solver.search import stopping

    if threading.current_thread() is not threading.main_thread():  # signals reach only the main
        return solve()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = solve()
        except BaseException as exc:  # re-raised on the main thread
            outcome["error"] = exc

    def first_interrupt(signum: int, frame: object) -> None:
        click.echo("interrupted: stopping the search, keeping the best plan so far", err=True)
        stopping.interrupt()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # the next one is final

    worker = threading.Thread(target=work, name="periodize-solve", daemon=True)
    previous = signal.signal(signal.SIGINT, first_interrupt)
    try:
        click.echo(f"{what} (Ctrl-C stops it and keeps the best plan so far)", err=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.2)
    finally:
        if signal.getsignal(signal.SIGINT) is first_interrupt:
            signal.signal(signal.SIGINT, previous)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]
