"""Output files written whole or not at all: the data goes into a new file beside the target,
which is then renamed over it (atomic on one file system), so that a failed or interrupted
write leaves the old file, or none, never half of one."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write `data` (text as UTF-8) to `path` whole; OSError when it cannot be written."""
    target = Path(path)
    part = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    try:
        with open(part, "xb") as file:  # created with the umask's permissions, as a plain write
            file.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(part, target)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
