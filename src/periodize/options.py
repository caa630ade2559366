"""Command-line option types shared by the commands: a time limit in seconds, a solver seed, and
lists of dates. They refuse what CP-SAT cannot honour before anything runs (exit 2)."""

from __future__ import annotations

import datetime as dt
import math

import click

from .terms import MAX_SEED


class Seconds(click.ParamType[float, float]):
    """A time limit: a finite number of seconds from 0.1 (nan and inf refused)."""

    name = "seconds"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or seconds < 0.1:
            self.fail(f"{value!r}: a finite number of seconds, at least 0.1", param, ctx)
        return seconds


SEED = click.IntRange(0, MAX_SEED)


def parse_dates(text: str) -> list[dt.date]:
    """Comma-separated YYYY-MM-DD dates; ValueError naming the bad one."""
    return [dt.date.fromisoformat(part.strip()) for part in text.split(",") if part.strip()]
