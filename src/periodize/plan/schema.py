"""The plan: per day the sessions, load and predicted fitness/fatigue/performance; per week the
phase and load figures; per race the prediction; the solver's status, bound and gap.

Never imports the solver: `assembly.assemble_plan` turns chosen sessions into a Plan, and the
audit uses the same metrics on any plan, including one a person edited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from periodize.core.errors import Problem, ScenarioError
from periodize.plan.conflict import Conflict
from periodize.scenario.schema import Category, Phase, Priority

if TYPE_CHECKING:
    import pandas as pd

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
StoppedBy = Literal["complete", "time_limit", "work_limit", "cutoff", "interrupted"]
# The part of the solve whose plan a Plan holds (solver/search/pipeline.py)
FoundBy = Literal[
    "one_worker", "construct", "quick", "skeleton", "pieces", "dives", "portfolio", "relax"
]


class PlanModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SessionEntry(PlanModel):
    """One session on a day."""

    type: str = Field(description="Session type id from the scenario's library.")
    category: Category
    hard: bool
    minutes: int = Field(ge=0)
    load: int = Field(ge=0, description="Session-RPE load (AU).")
    done: str | None = Field(
        None,
        description="On a day already done (a re-plan): where the session comes from ('as "
        "planned', the training log's row, ...); absent on planned days.",
    )
    sequence: int = Field(
        0,
        ge=0,
        description="The session's calendar event SEQUENCE (RFC 5545): 0 in a first plan; a "
        "revision raises it when the session changes (revisions.successor_of).",
    )


class CancelledEvent(PlanModel):
    """A calendar event of an earlier revision that this plan no longer holds: the .ics carries
    it with STATUS:CANCELLED, so that a calendar that imported the earlier revision drops it."""

    date: dt.date
    slot: int = Field(ge=0, description="Its place in the day: 0 the main session, 1... add-ons.")
    sequence: int = Field(ge=0, description="The SEQUENCE of its cancellation.")


class DayPlan(PlanModel):
    """One plan day; fitness, fatigue and performance are morning values, before the day's training."""

    date: dt.date
    week: int = Field(
        ge=0,
        description="Week index from 0; the terminal, the report, the audit and --csv show week + 1.",
    )
    phase: Phase
    sessions: list[SessionEntry]
    load: int = Field(ge=0)
    fitness: float = Field(
        description="Fitness under the scenario's response model: banister, the sum of past loads "
        "decaying with tau1; busso, k1 times that sum (model units)."
    )
    fatigue: float = Field(
        description="Fatigue under the scenario's response model: banister, the sum of past loads "
        "decaying with tau2; busso, sum of k2(s) * load(s) decaying with tau2 (model units)."
    )
    performance: float = Field(
        description="Predicted performance (model units): banister p0 + k1*fitness - k2*fatigue, "
        "busso p0 + fitness - fatigue."
    )
    performance_pct: float | None = Field(
        None,
        description="Performance as a % change from the untrained baseline p0; none when the "
        "model has no baseline (p0 = 0: not calibrated to a test).",
    )
    ctl: float = Field(
        0.0, description="Chronic training load: 42-day exponentially weighted average load (AU)."
    )
    atl: float = Field(
        0.0, description="Acute training load: 7-day exponentially weighted average load (AU)."
    )
    tsb: float = Field(0.0, description="Training stress balance (form): ctl - atl (AU).")


class WeekSummary(PlanModel):
    """Load figures of one plan week (7-day blocks from the start date)."""

    week: int = Field(
        description="Week index from 0; the terminal, the report, the audit and --csv show week + 1."
    )
    start: dt.date
    days: int
    phase: Phase
    deload: bool = False
    load: int
    hard_days: int
    rest_days: int
    sessions: dict[str, int] = Field(description="Main sessions per category.")
    ramp_pct: float | None = Field(
        None,
        description="Change of load, %, against the week the ramp rule compares with: the week "
        "before if it was a loading week, the week before a deload; none after a taper, race or "
        "transition week.",
    )
    acute_chronic: float | None = Field(
        None, description="7-day load / (28-day load / 4) at the week's end."
    )
    monotony: float | None = Field(
        None, description="Mean / population SD of the daily loads (full weeks)."
    )


