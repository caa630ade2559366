"""The training log (docs/log.md): every format reads into the same rows, the load rules and
their sources, bad rows named by file, row and column, duplicates across files, and
`periodize log`."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from conftest import run_cli

import periodize
from periodize.core.errors import ScenarioError
from periodize.traininglog.log import MAX_LOAD, TrainingLog, session_rpe_load, trimp
from periodize.traininglog.reading import read_log

DATA = Path(__file__).parent / "data" / "log"
SCENARIO = DATA / "scenario.toml"
FITS = sorted(str(p) for p in (DATA / "fit").glob("*.fit"))


@pytest.fixture(scope="module")
def scenario():
    return periodize.load_scenario(SCENARIO)


def rows(log: TrainingLog) -> list[dict]:
    """The log's sessions without where they were read."""
    return [s.model_dump(exclude={"source"}) for s in log.sessions]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def problems(paths: list[str], scenario) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        read_log(paths, scenario)
    return [str(p) for p in caught.value.problems]


# --------------------------------------------------------------------------- formats
def test_the_periodize_csv_reads_as_written(scenario):
    log = read_log([DATA / "periodize.csv"], scenario)
    assert [(s.date.day, s.session, s.load, s.load_from) for s in log.sessions] == [
        (4, "tempo", 180, "session-rpe"),  # 45' x RPE 4
        (5, None, 36, "trimp"),  # 40' at 125 bpm, rest 50, max 195
        (6, "heavy-strength", 330, "log"),
        (7, "acceleration", 563, "session-rpe"),  # 75' x RPE 7.5, rounded half up
    ]
    free = log.sessions[1]
    assert (free.name, free.category.value, free.hard) == ("Easy spin", "recovery", False)
    strength = log.sessions[2]
    assert (strength.name, strength.category.value, strength.hard) == (
        "Heavy lower-body strength",
        "strength",
        True,
    )
    assert log.sessions[0].source == f"{DATA / 'periodize.csv'} row 2"
    assert (log.first, log.last) == (dt.date(2027, 1, 4), dt.date(2027, 1, 7))


@pytest.mark.parametrize(
    "files",
    [["intervals-icu.csv"], ["trainingpeaks.csv"], ["activities.tcx"], "fit"],
    ids=["intervals.icu", "TrainingPeaks", "TCX", "FIT"],
)
def test_every_format_reads_into_the_same_rows_as_the_periodize_csv(scenario, files):
    paths = FITS if files == "fit" else [DATA / name for name in files]
    expected = rows(read_log([DATA / "periodize.csv"], scenario))
    assert rows(read_log(paths, scenario)) == expected


