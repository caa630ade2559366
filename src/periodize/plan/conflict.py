"""Why a scenario has no plan: a minimal set of rule instances that cannot hold together, in the
user's terms (the rule, its settings as written in the scenario, the weeks and races it bites on).

Data and wording only; `periodize.solver.explain` finds the set with the solver.
"""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from pydantic import BaseModel, ConfigDict, Field

from periodize.scenario.registry import settings_of
from periodize.scenario.schema import Priority, Scenario
from periodize.scenario.timeline import Timeline


class ConflictRule(BaseModel):
    """One rule instance of a conflict: a rule in one plan week."""

    model_config = ConfigDict(extra="forbid")

    rule: str = Field(description="The rule as the scenario names it, e.g. rest_days.")
    part: str | None = Field(None, description="The part of the rule, e.g. a frequency category.")
    week: int
    start: dt.date
    end: dt.date
    settings: str = Field(description="The rule's parameters as written in the scenario.")
    races: list[str] = Field(default_factory=list, description="Races the rule bites around.")


class Conflict(BaseModel):
    """A set of rule instances with no plan meeting all of them; minimal when dropping any one
    of them makes the rest feasible (checked by re-solving)."""

    model_config = ConfigDict(extra="forbid")

    status: str = Field(description="conflict, feasible (nothing to explain) or unknown.")
    rules: list[ConflictRule] = Field(default_factory=list)
    minimal: bool = False
    seconds: float = 0.0
    solves: int = Field(0, description="CP-SAT runs the explanation took.")

    def summary(self) -> str:
        """One line: each rule (part) and the weeks it bites in."""
        weeks: dict[str, list[int]] = {}
        for r in self.rules:
            name = f"{r.rule} ({r.part})" if r.part else r.rule
            weeks.setdefault(name, []).append(r.week + 1)
        parts = [f"{name} in week {', '.join(map(str, w))}" for name, w in weeks.items()]
        return "clash: " + "; ".join(parts) if parts else f"no conflict set ({self.status})"

    def text(self) -> str:
        """Readable lines: one per rule, consecutive weeks of a rule grouped."""
        if self.status == "feasible":
            return "the scenario has a plan: there is no conflict to explain"
        if not self.rules:
            return "no conflict set found within the time limit"
        head = "these rules cannot all hold" + (
            " (minimal: without any one of them the others can hold together)"
            if self.minimal
            else " (not shown minimal within the time limit)"
        )
        lines = [head + ":"]
        for _, group in groupby(self.rules, key=lambda r: (r.rule, r.part, r.settings, r.races)):
            items = list(group)
            for run in _runs(items):
                first, last = run[0], run[-1]
                weeks = (
                    f"week {first.week + 1}"
                    if first is last
                    else f"weeks {first.week + 1}-{last.week + 1}"
                )
                where = f"{weeks} ({first.start}..{last.end})"
                races = f", around {', '.join(first.races)}" if first.races else ""
                name = f"{first.rule} ({first.part})" if first.part else first.rule
                lines.append(f"  - {name}: {first.settings} — in {where}{races}")
        return "\n".join(lines)


def _runs(items: list[ConflictRule]) -> list[list[ConflictRule]]:
    """Split instances of one rule into runs of consecutive weeks."""
    runs: list[list[ConflictRule]] = []
    for item in items:
        if runs and item.week == runs[-1][-1].week + 1:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def describe(scenario: Scenario, timeline: Timeline, name: str, week: int) -> ConflictRule:
    """A rule instance ("rule" or "rule:part") in the scenario's own terms."""
    rule, _, part = name.partition(":")
    start = timeline.date(7 * week)
    end = timeline.date(min(7 * week + 6, timeline.n_days - 1))
    days = set(timeline.week_days(week))
    races = [
        f"'{r.name}' ({r.priority.value}, {r.date})"
        for d, r in sorted(timeline.race_by_day.items())
        if _race_matters(rule, d, days, r.priority, scenario, week, timeline)
    ]
    return ConflictRule(
        rule=rule,
        part=part or None,
        week=week,
        start=start,
        end=end,
        settings=settings(scenario, rule, start, end, part or None),
        races=races,
    )


def _race_matters(rule, day, days, priority, scenario, week, timeline) -> bool:
    if rule == "race_day":
        return day in days
    if rule == "day_before_race":
        return day - 1 in days
    if rule == "day_after_race":
        return day + 1 in days
    if rule == "b_race_reduction":
        reach = scenario.rules.b_race_reduction.days
        return priority == Priority.B and any(day - reach <= d < day for d in days)
    if rule in ("taper", "phases"):
        cycle = next((c for c in timeline.macrocycles if c.race_day == day), None)
        return cycle is not None and cycle.first_week <= week <= cycle.race_week
    return False


SKIP = {"enabled", "mode", "penalty"}


def settings(
    scenario: Scenario, rule: str, start: dt.date, end: dt.date, part: str | None = None
) -> str:
    """The parameters of a rule as written in the scenario, e.g. 'min_per_week = 2'."""
    avail = scenario.availability
    if rule == "availability.training_days":
        return "training_days = [" + ", ".join(d.value for d in avail.training_days) + "]"
    if rule == "availability.blackouts":
        hits = [b for b in avail.blackouts if b.start <= end and b.end >= start]
        return "; ".join(f"blackout {b.start}..{b.end} ({b.reason or 'no reason'})" for b in hits)
    if rule == "availability.fixed":
        return "fixed = [" + ", ".join(f"{f.weekday.value}: {f.session}" for f in avail.fixed) + "]"
    if rule == "availability.minutes_per_day":
        return f"minutes_per_day = {_value(avail.model_dump(mode='json')['minutes_per_day'])}"
    if rule == "availability.max_sessions_per_day":
        return f"max_sessions_per_day = {avail.max_sessions_per_day}"
    data = settings_of(scenario.rules, rule).model_dump(mode="json", exclude_none=True)
    if rule == "phases.transition":
        return f"transition_categories = {_value(data['transition_categories'])}"
    if rule == "phases":
        data.pop("transition_categories", None)
    if rule == "frequency":
        return _frequency(data, part)
    return ", ".join(f"{k} = {_value(v)}" for k, v in data.items() if k not in SKIP)


def _frequency(data: dict, category: str | None = None) -> str:
    """Sessions per week as written (of one category if given), leaving out ranges that do not
    limit anything (0..)."""

    def ranges(table: dict) -> str:
        limits = [
            (c, r)
            for c, r in sorted(table.items())
            if (r.get("min") or "max" in r) and category in (None, c)
        ]
        return ", ".join(f"{c} {_range(r)}" for c, r in limits)

    parts = [f"per week {ranges(data.get('per_category', {})) or 'no limit'}"]
    for phase, table in sorted(data.get("per_phase", {}).items()):
        if text := ranges(table):
            parts.append(f"in {phase} {text}")
    return "; ".join(parts)


def _range(r: dict) -> str:
    low, high = r.get("min", 0), r.get("max")
    return f"{low}..{'' if high is None else high}"


def _value(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value).lower() if isinstance(value, bool) else f"{value:g}"
