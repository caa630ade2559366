"""A self-contained HTML report of a plan: load and form charts (Plotly, its JavaScript inlined so
the file works offline), a calendar, the weekly table, how close the plan came to each rule's
limit, and the prescription of every session type it uses."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from periodize.core.files import write_atomic
from periodize.output.report_page import DRAWN_PROBE, ERROR_PROBE, STYLE
from periodize.plan.schema import Plan, RacePrediction
from periodize.scenario.schema import Category, Phase, Scenario
from periodize.scenario.simulation import PERFORMANCE_FORMULA

PREP = {Phase.general_prep, Phase.specific_prep, Phase.pre_competition}
PHASE_COLORS = {
    Phase.general_prep: "rgba(31,119,180,0.10)",
    Phase.specific_prep: "rgba(44,160,44,0.12)",
    Phase.pre_competition: "rgba(255,127,14,0.12)",
    Phase.taper: "rgba(214,39,40,0.14)",
    Phase.race: "rgba(148,103,189,0.16)",
    Phase.transition: "rgba(127,127,127,0.12)",
}
CATEGORY_ORDER = [c for c in Category if c not in (Category.rest,)]
DAY = dt.timedelta(days=1)
CHART_CONFIG = {"responsive": True}  # charts follow their box's width (a phone's, too)


def _e(text) -> str:
    return html.escape(str(text))


def _phase_runs(plan: Plan) -> list[tuple[Phase, dt.date, dt.date]]:
    """Consecutive days of one phase: (phase, first day, day after the last)."""
    runs: list[tuple[Phase, dt.date, dt.date]] = []
    for day in plan.days:
        if runs and runs[-1][0] == day.phase and runs[-1][2] == day.date:
            runs[-1] = (day.phase, runs[-1][1], day.date + DAY)
        else:
            runs.append((day.phase, day.date, day.date + DAY))
    return runs


def _swatch(band: str) -> str:
    """A phase band's colour, stronger, for its legend entry."""
    return band.rsplit(",", 1)[0] + ",0.5)"


def _phase_key(plan: Plan) -> str:
    """The phase bands' colours as an HTML key under the charts (it reflows on a phone, where a
    chart legend would squeeze the plot)."""
    present = list(dict.fromkeys(phase for phase, _, _ in _phase_runs(plan)))
    return (
        "<p class='key'>Background bands: "
        + " ".join(
            f"<span><i style='background:{_swatch(PHASE_COLORS[p])}'></i>"
            f"{_e(p.value.replace('_', ' '))}</span>"
            for p in present
        )
        + " · A/B/C above a dotted line: a race (its name on hover).</p>"
    )


def _decorate(fig, plan: Plan) -> None:
    """Phase bands (their key is HTML under the charts) and race markers on a date axis: the
    race's priority letter (races within a week share a label), its name on hover. Month
    labels sit in the middle of their month, clear of the y axis's labels."""
    fig.update_xaxes(ticklabelmode="period")
    for phase, start, stop in _phase_runs(plan):
        fig.add_vrect(x0=start, x1=stop, fillcolor=PHASE_COLORS[phase], line_width=0, layer="below")
    groups: list[list[RacePrediction]] = []
    for race in sorted(plan.races, key=lambda r: r.date):
        if groups and (race.date - groups[-1][-1].date).days <= 7:
            groups[-1].append(race)
        else:
            groups.append([race])
    for group in groups:
        for race in group:
            x = dt.datetime.combine(race.date, dt.time(12))
            fig.add_vline(x=x, line_dash="dot", line_color="#6a3d9a")
        fig.add_annotation(
            x=dt.datetime.combine(group[0].date, dt.time(12)), y=1.0, yref="paper",
            text="·".join(r.priority.value for r in group), showarrow=False, yanchor="bottom",
            font_size=11, xanchor="left",
            hovertext="<br>".join(f"{r.priority.value} race {r.date}: {r.name}" for r in group),
        )  # fmt: skip


