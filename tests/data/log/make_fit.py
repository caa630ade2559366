"""Writes the FIT activity files of tests/data/log/ and examples/log/ with Garmin's FIT SDK
encoder (the same package periodize decodes them with): one activity, one session each, as a
watch records it — file_id, the workout followed (its name is the title docs/log.md reads),
the session summary, the activity with the local time.

    .venv/bin/python tests/data/log/make_fit.py    # rewrites the .fit files, byte for byte
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from garmin_fit_sdk import Encoder, Profile

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parents[2] / "examples" / "log"
MESG = Profile["mesg_num"]
FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)


def fit_activity(
    start: dt.datetime,
    minutes: float,
    sport: str,
    sub_sport: str = "generic",
    workout: str | None = None,
    heart_rate: int | None = None,
    rpe: float | None = None,
    tss: float | None = None,
    utc_offset: dt.timedelta = dt.timedelta(0),
) -> bytes:
    """A FIT activity file of one session starting at `start` (UTC) on a device `utc_offset`
    from UTC; rpe is CR-10 (stored x 10, as workout_rpe is)."""
    end = start + dt.timedelta(minutes=minutes)
    encoder = Encoder()
    encoder.write_mesg(
        {"mesg_num": MESG["FILE_ID"], "type": "activity", "manufacturer": "development",
         "product": 0, "serial_number": 1, "time_created": start}
    )  # fmt: skip
    if workout is not None:
        encoder.write_mesg({"mesg_num": MESG["WORKOUT"], "wkt_name": workout, "sport": sport})
    session = {
        "mesg_num": MESG["SESSION"], "timestamp": end, "start_time": start, "sport": sport,
        "sub_sport": sub_sport, "total_elapsed_time": minutes * 60, "total_timer_time": minutes * 60,
    }  # fmt: skip
    if heart_rate is not None:
        session["avg_heart_rate"] = heart_rate
    if rpe is not None:
        session["workout_rpe"] = round(rpe * 10)
    if tss is not None:
        session["training_stress_score"] = tss
    encoder.write_mesg(session)
    local = int((end - FIT_EPOCH + utc_offset).total_seconds())
    encoder.write_mesg(
        {"mesg_num": MESG["ACTIVITY"], "timestamp": end, "local_timestamp": local,
         "num_sessions": 1, "type": "manual"}
    )  # fmt: skip
    return bytes(encoder.close())


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


# The four sessions of tests/data/log/periodize.csv, as a watch would record them.
FIXTURES = {
    "fit/tempo.fit": fit_activity(utc("2027-01-04T16:00"), 45, "running", workout="tempo", rpe=4),
    "fit/spin.fit": fit_activity(
        utc("2027-01-05T17:00"),
        40,
        "cycling",
        workout="Easy spin category=recovery",
        heart_rate=125,
    ),  # fmt: skip
    "fit/strength.fit": fit_activity(
        utc("2027-01-06T18:00"),
        60,
        "training",
        "strength_training",
        workout="Heavy lower-body strength",
        tss=330,
    ),  # fmt: skip
    # 23:30 UTC on the 6th is 00:30 on the 7th where the watch was (UTC+1): the 7th's session
    "fit/acceleration.fit": fit_activity(
        utc("2027-01-06T23:30"),
        75,
        "running",
        workout="session=acceleration rpe=7.5",
        utc_offset=dt.timedelta(hours=1),
    ),  # fmt: skip
}
EXAMPLE_FILES = {
    "hill-sprints.fit": fit_activity(
        utc("2027-01-09T09:00"),
        50,
        "running",
        workout="Hill sprints",
        rpe=8,
        heart_rate=150,
        utc_offset=dt.timedelta(hours=1),
    ),  # fmt: skip
}


def main() -> None:
    for name, data in FIXTURES.items():
        (HERE / name).parent.mkdir(exist_ok=True)
        (HERE / name).write_bytes(data)
    for name, data in EXAMPLE_FILES.items():
        (EXAMPLES / name).write_bytes(data)


if __name__ == "__main__":
    main()