class RacePrediction(PlanModel):
    name: str
    date: dt.date
    priority: Priority
    predicted_performance: float
    change_pct: float | None = Field(
        None,
        description="The prediction as a % change from the untrained baseline p0; none when the "
        "model has no baseline (p0 = 0: not calibrated to a test).",
    )


class Violation(PlanModel):
    """A rule the plan breaks, found by the audit."""

    rule: str
    date: dt.date | None = None
    week: int | None = Field(
        None,
        description="Week index from 0; the terminal, the report, the audit and --csv show week + 1.",
    )
    amount: float | None = Field(
        None, description="By how much the limit is exceeded, in the rule's unit."
    )
    message: str


class Bend(PlanModel):
    """A rule instance the plan bends: a soft rule (or, with --relax, any rule) in one plan week."""

    rule: str
    week: int = Field(
        description="Week index from 0; the terminal, the report, the audit and --csv show week + 1."
    )
    start: dt.date = Field(description="First day of the week.")
    amount: float | None = Field(
        None, description="By how much the rule is missed, in the rule's unit (sum over the week)."
    )
    penalty: float | None = Field(
        None,
        description="Objective points this bend costs (soft rules; None for a relaxed hard rule).",
    )
    findings: list[str] = Field(default_factory=list, description="What the audit found.")


class DayChange(PlanModel):
    """A day a re-plan changed: what the plan it replaced held, what it holds now, and why."""

    date: dt.date
    before: list[str] = Field(description="Session ids (dose minutes) the old plan held.")
    after: list[str] = Field(description="Session ids (dose minutes) the new plan holds.")
    why: str = Field(description="The rule the old day would break now, or the objective.")


