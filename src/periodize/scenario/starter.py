"""`periodize init`: a starter scenario to edit, every line commented, that validates and solves
as written (tests/test_cli.py solves it)."""

from __future__ import annotations

import datetime as dt

TEMPLATE = """\
# {name} -- a starter scenario from `periodize init`: a {weeks}-week block to one race, on the
# bundled presets. Change what you need; everything not written here is a default
# (docs/scenario-format.md lists every field, its default and its source).

[plan]
start = {start}            # the first plan day; weeks run 7 days from it ({weekday} to {weekday_end})
# end = ...                   # default: the last race + transition_days (7)

[athlete]
name = "Athlete"
response = "busso-2003"       # Busso 2003: light training late in the block still pays
                              # (or "banister-classic"; or fit your own: periodize fit)
current_weekly_load = {weekly_load}    # session-RPE AU a week the athlete trains now (RPE x minutes):
                              # week 1 ramps from it. Or history_csv = "loads.csv" (date,load)

[[races]]
name = "{race_name}"
date = {race}             # a {race_weekday}
priority = "A"                # A: peaked for, with a taper; B: a short reduction; C: trained through

[availability]
minutes_per_day = 120         # per day, or a table: {{ mon = 60, sat = 150 }}
# training_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# blackouts = [{{ start = 2027-02-10, end = 2027-02-14, reason = "travel" }}]

[sessions]
preset = "sprint-default"     # the session library (models/sessions/sprint-default.toml)

[rules]
preset = "sprint-default"     # recovery, frequency, load cap, ramp, deloads, taper, race-day rules

[rules.weekly_load_cap]
max_load = {cap}              # AU a week: the most a week may hold (here 1.2 x the current load)
"""


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def starter(name: str, start: dt.date, race: dt.date, race_name: str, weekly_load: int) -> str:
    """The starter file's text."""
    weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    return TEMPLATE.format(
        name=name,
        weeks=((race - start).days + 7) // 7,
        start=start.isoformat(),
        weekday=weekdays[start.weekday()],
        weekday_end=weekdays[(start.weekday() + 6) % 7],
        weekly_load=weekly_load,
        race_name=race_name,
        race=race.isoformat(),
        race_weekday=weekdays[race.weekday()],
        cap=round(1.2 * weekly_load),
    )
