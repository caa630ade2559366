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


def write_png(path: str | Path, figure: object) -> None:
    """A matplotlib figure as a PNG, written whole (write_atomic); the figure is closed."""
    import io

    import matplotlib.pyplot as plt

    image = io.BytesIO()
    figure.savefig(image, format="png")  # type: ignore[attr-defined]
    plt.close(figure)  # type: ignore[arg-type]
    write_atomic(path, image.getvalue())


# Input files larger than this are refused: a scenario or a load history is a few hundred kB, and
# reading a device such as /dev/zero (or a multi-GB file) would never end.
MAX_INPUT_BYTES = 64 * 2**20


class UnreadableFile(Exception):
    """An input file that cannot be read; the message is the reason, without the path."""


def read_input(path: Path) -> str:
    """The UTF-8 text of a regular input file of at most MAX_INPUT_BYTES."""
    try:
        if not path.exists():
            raise UnreadableFile("file not found")
        if not path.is_file():
            raise UnreadableFile("not a regular file")
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise UnreadableFile(f"larger than {MAX_INPUT_BYTES // 2**20} MB")
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UnreadableFile("not UTF-8 text") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UnreadableFile(f"cannot read it: {reason}") from None