def test_the_fit_fixtures_are_what_their_script_writes():
    spec = importlib.util.spec_from_file_location("make_fit", DATA / "make_fit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, data in module.FIXTURES.items():
        assert (DATA / name).read_bytes() == data, name
    for name, data in module.EXAMPLE_FILES.items():
        assert (DATA.parents[2] / "examples" / "log" / name).read_bytes() == data, name


def test_a_fit_day_is_the_device_s_local_day(scenario):
    # 23:30 UTC on the 6th, on a watch at UTC+1: the session of the 7th
    log = read_log([DATA / "fit" / "acceleration.fit"], scenario)
    assert [s.date for s in log.sessions] == [dt.date(2027, 1, 7)]


def test_trainingpeaks_planned_workouts_are_not_training_done(scenario):
    log = read_log([DATA / "trainingpeaks.csv"], scenario)
    assert dt.date(2027, 1, 11) not in {s.date for s in log.sessions}


def test_a_platform_s_own_load_counts_below_rpe_and_above_heart_rate(scenario, tmp_path):
    path = write(
        tmp_path,
        "icu.csv",
        "start_date_local,name,type,moving_time,icu_training_load,icu_rpe,average_heartrate\n"
        "2027-01-04T08:00:00,Tempo runs,Run,2700,38,4,150\n"
        "2027-01-05T08:00:00,Tempo runs,Run,2700,38,,150\n"
        "2027-01-06T08:00:00,Tempo runs,Run,2700,,,150\n",
    )
    log = read_log([path], scenario)
    assert [(s.load, s.load_from) for s in log.sessions] == [
        (180, "session-rpe"),
        (38, "log"),
        (trimp(45, 150, 50, 195), "trimp"),
    ]


def test_activities_without_a_session_take_their_category_from_the_activity_type(
    scenario, tmp_path
):
    path = write(
        tmp_path,
        "icu.csv",
        "start_date_local,name,type,moving_time,icu_rpe\n"
        "2027-01-04T08:00:00,Gym,WeightTraining,3600,6\n"
        "2027-01-05T08:00:00,Morning flow,Yoga,1800,2\n"
        "2027-01-06T08:00:00,Lunch run,Run,1800,3\n"
        "2027-01-07T08:00:00,Hills hard=yes category=hill,Run,1800,8\n",
    )
    log = read_log([path], scenario)
    assert [(s.name, s.category.value, s.hard, s.session) for s in log.sessions] == [
        ("Gym", "strength", False, None),
        ("Morning flow", "mobility", False, None),
        ("Lunch run", "tempo", False, None),
        ("Hills", "hill", True, None),
    ]


# --------------------------------------------------------------------------- load rules
def test_session_rpe_is_minutes_times_rpe():
    assert session_rpe_load(45, 4) == 180
    assert session_rpe_load(75, 7.5) == 563  # 562.5 rounds up


def test_trimp_follows_banister_for_men_and_women():
    # 60' at half the heart-rate reserve: 60 x 0.5 x 0.64 e^0.96 = 50.1; 0.86 e^0.835: 59.5
    assert trimp(60, 120, 60, 180) == 50
    assert trimp(60, 120, 60, 180, "female") == 59
    assert trimp(60, 60, 60, 180) == 0
    assert trimp(1440, 180, 60, 180) <= MAX_LOAD


def test_a_heart_rate_needs_the_athlete_s_heart_rates(tmp_path):
    scenario = periodize.scenario_from_dict(
        {"plan": {"start": "2027-01-04"}, "athlete": {"current_weekly_load": 1500}}
    )
    path = write(tmp_path, "log.csv", "date,session,minutes,avg_hr\n2027-01-04,tempo,45,140\n")
    [found] = problems([path], scenario)
    assert "row 2, column avg_hr" in found and "resting_heart_rate" in found


@pytest.mark.parametrize(
    "athlete, reason",
    [
        ({"resting_heart_rate": 110.0, "max_heart_rate": 105.0}, "not below max_heart_rate"),
        ({"resting_heart_rate": 10.0}, "greater than or equal to 20"),
        ({"max_heart_rate": 260.0}, "less than or equal to 250"),
        ({"max_heart_rate": "190"}, "valid number"),
        ({"trimp_weighting": "other"}, "'male' or 'female'"),
    ],
)
def test_the_athlete_s_heart_rates_are_checked(athlete, reason):
    doc = {"plan": {"start": "2027-01-04"}, "athlete": {"current_weekly_load": 1, **athlete}}
    with pytest.raises(ScenarioError) as caught:
        periodize.scenario_from_dict(doc)
    assert reason in str(caught.value)


# --------------------------------------------------------------------------- bad rows
HEADER = "date,session,name,category,hard,minutes,rpe,avg_hr,load\n"


@pytest.mark.parametrize(
    "row, where, reason",
    [
        ("2027-02-30,tempo,,,,45,4,,", "row 2, column date", "'2027-02-30' is not a date"),
        (",tempo,,,,45,4,,", "row 2, column date", "empty"),
        ("2027-01-04,tempoo,,,,45,4,,", "row 2, column session", "unknown session 'tempoo'"),
        ("2027-01-04,,,,,45,4,,", "row 2, column session", "give a library session id"),
        ("2027-01-04,,Jog,,,45,4,,", "row 2, column name", "needs a category"),
        ("2027-01-04,,Jog,cardio,,45,4,,", "row 2, column category", "'cardio' is not a category"),
        ("2027-01-04,,Jog,tempo,maybe,45,4,,", "row 2, column hard", "'maybe'"),
        ("2027-01-04,tempo,,strength,,45,4,,", "row 2, column category", "has category 'tempo'"),
        ("2027-01-04,tempo,,,,-5,4,,", "row 2, column minutes", "-5: minutes must be 0..1440"),
        ("2027-01-04,tempo,,,,2000,4,,", "row 2, column minutes", "must be 0..1440"),
        ("2027-01-04,tempo,,,,45,11,,", "row 2, column rpe", "11: RPE (CR-10) must be 0..10"),
        ("2027-01-04,tempo,,,,45,four,,", "row 2, column rpe", "'four' is not a number"),
        ("2027-01-04,tempo,,,,45,nan,,", "row 2, column rpe", "'nan' is not a number"),
        ("2027-01-04,tempo,,,,,,,-1", "row 2, column load", "-1: a session's load"),
        ("2027-01-04,tempo,,,,,,,99999", "row 2, column load", "must be 0..14400"),
        ("2027-01-04,tempo,,,,45,,,", "row 2, column minutes", "no load"),
        ("2027-01-04,tempo,,,,,4,,", "row 2", "no duration"),
        ("2027-01-04,tempo,,,,45,,300,", "row 2, column avg_hr", "must be 20..250"),
        ("2027-01-04,tempo,,,,45,,40,", "row 2, column avg_hr", "outside the athlete's"),
    ],
)
def test_a_bad_row_names_the_file_the_row_and_the_column(scenario, tmp_path, row, where, reason):
    path = write(tmp_path, "log.csv", HEADER + row + "\n")
    found = problems([path], scenario)
    assert any(p.startswith(f"{path}: {where}") and reason in p for p in found), found


def test_the_header_is_named_as_the_user_wrote_it(scenario, tmp_path):
    path = write(
        tmp_path,
        "tp.csv",
        "Title,WorkoutType,WorkoutDay,TimeTotalInHours,Rpe\nRun,Run,2027-01-04,1,high\n",
    )
    assert problems([path], scenario) == [f"{path}: row 2, column Rpe: 'high' is not a number"]


def test_every_bad_row_of_every_file_is_reported_in_order(scenario, tmp_path):
    first = write(
        tmp_path, "a.csv", HEADER + "2027-01-04,x,,,,45,4,,\n2027-01-05,tempo,,,,45,99,,\n"
    )
    second = write(tmp_path, "b.csv", "no,header\n1,2\n")
    found = problems([first, second, str(tmp_path / "missing.fit")], scenario)
    assert [p.split(": ")[0:2] for p in found] == [
        [first, "row 2, column session"],
        [first, "row 3, column rpe"],
        [second, "row 1"],
        [str(tmp_path / "missing.fit"), "file not found"],
    ]


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("junk.fit", b"hello, world", "not a FIT file"),
        ("cut.fit", "truncate", "checksum does not match"),
        ("broken.tcx", b"<TrainingCenterDatabase><Activities>", "not well-formed XML"),
        ("other.tcx", b"<gpx/>", "not a TCX file"),
        (
            "empty.tcx",
            b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
            b'TrainingCenterDatabase/v2"/>',
            "no Activity element",
        ),  # fmt: skip
        (
            "bad-id.tcx",
            b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
            b'TrainingCenterDatabase/v2"><Activities><Activity Sport="Running"><Id>yesterday</Id>'
            b"</Activity></Activities></TrainingCenterDatabase>",
            "Activity 1, element Id",
        ),  # fmt: skip
        (
            "bad-token.tcx",
            (DATA / "activities.tcx").read_bytes().replace(b"rpe=4", b"rpe=hard"),
            "Activity 1, element Notes: rpe=hard: not a number",
        ),  # fmt: skip
        ("empty.csv", b"\n\n", "the file is empty"),
        ("latin.csv", "date,session,name\n2027-01-04,,Café\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_damaged_file_is_named_with_the_reason(scenario, tmp_path, name, data, reason):
    if data == "truncate":
        data = (DATA / "fit" / "tempo.fit").read_bytes()[:-10]
    path = tmp_path / name
    path.write_bytes(data)
    found = problems([str(path)], scenario)
    assert any(p.startswith(str(path)) and reason in p for p in found), found


# --------------------------------------------------------------------------- duplicates
def test_the_same_activity_in_two_files_is_kept_once_from_the_file_given_first(scenario):
    paths = [DATA / "trainingpeaks.csv", *FITS, DATA / "periodize.csv"]
    log = read_log(paths, scenario)
    assert rows(log) == rows(read_log([DATA / "periodize.csv"], scenario))
    assert all("trainingpeaks.csv" in s.source for s in log.sessions)
    assert len(log.notes) == 8 and all(n.startswith("dropped ") for n in log.notes)


def test_rows_of_one_file_are_never_merged_and_extra_rows_are_kept(scenario, tmp_path):
    twice = "2027-01-04,recovery-run,,,,30,2,,\n" * 2
    one = write(tmp_path, "one.csv", HEADER + "2027-01-04,recovery-run,,,,30,2,,\n")
    two = write(tmp_path, "two.csv", HEADER + twice)
    assert len(read_log([two], scenario).sessions) == 2  # two runs that day
    log = read_log([one, two], scenario)  # one is in both files; the second run only in two
    assert [s.source.split("/")[-1] for s in log.sessions] == ["one.csv row 2", "two.csv row 3"]
    assert len(read_log([two, one], scenario).sessions) == 2


def test_the_same_session_with_other_minutes_is_kept_with_a_note(scenario, tmp_path):
    first = write(tmp_path, "a.csv", HEADER + "2027-01-04,tempo,,,,45,4,,\n")
    second = write(tmp_path, "b.csv", HEADER + "2027-01-04,tempo,,,,47,4,,\n")
    log = read_log([first, second], scenario)
    assert len(log.sessions) == 2
    assert len(log.notes) == 1 and "kept both" in log.notes[0] and "(45, 47)" in log.notes[0]


def test_a_file_given_twice_is_refused(scenario):
    found = problems([DATA / "periodize.csv", DATA / "periodize.csv"], scenario)
    assert found == [f"{DATA / 'periodize.csv'}: given twice (also as {DATA / 'periodize.csv'})"]


def test_the_log_gives_each_day_its_sessions_and_load(scenario):
    log = read_log([DATA / "periodize.csv"], scenario)
    assert [s.session for s in log.on(dt.date(2027, 1, 6))] == ["heavy-strength"]
    assert log.on(dt.date(2027, 1, 8)) == []
    assert list(log.daily_loads().values()) == [180, 36, 330, 563]
    assert read_log([], scenario) == TrainingLog()


# --------------------------------------------------------------------------- the command
def test_periodize_log_prints_each_day_and_how_its_load_was_obtained(tmp_path):
    gap = write(tmp_path, "later.csv", HEADER + "2027-01-09,mobility,,,,40,2,,\n")
    result = run_cli("log", str(SCENARIO), str(DATA / "periodize.csv"), gap)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "session-RPE = 45' x RPE 4" in out and "TRIMP from heart rate" in out
    assert "as logged" in out
    assert "Fri 08 Jan 2027   rest (nothing logged)" in out
    assert "Sat 09 Jan 2027   load 80" in out


def test_periodize_log_exits_2_on_bad_input_without_a_traceback(tmp_path):
    path = write(tmp_path, "log.csv", HEADER + "2027-01-04,tempoo,,,,45,4,,\n")
    result = run_cli("log", str(SCENARIO), path)
    assert result.exit_code == 2
    assert f"error: {path}: row 2, column session: unknown session 'tempoo'" in result.output


def test_periodize_log_writes_json_but_never_over_an_input(tmp_path):
    log = write(tmp_path, "log.csv", (DATA / "periodize.csv").read_text())
    before = Path(log).read_text()
    refused = run_cli("log", str(SCENARIO), log, "--out", log)
    assert refused.exit_code == 2 and "overwrite" in refused.output
    assert Path(log).read_text() == before
    out = tmp_path / "log.json"
    done = run_cli("log", str(SCENARIO), log, "--out", str(out))
    assert done.exit_code == 0, done.output
    again = TrainingLog.model_validate_json(out.read_text())
    assert [s.load for s in again.sessions] == [180, 36, 330, 563]
    assert json.loads(out.read_text())["sessions"][1]["load_from"] == "trimp"


def test_the_examples_read(tmp_path):
    examples = Path(__file__).resolve().parents[1] / "examples" / "log"
    files = sorted(str(p) for p in examples.iterdir() if p.name != "scenario.toml")
    result = run_cli("log", str(examples / "scenario.toml"), *files)
    assert result.exit_code == 0, result.output


def test_a_written_load_counts_before_minutes_and_rpe(scenario, tmp_path):
    path = write(tmp_path, "log.csv", HEADER + "2027-01-04,tempo,,,,45,4,,200\n")
    [session] = read_log([path], scenario).sessions
    assert (session.load, session.load_from, session.minutes, session.rpe) == (200, "log", 45, 4)


def test_an_untitled_activity_is_named_by_its_type(scenario, tmp_path):
    path = write(
        tmp_path,
        "icu.csv",
        "start_date_local,name,type,moving_time,icu_rpe\n2027-01-04,,Swim,1800,3\n",
    )
    [session] = read_log([path], scenario).sessions
    assert (session.name, session.category.value, session.load) == ("Swim", "tempo", 90)


def test_a_fit_file_without_a_session_is_not_an_activity(scenario, tmp_path):
    from garmin_fit_sdk import Encoder, Profile

    encoder = Encoder()
    encoder.write_mesg(
        {
            "mesg_num": Profile["mesg_num"]["FILE_ID"],
            "type": "workout",
            "manufacturer": "development",
        }
    )
    path = tmp_path / "workout.fit"
    path.write_bytes(bytes(encoder.close()))
    assert problems([str(path)], scenario) == [f"{path}: no session message: not an activity file"]
