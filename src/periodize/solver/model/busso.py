"""Busso's model as the objective: race-day performance, concave in the daily loads, in CP-SAT.

Busso (2003), morning convention, w = load_scale * load:

    p(T) = p0 + k1 sum_{s<T} w(s) a1^(T-s) - k3 sum_{s<T} a2^(T-s) w(s) R(s),
    R(s) = sum_{j<=s} w(j) a3^(s-j),     a_i = e^(-1/tau_i).

The fatigue term is a quadratic form with products across days. With R(s) = a3 R(s-1) + w(s),

    w(s) R(s) = (R(s)^2 - a3^2 R(s-1)^2 + w(s)^2) / 2,

so the fatigue term is a sum of squares with nonnegative coefficients (when a2 > a3^2, i.e.
tau3 < 2 tau2, which the scenario checks): sum_s A(s) R(s)^2 + B(s) w(s)^2. Each square is
encoded so that the model's performance is exact at integer plans up to a stated error and never
below the true value, which keeps the proven bound valid:

- w(s)^2 is exact and linear in the day's choices: a day holds at most one main session, so
  w^2 = sum load^2 x over its choices, plus 2 load_a * (the other load when add-on a is held),
  a product written with one variable per add-on and its lower linear bound. In the LP this
  charges the mixing of fractional sessions, which a square of the day's load would not see.
- R(s)^2 uses an integer r(s) = floor(10 R(s)) (R in tenths of AU, from weights rounded to
  1/1000, truncated where a3^k < 1e-4), and a variable above the tangent lines of r^2 at
  points spaced geometrically by TANGENT_RATIO: under the square by at most
  ((TANGENT_RATIO - 1) / 2)^2 of it between two points.

Measured on the 16-week default, the model's race-day performance is 0.04-0.07 % of the gain over
no training above the re-simulated one (tests/test_busso.py pins 0.1 % on a solved plan).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from periodize.scenario.simulation import Busso
from periodize.solver.model.variables import Expr, PlanVariables

WEIGHT_RESOLUTION = 1000  # R's day weights a3^k are rounded to 1/1000 ...
RECENT_UNITS = 10  # ... and R itself to tenths of AU
SMALLEST_WEIGHT = 1e-4  # days further back than a3^k < this drop out of R
TANGENT_RATIO = 1.04  # successive tangent points of r^2
SQUARE_RESOLUTION = 1000  # the largest square coefficient, in objective units
SMALLEST_SQUARE = 1e-3  # squares whose coefficient rounds below this many objective units: none


@dataclass(frozen=True)
class BussoTerms:
    """Race-day performance (summed over the targets with their weights) as
    constant + sum linear[s] load(s) - sum recent_square[s] R(s)^2 - day_square[s] load(s)^2,
    loads in AU, R(s) = sum weight * load(j) over recent[s] + recent_prior[s] (in AU)."""

    constant: float
    linear: list[float]
    recent_square: list[float]
    day_square: list[float]
    recent: list[list[tuple[int, float]]]
    recent_prior: list[float]

    def value(self, loads: Sequence[float]) -> float:
        """The prediction for these daily loads (equal to Busso's simulation up to the
        truncation of R)."""
        total = self.constant
        for s, load in enumerate(loads):
            r = self.recent_prior[s] + sum(w * loads[j] for j, w in self.recent[s])
            total += self.linear[s] * load - self.recent_square[s] * r * r
            total -= self.day_square[s] * load * load
        return total


def busso_terms(
    model: Busso, targets: Sequence[tuple[int, float]], prior: Sequence[float], n_days: int
) -> BussoTerms:
    """The terms for targets (plan day, weight) and `prior` daily loads before the plan (oldest
    first)."""
    a1, a2, a3 = (math.exp(-1 / tau) for tau in (model.tau1, model.tau2, model.tau3))
    c, k3 = model.scale, model.k3
    span = max(1, math.ceil(math.log(SMALLEST_WEIGHT) / math.log(a3)))
    history = {j - len(prior): load for j, load in enumerate(prior)}  # day offset -> load

    def prior_recent(s: int) -> float:  # history's part of R(s), in AU
        return sum(load * a3 ** (s - j) for j, load in history.items() if 0 <= s - j <= span)

    linear, recent_square, day_square = [0.0] * n_days, [0.0] * n_days, [0.0] * n_days
    constant = 0.0
    for target, weight in targets:
        constant += weight * model.p0
        for j, load in history.items():  # the history's own fitness and fatigue
            constant += weight * model.k1 * c * load * a1 ** (target - j)
            constant -= weight * k3 * c * c * a2 ** (target - j) * load * prior_recent(j)
        # the first plan day's -a3^2 R(-1)^2 term
        constant += weight * k3 / 2 * c * c * a2**target * a3**2 * prior_recent(-1) ** 2
        for s in range(min(target, n_days)):
            half = weight * k3 / 2 * c * c * a2 ** (target - s)
            linear[s] += weight * model.k1 * c * a1 ** (target - s)
            day_square[s] += half
            recent_square[s] += half
            if s <= target - 2:  # R(s)^2 also appears as -a3^2 R(s)^2 in day s + 1's term
                recent_square[s] -= half / a2 * a3**2
    recent = [[(j, a3 ** (s - j)) for j in range(max(0, s - span), s + 1)] for s in range(n_days)]
    return BussoTerms(
        constant,
        linear,
        recent_square,
        day_square,
        recent,
        [prior_recent(s) for s in range(n_days)],
    )


def objective_scale(terms: BussoTerms) -> float:
    """Objective units per performance unit: the largest square coefficient is
    SQUARE_RESOLUTION."""
    biggest = max((*terms.day_square, *terms.recent_square), default=0.0)
    return SQUARE_RESOLUTION / biggest if biggest > 0 else 1.0


def busso_performance(pv: PlanVariables, terms: BussoTerms, scale: float) -> Expr:
    """The scaled race-day performance less its constant, adding the variables and constraints of
    the squares to the model."""
    total: Expr = sum(
        round(scale * c) * pv.day_load[s] for s, c in enumerate(terms.linear) if round(scale * c)
    )
    for s in range(pv.timeline.n_days):
        if terms.recent_square[s] * scale >= SMALLEST_SQUARE:
            total -= _recent_square(pv, terms, s, scale)
        if round(terms.day_square[s] * scale):
            total -= round(terms.day_square[s] * scale) * _day_square(pv, s)
    return total


def _recent_square(
    pv: PlanVariables, terms: BussoTerms, s: int, scale: float
) -> cp_model.LinearExpr:
    """recent_square[s] * R(s)^2 in objective units, from below (tangent lines)."""
    model = pv.model
    weights = [(round(WEIGHT_RESOLUTION * w), j) for j, w in terms.recent[s]]
    weights = [(q, j) for q, j in weights if q]
    prior = round(WEIGHT_RESOLUTION * terms.recent_prior[s])
    step = WEIGHT_RESOLUTION // RECENT_UNITS
    lowest = prior // step
    highest = (sum(q * pv.day_max_load[j] for q, j in weights) + prior) // step
    r = model.new_int_var(lowest, highest, f"busso_recent@d{s}")
    exact = sum(q * pv.day_load[j] for q, j in weights) + prior
    model.add(step * r <= exact)
    model.add(exact <= step * r + step - 1)
    cost = terms.recent_square[s] * scale / RECENT_UNITS**2
    return _square_from_below(pv, s, r, lowest, highest, cost)


def _square_from_below(
    pv: PlanVariables, s: int, r: cp_model.IntVar, lowest: int, highest: int, cost: float
) -> cp_model.LinearExpr:
    """cost * r^2 (cost in objective units per unit of r^2) as an integer multiple of a variable
    z >= (2 y r - y^2) / divisor at each tangent point y: z * divisor <= r^2 at its least, and
    equal at the tangent points."""
    divisor = max(SQUARE_RESOLUTION, math.ceil(SQUARE_RESOLUTION / cost))
    z = pv.model.new_int_var(0, highest * highest // divisor + 1, f"busso_recent_square@d{s}")
    for y in _tangent_points(lowest, highest):
        pv.model.add(divisor * z >= 2 * y * r - y * y)
    return round(cost * divisor) * z


def _tangent_points(lowest: int, highest: int) -> list[int]:
    """0 (z >= 0), then points from highest / 300 to highest, TANGENT_RATIO apart."""
    points = {max(lowest, 0)}
    y = max(highest / 300, 1.0, float(lowest))
    while y < highest * TANGENT_RATIO:
        points.add(round(y))
        y *= TANGENT_RATIO
    return sorted(points)


def _day_square(pv: PlanVariables, s: int) -> Expr:
    """load(s)^2 in AU^2, linear in the day's choices: exact for every integer plan, never above
    it in the LP. A day holds at most one main session (and each session type at most once), so
    load^2 = sum load_c^2 x_c + 2 sum over add-ons a of load_a x_a (load of the day's choices
    listed before a that can be held with it)."""
    if s in pv.done_load:  # a day already done: its load is known
        return pv.done_load[s] ** 2
    model, library = pv.model, pv.scenario.sessions
    keys = sorted(key for key in pv.choice if key[0] == s)
    load = {key: library.type_of(key[1]).doses[key[2]].load for key in keys}
    keys = [key for key in keys if load[key]]
    square: Expr = sum(load[key] ** 2 * pv.choice[key] for key in keys)
    addons = [key for key in keys if library.type_of(key[1]).addon]
    for i, addon in enumerate(addons):
        partners = [
            key
            for key in keys
            if key[1] != addon[1] and (not library.type_of(key[1]).addon or key in addons[:i])
        ]
        if not partners:
            continue
        most = min(sum(load[key] for key in partners), pv.day_max_load[s])
        together = model.new_int_var(0, most, f"busso_with_{addon[1]}[{addon[2]}]@d{s}")
        held = sum(load[key] * pv.choice[key] for key in partners)
        model.add(together >= held - most * (1 - pv.choice[addon]))
        square += 2 * load[addon] * together
    return square
