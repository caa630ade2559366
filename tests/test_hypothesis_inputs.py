"""Malformed scenario files through the CLI (`validate` and `solve`): exit code 2, the output names
the file and the offending field, never a traceback, and nothing on disk changes."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import (
    RULE_NAMES,
    SPRINT,
    START,
    TEMPO,
    delete_in,
    iso,
    library,
    rules_off,
    scenario_dict,
    set_in,
    to_toml,
    write_scenario,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from periodize.cli.main import main
from periodize.scenario.presets import available

BASE = scenario_dict(
    days=14,
    races=[(6, "B"), (13, "A")],
    sessions=library(SPRINT, TEMPO),
    rules=rules_off(hard_recovery={}, rest_days={"min_per_week": 1}),
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: keys each table accepts (an "unknown key" must not be one of them)
KNOWN = {
    "": {"plan", "athlete", "races", "availability", "sessions", "rules", "objective"},
    "plan": {"start", "end", "transition_days"},
    "athlete": {"name", "response", "initial_fitness", "initial_fatigue", "history_csv", "history"},
    "athlete.response": {"preset", "k1", "k2", "tau1", "tau2", "p0", "source"},
    "races.0": {"name", "date", "priority"},
    "availability": {
        "training_days",
        "minutes_per_day",
        "max_sessions_per_day",
        "blackouts",
        "fixed",
    },
    "sessions": {"preset", "types"},
    "sessions.types.2": {
        "id",
        "name",
        "category",
        "hard",
        "max_velocity",
        "heavy_lower_body",
        "addon",
        "doses",
        "prescription",
    },
    "rules": {"preset", *RULE_NAMES},
    "rules.ramp": {"enabled", "max_increase_pct"},
    "rules.taper": {
        "enabled",
        "min_days",
        "max_days",
        "min_volume_reduction_pct",
        "max_volume_reduction_pct",
        "reference_weeks",
        "hard_sprint_every_days",
        "max_frequency_cut_pct",
    },
    "objective": {"A", "B", "C"},
}


def _numeric(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


# not a number, not a date, not a weekday, not a priority (pydantic's lax mode would accept "12" as 12)
junk_text = st.text(alphabet="abcxyz!? -_/0123456789", min_size=1, max_size=12).filter(
    lambda s: not _numeric(s)
)
not_a_date = st.one_of(
    st.sampled_from(
        [
            "2027-02-30",
            "2027-13-01",
            "2027-00-10",
            "27-01-04",
            "2027/01/04",
            "04.01.2027",
            "yesterday",
            "",
            "2027-1-4x",
        ]
    ),
    junk_text.filter(lambda s: not s[:1].isdigit()),
    st.booleans(),
    st.lists(st.integers(0, 9), max_size=2),
)


class Case:
    """A malformed scenario: its document (or raw text), the fields the error must name, extra files."""

    def __init__(
        self,
        doc: Any = None,
        fields: tuple[str, ...] = (),
        *,
        text: str | None = None,
        csv: bytes | None = None,
    ):
        self.doc, self.fields, self.text, self.csv = doc, fields, text, csv

    def __repr__(self) -> str:
        return (
            f"Case(doc={self.doc!r}, fields={self.fields!r}, text={self.text!r}, csv={self.csv!r})"
        )


@st.composite
def wrong_type(draw) -> Case:
    path, bad = draw(
        st.sampled_from(
            [
                ("plan.start", not_a_date),
                ("plan.end", not_a_date),
                (
                    "plan.transition_days",
                    st.one_of(junk_text, st.integers(-50, -1), st.lists(st.integers(), max_size=2)),
                ),
                ("races.0.date", not_a_date),
                ("races.0.priority", junk_text.filter(lambda s: s not in ("A", "B", "C"))),
                ("races.1.name", st.one_of(st.just(""), st.integers(), st.booleans())),
                (
                    "races",
                    st.one_of(
                        junk_text, st.dictionaries(st.sampled_from("ab"), st.integers(), min_size=1)
                    ),
                ),
                (
                    "athlete.response.k1",
                    st.one_of(st.floats(max_value=0, allow_nan=False), junk_text),
                ),
                (
                    "athlete.response.tau2",
                    st.one_of(st.floats(min_value=45, max_value=1e6), st.just("slow")),
                ),
                (
                    "athlete.initial_fitness",
                    st.one_of(
                        st.floats(max_value=-0.001, allow_nan=False, allow_infinity=False),
                        junk_text,
                    ),
                ),
                (
                    "availability.max_sessions_per_day",
                    st.one_of(st.integers(-5, 0), junk_text, st.sampled_from([0.5, 1.5])),
                ),
                (
                    "availability.minutes_per_day",
                    st.one_of(
                        st.integers(-500, -1), junk_text, st.lists(st.integers(), max_size=3)
                    ),
                ),
                (
                    "availability.training_days",
                    st.lists(
                        junk_text.filter(
                            lambda s: s not in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                        ),
                        min_size=1,
                        max_size=2,
                    ),
                ),
                ("sessions.types.2.doses", st.one_of(st.just([]), junk_text)),
                ("sessions.types.2.category", junk_text),
                ("sessions.types.2.id", st.sampled_from(["Sprint", "has space", "-x", "", "rest"])),
                ("rules.weekly_load_cap.max_load", st.one_of(st.integers(-9999, -1), junk_text)),
                ("rules.hard_recovery.hours", st.one_of(st.integers(-5, 23), junk_text)),
                ("rules.taper.min_days", st.one_of(st.integers(-5, 0), junk_text)),
                ("rules.deload.every_weeks", st.integers(-3, 1)),
                (
                    "objective.A",
                    st.one_of(
                        st.floats(max_value=-0.01, allow_nan=False, allow_infinity=False), junk_text
                    ),
                ),
            ]
        )
    )
    value = draw(bad)
    expect = path
    if path == "sessions.types.2.id" and value == "rest":
        expect = "sessions"  # a duplicate id: reported on the library
    elif path == "athlete.response.tau2" and not isinstance(value, str):
        expect = "athlete.response"  # tau1 <= tau2: reported on the model
    return Case(set_in(BASE, path, value), (expect,))


@st.composite
def unknown_key(draw) -> Case:
    table = draw(st.sampled_from(sorted(KNOWN)))
    key = draw(
        st.from_regex(r"[a-z][a-z_]{1,14}", fullmatch=True).filter(lambda k: k not in KNOWN[table])
    )
    path = f"{table}.{key}" if table else key
    return Case(
        set_in(BASE, path, draw(st.one_of(st.integers(), junk_text, st.booleans()))), (path,)
    )


@st.composite
def min_above_max(draw) -> Case:
    a = draw(st.integers(1, 20))
    b = draw(st.integers(0, a - 1))
    choice = draw(
        st.sampled_from(
            [
                "frequency",
                "lengths",
                "taper",
                "taper_volume",
                "deload",
                "acute_chronic",
                "blackout",
                "response",
            ]
        )
    )
    if choice == "frequency":
        doc = set_in(
            BASE,
            "rules.frequency",
            {"enabled": True, "per_category": {"sprint": {"min": a, "max": b}}},
        )
        return Case(doc, ("rules.frequency.per_category.sprint",))
    if choice == "lengths":
        doc = set_in(
            BASE,
            "rules.phases",
            {"enabled": True, "lengths": {"specific_prep": {"min_weeks": a, "max_weeks": b}}},
        )
        return Case(doc, ("rules.phases.lengths.specific_prep",))
    if choice == "taper":
        return Case(
            set_in(BASE, "rules.taper", {"enabled": True, "min_days": a + 1, "max_days": b + 1}),
            ("rules.taper",),
        )
    if choice == "taper_volume":
        doc = set_in(
            BASE,
            "rules.taper",
            {
                "enabled": False,
                "min_volume_reduction_pct": 5 * a,
                "max_volume_reduction_pct": 5 * b,
            },
        )
        return Case(doc, ("rules.taper",))
    if choice == "deload":
        doc = set_in(
            BASE,
            "rules.deload",
            {"enabled": True, "min_reduction_pct": 5 * a, "max_reduction_pct": 5 * b},
        )
        return Case(doc, ("rules.deload",))
    if choice == "acute_chronic":
        doc = set_in(
            BASE,
            "rules.acute_chronic",
            {"enabled": True, "low": a / 10, "high": max(b, 1) / 10 if b else 0.05},
        )
        return Case(doc, ("rules.acute_chronic",))
    if choice == "blackout":
        doc = set_in(BASE, "availability.blackouts", [{"start": iso(a), "end": iso(b)}])
        return Case(doc, ("availability.blackouts.0",))
    doc = set_in(
        BASE, "athlete.response", {"k1": 1.0, "k2": 2.0, "tau1": float(b + 1), "tau2": float(a + 1)}
    )
    return Case(doc, ("athlete.response",))


@st.composite
def unknown_preset(draw) -> Case:
    where = draw(st.sampled_from(["response", "sessions", "rules"]))
    kind = where
    name = draw(
        st.from_regex(r"[a-z][a-z0-9-]{1,15}", fullmatch=True).filter(
            lambda n: n not in available(kind)
        )
    )
    if where == "response":
        return Case(set_in(BASE, "athlete.response", name), ("athlete.response.preset",))
    if where == "sessions":
        return Case(set_in(BASE, "sessions", {"preset": name}), ("sessions.preset",))
    return Case(set_in(BASE, "rules", {"preset": name}), ("rules.preset",))


@st.composite
def bad_syntax(draw) -> Case:
    if draw(st.booleans()):
        text = json.dumps(BASE, indent=1)
        cut = draw(st.integers(0, len(text) - 2))
        return Case(
            text=text[:cut] + draw(st.sampled_from(["", ",", "]", "'x'"])),
            fields=("invalid JSON", "line"),
        )
    lines = to_toml(BASE).splitlines()
    at = draw(st.integers(0, len(lines)))
    junk = draw(
        st.sampled_from(
            [
                "= 1",
                "key =",
                "[[",
                "plan = {start = }",
                'x = "unterminated',
                "[plan]\n[plan]",
                "a.b = 1 2",
            ]
        )
    )
    return Case(
        text="\n".join(lines[:at] + [junk] + lines[at:]) + "\n", fields=("invalid TOML", "line")
    )


@st.composite
def calendar(draw) -> Case:
    choice = draw(
        st.sampled_from(
            [
                "missing_start",
                "missing_plan",
                "race_before_start",
                "race_after_end",
                "blackout_on_race",
                "end_before_start",
                "two_races_one_day",
            ]
        )
    )
    if choice == "missing_start":
        return Case(delete_in(BASE, "plan.start"), ("plan.start",))
    if choice == "missing_plan":
        return Case(delete_in(BASE, "plan"), ("plan",))
    if choice == "race_before_start":
        i = draw(st.integers(0, 1))
        return Case(
            set_in(BASE, f"races.{i}.date", iso(-draw(st.integers(1, 400)))), (f"races.{i}.date",)
        )
    if choice == "race_after_end":
        return Case(
            set_in(BASE, "races.0.date", iso(14 + draw(st.integers(0, 400)))), ("races.0.date",)
        )
    if choice == "blackout_on_race":
        race = draw(st.sampled_from([6, 13]))
        first = race - draw(st.integers(0, 5))
        last = race + draw(st.integers(0, 3))
        return Case(
            set_in(
                BASE,
                "availability.blackouts",
                [{"start": iso(first), "end": iso(last), "reason": "trip"}],
            ),
            ("availability.blackouts.0",),
        )
    if choice == "end_before_start":
        return Case(set_in(BASE, "plan.end", iso(-draw(st.integers(1, 30)))), ("plan.end",))
    return Case(set_in(BASE, "races.0.date", iso(13)), ("races",))


@st.composite
def bad_reference(draw) -> Case:
    sid = draw(
        st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True).filter(
            lambda s: s not in ("rest", "race", "sprint", "tempo")
        )
    )
    if draw(st.booleans()):
        wd = draw(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]))
        return Case(
            set_in(BASE, "availability.fixed", [{"weekday": wd, "session": sid}]),
            ("availability.fixed.0.session",),
        )
    return Case(
        set_in(BASE, "rules.day_before_race.allowed_sessions", ["rest", sid]),
        ("rules.day_before_race.allowed_sessions",),
    )


@st.composite
def bad_history(draw) -> Case:
    choice = draw(
        st.sampled_from(["missing_file", "header", "row", "after_start", "negative", "duplicate"])
    )
    doc = set_in(BASE, "athlete.history_csv", "history.csv")
    good = [f"{(START - dt.timedelta(days=k)).isoformat()},{100 * k}" for k in range(7, 0, -1)]
    if choice == "missing_file":
        return Case(
            set_in(
                BASE,
                "athlete.history_csv",
                draw(st.sampled_from(["nope.csv", "sub/nope.csv", "."])),
            ),
            ("athlete.history_csv",),
        )
    if choice == "header":
        header = draw(
            st.sampled_from(["", "day,load", "load,date", "date;load", "date", "DATE LOAD"])
        )
        return Case(doc, ("athlete.history_csv",), csv="\n".join([header, *good]).encode())
    if choice == "row":
        row = draw(
            st.one_of(
                st.sampled_from(
                    [
                        "2026-12-01",
                        "2026-12-01,",
                        "2026-12-01,abc",
                        "12/01/2026,100",
                        "2026-12-40,10",
                        ",100",
                        "2026-12-01;100",
                        "nan-day,1",
                    ]
                ),
                st.from_regex(r"[a-z0-9 /:]{1,12},[0-9]{1,4}", fullmatch=True).filter(
                    lambda r: not r[:4].isdigit()
                ),
            )
        )
        at = draw(st.integers(0, len(good)))
        return Case(
            doc,
            ("athlete.history_csv",),
            csv="\n".join(["date,load", *good[:at], row, *good[at:]]).encode(),
        )
    if choice == "after_start":
        late = (START + dt.timedelta(days=draw(st.integers(0, 30)))).isoformat()
        return Case(
            doc,
            ("athlete.history_csv",),
            csv="\n".join(["date,load", *good, f"{late},100"]).encode(),
        )
    if choice == "negative":
        return Case(
            doc,
            ("athlete.history",),
            csv="\n".join(
                [
                    "date,load",
                    *good,
                    f"{START - dt.timedelta(days=10)},-{draw(st.integers(1, 999))}",
                ]
            ).encode(),
        )
    return Case(
        doc, ("athlete.history_csv",), csv="\n".join(["date,load", *good, good[0]]).encode()
    )


MALFORMED = st.one_of(
    wrong_type(),
    unknown_key(),
    min_above_max(),
    unknown_preset(),
    bad_syntax(),
    calendar(),
    bad_reference(),
    bad_history(),
)


def check_rejected(case: Case, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / f"scenario{suffix}"
        if case.text is not None:
            path = folder / ("scenario.json" if "JSON" in case.fields[0] else "scenario.toml")
            path.write_text(case.text, encoding="utf-8")
        else:
            write_scenario(path, case.doc)
        if case.csv is not None:
            (folder / "history.csv").write_bytes(case.csv)
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        out = folder / "plan.json"
        for args in (
            ["validate", str(path)],
            ["solve", str(path), "--work-limit", "5", "--out", str(out)],
        ):
            result = CliRunner().invoke(main, args)
            text = result.output
            assert "Traceback" not in text, text
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(
                result.exception
            )
            assert result.exit_code == 2, (args[0], result.exit_code, text)
            assert str(path) in text, text
            for field in case.fields:
                assert field in text, (field, text)
            assert text.startswith("error: ")
        assert {
            p.name: p.read_bytes() for p in folder.iterdir()
        } == before  # nothing written, nothing changed
        assert not out.exists()


def test_the_base_scenario_is_valid(tmp_path):
    for suffix in (".toml", ".json"):
        path = write_scenario(tmp_path / f"base{suffix}", BASE)
        result = CliRunner().invoke(main, ["validate", str(path)])
        assert result.exit_code == 0, result.output


@SETTINGS
@given(case=MALFORMED, suffix=st.sampled_from([".toml", ".json"]))
@example(case=Case(delete_in(BASE, "plan.start"), ("plan.start",)), suffix=".toml")
@example(
    case=Case(
        set_in(BASE, "availability.fixed", [{"weekday": "tue", "session": "yoga"}]),
        ("availability.fixed.0.session",),
    ),
    suffix=".json",
)
def test_malformed_scenarios_are_rejected_cleanly(case, suffix):
    check_rejected(case, suffix)


# --------------------------------------------------------------------------- known bugs
BUGS = {
    "history_inf": (
        Case(
            set_in(BASE, "athlete.history_csv", "history.csv"),
            ("athlete.history_csv",),
            csv=b"date,load\n2026-12-01,inf\n",
        ),
        "OverflowError from int(float('inf')) in scenario._load_history",
    ),
    "history_not_utf8": (
        Case(
            set_in(BASE, "athlete.history_csv", "history.csv"),
            ("athlete.history_csv",),
            csv=b"date,load\n2026-12-01,\xff\xfe\n",
        ),
        "UnicodeDecodeError: _load_history catches only OSError",
    ),
    "preset_list": (
        Case(set_in(BASE, "rules", {"preset": ["sprint-default"]}), ("rules.preset",)),
        "TypeError: unhashable type: 'list' in the @cache'd presets._load",
    ),
    "preset_table": (
        Case(
            set_in(BASE, "athlete.response", {"preset": {"name": "x"}}),
            ("athlete.response.preset",),
        ),
        "TypeError: unhashable type: 'dict' in the @cache'd presets._load",
    ),
    "transition_days_huge": (
        Case(
            delete_in(set_in(BASE, "plan.transition_days", 10**12), "plan.end"),
            ("plan.transition_days",),
        ),
        "OverflowError in Scenario.end (date + timedelta) during the pre-check",
    ),
}


@pytest.mark.parametrize("name", sorted(BUGS))
def test_former_crashes_give_exit_2(name):
    """Regression: each of these once gave a traceback instead of exit 2."""
    check_rejected(BUGS[name][0], ".json")


@given(
    value=st.one_of(
        junk_text,
        st.integers(),
        st.booleans(),
        st.dictionaries(st.sampled_from("ab"), st.integers(), min_size=1),
    )
)
@settings(max_examples=5, deadline=None)
def test_wrong_type_for_session_types_with_a_preset(value):
    doc = set_in(BASE, "sessions", {"preset": "sprint-default", "types": value})
    doc["rules"]["day_before_race"]["allowed_sessions"] = ["rest"]
    check_rejected(Case(doc, ("sessions.types",)), ".toml")
