"""Response models: how training turns into predicted performance (domain.md section 6).

Two families, chosen by the scenario's `athlete.response.model`: Banister's fitness-fatigue model
(Banister, Calvert et al. 1975/1976), linear in the loads, and Busso's variable dose-response
model (Busso 2003), whose fatigue gain grows with recent load. `simulate` runs the scenario's
model. Banister convention: fitness, fatigue and performance on day t are the values on the morning of day t,
before that day's training. A day's load counts from the next morning on, so a race's predicted
performance does not include the race's own load:

    fitness(t) = fitness0 * e^(-t/tau1) + sum_{s<t} load(s) * e^(-(t-s)/tau1)
    fatigue(t) = fatigue0 * e^(-t/tau2) + sum_{s<t} load(s) * e^(-(t-s)/tau2)
    performance(t) = p0 + k1 * fitness(t) - k2 * fatigue(t)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from periodize.scenario.schema import BanisterResponse, BussoResponse, Scenario

# How each response model's performance is made (docs/science.md, "Two response models").
PERFORMANCE_FORMULA = {
    "banister": "performance = p0 + k1·fitness − k2·fatigue",
    "busso": "performance = p0 + fitness − fatigue, the fatigue gain growing with recent load",
}


def in_test_units(model: BanisterResponse | BussoResponse, performance: float) -> float:
    """A prediction as the value of the test the model was fitted to (periodize fit): for a test
    whose lower value is better the model's performance is minus the value."""
    return -performance if model.lower_is_better else performance


def change_from_baseline(performance: float, baseline: float) -> float | None:
    """Performance as a % change from the untrained baseline p0 (positive is better; a model
    fitted to a lower-is-better test has a negative p0, the negated time). None when p0 is 0: the
    model is not calibrated to a test, and its units have no zero to measure a % from."""
    if not baseline:
        return None
    return round(100 * (performance - baseline) / abs(baseline), 2)


def influence(model: BanisterResponse, lag: int) -> float:
    """Effect of one unit of load on performance `lag` days later (0 for lag < 1)."""
    if lag < 1:
        return 0.0
    return model.k1 * math.exp(-lag / model.tau1) - model.k2 * math.exp(-lag / model.tau2)


def negative_influence_days(model: BanisterResponse) -> float:
    """t_n: loads closer than this many days to a race lower its performance (Fitz-Clarke 1991)."""
    if model.k2 <= model.k1:
        return 0.0
    return model.tau1 * model.tau2 / (model.tau1 - model.tau2) * math.log(model.k2 / model.k1)


@dataclass(frozen=True)
class Trajectory:
    """Morning values for each plan day."""

    fitness: list[float]
    fatigue: list[float]
    performance: list[float]


def initial_state(scenario: Scenario) -> tuple[float, float]:
    """Banister fitness and fatigue on the morning of the start day: from the load history when
    given."""
    model = banister_of(scenario)
    history = scenario.athlete.history
    if not history:
        return scenario.athlete.initial_fitness, scenario.athlete.initial_fatigue
    fitness = fatigue = 0.0
    for day in history:
        lag = (scenario.start - day.date).days
        fitness += day.load * math.exp(-lag / model.tau1)
        fatigue += day.load * math.exp(-lag / model.tau2)
    return fitness, fatigue


def banister_of(scenario: Scenario) -> BanisterResponse:
    model = scenario.athlete.response
    assert isinstance(model, BanisterResponse), "a Banister function on a busso scenario"
    return model


def simulate(scenario: Scenario, loads: Sequence[float]) -> Trajectory:
    """Fitness, fatigue and performance on each plan day's morning for these daily loads, under
    the scenario's response model."""
    if isinstance(scenario.athlete.response, BussoResponse):
        return busso_of(scenario).trajectory(loads, prior_days(scenario))
    model = banister_of(scenario)
    fitness, fatigue = initial_state(scenario)
    d1, d2 = math.exp(-1 / model.tau1), math.exp(-1 / model.tau2)
    fit_out, fat_out, perf_out = [], [], []
    for load in loads:
        fit_out.append(fitness)
        fat_out.append(fatigue)
        perf_out.append(model.p0 + model.k1 * fitness - model.k2 * fatigue)
        fitness = (fitness + load) * d1
        fatigue = (fatigue + load) * d2
    return Trajectory(fit_out, fat_out, perf_out)


def prior_days(scenario: Scenario) -> list[float]:
    """The daily loads before the start, oldest first (Scenario.prior_loads; missing days rest)."""
    prior = scenario.prior_loads()
    return [float(prior.get(day, 0)) for day in range(min(prior, default=0), 0)]


# The Performance Management Chart (TrainingPeaks, intervals.icu, GoldenCheetah; domain.md
# section 6): CTL and ATL are exponentially weighted averages of daily load with these time
# constants, and TSB ("form") = CTL - ATL.
CTL_DAYS = 42
ATL_DAYS = 7


