"""The taper before each A race: its length, volume cut, frequency kept and hard sprints
(solver/model/rules/taper.py builds it)."""

from __future__ import annotations

from periodize.audit.view import EPS, PlanView
from periodize.core.terms import Category, Phase


def check_taper(view: PlanView) -> None:
    """Before each A race: taper of min..max days, a hard sprint session in every
    `hard_sprint_every_days` taper days, and over the taper days, per day against the reference
    weeks (a deload week standing for the week before it): the volume cut in range, the
    training-session frequency cut at most max_frequency_cut_pct."""
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
                    until=first + n - 1,
                )
        ref = [
            w for w in range(start_week - rule.reference_weeks, start_week) if w >= cycle.first_week
        ]
        if not ref or not days:
            continue
        _check_volume_and_frequency(view, cycle.race.name, days, ref, start_week)


def _check_volume_and_frequency(
    view: PlanView, race: str, days: range, ref: list[int], start_week: int
) -> None:
    """Mean daily load cut within the band, and training sessions per day cut at most
    max_frequency_cut_pct, over the taper days against the reference weeks' days (a deload week
    standing for the week before it)."""
    rule = view.rules.taper
    deloads = view.deloads()

    def stands_for(week: int) -> tuple[int, int]:
        """(load, training sessions) of the normal training a reference week stands for."""
        own = (view.week_load(week), _sessions(view, week))
        if week not in deloads:
            return own
        if week >= 1:
            return view.week_load(week - 1), _sessions(view, week - 1)
        before = view.history_week(-1)
        return own if before is None else (before, own[1])

    reference = [stands_for(w) for w in ref]
    ref_days = 7 * len(ref)
    taper_mean = sum(view.days[d].load for d in days) / len(days)
    ref_mean = sum(load for load, _ in reference) / ref_days
    if ref_mean > 0:
        cut = 100 * (1 - taper_mean / ref_mean)
        if cut < rule.min_volume_reduction_pct - EPS or cut > rule.max_volume_reduction_pct + EPS:
            view.flag(
                "taper",
                f"taper volume cut {cut:.1f} % per day before '{race}' (allowed "
                f"{rule.min_volume_reduction_pct}..{rule.max_volume_reduction_pct} %)",
                week=start_week,
                amount=round(cut, 2),
            )
    taper_freq = sum(view.training_sessions_on(d) for d in days) / len(days)
    ref_freq = sum(sessions for _, sessions in reference) / ref_days
    if ref_freq > 0 and 100 * (1 - taper_freq / ref_freq) > rule.max_frequency_cut_pct + EPS:
        view.flag(
            "taper",
            f"taper session frequency cut {100 * (1 - taper_freq / ref_freq):.1f} % per day "
            f"(> {rule.max_frequency_cut_pct} %)",
            week=start_week,
        )


def _sessions(view: PlanView, week: int) -> int:
    return sum(view.training_sessions_on(d) for d in view.tl.week_days(week))


CHECKS = {
    "taper": check_taper,
}
