"""The taper before each A race: its length, volume cut, frequency kept and hard sprints
(planner/rules/taper.py builds it)."""

from __future__ import annotations

from ..terms import Category, Phase
from .view import EPS, PlanView


def check_taper(view: PlanView) -> None:
    """Before each A race: taper of min..max days, volume cut in range, a hard sprint session in every
    `hard_sprint_every_days` taper days, training-session frequency cut at most max_frequency_cut_pct."""
    rule = view.rules.taper
    taper_weeks = [w for w in view.weeks() if view.week_phase(w) == Phase.taper]
    if not rule.enabled:
        if taper_weeks:
            view.flag("taper", "taper weeks while the taper rule is off", week=taper_weeks[0])
        return
    for cycle in view.tl.macrocycles:
        if cycle.race is None:
            continue
        mine = [
            w for w in range(cycle.first_week, cycle.race_week) if view.week_phase(w) == Phase.taper
        ]
        if mine and mine != list(range(cycle.race_week - len(mine), cycle.race_week)):
            view.flag(
                "taper",
                f"taper weeks before '{cycle.race.name}' are not the weeks right before the race week",
                week=mine[0],
            )
            continue
        start_week = cycle.race_week - len(mine)
        assert cycle.race_day is not None  # a cycle that ends in an A race
        length = cycle.race_day - 7 * start_week
        if not rule.min_days <= length <= rule.max_days:
            view.flag(
                "taper",
                f"taper of {length} days before '{cycle.race.name}' (allowed {rule.min_days}..{rule.max_days})",
                day=7 * start_week,
                amount=length,
            )
        days = range(7 * start_week, cycle.race_day)
        n = rule.hard_sprint_every_days
        for first in range(days.start, days.stop - n + 1):
            if not any(
                s.hard and s.category == Category.sprint
                for d in range(first, first + n)
                for s in view.main(d)
            ):
                view.flag(
                    "taper",
                    f"no hard sprint session in the {n} taper days from {view.days[first].date}",
                    day=first,
                )
        if not mine:
            continue
        ref = [
            w for w in range(start_week - rule.reference_weeks, start_week) if w >= cycle.first_week
        ]
        if not ref:
            continue
        taper_mean = sum(view.week_load(w) for w in mine) / len(mine)
        ref_mean = sum(view.week_load(w) for w in ref) / len(ref)
        if ref_mean > 0:
            cut = 100 * (1 - taper_mean / ref_mean)
            if (
                cut < rule.min_volume_reduction_pct - EPS
                or cut > rule.max_volume_reduction_pct + EPS
            ):
                view.flag(
                    "taper",
                    f"taper volume cut {cut:.1f} % before '{cycle.race.name}' (allowed {rule.min_volume_reduction_pct}..{rule.max_volume_reduction_pct} %)",
                    week=start_week,
                    amount=round(cut, 2),
                )
        taper_freq = sum(view.training_sessions(w) for w in mine) / len(mine)
        ref_freq = sum(view.training_sessions(w) for w in ref) / len(ref)
        if ref_freq > 0 and 100 * (1 - taper_freq / ref_freq) > rule.max_frequency_cut_pct + EPS:
            view.flag(
                "taper",
                f"taper session frequency cut {100 * (1 - taper_freq / ref_freq):.1f} % (> {rule.max_frequency_cut_pct} %)",
                week=start_week,
            )


CHECKS = {
    "taper": check_taper,
}
