"""Sweeps as people and programs read them: a plan's summary row (solve-many's squad table), and a
comparison of peak dates: the frame (one row per candidate date, every figure a machine needs), the table a coach reads (places with their decided / tie
marks, predictions in the response model's readable units, gap as %, taper start, weekly loads,
binding rules), and the plot of each candidate's interval from its plan to its bound."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from periodize.plan.schema import Plan
from periodize.scenario.schema import Category, Phase, Scenario
from periodize.scenario.simulation import in_test_units
from periodize.sweep.ranking import Place

if TYPE_CHECKING:
    import pandas as pd

# Weeks of load shown in the coach's table: the ones up to and including the race week.
LAST_WEEKS = 4

# What ended a candidate's search, as the table says it.
SEARCH = {
    "complete": "proven",
    "time_limit": "time limit",
    "work_limit": "work limit",
    "cutoff": "ruled out",
    "interrupted": "interrupted",
}


def plan_summary(scenario: Scenario, plan: Plan | str | None) -> dict[str, Any]:
    """Status, gap, loads, sessions per category and binding rules of one plan, as a flat row."""
    if plan is None:
        return {"status": "invalid", "note": ""}
    if isinstance(plan, str):  # 'crashed: ...' or 'interrupted: not solved'
        status = "interrupted" if plan.startswith("interrupted") else "crashed"
        return {"status": status, "note": plan}
    row: dict[str, Any] = {
        "status": plan.status,
        "gap_pct": None if plan.gap is None else round(100 * plan.gap, 2),
        "stopped_by": plan.stopped_by,
        "solve_seconds": plan.solve_seconds,
        "note": "",
    }
    if plan.status == "unknown" and not plan.days:
        which = "work limit" if plan.stopped_by == "work_limit" else "time limit"
        row["note"] = f"no plan within the {which}"
        if plan.stopped_by == "cutoff":
            row["note"] = "no plan; its bound is below a better date's plan"
    elif plan.conflict is not None:
        row["note"] = plan.conflict.summary()
    if not plan.days:
        return row
    from periodize.output.report import binding_rules

    row["objective"] = plan.objective
    row["bound"] = plan.bound
    row["peak_week_load"] = max(w.load for w in plan.weeks)
    row["total_load"] = sum(d.load for d in plan.days)
    for category in Category:
        if category not in (Category.rest,):
            row[f"n_{category.value}"] = sum(
                s.category == category for d in plan.days for s in d.sessions
            )
    row["binding_rules"] = ", ".join(binding_rules(scenario, plan))
    row["violations"] = len(plan.violations)
    return row


def unit_of(scenario: Scenario) -> str:
    """The unit of the predictions: the fitted test's (periodize fit), else the model's own."""
    response = scenario.athlete.response
    if response.test:
        return response.unit or response.test
    return "model units"


def comparison_frame(
    scenario: Scenario,
    race: str,
    dates: Sequence[dt.date],
    variants: Sequence[Scenario | None],
    plans: Sequence[Plan | str | None],
    places: Sequence[Place | None],
    notes: dict[int, str],
) -> pd.DataFrame:
    """One row per candidate date (columns: docs/compare.md)."""
    import pandas as pd

    response = scenario.athlete.response
    rows = []
    for i, (date, variant, plan, place) in enumerate(zip(dates, variants, plans, places)):
        row: dict[str, Any] = {
            "date": date,
            "place": place.text() if place else "",
            "decided": bool(place and place.decided),
            "ruled_out": bool(place and place.ruled_out),
        }
        row.update(plan_summary(variant or scenario, plan))
        if i in notes:
            row["note"] = notes[i]
        if isinstance(plan, Plan) and plan.days:
            prediction = next(r for r in plan.races if r.name == race)
            row["performance"] = prediction.predicted_performance
            row["prediction"] = round(in_test_units(response, prediction.predicted_performance), 4)
            row["change_pct"] = prediction.change_pct
            row["taper_start"] = next(
                (d.date for d in plan.days if d.phase == Phase.taper and d.date < date), None
            )
            race_week = (date - plan.days[0].date).days // 7
            weeks = [w.load for w in plan.weeks if w.week <= race_week]
            row["mean_week_load"] = round(sum(weeks) / len(weeks)) if weeks else None
            row["last_weeks_load"] = " ".join(str(w) for w in weeks[-LAST_WEEKS:])
            row["rounds"] = None
        rows.append(row)
    frame = pd.DataFrame(rows)
    for column in ("performance", "prediction", "change_pct", "taper_start", "objective", "bound"):
        if column not in frame:
            frame[column] = None
    performance = pd.to_numeric(frame["performance"], errors="coerce")
    best = performance.max()
    frame["vs_best_pct"] = (100 * (performance - best) / abs(best)).round(2)
    frame["unit"] = unit_of(scenario)
    first = ["date", "place", "decided", "ruled_out", "status", "prediction", "unit", "change_pct",
             "vs_best_pct", "gap_pct", "objective", "bound", "taper_start"]  # fmt: skip
    return frame[first + [c for c in frame.columns if c not in first]]


def _cell(value: Any, fmt: str = "{}") -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return ""
    return fmt.format(value)


def render_comparison(frame: pd.DataFrame, scenario: Scenario) -> str:
    """The table a coach reads, then what is decided and what the sweep took."""
    race = frame.attrs.get("race", "race")
    unit = unit_of(scenario)
    lines = [f"Peak date for {race!r}: {len(frame)} candidate dates, predictions in {unit}"]
    header = ("place", "date", "prediction", "vs best", "gap", "taper from", "weekly AU (last 4)",
              "peak AU", "search", "binding rules")  # fmt: skip
    table = [header]
    for row in frame.to_dict("records"):
        prediction = _cell(row.get("prediction"), "{:.4g}" if unit != "model units" else "{:.1f}")
        if (
            prediction
            and row.get("change_pct") is not None
            and row["change_pct"] == row["change_pct"]
        ):
            prediction += f" ({row['change_pct']:+.1f} %)"
        has_plan = bool(prediction)
        search = SEARCH.get(row.get("stopped_by") or "", "")
        if row["ruled_out"] and search not in ("proven",):
            search = "ruled out"
        if not has_plan:
            search = row["status"] + (f": {row['note']}" if row.get("note") else "")
        place = row["place"] + ("" if row["decided"] or not row["place"] else " tie")
        table.append((
            place,
            str(row["date"]),
            prediction,
            _cell(row.get("vs_best_pct"), "{:+.1f} %") if has_plan else "",
            _cell(row.get("gap_pct"), "{:.2f} %") if has_plan else "",
            _cell(row.get("taper_start")),
            _cell(row.get("last_weeks_load")),
            _cell(row.get("peak_week_load"), "{:.0f}"),
            search,
            _cell(row.get("binding_rules")),
        ))  # fmt: skip
    widths = [max(len(r[k]) for r in table) for k in range(len(header))]
    for r in table:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    lines.append("")
    lines.extend(verdict(frame))
    return "\n".join(lines)


def verdict(frame: pd.DataFrame) -> list[str]:
    """What the ranking decides, in words, and what the sweep took."""
    places: dict[dt.date, Place] = frame.attrs.get("places", {})
    first = sorted(d for d, p in places.items() if p.first == 1)
    lines = []
    if not places:
        lines.append("No candidate date got a plan: nothing to rank.")
    elif frame.attrs.get("undetermined"):
        lines.append(
            f"Top place not decided: {', '.join(map(str, frame.attrs['undetermined']))} "
            "got no plan or no bound in the budget, and any of them may be the best."
        )
    elif frame.attrs.get("top_decided"):
        lines.append(f"Top place decided: {first[0]} (every other date's bound is below its plan).")
    elif frame.attrs.get("top_equivalent"):
        tolerance = 100 * frame.attrs.get("tolerance", 0.0)
        lines.append(
            f"Top place: practically equivalent between {', '.join(map(str, first))} (the best "
            f"any of them can reach is within {tolerance:g} % of each one's plan; --tolerance)."
        )
    else:
        lines.append(
            f"Top place: a tie within the bounds between {', '.join(map(str, first))} (each one's "
            "proven bound is above another's plan; more time may separate them)."
        )
    undecided = sorted(d for d, p in places.items() if not p.decided and p.first > 1)
    if undecided:
        lines.append(f"Lower places not decided: {', '.join(map(str, undecided))}.")
    missing = frame[~frame["date"].isin(list(places))]
    if len(missing):
        lines.append(f"Not ranked (no plan or no bound): {', '.join(map(str, missing['date']))}.")
    seconds, rounds = frame.attrs.get("sweep_seconds"), frame.attrs.get("rounds")
    if seconds is not None:
        lines.append(f"Sweep: {rounds} round(s), {seconds:.1f} s.")
    return lines


def table_text(frame: pd.DataFrame, kind: str) -> str:
    """The frame for machines: 'csv' or 'json' (records, ISO dates)."""
    if kind == "csv":
        return str(frame.to_csv(index=False))
    return str(frame.to_json(orient="records", date_format="iso", indent=2))


def plot_comparison(frame: pd.DataFrame, path: str | Path) -> None:
    """Predicted performance against candidate date: each candidate's interval from its plan up
    to its proven bound (what any plan for that date could reach at most), the decided ones
    filled, the ties hollow, the dates without a plan marked on the axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=120)
    ok = frame[frame["status"].isin(["optimal", "feasible"])]
    dates = pd.to_datetime(ok["date"])
    low = ok["performance"].astype(float)
    high = low + (ok["bound"].astype(float) - ok["objective"].astype(float)).clip(lower=0)
    ax.vlines(dates, low, high, color="#1f77b4", lw=6, alpha=0.35, label="plan .. bound")
    decided = ok["decided"].astype(bool)
    ax.scatter(dates[decided], low[decided], color="#1f77b4", zorder=3, label="place decided")
    ax.scatter(dates[~decided], low[~decided], facecolors="white", edgecolors="#1f77b4",
               zorder=3, label="tie within the bounds")  # fmt: skip
    if len(ok):
        best = low.max()
        ax.axhline(best, color="#2ca02c", lw=1, ls="--", label="best plan found")
    failed = frame[~frame["status"].isin(["optimal", "feasible"])]
    if len(failed):
        bottom = low.min() if len(ok) else 0
        ax.scatter(pd.to_datetime(failed["date"]), [bottom] * len(failed), marker="x",
                   color="#d62728", label="no plan (" + ", ".join(sorted(set(failed["status"]))) + ")")  # fmt: skip
    ax.set_title(f"Predicted performance on '{frame.attrs.get('race', 'race')}' by race date")
    ax.set_xlabel("candidate race date")
    ax.set_ylabel("predicted performance (model units)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    from periodize.core.files import write_png

    write_png(path, fig)
