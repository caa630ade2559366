"""Calendars that stay in step (docs/report.md): a plan's revisions keep its events' UIDs and
raise their SEQUENCE where they change, so that a calendar that imported every revision — or
skipped some — holds exactly the newest plan's sessions. The calendar here is a model of a
client by RFC 5545/5546: an event is replaced only by a copy with a higher SEQUENCE, and a
cancelled one is removed (its SEQUENCE remembered, so a stale copy cannot bring it back)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import edit_plan, library, make, rules_off, scenario_dict, stype
from icalendar import Calendar

from periodize.output.export import calendar, write_ics
from periodize.plan.assembly import assemble_plan
from periodize.plan.revisions import successor_of
from periodize.plan.schema import Plan, load_plan
from periodize.scenario.schema import Phase

SPRINT = stype("sprint", "sprint", (60, 400), (45, 300), hard=True, prescription="6 x 30 m")
TEMPO = stype("tempo", "tempo", (45, 150))
MOBILITY = stype("mob", "mobility", (15, 30), addon=True)
DAYS = 14


class CalendarModel:
    """A calendar client: events by UID, as RFC 5546 updates them."""

    def __init__(self) -> None:
        self.events: dict[str, tuple[int, tuple[str, ...] | None]] = {}  # None: cancelled

    def import_ics(self, data: bytes) -> None:
        for event in Calendar.from_ical(data).walk("VEVENT"):
            uid, sequence = str(event["uid"]), int(event.get("sequence", 0))
            if uid in self.events and sequence <= self.events[uid][0]:
                continue  # an older copy, or the same one again
            cancelled = str(event.get("status", "")).upper() == "CANCELLED"
            self.events[uid] = (sequence, None if cancelled else _content(event))

    def live(self) -> dict[str, tuple[str, ...]]:
        return {uid: content for uid, (_, content) in self.events.items() if content is not None}


def _content(event) -> tuple[str, ...]:
    return (str(event["summary"]), str(event["description"]), str(event.decoded("dtstart")))


def newest(scenario, plan: Plan) -> dict[str, tuple[str, ...]]:
    """The events the plan itself holds (what the calendar should end up with)."""
    return {
        str(e["uid"]): _content(e)
        for e in calendar(scenario, plan).walk("VEVENT")
        if str(e.get("status", "")).upper() != "CANCELLED"
    }


def ics(scenario, plan: Plan) -> bytes:
    return calendar(scenario, plan, stamp=dt.datetime(2027, 1, 1, tzinfo=dt.UTC)).to_ical()


@pytest.fixture(scope="module")
def scenario():
    doc = scenario_dict(days=DAYS, sessions=library(SPRINT, TEMPO, MOBILITY), rules=rules_off())
    return make(doc)


@pytest.fixture(scope="module")
def revisions(scenario):
    """Revision 0 (a first plan) and three re-plans, each made the successor of the one before."""
    week = [[("sprint", 0), ("mob", 0)], [("tempo", 0)], [("rest", 0)], [("sprint", 0)],
            [("tempo", 0), ("mob", 0)], [("rest", 0)], [("race", 0)]]  # fmt: skip
    first = assemble_plan(
        scenario, week * 2, [Phase.general_prep, Phase.race], set(), status="optimal"
    )
    # 1: day 0 loses its add-on, day 1 becomes a sprint, day 2 gains an add-on
    one = edit_plan(scenario, first, {0: ["sprint"], 1: ["sprint"], 2: ["rest", "mob"]})
    # 2: day 0's add-on returns, day 1 changes again (a shorter dose), week 2 changes phase
    two = edit_plan(
        scenario,
        one,
        {0: ["sprint", "mob"], 1: [("sprint", 1)]},
        phases={1: Phase.taper},
    )
    # 3: day 1 once more, and the whole plan is a day shorter at its end
    three = edit_plan(scenario, two, {1: ["tempo"]})
    three = three.model_copy(update={"days": three.days[:-1]})
    plans = [first]
    for plan in (one, two, three):
        plans.append(successor_of(plan, plans[-1]))
    return plans


def test_a_first_plan_has_an_identity_and_revision_0(revisions):
    first = revisions[0]
    assert first.revision == 0 and len(first.plan_id) == 32 and first.cancelled == []
    assert {s.sequence for d in first.days for s in d.sessions} == {0}


def test_revisions_keep_the_identity_and_count_up(revisions):
    assert {p.plan_id for p in revisions} == {revisions[0].plan_id}
    assert [p.revision for p in revisions] == [0, 1, 2, 3]


def test_sequences_rise_only_where_a_session_changed(revisions):
    def seq(plan, day, slot=0):
        return plan.days[day].sessions[slot].sequence

    first, one, two, three = revisions
    assert [seq(p, 1) for p in revisions] == [0, 1, 2, 3]  # changed in every revision
    assert [seq(p, 3) for p in (one, two)] == [0, 0]  # never changed in week 1
    assert seq(two, 10) == 1 and seq(three, 10) == 1  # week 2's phase changed in revision 2
    assert seq(one, 2, 1) == 0  # a new event
    # day 0's add-on: cancelled in revision 1 (one above its 0), back in 2 above that
    assert [(c.date, c.slot, c.sequence) for c in one.cancelled] == [(first.days[0].date, 1, 1)]
    assert seq(two, 0, 1) == 2
    assert two.cancelled == []
    assert [(c.date, c.sequence) for c in three.cancelled] == [(first.days[-1].date, 2)]


@pytest.mark.parametrize(
    "imported", [[0, 1, 2, 3], [0, 3], [0, 2, 3], [0, 1, 3]], ids=lambda r: "-".join(map(str, r))
)
def test_a_calendar_that_imported_earlier_revisions_ends_up_with_the_newest(
    scenario, revisions, imported
):
    model = CalendarModel()
    for number in imported:
        model.import_ics(ics(scenario, revisions[number]))
    assert model.live() == newest(scenario, revisions[-1])


def test_without_the_previous_revision_the_calendar_would_not_stay_in_step(scenario, revisions):
    model = CalendarModel()
    model.import_ics(ics(scenario, revisions[0]))
    fresh = revisions[1].model_copy(update={"plan_id": "0" * 32, "revision": 0, "cancelled": []})
    model.import_ics(ics(scenario, fresh))  # a new plan: its events are added beside the old
    assert model.live() != newest(scenario, revisions[1])


def test_calendar_given_the_previous_revision_exports_the_successor(scenario, revisions):
    first, one = revisions[0], revisions[1]
    unsequenced = one.model_copy(update={"plan_id": "f" * 32, "revision": 0})
    given = calendar(scenario, unsequenced, first, stamp=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert given.to_ical() == ics(scenario, one)
    assert successor_of(one, first) == one  # the same plan again: the same revision


def test_the_sequences_live_in_the_plan_file(scenario, revisions, tmp_path):
    path = tmp_path / "plan.json"
    revisions[1].write(path)
    saved = load_plan(path)
    assert saved == revisions[1]
    after = edit_plan(scenario, saved, {1: [("sprint", 1)]})
    assert successor_of(after, saved).days[1].sessions[0].sequence == 2


def test_uids_name_the_plan_not_the_athlete(scenario, revisions):
    renamed = make(scenario_dict(days=DAYS, sessions=library(SPRINT, TEMPO, MOBILITY),
                                 rules=rules_off(), athlete={"name": "Someone else"}))  # fmt: skip
    uids = [str(e["uid"]) for e in calendar(scenario, revisions[2]).walk("VEVENT")]
    assert uids == [str(e["uid"]) for e in calendar(renamed, revisions[2]).walk("VEVENT")]
    assert uids[0] == f"{revisions[0].plan_id}-{revisions[0].days[0].date:%Y%m%d}-0@periodize"


def test_a_plan_saved_before_plan_ids_keeps_its_athlete_uids(scenario, revisions, tmp_path):
    old = revisions[0].model_copy(update={"plan_id": None})
    path = tmp_path / "plan.ics"
    write_ics(scenario, old, path)
    events = list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    assert str(events[0]["uid"]) == f"tiny-{old.days[0].date:%Y%m%d}-0@periodize"
    assert all(int(e["sequence"]) == 0 for e in events)
