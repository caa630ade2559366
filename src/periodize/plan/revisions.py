"""A plan's revisions: a re-plan keeps the plan's identity and raises its calendar events'
SEQUENCE where they change, so that a calendar that imported an earlier revision's .ics ends up
holding exactly the newest plan's sessions (RFC 5545 SEQUENCE, RFC 5546: a higher SEQUENCE
replaces an event, STATUS:CANCELLED removes it). docs/report.md, "Calendars that stay in step".

Each session of a plan stores its event's SEQUENCE and each plan the events it cancelled, so
that the next revision continues from them whatever happened in between. This module never
imports the solver.
"""

from __future__ import annotations

import datetime as dt

from periodize.plan.schema import CancelledEvent, DayPlan, Plan, SessionEntry

Slot = tuple[dt.date, int]  # a calendar event's day and its place in the day


def event_content(day: DayPlan, session: SessionEntry) -> tuple[object, ...]:
    """What a session's calendar event shows that comes from the plan: the session type, its
    category, hard flag, minutes and load, and the day's week and phase (the names and the
    prescription come from the scenario's library at export)."""
    return (
        session.type,
        session.category,
        session.hard,
        session.minutes,
        session.load,
        day.week,
        day.phase,
    )


def successor_of(plan: Plan, previous: Plan) -> Plan:
    """`plan` as the next revision of `previous`: previous's plan_id, its revision + 1, and
    each event's SEQUENCE — kept where the session is as before (event_content on that day and
    slot), one more than before where it changed, one more than its cancellation where a
    cancelled event returns, 0 for an event never seen; previous's events that are gone become
    `cancelled` one SEQUENCE higher, and earlier cancellations are carried on (a calendar that
    skipped a revision still drops them). Deterministic: the same plan and previous give the
    same revision, whatever sequences `plan` held."""
    before: dict[Slot, tuple[tuple[object, ...], int]] = {
        (day.date, slot): (event_content(day, session), session.sequence)
        for day in previous.days
        for slot, session in enumerate(day.sessions)
    }
    gone: dict[Slot, int] = {(c.date, c.slot): c.sequence for c in previous.cancelled}
    days = []
    for day in plan.days:
        sessions = []
        for slot, session in enumerate(day.sessions):
            key = (day.date, slot)
            if key in before:
                content, sequence = before.pop(key)
                sequence += content != event_content(day, session)
            else:
                sequence = gone[key] + 1 if key in gone else 0
            gone.pop(key, None)
            sessions.append(session.model_copy(update={"sequence": sequence}))
        days.append(day.model_copy(update={"sessions": sessions}))
    cancelled = [
        CancelledEvent(date=date, slot=slot, sequence=sequence + 1)
        for (date, slot), (_, sequence) in before.items()
    ]
    cancelled += [
        CancelledEvent(date=date, slot=slot, sequence=seq) for (date, slot), seq in gone.items()
    ]
    return plan.model_copy(
        update={
            "plan_id": previous.plan_id,
            "revision": previous.revision + 1,
            "days": days,
            "cancelled": sorted(cancelled, key=lambda c: (c.date, c.slot)),
        }
    )