def training_load_averages(
    scenario: Scenario, loads: Sequence[float]
) -> tuple[list[float], list[float]]:
    """CTL and ATL on each plan day's morning, by the performance-management-chart convention
    x(t) = x(t-1) + (load(t) - x(t-1)) / N over the days before t (so TSB = CTL - ATL is the
    previous day's, as those apps show it). They start from the load history when there is one
    (its missing days count as rest), else at the current weekly load / 7 (an athlete who trains
    it now has both averages there), else at 0. Unlike the Banister sums they are averages: a
    CTL of 300 means about 300 AU a day over the last weeks."""
    ctl = atl = 0.0
    if not scenario.athlete.history and scenario.athlete.current_weekly_load is not None:
        ctl = atl = scenario.athlete.current_weekly_load / 7
    for load in prior_days(scenario) if scenario.athlete.history else ():
        ctl += (load - ctl) / CTL_DAYS
        atl += (load - atl) / ATL_DAYS
    ctl_out, atl_out = [], []
    for load in loads:
        ctl_out.append(ctl)
        atl_out.append(atl)
        ctl += (load - ctl) / CTL_DAYS
        atl += (load - atl) / ATL_DAYS
    return ctl_out, atl_out


def baseline_performance(scenario: Scenario, day: int) -> float:
    """Banister performance on plan day `day` with no training at all in the plan."""
    model = banister_of(scenario)
    fitness, fatigue = initial_state(scenario)
    return (
        model.p0
        + model.k1 * fitness * math.exp(-day / model.tau1)
        - model.k2 * fatigue * math.exp(-day / model.tau2)
    )


@dataclass(frozen=True)
class Busso:
    """Busso's variable dose-response model (Busso 2003, MSSE 35:1188): the fatigue gain grows with
    recent load, k2(i) = k3 * sum_{j<=i} w(j) e^(-(i-j)/tau3), so that performance is concave in
    the loads and a taper that reduces training beats one that stops it (Thomas & Busso 2005,
    MSSE 37:1615). Morning convention as above:

        p(t) = p0 + k1 sum_{s<t} w(s) e^(-(t-s)/tau1) - sum_{s<t} k2(s) w(s) e^(-(t-s)/tau2)

    `scale` puts session-RPE loads on the model's load units: w = scale * load.
    """

    k1: float
    k3: float
    tau1: float
    tau2: float
    tau3: float
    p0: float = 0.0
    scale: float = 1.0

    def steady_optimum(self) -> float:
        """The constant daily load (in the scenario's units) that maximizes steady-state
        performance: p - p0 = k1 A u - k3 B u^2 with u = scale * load."""
        a1, a2, a3 = (math.exp(-1 / tau) for tau in (self.tau1, self.tau2, self.tau3))
        gain = self.k1 * a1 / (1 - a1)
        cost = self.k3 * a2 / ((1 - a2) * (1 - a3))
        return gain / (2 * cost) / self.scale

    def scaled_to(self, sustainable_daily_load: float) -> Busso:
        """The same model with `scale` chosen so that its steady optimum is this daily load: the
        load the athlete can sustain is where more daily training stops paying."""
        unscaled = replace(self, scale=1.0)
        return replace(self, scale=unscaled.steady_optimum() / sustainable_daily_load)

    def performance(self, loads: Sequence[float], history: Sequence[float] = ()) -> list[float]:
        """Performance on each plan day's morning; `history` holds the daily loads of the days
        before the plan (oldest first)."""
        return self.trajectory(loads, history).performance

    def trajectory(self, loads: Sequence[float], history: Sequence[float] = ()) -> Trajectory:
        """Each plan day's morning, in performance units: fitness = k1 * sum w(s) e^(-(t-s)/tau1),
        fatigue = sum k2(s) w(s) e^(-(t-s)/tau2), performance = p0 + fitness - fatigue."""
        a1, a2, a3 = (math.exp(-1 / tau) for tau in (self.tau1, self.tau2, self.tau3))
        fitness = fatigue = recent = 0.0
        fit_out, fat_out, perf_out = [], [], []
        for i, load in enumerate([*history, *loads]):
            if i >= len(history):
                fit_out.append(self.k1 * fitness)
                fat_out.append(fatigue)
                perf_out.append(self.p0 + self.k1 * fitness - fatigue)
            w = self.scale * load
            recent = recent * a3 + w  # sum_{j<=i} w(j) a3^(i-j)
            fitness = (fitness + w) * a1
            fatigue = (fatigue + self.k3 * recent * w) * a2
        return Trajectory(fit_out, fat_out, perf_out)


def busso_of(scenario: Scenario) -> Busso:
    """The scenario's Busso model on its load units: `load_scale` when given, else scaled so that
    its best steady daily load is the athlete's sustainable daily load (Busso.scaled_to)."""
    response = scenario.athlete.response
    assert isinstance(response, BussoResponse), "a Busso function on a banister scenario"
    model = Busso(
        k1=response.k1,
        k3=response.k3,
        tau1=response.tau1,
        tau2=response.tau2,
        tau3=response.tau3,
        p0=response.p0,
    )
    if response.load_scale is not None:
        return replace(model, scale=response.load_scale)
    sustainable = scenario.sustainable_daily_load()
    assert sustainable is not None, "validation requires load units for busso"
    return model.scaled_to(sustainable)


# Busso 2003 mean parameters (secondary citation, domain.md section 6; the preset
# models/response/busso-2003.toml); p0 is arbitrary, the load units are set by Busso.scaled_to.
BUSSO_2003 = Busso(k1=0.031, k3=0.000035, tau1=30.8, tau2=16.8, tau3=2.3)
