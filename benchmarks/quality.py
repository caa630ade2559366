"""Plan quality, not only gaps: how each A race's taper looks, and what two response models
predict, for the plans optimized under each model and for a classic template plan from the same
library.

    python benchmarks/quality.py [--time-limit 60] [--template-limit 20] [SCENARIO ...]

For every bundled scenario (default: scenarios/*.toml) and each A race, from the plan alone:
taper length (days from the first taper week to the race), the volume cut over the taper days
(mean daily load against the three weeks before the taper, a deload week counting as the week
before it, as the taper rule measures it), the training frequency kept (sessions per day, likewise), days from the last hard sprint
session to the race, the longest run of complete rest days in the last 7 days (days the athlete
cannot train skipped, as the pre_race_rest rule counts them), and the predicted
race-day performance, re-simulated from the plan's daily loads, under the scenario with the
banister-classic model and under the same scenario with the busso-2003 model (loads scaled so
that its best steady daily load is the weekly cap / 7: docs/science.md), as the gain over no
training in the plan.

Plans: "banister" and "busso" are optimized (periodize.solve, 2 workers) under each model;
"template" is the template below.

The template plan is what a coach's spreadsheet would prescribe: a linear build from 75 % to
100 % of the weekly cap over each macrocycle's loading weeks, deload weeks at 65 %, taper days
at 50 % of the loading load (intensity kept by the rules), transition weeks at 30 %, and the
primer the day before each race. It is realized as the plan closest to those weekly targets that
keeps every rule (CP-SAT minimizing the deviation), so that it passes the same audit.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREP = ("general_prep", "specific_prep", "pre_competition")


def template_plan(scenario, time_limit: float):
    """The template plan: weekly load targets by phase, the primer before races, every rule kept."""
    from ortools.sat.python import cp_model

    from periodize.audit import settle
    from periodize.core.terms import Phase
    from periodize.solver.model.build import build_model
    from periodize.solver.search.extract import extract_plan

    model, pv = build_model(scenario, objective=False)
    tl = pv.timeline
    rules = scenario.rules
    cap = rules.weekly_load_cap.max_load if rules.weekly_load_cap.enabled else 3000
    deviations = []
    for week in range(tl.n_weeks):
        cycle = tl.cycle_of_week(week)
        if cycle is not None and cycle.race is not None:
            span = max(1, cycle.race_week - cycle.first_week - 1)
            progress = min(1.0, max(0.0, (week - cycle.first_week) / span))
        else:
            progress = 0.5
        loading = round(cap * (0.75 + 0.25 * progress))
        target = (
            loading * pv.loading(week)
            + round(0.65 * loading) * pv.deload.get(week, 0)
            + round(0.5 * cap) * pv.phase_is(week, Phase.taper)
            + round(0.3 * cap) * pv.phase_is(week, Phase.transition)
        )
        days = list(tl.week_days(week))
        race_days = [d for d in days if d in tl.race_by_day]
        if race_days:  # the race week: the days before the race at taper load
            before = [d for d in days if d < race_days[0]]
            load = sum(pv.day_load[d] for d in before)
            target = round(0.5 * cap / 7 * len(before))
        else:
            load = pv.week_load[week]
        gap = model.new_int_var(0, 10 * cap, f"template_gap@w{week}")
        model.add(gap >= load - target)
        model.add(gap >= target - load)
        deviations.append(gap)
    primer = scenario.sessions.by_id("primer")
    primed = []
    if primer is not None:
        for day in sorted(tl.race_by_day):
            if day >= 1 and day - 1 not in tl.race_by_day:
                primed.append(pv.holds(day - 1, primer))
    model.minimize(sum(deviations) - cap // 2 * sum(primed))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 0
    code = solver.solve(model)
    plan = extract_plan(scenario, pv, solver, code, None, 0, 2, time.perf_counter())
    if plan.status in ("optimal", "feasible"):
        settle(scenario, plan)
    return plan


def response_variants(scenario) -> dict:
    """The scenario under each response model: banister-classic (the bundled scenarios' own, with
    their initial fitness and fatigue) and busso-2003 (which starts from the history or the
    current weekly load, else untrained)."""
    from periodize.scenario.presets import load
    from periodize.scenario.schema import BanisterResponse, BussoResponse

    def variant(response, **athlete):
        return scenario.model_copy(
            update={
                "athlete": scenario.athlete.model_copy(update={"response": response, **athlete})
            }
        )

    banister = scenario
    if not isinstance(scenario.athlete.response, BanisterResponse):
        banister = variant(BanisterResponse.model_validate(load("response", "banister-classic")))
    busso = scenario
    if not isinstance(scenario.athlete.response, BussoResponse):
        busso = variant(
            BussoResponse.model_validate(load("response", "busso-2003")),
            initial_fitness=0.0,
            initial_fatigue=0.0,
        )
    return {"banister": banister, "busso": busso}


def gain(scenario, loads, day: int) -> float:
    """Predicted performance on the morning of `day` over that of no training in the plan."""
    from periodize.scenario.simulation import simulate

    trained = simulate(scenario, loads).performance[day]
    return trained - simulate(scenario, [0] * len(loads)).performance[day]


def race_metrics(variants, plan) -> list[dict]:
    """Taper and race-day figures of each A race, read from the plan's days and weeks."""
    from periodize.scenario.timeline import Timeline

    scenario = variants["banister"]
    rules = scenario.rules
    loads = [d.load for d in plan.days]
    weeks = {w.week: w for w in plan.weeks}
    rows = []
    for race in plan.races:
        if race.priority.value != "A":
            continue
        r = (race.date - plan.days[0].date).days
        race_week = r // 7
        start_week = race_week
        while start_week - 1 in weeks and weeks[start_week - 1].phase.value == "taper":
            start_week -= 1
        taper_days = range(7 * start_week, r)
        ref = [
            w
            for w in range(start_week - rules.taper.reference_weeks, start_week)
            if w in weeks and weeks[w].phase.value in PREP
        ]
        # a deload week stands for the loading week before it
        ref = [w - 1 if weeks[w].deload and w - 1 in weeks else w for w in ref]
        ref_days = [d for w in ref for d in range(7 * w, min(7 * w + 7, len(plan.days)))]

        def per_day(values, days):
            return sum(values[d] for d in days) / len(days) if days else float("nan")

        training = [
            sum(
                1
                for s in d.sessions
                if s.category.value not in ("rest", "race")
                and not scenario.sessions.type_of(s.type).addon
            )
            for d in plan.days
        ]
        cut = 100 * (1 - per_day(loads, taper_days) / per_day(loads, ref_days))
        kept = 100 * per_day(training, taper_days) / per_day(training, ref_days)
        sprints = [
            d
            for d in range(r)
            if any(s.hard and s.category.value == "sprint" for s in plan.days[d].sessions)
        ]
        run = longest = 0
        timeline = Timeline(scenario)
        for d in range(max(0, r - 7), r):
            if not timeline.can_train(d) and d not in timeline.race_by_day:
                continue  # a day off by availability neither counts nor breaks a run (as the rule)
            run = run + 1 if all(s.category.value == "rest" for s in plan.days[d].sessions) else 0
            longest = max(longest, run)
        rows.append(
            {
                "race": race.name,
                "taper_days": len(taper_days),
                "volume_cut_pct": cut,
                "frequency_kept_pct": kept,
                "last_hard_sprint": r - sprints[-1] if sprints else None,
                "longest_rest_run": longest,
                "banister": gain(variants["banister"], loads, r),
                "busso": gain(variants["busso"], loads, r),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=60.0, help="optimized plan, s")
    parser.add_argument("--template-limit", type=float, default=20.0, help="template plan, s")
    parser.add_argument("scenarios", nargs="*")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import periodize

    paths = args.scenarios or sorted(str(p) for p in (ROOT / "scenarios").glob("*.toml"))
    print(
        "| scenario | A race | plan | taper days | volume cut % | frequency kept % "
        "| last hard sprint, days before | longest rest run, last 7 d | Banister | Busso | audit |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for path in paths:
        variants = response_variants(periodize.load_scenario(path))
        plans = {
            name: periodize.solve(variant, time_limit=args.time_limit, seed=0, workers=2)
            for name, variant in variants.items()
        }
        plans["template"] = template_plan(variants["banister"], args.template_limit)
        for label, plan in plans.items():
            if plan.status not in ("optimal", "feasible"):
                print(f"| {Path(path).stem} | – | {label} | no plan ({plan.status}) |")
                continue
            audit = "ok" if not periodize.audit(variants["banister"], plan) else "VIOLATIONS"
            for row in race_metrics(variants, plan):
                sprint = row["last_hard_sprint"]
                print(
                    f"| {Path(path).stem} | {row['race']} | {label} | {row['taper_days']} "
                    f"| {row['volume_cut_pct']:.1f} | {row['frequency_kept_pct']:.0f} "
                    f"| {'–' if sprint is None else sprint} | {row['longest_rest_run']} "
                    f"| {row['banister']:.1f} | {row['busso']:.2f} | {audit} |"
                )


if __name__ == "__main__":
    main()
