"""Write the synthetic sprinter of examples/fit/: 26 weeks of sessions (date, duration, RPE) and
a weekly 40 m time, simulated from known Busso parameters with a timing gate's noise. Synthetic,
not a real athlete: it shows the files and the workflow, and since the truth is known, how close
the fit comes (docs/fit.md).

    python examples/fit/make_sprinter.py        # rewrites sprinter-sessions.csv, sprinter-tests.csv
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests"))

from fit_simulation import BUSSO_TRUTH, loads, model_performance, test_days  # noqa: E402

START = dt.date(2026, 7, 6)  # a Monday; the history ends the day before the plan's start
SCALE = 4.3  # the simulation's loads (~60 a day) to session-RPE AU (~260 a day, 1800 a week)
# BUSSO_TRUTH on session-RPE loads: k1 / SCALE, k3 / SCALE^2 give the same performance
TRUTH = replace(
    BUSSO_TRUTH,
    parameters={**BUSSO_TRUTH.parameters, "k1": 0.0002 / SCALE, "k3": 0.0000007 / SCALE**2},
)


def main() -> None:
    rng = np.random.default_rng(2026)
    daily = [round(load * SCALE) for load in loads(rng)]
    sessions = []
    for day, load in enumerate(daily):
        if load:
            rpe = 7 if load >= 300 else 4 if load < 150 else 5
            sessions.append((START + dt.timedelta(days=day), round(load / rpe), rpe))
    # the loads the fit will see are duration x RPE: simulate the tests from exactly those
    actual = [0.0] * len(daily)
    for date, minutes, rpe in sessions:
        actual[(date - START).days] += minutes * rpe
    times = [-p for p in model_performance(TRUTH, actual)]
    with open(HERE / "sprinter-sessions.csv", "w", encoding="utf-8") as fh:
        fh.write("date,duration,rpe\n")
        fh.writelines(f"{d},{m},{r}\n" for d, m, r in sessions)
    with open(HERE / "sprinter-tests.csv", "w", encoding="utf-8") as fh:
        fh.write("date,test,value,lower_is_better,unit\n")
        for day in test_days(rng, TRUTH.spacing):
            value = times[day] + rng.normal(0, TRUTH.noise)
            fh.write(f"{START + dt.timedelta(days=day)},40 m,{value:.2f},true,s\n")
    print("truth:", TRUTH.parameters)


if __name__ == "__main__":
    main()
