"""Training already done: the days of a plan before "today", as the model holds them fixed.

A re-plan (`periodize replan`, solver/replan.py; the days are built in plan/pinning.py) keeps the plan's calendar and re-solves only
the days from today. Every day before today is *done*: what the training log says was done
there, or, where the log does not reach, what the plan said (the athlete followed it). The model
pins those days (solver/model/variables.py): the response model, the ramp, acute:chronic and taper
references and every rule window that reaches into the future see them, and a rule instance
that lies wholly in the past is not enforced (it happened; the plan cannot change it). The audit
leaves such instances out of the plan's violations and lists them as `Plan.in_the_log`.

Never imports the solver.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from periodize.core.terms import Phase


class DoneSession(BaseModel):
    """One session of a day already done, as the model holds it."""

    model_config = ConfigDict(frozen=True)

    type: str = Field(description="Library session id (a free-form session: its logged- type).")
    dose: int = Field(ge=0, description="The dose of that type nearest to what was done.")
    load: int = Field(ge=0, description="Session-RPE load actually done, AU.")
    minutes: int = Field(ge=0)
    note: str = Field("", description="Where it comes from: 'as planned', or the log's row.")


class Done(BaseModel):
    """Every day from the plan's start to the day before `today`, and the weeks already over."""

    model_config = ConfigDict(frozen=True)

    today: dt.date = Field(description="The first day the re-plan may change.")
    days: dict[dt.date, tuple[DoneSession, ...]] = Field(
        description="Each day before today with what was done on it (empty: nothing)."
    )
    phases: dict[int, Phase] = Field(description="Phase of each week that ended before today.")
    deloads: frozenset[int] = Field(description="Deload weeks among those.")
