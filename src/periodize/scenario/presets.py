"""Cited presets in models/: response-model parameter sets, session libraries and rule sets."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from periodize.core.files import UnreadableFile, read_input

KINDS = ("response", "sessions", "rules")


def models_dir() -> Path:
    """models/ shipped inside the wheel, or the repository's models/ for an editable install."""
    package = Path(__file__).resolve().parents[1]  # src/periodize, or periodize in the wheel
    for candidate in (package / "models", package.parents[1] / "models"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("periodize presets (models/) not found")


def available(kind: str) -> list[str]:
    """Names of the presets of one kind, sorted."""
    return sorted(p.stem for p in (models_dir() / kind).glob("*.toml"))


@cache
def _load(kind: str, name: str) -> dict[str, Any]:
    path = models_dir() / kind / f"{name}.toml"
    if (
        kind not in KINDS
        or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", str(name))
        or not path.is_file()
    ):
        shown = name if len(name) <= 64 else f"{name[:64]}..."
        raise KeyError(
            f"unknown {kind} preset '{shown}' (available: {', '.join(available(kind)) or 'none'})"
        )
    with path.open("rb") as fh:
        return tomllib.load(fh)


def load(kind: str, name: str) -> dict[str, Any]:
    """The preset's document; its [meta] table (sources, notes) is left out."""
    if not isinstance(name, str):
        raise KeyError(f"a preset is named by a string, got {name!r}")
    doc = {k: v for k, v in _load(kind, name).items() if k != "meta"}
    doc["preset"] = name
    return doc


def is_path(name: str) -> bool:
    """A preset given as a file (`fitted.toml`, `athletes/sam.toml`) rather than by name."""
    return name.lower().endswith(".toml") or "/" in name or "\\" in name


def load_file(path: Path, as_written: str | None = None) -> dict[str, Any]:
    """A preset file's document without its [meta] table, `preset` set to the path as written;
    KeyError with the reason when it cannot be read."""
    shown = str(path) if len(str(path)) <= 200 else f"{str(path)[:200]}..."
    try:
        document = tomllib.loads(read_input(path))
    except UnreadableFile as exc:
        raise KeyError(f"preset file {shown}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise KeyError(f"preset file {shown} is not valid TOML: {exc}") from None
    except RecursionError:
        raise KeyError(f"preset file {shown} is nested too deeply to read") from None
    doc = {k: v for k, v in document.items() if k != "meta"}
    doc["preset"] = as_written if as_written is not None else str(path)
    return doc
