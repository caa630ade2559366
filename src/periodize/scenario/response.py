"""The response models' parameters as a scenario writes them (`athlete.response`): Banister's
fitness-fatigue model and Busso's variable dose-response model, a union tagged by `model`, with
the limits that keep every prediction finite. Simulation is in `scenario/simulation.py`; this module never
imports the solver."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from periodize.core.terms import Flag, Number, Strict, Text

# Limits of the response parameters, far beyond published values (gains of 0.00004-2 per unit,
# time constants of 2-61 days): beyond them the predictions overflow (k1 = 1e300 gave an infinite
# objective) and the objective's coefficients leave CP-SAT's integers.
MAX_GAIN = 1e4
MIN_TAU, MAX_TAU = 0.1, 1000.0  # days
MAX_P0 = 1e9
MAX_STATE = 1e9  # initial fitness and fatigue, load units


class Provenance(Strict):
    """Where a response model's parameters come from, and the test a fitted model predicts."""

    preset: Text | None = Field(
        None,
        description="Name of a preset in models/response/ the values came from, or the path of "
        "a preset file (one `periodize fit` wrote), relative to the scenario file.",
    )
    source: Text = Field("", description="Where the parameters come from.")
    test: Text = Field(
        "", description="The performance test the model was fitted to (periodize fit), if any."
    )
    unit: Text = Field("", description="That test's unit: predictions are in it.")
    lower_is_better: Flag = Field(
        False,
        description="The test improves as its value falls (a time): the model predicts minus the "
        "value, so that maximizing performance minimizes it; plans show the value.",
    )


class BanisterResponse(Provenance):
    """Banister fitness-fatigue parameters: p(t) = p0 + k1*fitness(t) - k2*fatigue(t), linear in
    the daily loads (Banister, Calvert et al. 1975/1976; domain.md section 6)."""

    model: Literal["banister"] = Field("banister", description="The response model's family.")
    k1: Number = Field(1.0, gt=0, le=MAX_GAIN, description="Fitness gain per unit load.")
    k2: Number = Field(2.0, gt=0, le=MAX_GAIN, description="Fatigue gain per unit load.")
    tau1: Number = Field(
        45.0, ge=MIN_TAU, le=MAX_TAU, description="Fitness decay time constant, days."
    )
    tau2: Number = Field(
        15.0, ge=MIN_TAU, le=MAX_TAU, description="Fatigue decay time constant, days."
    )
    p0: Number = Field(
        0.0, ge=-MAX_P0, le=MAX_P0, description="Baseline performance (units of the model)."
    )

    @model_validator(mode="after")
    def _fitness_outlasts_fatigue(self) -> BanisterResponse:
        if self.tau1 <= self.tau2:
            raise ValueError("tau1 (fitness) must be longer than tau2 (fatigue)")
        return self


class BussoResponse(Provenance):
    """Busso's variable dose-response model (Busso 2003, MSSE 35:1188): the fatigue gain grows
    with recent load, k2(i) = k3 * sum_{j<=i} w(j) e^(-(i-j)/tau3), so predicted performance is
    concave in the loads and a taper that reduces training beats one that stops it (Thomas &
    Busso 2005, MSSE 37:1615). Loads enter as w = load_scale * session-RPE load."""

    model: Literal["busso"] = Field(description="The response model's family.")
    k1: Number = Field(gt=0, le=MAX_GAIN, description="Fitness gain per unit load.")
    k3: Number = Field(
        gt=0, le=MAX_GAIN, description="Growth of the fatigue gain per unit of recent load."
    )
    tau1: Number = Field(ge=MIN_TAU, le=MAX_TAU, description="Fitness decay time constant, days.")
    tau2: Number = Field(ge=MIN_TAU, le=MAX_TAU, description="Fatigue decay time constant, days.")
    tau3: Number = Field(
        ge=MIN_TAU,
        le=MAX_TAU,
        description="Decay of recent load in the fatigue gain, days; under 2 x tau2.",
    )
    p0: Number = Field(
        0.0, ge=-MAX_P0, le=MAX_P0, description="Baseline performance (units of the model)."
    )
    load_scale: Number | None = Field(
        None,
        ge=1e-6,
        le=1e6,
        description="Model load units per session-RPE AU. Unset: chosen so that the model's best "
        "steady daily load is the athlete's sustainable daily load (the weekly load cap / 7, "
        "else current_weekly_load / 7); docs/science.md says why.",
    )

    @model_validator(mode="after")
    def _concave(self) -> BussoResponse:
        if self.tau1 <= self.tau2:
            raise ValueError("tau1 (fitness) must be longer than tau2 (fatigue)")
        if self.tau3 >= 2 * self.tau2:
            raise ValueError(
                "tau3 must be under 2 x tau2: otherwise the fatigue term is not convex in the "
                "loads and the planner's bound is not valid"
            )
        return self


def _response_family(value: object) -> str:
    """The tag of a response model: its `model` field, banister when absent."""
    if isinstance(value, dict):
        family = value.get("model", "banister")
        return family if isinstance(family, str) else "banister"
    return str(getattr(value, "model", "banister"))


ResponseModel = Annotated[
    Annotated[BanisterResponse, Tag("banister")] | Annotated[BussoResponse, Tag("busso")],
    Discriminator(
        _response_family,
        custom_error_type="response_model",
        custom_error_message="athlete.response.model must be 'banister' or 'busso'",
    ),
]