def load_chart(plan: Plan):
    """Weekly load as bars stacked by session category, phases as bands, races marked."""
    import plotly.graph_objects as go

    fig = go.Figure()
    starts = [w.start for w in plan.weeks]
    for category in CATEGORY_ORDER:
        loads = [0] * len(plan.weeks)
        for day in plan.days:
            loads[day.week] += sum(s.load for s in day.sessions if s.category == category)
        if any(loads):
            fig.add_bar(
                x=[s + 3.5 * DAY for s in starts], y=loads, name=category.value,
                width=[6 * 86_400_000] * len(starts),
            )  # fmt: skip
    _decorate(fig, plan)
    fig.update_layout(
        barmode="stack", title="Weekly load<br><sub>by session category and phase, AU</sub>",
        height=440,
        yaxis_title="AU a week",
        margin=dict(t=70, l=60, r=20, b=40), legend_orientation="h", legend_y=-0.12,
    )  # fmt: skip
    return fig


def form_chart(plan: Plan):
    """Predicted fitness, fatigue and performance (form) each morning; taper and races marked."""
    import plotly.graph_objects as go

    dates = [d.date for d in plan.days]
    fig = go.Figure()
    fig.add_scatter(x=dates, y=[d.fitness for d in plan.days], name="fitness", mode="lines")
    fig.add_scatter(x=dates, y=[d.fatigue for d in plan.days], name="fatigue", mode="lines")
    fig.add_scatter(
        x=dates, y=[d.performance for d in plan.days], name="performance (form)",
        mode="lines", line_width=3,
    )  # fmt: skip
    by_date = {d.date: d for d in plan.days}
    races = [r for r in plan.races if r.date in by_date]
    fig.add_scatter(
        x=[r.date for r in races], y=[by_date[r.date].performance for r in races],
        mode="markers", marker_size=11, marker_symbol="star", name="race day",
        hovertext=[f"{r.priority.value} race: {r.name}" for r in races],
    )  # fmt: skip
    _decorate(fig, plan)
    fig.update_layout(
        title=f"Predicted form<br><sub>fitness, fatigue, performance ({plan.response}), "
        "each morning</sub>",
        height=420, yaxis_title="model units (" + plan.response + ")",
        margin=dict(t=70, l=60, r=20, b=40), legend_orientation="h", legend_y=-0.12,
    )  # fmt: skip
    return fig


def training_load_chart(plan: Plan) -> Any:
    """CTL and ATL (42- and 7-day average daily loads) and TSB = CTL - ATL, the performance
    management chart's numbers (docs/science.md, "Reading the numbers")."""
    import plotly.graph_objects as go

    dates = [d.date for d in plan.days]
    fig = go.Figure()
    fig.add_bar(x=dates, y=[d.tsb for d in plan.days], name="TSB (form)", marker_color="#bbb")
    fig.add_scatter(x=dates, y=[d.ctl for d in plan.days], name="CTL (42 d)", mode="lines")
    fig.add_scatter(x=dates, y=[d.atl for d in plan.days], name="ATL (7 d)", mode="lines")
    _decorate(fig, plan)
    fig.update_layout(
        title="CTL, ATL and TSB<br><sub>AU a day, each morning</sub>", height=380,
        yaxis_title="AU a day",
        margin=dict(t=70, l=60, r=20, b=40), legend_orientation="h", legend_y=-0.12,
    )  # fmt: skip
    return fig


