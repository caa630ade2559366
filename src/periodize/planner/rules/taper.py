"""Taper before each A race: its length, volume cut, kept intensity and kept frequency."""

from __future__ import annotations

from ...terms import Category, Phase
from ..variables import PlanVariables
from .load import SCALE, at_least, at_most


def add_taper(pv: PlanVariables) -> None:
    """Before each A race the model picks a taper of whole weeks ending the day before the race week
    starts, so that the taper (those weeks plus the race week's days before the race) lasts
    min_days..max_days (Bosquet 2007: 8-14 d). In the taper:
    - mean weekly load is cut by min..max_volume_reduction_pct against the `reference_weeks`
      before it (Bosquet 2007: 41-60 %);
    - every `hard_sprint_every_days` consecutive taper days hold a hard sprint session (intensity kept);
    - training sessions per week fall by at most max_frequency_cut_pct (Mujika & Padilla 2003: 20 %)."""
    rule = pv.scenario.rules.taper
    tl, model = pv.timeline, pv.model
    for cycle in tl.macrocycles:
        if cycle.race is None or not rule.enabled:
            continue
        name = cycle.race.name
        if not cycle.taper_options:
            model.add_bool_or([])  # no taper length fits: infeasible, reported by the pre-check
            continue
        picks = {t: model.new_bool_var(f"taper_{t}w[{name}]") for t in cycle.taper_options}
        model.add_exactly_one(picks.values())
        # a week is a taper week iff the chosen taper reaches back to it
        for week in range(cycle.first_week, cycle.race_week):
            back = cycle.race_week - week
            if back > max(picks):
                continue
            model.add(
                pv.phase_is(week, Phase.taper) == sum(v for t, v in picks.items() if t >= back)
            )
        for weeks, pick in sorted(picks.items()):
            start_week = cycle.race_week - weeks
            taper_days = range(7 * start_week, cycle.race_day)
            _kept_intensity(pv, taper_days, rule.hard_sprint_every_days, pick)
            if weeks == 0:
                continue
            ref = [
                w
                for w in range(start_week - rule.reference_weeks, start_week)
                if w >= cycle.first_week
            ]
            if not ref:
                continue
            taper_load = sum(pv.week_load[w] for w in range(start_week, cycle.race_week))
            ref_load = sum(pv.week_load[w] for w in ref)
            low = at_least(1 - rule.max_volume_reduction_pct / 100)
            high = at_most(1 - rule.min_volume_reduction_pct / 100)
            # mean taper week vs mean reference week; nothing to cut from when the reference is empty
            loaded = model.new_bool_var(f"taper_reference_loaded_{weeks}w[{name}]")
            model.add(ref_load >= 1).only_enforce_if(loaded)
            model.add(ref_load == 0).only_enforce_if(~loaded)
            taper_mean, ref_mean = SCALE * len(ref) * taper_load, weeks * ref_load
            pv.add("taper", start_week, taper_mean >= low * ref_mean, enforce_if=[pick])
            pv.add("taper", start_week, taper_mean <= high * ref_mean, enforce_if=[pick, loaded])
            taper_sessions = sum(
                pv.training_sessions(d)
                for w in range(start_week, cycle.race_week)
                for d in tl.week_days(w)
            )
            ref_sessions = sum(pv.training_sessions(d) for w in ref for d in tl.week_days(w))
            keep = at_least(1 - rule.max_frequency_cut_pct / 100)
            pv.add(
                "taper",
                start_week,
                SCALE * len(ref) * taper_sessions >= keep * weeks * ref_sessions,
                enforce_if=[pick],
            )


def _kept_intensity(pv: PlanVariables, days: range, every: int, pick) -> None:
    """Every `every` consecutive days of the taper hold at least one hard sprint session."""
    for first in range(days.start, days.stop - every + 1):
        hard_sprints = sum(
            pv.main_count(d, lambda t: t.hard and t.category == Category.sprint)
            for d in range(first, first + every)
        )
        pv.add("taper", first // 7, hard_sprints >= 1, enforce_if=[pick])


BUILDERS = {
    "taper": add_taper,
}
