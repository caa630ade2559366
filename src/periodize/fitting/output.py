"""What `periodize fit` gives back: the fitted response preset (TOML, with its provenance in
[meta]), the printed summary and the plot of the tests against the fitted curve."""

from __future__ import annotations

import datetime as dt
import json
import math
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from periodize.core.files import write_atomic, write_png
from periodize.fitting.estimate import FitResult
from periodize.fitting.problem import PARAMETERS, PRIOR_QUANTITIES

UNCERTAINTY = (
    "standard errors linearized: s^2 (J^T J)^-1 at the optimum with s^2 = SSE / (tests - "
    "parameters), by the delta method for tau1 and tau3; 95 % intervals: of the time constants "
    "by profile likelihood (the F bound SSE <= SSE_min (1 + t^2 / dof), other parameters "
    "refitted), of p0 and the gains value +- t x standard error (Student's t, tests - "
    "parameters degrees of freedom)"
)


def _version() -> str:
    try:
        return version("periodize")
    except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        return "unknown"


def _toml(value: object) -> str:
    """A TOML value: strings as JSON strings (valid TOML basic strings), dates bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("nan" if math.isnan(value) else "inf")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _units(result: FitResult) -> str:
    return f" {result.tests.unit}" if result.tests.unit else ""


def describe(result: FitResult) -> str:
    """One line saying what was fitted to what, for the preset's `source`."""
    h, t = result.history, result.tests
    return (
        f"periodize fit: {result.family} ({result.convention} convention) to {len(t.results)} "
        f"tests of {t.name!r} in {Path(t.file).name} and the loads of {Path(h.file).name} "
        f"({h.start} .. {h.end}); R² {result.r2:.3f}, RMSE {result.rmse:.3g}{_units(result)}"
    )


def _notes(result: FitResult) -> list[str]:
    notes = []
    if result.convention == "same-day":
        fatigue = "k2 e^(1/tau2)" if result.family == "banister" else "k3 e^(1/tau2)"
        notes.append(
            "Fitted with the test day's own load counted (same-day). The planner counts a "
            f"day's load from the next morning, so the parameters above are the exact morning "
            f"equivalents (k1 e^(1/tau1), {fatigue}; time constants unchanged): a race "
            "morning's prediction is this fit's prediction for the evening before, one day "
            "early. For planning, fit with --convention morning."
        )
    if result.tests.lower_is_better:
        notes.append(
            f"Lower {result.tests.name} is better: the model predicts minus the test's value "
            "(p0 is negative), so that the planner, which maximizes performance, minimizes the "
            "value; plans show it in the test's units."
        )
    if result.family == "busso":
        notes.append(
            "load_scale = 1: the plans' loads are taken in the units of the fitted history."
        )
    else:
        notes.append("The loads of plans using this model must be in the history's units.")
    return notes


def preset_toml(result: FitResult) -> str:
    """The fitted model as a response preset a scenario can name by its path. The top-level
    values are in the planner's morning convention; [meta] keeps the fit as made, its data
    (file names and SHA-256), its figures and warnings. No timestamp: the same data and
    options give the same file."""
    h, t = result.history, result.tests
    planning = result.planning_parameters()
    lines = [
        "# A response model fitted by `periodize fit` to one athlete's loads and tests "
        "(docs/fit.md).",
        '# A scenario names it by its path: [athlete] response = "this-file.toml" (relative to',
        "# the scenario file). The values below are in the planner's morning convention.",
        f"model = {_toml(result.family)}",
    ]
    lines += [f"{n} = {_toml(planning[n])}" for n in PARAMETERS[result.family][1:]]
    lines.append(f"p0 = {_toml(planning['p0'])}")
    if result.family == "busso":
        lines.append("load_scale = 1.0")
    lines += [
        f"test = {_toml(t.name)}",
        f"unit = {_toml(t.unit)}",
        f"lower_is_better = {_toml(t.lower_is_better)}",
        f"source = {_toml(describe(result))}",
        "",
        "[meta]",
        f"source = {_toml(describe(result))}",
        f"note = {_toml(' '.join(_notes(result)))}",
        f"fitted_by = {_toml('periodize ' + _version())}",
        f"model = {_toml(result.family)}",
        f"convention = {_toml(result.convention)}",
        f"loads_file = {_toml(h.file)}",
        f"loads_sha256 = {_toml(h.sha256)}",
        f"loads_from = {_toml('duration x RPE (Foster 2001)' if h.session_rpe else 'load')}",
        f"tests_file = {_toml(t.file)}",
        f"tests_sha256 = {_toml(t.sha256)}",
        f"first_day = {_toml(h.start)}",
        f"last_day = {_toml(h.end)}",
        f"first_test = {_toml(t.results[0].date)}",
        f"last_test = {_toml(t.results[-1].date)}",
        f"n_days = {len(h.loads)}",
        f"n_tests = {len(t.results)}",
        f"r2 = {_toml(result.r2)}",
        f"rmse = {_toml(result.rmse)}",
        f"loo_rmse = {_toml(result.loo_rmse if result.loo_rmse is not None else math.nan)}",
        f"degrees_of_freedom = {result.dof}",
        f"prior = {_toml(result.prior or '')}",
        f"prior_weight = {_toml(float(result.prior_weight))}",
        f"starts = {result.starts}",
        f"uncertainty = {_toml(UNCERTAINTY)}",
        f"warnings = {_toml(list(result.warnings))}",
    ]
    for p in result.parameters.values():
        lines += [
            "",
            f"[meta.fitted.{p.name}]  # as fitted ({result.convention} convention, model units)",
            f"value = {_toml(p.value)}",
            f"stderr = {_toml(p.stderr)}",
            f"low95 = {_toml(p.low)}",
            f"high95 = {_toml(p.high)}",
            f"interval = {_toml(p.interval)}",
        ]
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) or math.isinf(value) else "n/a"