class Plan(PlanModel):
    """A periodized training block and how it was found."""

    status: Status
    plan_id: str | None = Field(
        None,
        pattern=r"^[0-9a-f]{32}$",
        description="The plan's identity across its revisions (a random UUID, hex), made when the "
        "plan is first solved: its calendar events' UIDs. None in plans saved before it existed "
        "(their events are named after the athlete).",
    )
    revision: int = Field(
        0, ge=0, description="0 for a first solve; each re-plan adds 1 (revisions.successor_of)."
    )
    cancelled: list[CancelledEvent] = Field(
        default_factory=list,
        description="Calendar events of earlier revisions this plan no longer holds.",
    )
    objective: float | None = Field(
        None,
        description="Priority-weighted race-day performance (model units), less the penalties "
        "of bent soft rules.",
    )
    bound: float | None = Field(None, description="Best bound the solver proved for the objective.")
    gap: float | None = Field(
        None, description="(bound - objective) / |objective|; 0 when proven optimal."
    )
    solve_seconds: float = 0.0
    seed: int = 0
    workers: int = 0
    athlete: str = ""
    response: Literal["banister", "busso"] = Field(
        "banister", description="The response model of the predictions and the objective."
    )
    baseline: float = Field(
        0.0,
        description="The response model's p0: predicted performance with no training, in its "
        "units (0 for a model not calibrated to a test).",
    )
    races: list[RacePrediction] = Field(default_factory=list)
    days: list[DayPlan] = Field(default_factory=list)
    weeks: list[WeekSummary] = Field(default_factory=list)
    violations: list[Violation] = Field(
        default_factory=list,
        description="Audit findings against hard rules (empty for a valid plan).",
    )
    bends: list[Bend] = Field(
        default_factory=list, description="Soft (or, relaxed, hard) rule instances the plan bends."
    )
    penalty: float = Field(0.0, description="Sum of the soft bends' penalties (in the objective).")
    relaxed: bool = Field(False, description="Solved with --relax: every rule could bend.")
    interrupted: bool = Field(
        False,
        description="Stopped on request (Ctrl-C, periodize.cancel()) before its time limit: the "
        "best plan found until then, and the bound proven until then.",
    )
    stopped_by: StoppedBy | None = Field(
        None,
        description="What ended the search: complete (proven optimal or infeasible), time_limit "
        "(the wall-clock limit), work_limit (the deterministic budget: the same seed gives the "
        "same plan on any machine, however loaded), cutoff (its bound fell below a better plan "
        "found elsewhere: a compare candidate ruled out), interrupted (stopped on request).",
    )
    found_by: FoundBy | None = Field(
        None,
        description="Which part of the solve found this plan: one_worker (the one-worker "
        "search), construct (the week-by-week construction, when the search found none), quick, "
        "skeleton, pieces, dives or portfolio (the stages of the multi-worker search), relax "
        "(--relax).",
    )
    found_at_seconds: float | None = Field(
        None,
        description="Seconds after the solve began when the part that found this plan ended "
        "with it.",
    )
    conflict: Conflict | None = Field(
        None, description="For an infeasible plan from compare or solve-many: the rules that clash."
    )
    today: dt.date | None = Field(
        None,
        description="A re-plan: the first day it planned; the days before it are what was done "
        "(their sessions carry `done`).",
    )
    in_the_log: list[Violation] = Field(
        default_factory=list,
        description="A re-plan: audit findings wholly in the days already done (what the "
        "training broke; no plan can change them). Not violations of the plan.",
    )
    changes: list[DayChange] = Field(
        default_factory=list,
        description="A re-plan: each day from today that differs from the plan it replaced.",
    )

    # ----------------------------------------------------------------- exports
    def to_dataframe(self) -> pd.DataFrame:
        """One row per day: date, week, phase, sessions, load, fitness, fatigue, performance (and
        as a % change from the untrained baseline), and CTL, ATL and TSB (the Performance Management Chart's averages)."""
        import pandas as pd

        rows = [
            {
                "date": pd.Timestamp(d.date),
                "week": d.week,
                "phase": d.phase.value,
                "sessions": " + ".join(s.type for s in d.sessions),
                "hard": any(s.hard for s in d.sessions),
                "minutes": sum(s.minutes for s in d.sessions),
                "load": d.load,
                "fitness": d.fitness,
                "fatigue": d.fatigue,
                "performance": d.performance,
                "performance_pct": d.performance_pct,
                "ctl": d.ctl,
                "atl": d.atl,
                "tsb": d.tsb,
            }
            for d in self.days
        ]
        return pd.DataFrame(rows).set_index("date") if rows else pd.DataFrame()

    def weeks_dataframe(self) -> pd.DataFrame:
        """One row per week with the load figures."""
        import pandas as pd

        return pd.DataFrame([w.model_dump() for w in self.weeks])

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str) -> Plan:
        return cls.model_validate_json(text)

    def write(self, path: str | Path) -> None:
        """Write as JSON (.json) or one row per day (.csv)."""
        from periodize.core.files import write_atomic

        path = Path(path)
        if path.suffix.lower() == ".csv":
            write_atomic(path, self.to_dataframe().to_csv())
        else:
            write_atomic(path, self.to_json() + "\n")


def new_plan_id() -> str:
    """A fresh plan identity: a random UUID (version 4), as 32 hex digits."""
    return uuid.uuid4().hex


def load_plan(path: str | Path) -> Plan:
    """Read a plan JSON file; raises ScenarioError naming the file and field on bad input."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(
            [Problem(str(path), "", f"cannot read file: {exc.strerror or exc}")]
        ) from None
    try:
        return Plan.from_json(text)
    except ValidationError as exc:
        raise ScenarioError(
            [
                Problem(str(path), ".".join(map(str, e["loc"])) or "(top level)", e["msg"])
                for e in exc.errors()
            ]
        ) from None
