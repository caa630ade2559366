"""Synthetic athletes for the fit's recovery test and benchmark (benchmarks/fit_recovery.py):
a periodized load history, tests every week or two, and test values simulated from known
parameters with the planner's own simulation (scenario/simulation.py) plus Gaussian test noise.

The true models are plausible rather than fitted to anyone: a cyclist's 5-minute power under
Banister's model (k2 about twice k1, tau2 well under tau1, as the app defaults and Busso 2003),
and a sprinter's 40 m time under Busso's (lower is better: the model predicts minus the time).
Noise: a test's typical error, about 0.5-1 % of the value (Hopkins 2000: 1.5 W on ~280 W, 0.03 s
on a 5.6 s 40 m).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from periodize.fitting.data import LoadHistory, TestResult, TestSeries
from periodize.scenario.simulation import Busso

START = dt.date(2026, 1, 5)
DAYS = 182  # 26 weeks


@dataclass(frozen=True)
class Truth:
    family: str
    parameters: dict[str, float]  # model units
    noise: float  # standard deviation of a test, in the test's units
    test: str
    unit: str
    lower_is_better: bool
    spacing: tuple[int, int]  # days between two tests, from .. to


BANISTER_TRUTH = Truth(
    "banister",
    {"p0": 265.0, "k1": 0.10, "k2": 0.20, "tau1": 40.0, "tau2": 10.0},
    1.5,
    "5 min power",
    "W",
    False,
    (10, 14),  # a lab test every other week or so
)
BUSSO_TRUTH = Truth(
    "busso",
    {"p0": -5.70, "k1": 0.0002, "k3": 0.0000007, "tau1": 35.0, "tau2": 12.0, "tau3": 4.0},
    0.03,
    "40 m",
    "s",
    True,
    (6, 8),  # timing gates at the start of a session, about weekly
)


def loads(rng: np.random.Generator, days: int = DAYS) -> list[float]:
    """Three loading weeks (each ~10 % more) and a deload at 60 %, rest on one or two days a
    week, a hard/easy pattern and day-to-day variation of +-25 %."""
    pattern = [1.3, 0.7, 1.2, 0.0, 1.4, 1.0, 0.6]  # Mon..Sun, Thursday off
    out = []
    for day in range(days):
        week = day // 7
        block = 1.0 + 0.1 * (week % 4) + 0.04 * (week // 4)
        scale = 0.6 if week % 4 == 3 else block
        base = 60.0 * scale * pattern[day % 7]
        if base and rng.random() < 0.08:  # a missed session
            base = 0.0
        out.append(round(base * rng.uniform(0.75, 1.25), 1))
    return out


def test_days(rng: np.random.Generator, spacing: tuple[int, int], days: int = DAYS) -> list[int]:
    """A test every `spacing` days from day 42 on (six weeks of history before the first)."""
    out, day = [], 42 + int(rng.integers(0, 5))
    while day < days:
        out.append(day)
        day += int(rng.integers(spacing[0], spacing[1] + 1))
    return out


def model_performance(truth: Truth, daily: list[float]) -> list[float]:
    """Model performance on each day's morning (the planner's convention), by scenario/simulation.py."""
    p = truth.parameters
    if truth.family == "busso":
        model = Busso(
            k1=p["k1"], k3=p["k3"], tau1=p["tau1"], tau2=p["tau2"], tau3=p["tau3"], p0=p["p0"]
        )
        return model.performance(daily)
    out, fitness, fatigue = [], 0.0, 0.0
    d1, d2 = math.exp(-1 / p["tau1"]), math.exp(-1 / p["tau2"])
    for load in daily:
        out.append(p["p0"] + p["k1"] * fitness - p["k2"] * fatigue)
        fitness, fatigue = (fitness + load) * d1, (fatigue + load) * d2
    return out


def athlete(truth: Truth, seed: int) -> tuple[LoadHistory, TestSeries]:
    """One synthetic athlete: loads, and tests with noise, as the fit reads them."""
    rng = np.random.default_rng(seed)
    daily = loads(rng)
    performance = model_performance(truth, daily)
    sign = -1.0 if truth.lower_is_better else 1.0
    results = tuple(
        TestResult(
            START + dt.timedelta(days=d), sign * performance[d] + rng.normal(0, truth.noise), i + 2
        )
        for i, d in enumerate(test_days(rng, truth.spacing))
    )
    history = LoadHistory(f"<synthetic loads {seed}>", "", START, tuple(daily), (), False)
    tests = TestSeries(
        f"<synthetic tests {seed}>", "", truth.test, truth.unit, truth.lower_is_better, results
    )
    return history, tests


def covered(truth: Truth, result) -> dict[str, bool]:
    """Whether each true parameter lies in the fit's 95 % interval."""
    return {
        name: p.low <= truth.parameters[name] <= p.high for name, p in result.parameters.items()
    }


def write_csv(history: LoadHistory, tests: TestSeries, loads_path, tests_path) -> None:
    """The synthetic athlete as the two CSV files `periodize fit` reads."""
    with open(loads_path, "w", encoding="utf-8") as fh:
        fh.write("date,load\n")
        for i, load in enumerate(history.loads):
            fh.write(f"{history.start + dt.timedelta(days=i)},{load}\n")
    with open(tests_path, "w", encoding="utf-8") as fh:
        fh.write("date,test,value,lower_is_better,unit\n")
        flag = "true" if tests.lower_is_better else "false"
        for r in tests.results:
            fh.write(f"{r.date},{tests.name},{r.value:.3f},{flag},{tests.unit}\n")
