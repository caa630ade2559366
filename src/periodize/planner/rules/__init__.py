"""One builder per rule family; `RULE_BUILDERS` lists them in the order the model adds them."""

from __future__ import annotations

from .availability import (
    add_daily_structure,
    add_fixed_commitments,
    add_minutes,
    add_non_training_days,
)
from .frequency import add_frequency
from .load import add_acute_chronic, add_deload, add_monotony, add_ramp, add_weekly_load_cap
from .phases import add_phase_order, add_time_trial, add_transition
from .races import add_b_race_reduction, add_day_after_race, add_day_before_race, add_race_day
from .recovery import (
    add_consecutive_hard_days,
    add_hard_recovery,
    add_rest_days,
    add_strength_before_sprint,
)
from .taper import add_taper

RULE_BUILDERS = (
    add_daily_structure,
    add_minutes,
    add_fixed_commitments,
    add_non_training_days,
    add_race_day,
    add_day_before_race,
    add_day_after_race,
    add_b_race_reduction,
    add_hard_recovery,
    add_consecutive_hard_days,
    add_strength_before_sprint,
    add_rest_days,
    add_phase_order,
    add_transition,
    add_taper,
    add_frequency,
    add_deload,  # before the ramp and acute:chronic rules: they read the deload weeks
    add_weekly_load_cap,
    add_ramp,
    add_acute_chronic,
    add_monotony,
    add_time_trial,
)
