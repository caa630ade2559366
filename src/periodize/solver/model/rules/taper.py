"""Taper before each A race: its length, volume cut, kept intensity and kept frequency, measured
per day over every taper day up to the race against the normal training before the taper."""

from __future__ import annotations

from typing import cast

from ortools.sat.python import cp_model

from periodize.core.terms import Category, Phase
from periodize.solver.model.rules.load import SCALE, at_least, at_most, history_week_load
from periodize.solver.model.variables import Expr, PlanVariables


def add_taper(pv: PlanVariables) -> None:
    """Before each A race the model picks a taper of whole weeks ending the day before the race week
    starts, so that the taper (those weeks plus the race week's days before the race) lasts
    min_days..max_days (Bosquet 2007: 8-14 d). Over the taper days, per day against the
    `reference_weeks` before it (a deload week among them standing for the loading week before it):
    - the mean daily load is cut by min..max_volume_reduction_pct (Bosquet 2007: 41-60 %);
    - training sessions fall by at most max_frequency_cut_pct (Mujika & Padilla 2003: 20 %);
    and every `hard_sprint_every_days` consecutive taper days hold a hard sprint session
    (intensity kept)."""
    rule = pv.scenario.rules.taper
    tl, model = pv.timeline, pv.model
    reference = _ReferenceWeeks(pv)
    for cycle in tl.macrocycles:
        if cycle.race is None or not rule.enabled:
            continue
        name = cycle.race.name
        if not cycle.taper_options:
            # no taper length fits (the pre-check says so): bent when relaxable, else infeasible
            pv.add("taper", cycle.race_week, False)
            continue
        assert cycle.race_day is not None  # a cycle that ends in an A race
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
            ref = [
                w
                for w in range(start_week - rule.reference_weeks, start_week)
                if w >= cycle.first_week
            ]
            if ref and taper_days:
                _volume_and_frequency(pv, reference, ref, taper_days, start_week, pick)


class _ReferenceWeeks:
    """The load and training sessions each reference week stands for: its own, or, for a deload
    week, those of the week before it (the loading week it interrupts), as model expressions."""

    def __init__(self, pv: PlanVariables):
        self.pv = pv
        self.load: dict[int, Expr] = {}
        self.sessions: dict[int, Expr] = {}

    def week_load(self, week: int) -> Expr:
        if week not in self.load:
            before = self.pv.week_load[week - 1] if week >= 1 else history_week_load(self.pv, -1)
            self.load[week] = self._unless_deload(week, self.pv.week_load[week], before, "load")
        return self.load[week]

    def week_sessions(self, week: int) -> Expr:
        if week not in self.sessions:
            count = self._sessions(week)
            before = self._sessions(week - 1) if week >= 1 else None
            self.sessions[week] = self._unless_deload(week, count, before, "sessions")
        return self.sessions[week]

    def _sessions(self, week: int) -> Expr:
        days = self.pv.timeline.week_days(week)
        return cast(Expr, sum(self.pv.training_sessions(d) for d in days))

    def _unless_deload(self, week: int, own: Expr, before: Expr | None, what: str) -> Expr:
        deload = self.pv.deload.get(week)
        if deload is None or before is None:
            return own
        model = self.pv.model
        upper = max(7 * max(self.pv.day_max_load), before if isinstance(before, int) else 0)
        value = model.new_int_var(0, upper, f"taper_reference_{what}@w{week}")
        model.add(value == own).only_enforce_if(~deload)
        model.add(value == before).only_enforce_if(deload)
        if "deload" not in self.pv.relaxable:
            # a deload week holds less than the week before it (the deload rule): valid, and it
            # tells the linear relaxation that the reference is at least the week's own
            model.add(value >= own)
        return value


def _volume_and_frequency(
    pv: PlanVariables,
    reference: _ReferenceWeeks,
    ref: list[int],
    taper_days: range,
    start_week: int,
    pick: cp_model.IntVar,
) -> None:
    """The volume band and the kept frequency of one taper length, per day over the taper days
    against the days of the reference weeks `ref` (a deload week standing for the week before)."""
    rule = pv.scenario.rules.taper
    model = pv.model
    name = f"{len(taper_days)}d@w{start_week}"
    ref_load = sum(reference.week_load(w) for w in ref)
    ref_sessions = sum(reference.week_sessions(w) for w in ref)
    taper_load = sum(pv.day_load[d] for d in taper_days)
    taper_sessions = sum(pv.training_sessions(d) for d in taper_days)
    n, days = len(taper_days), 7 * len(ref)
    low = at_least(1 - rule.max_volume_reduction_pct / 100)
    high = at_most(1 - rule.min_volume_reduction_pct / 100)
    keep = at_least(1 - rule.max_frequency_cut_pct / 100)
    # nothing to cut from when the reference holds no load
    loaded = model.new_bool_var(f"taper_reference_loaded[{name}]")
    model.add(ref_load >= 1).only_enforce_if(loaded)
    model.add(ref_load == 0).only_enforce_if(~loaded)
    pv.add("taper", start_week, SCALE * days * taper_load >= low * n * ref_load, enforce_if=[pick])
    pv.add(
        "taper",
        start_week,
        SCALE * days * taper_load <= high * n * ref_load,
        enforce_if=[pick, loaded],
    )
    pv.add(
        "taper",
        start_week,
        SCALE * days * taper_sessions >= keep * n * ref_sessions,
        enforce_if=[pick],
    )


def _kept_intensity(pv: PlanVariables, days: range, every: int, pick: cp_model.IntVar) -> None:
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
