"""Plan exports for people: an iCalendar file, a one-row-per-session CSV and a Markdown summary."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from periodize.core.files import write_atomic
from periodize.plan.schema import Plan
from periodize.scenario.schema import Scenario

PRODID = "-//periodize//training plan//EN"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "athlete"


def session_rows(scenario: Scenario, plan: Plan) -> list[dict]:
    """One dict per session of the plan, in date order (slot 0 is the day's main session)."""
    rows = []
    for day in plan.days:
        for slot, session in enumerate(day.sessions):
            stype = scenario.sessions.by_id(session.type)
            rows.append(
                {
                    "date": day.date.isoformat(),
                    "weekday": day.date.strftime("%a"),
                    "week": day.week + 1,
                    "phase": day.phase.value,
                    "slot": slot,
                    "session": session.type,
                    "name": (stype.name if stype else "") or session.type,
                    "category": session.category.value,
                    "hard": session.hard,
                    "minutes": session.minutes,
                    "load": session.load,
                    "prescription": stype.prescription if stype else "",
                }
            )
    return rows


def write_sessions_csv(scenario: Scenario, plan: Plan, path: str | Path) -> None:
    """One row per session, for spreadsheets."""
    import pandas as pd

    columns = [
        "date", "weekday", "week", "phase", "slot", "session", "name",
        "category", "hard", "minutes", "load", "prescription",
    ]  # fmt: skip
    write_atomic(
        path, pd.DataFrame(session_rows(scenario, plan), columns=columns).to_csv(index=False)
    )


def event_uid(plan: Plan, scenario: Scenario, date: dt.date, slot: int) -> str:
    """A session's calendar UID: the plan's identity, the day and the slot (slot 0 the day's
    main session), so that every revision of a plan updates the same events (renaming the
    athlete keeps them). Plans saved before plan_id existed name the athlete instead."""
    owner = plan.plan_id or _slug(plan.athlete or scenario.athlete.name)
    return f"{owner}-{date:%Y%m%d}-{slot}@periodize"


def calendar(
    scenario: Scenario,
    plan: Plan,
    previous: Plan | None = None,
    stamp: dt.datetime | None = None,
):
    """An RFC 5545 calendar: one all-day event per session (the scenario gives minutes per day,
    not clock times), each with the SEQUENCE the plan stores, and a STATUS:CANCELLED event for
    every event of an earlier revision the plan no longer holds. Given the `previous` revision,
    the plan is first made its successor (revisions.successor_of): changed events get a higher
    SEQUENCE, gone ones are cancelled, so that a calendar that imported `previous` ends up
    holding exactly this plan's sessions."""
    from icalendar import Calendar, Event

    from periodize.plan.revisions import successor_of

    if previous is not None:
        plan = successor_of(plan, previous)
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Training plan: {plan.athlete or scenario.athlete.name}")
    sequences = {(d.date, slot): s.sequence for d in plan.days for slot, s in enumerate(d.sessions)}
    for row in session_rows(scenario, plan):
        event = Event()
        date = dt.date.fromisoformat(row["date"])
        event.add("uid", event_uid(plan, scenario, date, row["slot"]))
        event.add("sequence", sequences[(date, row["slot"])])
        event.add("dtstamp", stamp)
        event.add("dtstart", date)
        event.add("dtend", date + dt.timedelta(days=1))
        minutes = f" {row['minutes']}'" if row["minutes"] else ""
        event.add("summary", f"{'● ' if row['hard'] else ''}{row['name']}{minutes}")
        event.add(
            "description",
            "\n".join(
                part
                for part in (
                    row["prescription"],
                    f"Week {row['week']} ({row['phase'].replace('_', ' ')}), "
                    f"{row['category']}, load {row['load']} AU"
                    + (", hard session" if row["hard"] else ""),
                )
                if part
            ),
        )
        event.add("categories", [row["category"]])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    for gone in plan.cancelled:
        event = Event()
        event.add("uid", event_uid(plan, scenario, gone.date, gone.slot))
        event.add("sequence", gone.sequence)
        event.add("status", "CANCELLED")
        event.add("dtstamp", stamp)
        event.add("dtstart", gone.date)
        event.add("dtend", gone.date + dt.timedelta(days=1))
        event.add("summary", "Cancelled: no longer in the plan")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal


def write_ics(
    scenario: Scenario, plan: Plan, path: str | Path, previous: Plan | None = None
) -> None:
    """The plan's calendar (calendar(); with `previous`, as its next revision) written whole."""
    write_atomic(path, calendar(scenario, plan, previous).to_ical())


def markdown(scenario: Scenario, plan: Plan) -> str:
    """A short summary to paste into a chat or a repository: races, then one line per week."""
    lines = [
        f"# Training plan: {plan.athlete or scenario.athlete.name}",
        "",
        f"{plan.days[0].date} to {plan.days[-1].date}, {len(plan.weeks)} weeks · "
        f"status {plan.status}" + (f" (gap {100 * plan.gap:.2f} %)" if plan.gap else ""),
        "",
        "| race | date | priority | predicted performance |",
        "|---|---|---|---:|",
    ]
    lines += [
        f"| {r.name} | {r.date} | {r.priority.value} | {r.predicted_performance:.1f} |"
        for r in plan.races
    ]
    lines += [
        "",
        "| week | starts | phase | load (AU) | hard days | sessions |",
        "|---:|---|---|---:|---:|---|",
    ]
    by_week: dict[int, list[str]] = {}
    for day in plan.days:
        main = [s.type for s in day.sessions if s.category.value != "rest"]
        if main:
            by_week.setdefault(day.week, []).append(f"{day.date:%a} {' + '.join(main)}")
    for week in plan.weeks:
        phase = week.phase.value.replace("_", " ") + (" (deload)" if week.deload else "")
        lines.append(
            f"| {week.week + 1} | {week.start} | {phase} | {week.load} | {week.hard_days} | "
            f"{'; '.join(by_week.get(week.week, [])) or 'rest'} |"
        )
    if plan.bends:
        lines += ["", "Rules bent in this plan:", ""]
        lines += [
            f"- {b.rule} in week {b.week + 1}: {'; '.join(b.findings)}"
            + (f" (penalty {b.penalty:g})" if b.penalty is not None else "")
            for b in plan.bends
        ]
    return "\n".join(lines) + "\n"