def summary(result: FitResult) -> str:
    """The fit as the command prints it: parameters with uncertainty, goodness, warnings."""
    h, t = result.history, result.tests
    direction = ", lower is better" if t.lower_is_better else ""
    lines = [
        f"periodize fit · {result.family} · {result.convention} convention · "
        f"{len(t.results)} tests of {t.name!r}{' (' + t.unit + direction + ')' if t.unit or direction else ''}"
        f" · {len(h.loads)} days of loads ({h.start} .. {h.end})",
        "",
        f"  {'parameter':<10} {'value':>12} {'std. error':>12}   95 % interval (how)",
    ]
    for p in result.parameters.values():
        interval = "n/a" if math.isnan(p.low) else f"{_number(p.low)} .. {_number(p.high)}"
        how = f" ({p.interval})" if interval != "n/a" else ""
        lines.append(
            f"  {p.name:<10} {_number(p.value):>12} {_number(p.stderr):>12}   {interval}{how}"
        )
    if t.lower_is_better:
        lines.append(
            f"  (model units: minus the test's value; p0 {-result.value('p0'):.4g} as a value)"
        )
    loo = (
        f" · leave-one-test-out RMSE {result.loo_rmse:.3g}{_units(result)}"
        if result.loo_rmse is not None
        else ""
    )
    lines += ["", f"R² {result.r2:.4f} · RMSE {result.rmse:.3g}{_units(result)}{loo}"]
    if result.prior:
        quantities = ", ".join(PRIOR_QUANTITIES[result.family])
        lines.append(
            f"prior: {result.prior} (weight {result.prior_weight:g}): {quantities} pulled toward it"
        )
    lines.append(
        "uncertainty: standard errors linearized; intervals of the time constants by profile "
        "likelihood, the others linearized (docs/fit.md)"
    )
    lines += [f"warning: {w}" for w in result.warnings]
    lines += [f"note: {n}" for n in _notes(result)[:-1]]
    return "\n".join(lines)


def write_plot(result: FitResult, path: str) -> None:
    """The measured tests against the fitted curve, the daily loads under it: PNG (matplotlib)
    or self-contained HTML (Plotly), written whole."""
    days = [
        result.history.start + dt.timedelta(days=i) for i in range(len(result.history.loads) + 1)
    ]
    curve = result.curve()
    dates = [r.date for r in result.tests.results]
    values = [r.value for r in result.tests.results]
    unit = f" ({result.tests.unit})" if result.tests.unit else ""
    better = ", lower is better" if result.tests.lower_is_better else ""
    label = f"{result.tests.name}{unit}{better}"
    title = f"{result.family} fit ({result.convention}): R² {result.r2:.3f}, RMSE {result.rmse:.3g}{_units(result)}"
    if path.lower().endswith((".html", ".htm")):
        write_atomic(path, _plotly(result, days, curve, dates, values, label, title))
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(10, 6), dpi=120, sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    top.plot(days, curve, color="#1f77b4", lw=1.5, label="fitted model")
    top.scatter(dates, values, color="#d62728", zorder=3, label="measured test")
    top.set_ylabel(label)
    top.set_title(title)
    top.grid(alpha=0.3)
    top.legend()
    bottom.bar(days[:-1], result.history.loads, width=1.0, color="#888")
    bottom.set_ylabel("daily load")
    bottom.grid(alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    write_png(path, fig)


def _plotly(
    result: FitResult,
    days: list[dt.date],
    curve: list[float],
    dates: list[dt.date],
    values: list[float],
    label: str,
    title: str,
) -> str:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.75, 0.25])
    fig.add_trace(go.Scatter(x=days, y=curve, mode="lines", name="fitted model"), row=1, col=1)
    fig.add_trace(
        go.Scatter(x=dates, y=values, mode="markers", name="measured test", marker={"size": 9}),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Bar(x=days[:-1], y=list(result.history.loads), name="daily load", marker_color="#888"),
        row=2,
        col=1,
    )
    fig.update_yaxes(title_text=label, row=1, col=1)
    fig.update_yaxes(title_text="daily load", row=2, col=1)
    fig.update_layout(title=title, template="plotly_white")
    return str(fig.to_html(include_plotlyjs=True, full_html=True))
