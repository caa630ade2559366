"""A catalog of realistic scenarios with no plan, each with the rules its explanation must name.

Every entry is a change to one 8-week block (Monday 2027-01-04 to an A race on Saturday
2027-02-27, a week of transition after it, sprint-default presets). `conflict` is the set of rule
families the minimal conflict set must consist of (the one the deletion finds: a scenario can
hold several).
"""

from __future__ import annotations

import copy
from typing import Any

BASE: dict[str, Any] = {
    "plan": {"start": "2027-01-04", "transition_days": 7},
    "athlete": {
        "name": "Catalog sprinter",
        "response": "banister-classic",
        "initial_fitness": 1500.0,
        "initial_fatigue": 1200.0,
        "current_weekly_load": 1800,
    },
    "races": [{"name": "Regional 100 m", "date": "2027-02-27", "priority": "A"}],
    "availability": {"minutes_per_day": 120, "max_sessions_per_day": 2},
    "sessions": {"preset": "sprint-default"},
    "rules": {"preset": "sprint-default"},
}


def _set(doc: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for key in parents:
        doc = doc.setdefault(key, {})
    doc[last] = value


def scenario(changes: dict[str, Any], extra_races: list[dict] = ()) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    for path, value in changes.items():
        _set(doc, path, value)
    doc["races"] = doc.get("races", []) + list(extra_races)
    return doc


CATALOG: dict[str, dict[str, Any]] = {
    "three-days-two-sprint-two-strength": dict(
        why="Three training days cannot hold two sprint and two strength sessions a week.",
        doc=scenario({"availability.training_days": ["tue", "thu", "sat"]}),
        conflict={"availability.training_days", "frequency"},
    ),
    "rest-days-crowd-out-the-template": dict(
        why="Three rest days leave four days for the template's six weekly sessions.",
        doc=scenario({"rules.rest_days": {"min_per_week": 3}}),
        conflict={"frequency", "rest_days"},
    ),
    "load-cap-below-the-template": dict(
        why="A 600 AU weekly cap is below the cheapest week holding any phase's minimum sessions.",
        doc=scenario({"rules.weekly_load_cap": {"max_load": 600}}),
        conflict={"frequency", "weekly_load_cap"},
    ),
    "heavy-strength-before-fixed-tempo": dict(
        why="A fixed heavy strength Monday before the club's Tuesday tempo, which the coach counts "
        "as sprinting.",
        doc=scenario(
            {
                "plan.transition_days": 0,
                "availability.fixed": [
                    {"weekday": "mon", "session": "heavy-strength"},
                    {"weekday": "tue", "session": "tempo"},
                ],
                "rules.strength_before_sprint": {
                    "sprint_categories": ["sprint", "hill", "test", "race", "tempo"]
                },
            }
        ),
        conflict={"availability.fixed", "strength_before_sprint"},
    ),
    "fixed-hard-days-back-to-back": dict(
        why="Fixed sprint sessions on Wednesday and Thursday: 24 h apart, 48 h needed.",
        doc=scenario(
            {
                "plan.transition_days": 0,
                "availability.fixed": [
                    {"weekday": "wed", "session": "acceleration"},
                    {"weekday": "thu", "session": "acceleration"},
                ],
            }
        ),
        conflict={"availability.fixed", "hard_recovery"},
    ),
    "b-race-after-a-fixed-hard-day": dict(
        why="A B race on a Saturday, two days after the fixed Thursday sprint session.",
        doc=scenario(
            {
                "availability.fixed": [{"weekday": "thu", "session": "acceleration"}],
                "plan.transition_days": 3,  # no Thursday in the transition after the A race
            },
            [{"name": "Club 60 m", "date": "2027-01-23", "priority": "B"}],
        ),
        conflict={"availability.fixed", "b_race_reduction"},
    ),
    "fixed-session-the-day-before-the-race": dict(
        why="A fixed Friday tempo session the day before a Saturday A race.",
        doc=scenario({"availability.fixed": [{"weekday": "fri", "session": "tempo"}]}),
        conflict={"availability.fixed", "day_before_race"},
    ),
    "fixed-sprints-the-day-after-a-race": dict(
        why="A C race on a Saturday and the fixed Sunday sprint session the day after.",
        doc=scenario(
            {"availability.fixed": [{"weekday": "sun", "session": "acceleration"}]},
            [{"name": "Indoor 60 m", "date": "2027-01-16", "priority": "C"}],
        ),
        conflict={"availability.fixed", "day_after_race"},
    ),
    "travel-through-the-taper": dict(
        why="A training camp blackout covers a week of taper days, which must keep a hard sprint.",
        doc=scenario(
            {
                "availability.blackouts": [
                    {"start": "2027-02-13", "end": "2027-02-22", "reason": "travel"}
                ]
            }
        ),
        conflict={"availability.blackouts", "taper"},
    ),
    "short-weekdays": dict(
        why="Only 25 minutes on weekdays: no sprint session fits 2-4 days before the Saturday race.",
        doc=scenario(
            {
                "availability.minutes_per_day": {
                    "mon": 25,
                    "tue": 25,
                    "wed": 25,
                    "thu": 25,
                    "fri": 25,
                    "sat": 90,
                    "sun": 90,
                }  # fmt: skip
            }
        ),
        conflict={"availability.minutes_per_day", "sharpening"},
    ),
    "phases-longer-than-the-block": dict(
        why="Eight weeks of specific preparation plus four of pre-competition before an 8-week race.",
        doc=scenario(
            {
                "rules.phases": {
                    "lengths": {
                        "specific_prep": {"min_weeks": 6, "max_weeks": 8},
                        "pre_competition": {"min_weeks": 4, "max_weeks": 4},
                    }
                }
            }
        ),
        conflict={"phases"},
    ),
    "no-tests-but-a-time-trial-rule": dict(
        why="Tests are capped at zero a week while the time-trial rule wants one every 3 weeks.",
        doc=scenario(
            {
                "rules.frequency": {"per_category": {"test": {"max": 0}}},
                "rules.time_trial": {"every_weeks": 3},
            }
        ),
        conflict={"frequency", "time_trial"},
    ),
    "club-sessions-every-day": dict(
        why="A club session fixed on every weekday leaves no rest day (no race, no time trials).",
        doc=scenario(
            {
                "races": [],
                "rules.time_trial": {"enabled": False},
                "availability.fixed": [
                    {"weekday": "mon", "session": "acceleration"},
                    {"weekday": "tue", "session": "mobility"},
                    {"weekday": "wed", "session": "heavy-strength"},
                    {"weekday": "thu", "session": "recovery-run"},
                    {"weekday": "fri", "session": "acceleration"},
                    {"weekday": "sat", "session": "posterior-chain"},
                    {"weekday": "sun", "session": "tempo"},
                ],
            }
        ),
        conflict={"availability.fixed", "rest_days"},
    ),
}