def _calendar(plan: Plan) -> str:
    races = {r.date: r for r in plan.races}
    rows = ["<table class='calendar'><tr><th>week</th>"]
    rows += [f"<th>{d}</th>" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")]
    rows.append("</tr>")
    by_week: dict[int, list] = {}
    for day in plan.days:
        by_week.setdefault(day.week, []).append(day)
    for week in plan.weeks:
        days = by_week.get(week.week, [])
        label = week.phase.value.replace("_", " ") + (" (deload)" if week.deload else "")
        cells = [f"<td><b>{week.week + 1}</b><br>{_e(label)}<br>{week.load} AU</td>"]
        pad_before = days[0].date.weekday() if days else 0
        cells += ["<td class='pad'></td>"] * pad_before
        for day in days:
            classes = ["day"]
            if any(s.hard for s in day.sessions):
                classes.append("hard")
            if day.date in races:
                classes.append("race")
            sessions = "".join(
                f"<span class='s{' h' if s.hard else ''}'>{_e(s.type)}"
                f"{f' {s.minutes}′' if s.minutes else ''}</span>"
                for s in day.sessions
            )
            cells.append(
                f"<td class='{' '.join(classes)}' data-date='{day.date}'>"
                f"<span class='date'>{day.date:%d %b}</span>{sessions}</td>"
            )
        cells += ["<td class='pad'></td>"] * (7 - pad_before - len(days))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _weekly_table(plan: Plan) -> str:
    head = (
        "<tr><th>week</th><th>starts</th><th>phase</th><th>load AU</th><th>ramp %</th>"
        "<th>A:C</th><th>monotony</th><th>hard days</th><th>rest days</th><th>sessions</th></tr>"
    )

    def num(value, fmt):
        return "" if value is None else format(value, fmt)

    rows = [
        f"<tr><td class='num'>{w.week + 1}</td><td>{w.start}</td>"
        f"<td>{_e(w.phase.value.replace('_', ' '))}{' (deload)' if w.deload else ''}</td>"
        f"<td class='num'>{w.load}</td><td class='num'>{num(w.ramp_pct, '+.1f')}</td>"
        f"<td class='num'>{num(w.acute_chronic, '.2f')}</td>"
        f"<td class='num'>{num(w.monotony, '.2f')}</td><td class='num'>{w.hard_days}</td>"
        f"<td class='num'>{w.rest_days}</td>"
        f"<td>{_e(', '.join(f'{k} {v}' for k, v in sorted(w.sessions.items()) if v))}</td></tr>"
        for w in plan.weeks
    ]
    return "<table>" + head + "".join(rows) + "</table>"


def _largest_ramp(plan: Plan) -> float | None:
    """Largest increase, %, against the ramp rule's reference week (WeekSummary.ramp_pct)."""
    return max((w.ramp_pct for w in plan.weeks if w.ramp_pct is not None), default=None)


def rule_margins(scenario: Scenario, plan: Plan) -> list[tuple[str, str, str]]:
    """(rule, setting, how close the plan came) for each enabled rule."""
    rules = scenario.rules
    weeks = plan.weeks
    full = [w for w in weeks if w.days == 7]
    hard_days = [d.date for d in plan.days if any(s.hard for s in d.sessions)]
    out: list[tuple[str, str, str]] = []
    if rules.hard_recovery.enabled and len(hard_days) > 1:
        gap = min(24 * (b - a).days for a, b in zip(hard_days, hard_days[1:]))
        out.append(
            ("hard_recovery", f"≥ {rules.hard_recovery.hours} h between hard sessions "
             f"({rules.hard_recovery.max_velocity_hours} h after max velocity)",
             f"closest two hard days: {gap} h apart")
        )  # fmt: skip
    if rules.consecutive_hard_days.enabled:
        run = longest = 0
        for day in plan.days:
            run = run + 1 if any(s.hard for s in day.sessions) else 0
            longest = max(longest, run)
        out.append(
            ("consecutive_hard_days", f"≤ {rules.consecutive_hard_days.max_days} hard days in a row",
             f"longest run: {longest}")
        )  # fmt: skip
    if rules.rest_days.enabled and full:
        fewest = min(w.rest_days for w in full)
        out.append(
            ("rest_days", f"≥ {rules.rest_days.min_per_week} rest days a week",
             f"fewest in a full week: {fewest}")
        )  # fmt: skip
    if rules.weekly_load_cap.enabled and weeks:
        top = max(w.load for w in weeks)
        cap = rules.weekly_load_cap.max_load
        out.append(
            ("weekly_load_cap", f"≤ {cap} AU a week",
             f"heaviest week: {top} AU ({100 * top / cap:.0f} % of the cap)" if cap else f"{top} AU")
        )  # fmt: skip
    largest = _largest_ramp(plan)
    if rules.ramp.enabled and largest is not None:
        out.append(
            ("ramp", f"≤ +{rules.ramp.max_increase_pct:g} % vs the last loading week",
             f"largest increase: {largest:+.1f} %")
        )  # fmt: skip
    if rules.deload.enabled:
        deloads = [str(w.week + 1) for w in weeks if w.deload]
        out.append(
            ("deload", f"one reduced week in every {rules.deload.every_weeks} "
             f"(−{rules.deload.min_reduction_pct:g} to −{rules.deload.max_reduction_pct:g} %)",
             f"deload weeks: {', '.join(deloads) or 'none (taper, race or transition weeks instead)'}")
        )  # fmt: skip
    ratios = [w.acute_chronic for w in weeks if w.acute_chronic is not None]
    if rules.acute_chronic.enabled and ratios:
        out.append(
            ("acute_chronic", f"{rules.acute_chronic.low:g}–{rules.acute_chronic.high:g}",
             f"range in the plan: {min(ratios):.2f}–{max(ratios):.2f}")
        )  # fmt: skip
    monotony = [w.monotony for w in weeks if w.monotony is not None]
    if rules.monotony.enabled and monotony:
        out.append(
            ("monotony", f"≤ {rules.monotony.max_monotony:g}",
             f"highest week: {max(monotony):.2f}")
        )  # fmt: skip
    if rules.frequency.enabled:
        for category, limit in sorted(rules.frequency.per_category.items()):
            counts = [w.sessions.get(category.value, 0) for w in full]
            if counts and (limit.min or limit.max is not None):
                setting = f"{limit.min}–{'' if limit.max is None else limit.max} a week"
                out.append(
                    (f"frequency: {category.value}", setting + " (phase overrides apply)",
                     f"{min(counts)}–{max(counts)} in full weeks")
                )  # fmt: skip
    if rules.taper.enabled:
        taper = [w for w in weeks if w.phase == Phase.taper]
        out.append(
            ("taper", f"{rules.taper.min_days}–{rules.taper.max_days} days, volume −"
             f"{rules.taper.min_volume_reduction_pct:g} to −{rules.taper.max_volume_reduction_pct:g} %",
             f"taper weeks: {', '.join(str(w.week + 1) for w in taper) or 'none'}")
        )  # fmt: skip
    found = {v.rule for v in plan.violations}
    shown = {name.split(":")[0] for name, _, _ in out}
    for name in type(rules).model_fields:
        rule = getattr(rules, name)
        if name != "preset" and getattr(rule, "enabled", False) and name not in shown:
            out.append((name, "enabled", "violated" if name in found else "holds (audit)"))
    return out


def binding_rules(scenario: Scenario, plan: Plan) -> list[str]:
    """The rules the plan meets exactly at their limit somewhere (the ones that shape it most):
    hard days exactly the minimum hours apart, the longest allowed run of hard days, a full week
    with the fewest rest days allowed, a week within 1 % of the load cap, an increase within one
    point of the ramp limit, an acute:chronic ratio or monotony within 0.02 of its bound."""
    rules = scenario.rules
    full = [w for w in plan.weeks if w.days == 7]
    hard = [d.date for d in plan.days if any(s.hard for s in d.sessions)]
    out = []
    if rules.hard_recovery.enabled and len(hard) > 1:
        if min(24 * (b - a).days for a, b in zip(hard, hard[1:])) <= rules.hard_recovery.hours:
            out.append("hard_recovery")
    if rules.consecutive_hard_days.enabled:
        run = longest = 0
        for day in plan.days:
            run = run + 1 if any(s.hard for s in day.sessions) else 0
            longest = max(longest, run)
        if longest >= rules.consecutive_hard_days.max_days:
            out.append("consecutive_hard_days")
    if rules.rest_days.enabled and full:
        if min(w.rest_days for w in full) <= rules.rest_days.min_per_week:
            out.append("rest_days")
    if rules.weekly_load_cap.enabled and plan.weeks:
        if max(w.load for w in plan.weeks) >= 0.99 * rules.weekly_load_cap.max_load:
            out.append("weekly_load_cap")
    largest = _largest_ramp(plan)
    if rules.ramp.enabled and largest is not None and largest >= rules.ramp.max_increase_pct - 1:
        out.append("ramp")
    ratios = [w.acute_chronic for w in plan.weeks if w.acute_chronic is not None]
    loading = [
        w.acute_chronic
        for w in plan.weeks
        if w.acute_chronic is not None and w.phase in PREP and not w.deload
    ]
    if rules.acute_chronic.enabled and ratios:
        low, high = rules.acute_chronic.low, rules.acute_chronic.high
        if max(ratios) >= high - 0.02 or min(loading, default=high) <= low + 0.02:
            out.append("acute_chronic")
    monotony = [w.monotony for w in plan.weeks if w.monotony is not None]
    if rules.monotony.enabled and monotony and max(monotony) >= rules.monotony.max_monotony - 0.02:
        out.append("monotony")
    return out


def _prescriptions(scenario: Scenario, plan: Plan) -> str:
    used = sorted({s.type for d in plan.days for s in d.sessions})
    items = []
    for sid in used:
        stype = scenario.sessions.by_id(sid)
        if stype is None:
            continue
        doses = ", ".join(f"{d.minutes}′ / {d.load} AU" for d in stype.doses)
        items.append(
            f"<dt>{_e(stype.name or sid)} <small>({_e(sid)}, {_e(stype.category.value)}"
            f"{', hard' if stype.hard else ''}; doses {_e(doses)})</small></dt>"
            f"<dd>{_e(stype.prescription or '—')}</dd>"
        )
    return "<dl>" + "".join(items) + "</dl>"


def render_report(scenario: Scenario, plan: Plan) -> str:
    """The whole report as one HTML document (Plotly's JavaScript inlined once)."""
    import plotly.io as pio

    figures = [
        (load_chart(plan), "load-chart"),
        (form_chart(plan), "form-chart"),
        (training_load_chart(plan), "pmc-chart"),
    ]
    charts = [  # Plotly's JavaScript with the first chart only
        pio.to_html(fig, full_html=False, include_plotlyjs=i == 0, config=CHART_CONFIG, div_id=div)
        for i, (fig, div) in enumerate(figures)
    ]
    gap = "" if plan.gap is None else f" · gap {100 * plan.gap:.2f} %"
    races = "".join(
        f"<li>{r.date} · {_e(r.priority.value)} · {_e(r.name)} · predicted performance "
        f"{r.predicted_performance:.1f}"
        f"{'' if r.change_pct is None else f' ({r.change_pct:+.1f} % over untrained)'}</li>"
        for r in plan.races
    )
    audit = (
        "every rule holds"
        if not plan.violations
        else f"{len(plan.violations)} violation(s): "
        + "; ".join(_e(f"{v.rule} {v.date or ''} {v.message}") for v in plan.violations)
    )
    if plan.bends:
        audit += f" · {len(plan.bends)} bent rule-week(s): " + "; ".join(
            _e(f"{b.rule} in week {b.week + 1} ({'; '.join(b.findings)})") for b in plan.bends
        )
    margins = "".join(
        f"<tr><td>{_e(a)}</td><td>{_e(b)}</td><td>{_e(c)}</td></tr>"
        for a, b, c in rule_margins(scenario, plan)
    )
    first, last = plan.days[0].date, plan.days[-1].date
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Training plan · {_e(plan.athlete)}</title>
{ERROR_PROBE}
<style>{STYLE}</style></head>
<body>
<h1>Training plan · {_e(plan.athlete)}</h1>
<p class="summary">{first} – {last} ({len(plan.days)} days, {len(plan.weeks)} weeks) ·
status {plan.status}{gap} · audit: {audit}</p>
<ul>{races}</ul>
<h2>Load</h2>
<p class="summary">Loads are session-RPE loads in arbitrary units (AU): a session's minutes ×
its rating of perceived exertion on the 0–10 scale (Foster et al. 2001).</p>
{charts[0]}
<h2>Fitness, fatigue and form</h2>
{charts[1]}
<h2>Training load: CTL, ATL, TSB</h2>
{charts[2]}
{_phase_key(plan)}
<h2>Calendar</h2>
<div class="wide">{_calendar(plan)}</div>
<h2>Weeks</h2>
<div class="wide">{_weekly_table(plan)}</div>
<p class="summary">load: the week's AU · ramp %: change against the week the ramp rule compares
with (the week before, or the week before a deload) · A:C: the last 7 days' load against the
28-day weekly average · monotony: the week's mean daily load / its standard deviation (Foster
1998) · hard days and rest days: days holding a hard session, days with no training.</p>
<h2>Rules and how close the plan came</h2>
<div class="wide"><table><tr><th>rule</th><th>setting</th><th>in this plan</th></tr>{margins}</table></div>
<h2>Sessions</h2>
{_prescriptions(scenario, plan)}
<p class="summary">Made by periodize. Performance is the {plan.response.capitalize()} model's
prediction in its own units ({_e(PERFORMANCE_FORMULA[plan.response])}){_units_note(plan)}.</p>
{DRAWN_PROBE}
</body></html>
"""


def _units_note(plan: Plan) -> str:
    if plan.baseline:
        return (
            f"; untrained, it predicts {plan.baseline:g}, and the % changes are measured from that"
        )
    return (
        ", not a race time: with no untrained baseline (p0 = 0) there is no % change; a model "
        "fitted to the athlete's tests (periodize fit) gives both"
    )


def write_report(scenario: Scenario, plan: Plan, path: str | Path) -> None:
    write_atomic(path, render_report(scenario, plan))
