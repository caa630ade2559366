"""Rankings that the solver's own uncertainty cannot overturn.

Each candidate of a comparison has a plan (its objective: a value some plan reaches) and a proven
bound (no plan of that candidate can do better), so its true optimum lies in the interval
[objective, bound]. Candidate A is certainly better than B when A's plan beats B's bound. From
that alone, every candidate's place is known to lie in a range: one more than the number of
candidates certainly better, up to the number of candidates less those certainly worse. A place
is *decided* when that range is one place wide; otherwise it is a *tie within the bounds* with
the candidates whose intervals overlap its own. A candidate is *ruled out* (of first place) when
its bound is below the best plan found for any candidate. The candidates that may be first are
*practically equivalent* when any of their plans is within a stated tolerance of the best any of
them can reach: their highest bound less their lowest plan is at most that fraction of the best
plan's prediction (docs/compare.md says why the default is far below what a fitted model tells
apart).

Never imports the solver: the intervals are plain numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """The places a candidate may hold, best first (1-based): `first` when every overlapping
    candidate turns out worse, `last` when every one turns out better."""

    first: int
    last: int

    @property
    def decided(self) -> bool:
        return self.first == self.last

    @property
    def ruled_out(self) -> bool:
        """Some other candidate's plan beats this one's bound: it cannot be first."""
        return self.first > 1

    def text(self) -> str:
        """'1' when decided, '1-3' (a tie within the bounds) otherwise."""
        return str(self.first) if self.decided else f"{self.first}-{self.last}"


# The default tolerance of practical equivalence, a fraction of the best plan's prediction
# (docs/compare.md: a fitted model's out-of-sample error is several times larger).
EQUIVALENCE_TOLERANCE = 0.0025

Interval = tuple[float, float]  # (objective of the best plan, proven bound), bound >= objective


def places(intervals: Sequence[Interval | None]) -> list[Place | None]:
    """The place range of each candidate (None for a candidate without a plan: it is not ranked).
    A beats B when A's objective is strictly above B's bound; equal values are a tie."""
    ranked = [(i, iv) for i, iv in enumerate(intervals) if iv is not None]
    found: list[Place | None] = [None] * len(intervals)
    for i, (low, high) in ranked:
        better = sum(1 for j, (other_low, _) in ranked if j != i and other_low > high)
        worse = sum(1 for j, (_, other_high) in ranked if j != i and other_high < low)
        found[i] = Place(1 + better, len(ranked) - worse)
    return found


def top_decided(found: Sequence[Place | None]) -> bool:
    """One candidate is certainly first."""
    return any(p is not None and p.first == p.last == 1 for p in found)


def contenders(found: Sequence[Place | None]) -> list[int]:
    """The candidates that may still be first (not ruled out), in input order."""
    return [i for i, p in enumerate(found) if p is not None and p.first == 1]


def top_equivalent(
    intervals: Sequence[Interval | None], found: Sequence[Place | None], tolerance: float
) -> list[int]:
    """The candidates that may be first, when there are several and they are practically
    equivalent (module docstring); else []. Candidates without an interval are not ranked: the
    caller says nothing is settled while one of them may be the best."""
    top = contenders(found)
    if len(top) < 2:
        return []
    ranked = [iv for i, iv in enumerate(intervals) if i in top and iv is not None]
    best = max(low for low, _ in ranked)
    spread = max(high for _, high in ranked) - min(low for low, _ in ranked)
    return top if spread <= tolerance * abs(best) else []
