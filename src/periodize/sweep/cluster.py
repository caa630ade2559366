"""Connecting to a Dask distributed scheduler (compare / solve-many --scheduler): a wrong address
fails within seconds with a message naming it, whatever listens there.

Before the distributed client is created, the address is checked in two steps, each with its own
short timeout: a plain TCP connection (a closed port is refused at once), then Dask's own
handshake and an `identity` request, which a scheduler answers with its type. Something else
listening on the port (an HTTP server, a database) never completes the handshake, or answers
with bytes the client would read as a frame of exabytes; either way the probe stops at its
timeout or on its error. Only then is the client made (its own connection timeout applies).
"""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import Executor
from urllib.parse import urlsplit

# Seconds each step of the probe may take: connecting, the handshake, the identity answer.
PROBE_SECONDS = 3.0
# The distributed client's own connection timeout, once the probe has found a scheduler.
CLIENT_TIMEOUT = "10s"


class SchedulerError(Exception):
    """No Dask scheduler could be used at the address (the message names it)."""


def host_and_port(address: str) -> tuple[str, int]:
    """tcp://HOST:PORT (or HOST:PORT) -> (HOST, PORT); SchedulerError when it is not that."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or port is None:
        raise SchedulerError(f"{address}: not a scheduler address like tcp://HOST:PORT")
    return parts.hostname, port


def probe(address: str, seconds: float = PROBE_SECONDS) -> None:
    """Return when a Dask scheduler answers at `address`; SchedulerError naming it otherwise."""
    host, port = host_and_port(address)
    try:
        socket.create_connection((host, port), timeout=seconds).close()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SchedulerError(f"{address}: cannot connect ({reason})") from None
    if address.startswith("tls://"):  # the handshake needs the client's TLS settings
        return
    try:
        kind = asyncio.run(_identity(f"tcp://{host}:{port}", seconds))
    except Exception as exc:  # anything but a scheduler's answer (MemoryError included)
        detail = f": {type(exc).__name__}" + (f": {exc}" if str(exc) else "")
        raise SchedulerError(
            f"{address}: no Dask scheduler answers there (within {seconds:g} s{detail})"
        ) from None
    if kind != "Scheduler":
        raise SchedulerError(f"{address}: a Dask {kind or 'peer'} answers, not a scheduler")


async def _identity(address: str, seconds: float) -> str | None:
    from distributed.comm.core import connect

    comm = await asyncio.wait_for(connect(address, timeout=seconds), seconds + 1)  # type: ignore[no-untyped-call]
    try:
        await asyncio.wait_for(comm.write({"op": "identity", "reply": True}), seconds)
        answer = await asyncio.wait_for(comm.read(), seconds)
    finally:
        comm.abort()
    return answer.get("type") if isinstance(answer, dict) else None


def dask_executor(address: str) -> Executor:
    """The concurrent.futures executor of a Dask distributed client connected to `address`;
    SchedulerError (naming the address) when dask.distributed is missing or no scheduler answers
    there."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on the install
        raise SchedulerError(
            f"{address}: --scheduler needs dask.distributed: pip install 'periodize[dask]'"
        ) from None
    probe(address)
    try:
        client = Client(address, timeout=CLIENT_TIMEOUT)  # type: ignore[no-untyped-call]
    except Exception as exc:
        raise SchedulerError(f"{address}: {type(exc).__name__}: {exc}") from None
    return client.get_executor()  # type: ignore[no-untyped-call,no-any-return]
