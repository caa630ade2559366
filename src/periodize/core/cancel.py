"""Stopping one solve from outside it: a token the caller keeps and the solve watches.

    token = periodize.CancelToken()
    threading.Thread(target=lambda: periodize.solve(scenario, cancel=token)).start()
    token.cancel()  # that solve returns at once with its best plan so far, marked interrupted

A token stops every solve it is given to, and stays cancelled. `periodize.cancel()` cancels the
tokens of every solve running in the process; Ctrl-C at the command line does too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class CancelToken:
    """A request to stop the solves given this token (thread-safe; `cancel` returns at once)."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()
        self._listeners: list[Callable[[], None]] = []
        self._lock = threading.RLock()  # a signal handler may cancel on a thread that listens

    def cancel(self) -> None:
        """Stop the solves watching this token; the later ones stop as soon as they start."""
        with self._lock:
            if self._cancelled.is_set():
                return
            self._cancelled.set()
            listeners = list(self._listeners)
        for listener in listeners:
            listener()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def on_cancel(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call `listener` when the token is cancelled (at once if it is already); returns the
        function that removes it."""
        with self._lock:
            if not self._cancelled.is_set():
                self._listeners.append(listener)
                return lambda: self._remove(listener)
        listener()
        return lambda: None

    def _remove(self, listener: Callable[[], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)
