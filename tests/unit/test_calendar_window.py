"""A cold read leaves out what lies outside the days asked about, and starts old series again
shortly before them (issue 16's budget: a 5 MB calendar under half a second). Neither may change a
single meeting: for any calendar, what coach reads is what the libraries give from the whole file."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import icalendar
import recurring_ical_events
import x_wr_timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.calendar_read import _event, read_file, within
from tests.calendar_files import BERLIN

EXAMPLES = settings(max_examples=int(os.environ.get("COACH_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

ZONES = ("berlin", "utc", "floating")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def stamp(moment: datetime, zone: str, prop: str) -> str:
    if zone == "berlin":
        return f"{prop};TZID=Europe/Berlin:{moment:%Y%m%dT%H%M%S}"
    return f"{prop}:{moment:%Y%m%dT%H%M%S}{'Z' if zone == 'utc' else ''}"


def block(uid: str, title: str, start: datetime, zone: str, minutes: int, *extra: str, duration: bool = False) -> str:
    end = (f"DURATION:PT{minutes}M" if duration else stamp(start + timedelta(minutes=minutes), zone, "DTEND"))
    lines = [f"UID:{uid}", "DTSTAMP:20240101T000000Z", f"SUMMARY:{title}", stamp(start, zone, "DTSTART"), end,
             *extra, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org",
             "ATTENDEE;PARTSTAT=ACCEPTED:mailto:them@example.org"]
    return "BEGIN:VEVENT\r\n" + "".join(f"{line}\r\n" for line in lines) + "END:VEVENT\r\n"


@st.composite
def calendars(draw) -> tuple[str, datetime]:
    """A calendar around a moment: old and new series (daily, weekly, monthly; ended by UNTIL or
    COUNT or not at all; with deleted and moved times, in three kinds of zone) and single events
    from years before to years after, some lasting past midnight or a whole day."""
    moment = datetime.combine(draw(st.dates(date(2024, 1, 1), date(2027, 12, 31))),
                              time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 30]))), UTC)
    day0 = moment.replace(tzinfo=None, hour=0, minute=0)
    parts: list[str] = []
    for n in range(draw(st.integers(0, 4))):
        zone = draw(st.sampled_from(ZONES))
        start = day0 + timedelta(days=draw(st.integers(-800, 20)), hours=draw(st.integers(0, 23)),
                                 minutes=draw(st.sampled_from([0, 30])))
        frequency = draw(st.sampled_from(["DAILY", "WEEKLY", "WEEKLY", "MONTHLY"]))
        interval = draw(st.integers(1, 3))
        rule = f"RRULE:FREQ={frequency};INTERVAL={interval}"
        if frequency == "WEEKLY" and draw(st.booleans()):
            rule += ";BYDAY=" + ",".join(draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True)))
        finish = draw(st.sampled_from(["never", "until", "count"]))
        if finish == "until":
            until = day0 + timedelta(days=draw(st.integers(-400, 400)))
            rule += f";UNTIL={until:%Y%m%dT%H%M%S}Z" if zone != "floating" else f";UNTIL={until:%Y%m%dT%H%M%S}"
        elif finish == "count":
            rule += f";COUNT={draw(st.integers(1, 400))}"
        step = {"DAILY": timedelta(days=interval), "WEEKLY": timedelta(weeks=interval),
                "MONTHLY": timedelta(days=30 * interval)}[frequency]
        times = draw(st.lists(st.integers(0, 900), max_size=4))
        deleted = [stamp(start + k * step, zone, "EXDATE") for k in times[:2]]
        minutes = draw(st.sampled_from([15, 30, 60, 23 * 60]))
        parts.append(block(f"series-{n}", f"series {n}", start, zone, minutes, rule, *deleted,
                           duration=draw(st.booleans())))
        for k in times[2:]:
            moved = day0 + timedelta(days=draw(st.integers(-400, 60)), hours=draw(st.integers(0, 23)))
            parts.append(block(f"series-{n}", f"series {n} moved", moved, zone, 30,
                               stamp(start + k * step, zone, "RECURRENCE-ID")))
    for n in range(draw(st.integers(0, 6))):
        zone = draw(st.sampled_from(ZONES))
        start = day0 + timedelta(days=draw(st.integers(-900, 900)), hours=draw(st.integers(0, 23)),
                                 minutes=draw(st.sampled_from([0, 15, 45])))
        minutes = draw(st.sampled_from([15, 45, 120, 24 * 60, 3 * 24 * 60]))
        parts.append(block(f"single-{n}", f"single {n}", start, zone, minutes, duration=draw(st.booleans())))
    draw(st.randoms()).shuffle(parts)
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n" + BERLIN + "".join(parts) + "END:VCALENDAR\r\n"
    return text, moment


def seen(events, since: datetime, until: datetime) -> set[tuple]:
    local = datetime.now().astimezone().tzinfo

    def aware(moment: datetime) -> datetime:
        return moment if moment.tzinfo else moment.replace(tzinfo=local)

    return {(aware(e.start), aware(e.end), e.title) for e in events
            if aware(e.end) > since and aware(e.start) < until}


@EXAMPLES
@given(case=calendars(), days=st.integers(1, 40))
def test_leaving_out_and_starting_again_change_no_meeting(tmp_path_factory, case, days: int) -> None:
    text, moment = case
    path = tmp_path_factory.mktemp("cal") / "cal.ics"
    path.write_text(text, encoding="utf-8")
    until = moment + timedelta(days=days)

    read = read_file(path, moment, until)

    whole = x_wr_timezone.to_standard(icalendar.Calendar.from_ical(text))
    expected = [e for o in recurring_ical_events.of(whole).between(read.since, read.until)
                if (e := _event(o)) is not None]
    assert read.problems == []
    assert seen(read.events, moment, until) == seen(expected, moment, until)


def test_what_lies_outside_goes_and_what_may_reach_in_stays() -> None:
    first, last = date(2026, 3, 1), date(2026, 3, 20)
    old = block("old", "old", datetime(2025, 1, 6, 9), "berlin", 30)
    later = block("later", "later", datetime(2026, 6, 1, 9), "utc", 30)
    inside = block("inside", "inside", datetime(2026, 3, 5, 9), "floating", 30)
    long = block("long", "long", datetime(2025, 1, 6, 9), "utc", 30).replace("DTEND:20250106T093000Z", "DURATION:P90D")
    series = block("s", "s", datetime(2020, 1, 6, 9), "berlin", 30, "RRULE:FREQ=WEEKLY")
    moved_old = block("s", "s moved", datetime(2021, 1, 7, 9), "berlin", 30,
                      "RECURRENCE-ID;TZID=Europe/Berlin:20210104T090000")
    moved_in = block("s", "s moved in", datetime(2026, 3, 10, 9), "berlin", 30,
                     "RECURRENCE-ID;TZID=Europe/Berlin:20210111T090000")
    ranged = block("s", "s from then on", datetime(2021, 2, 2, 9), "berlin", 30,
                   "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20210201T090000")
    folded = inside.replace("SUMMARY:inside", "SUMMARY:inside, with a title long enough to be\r\n  folded")
    text = ("BEGIN:VCALENDAR\r\n" + old + later + folded + long + series + moved_old + moved_in + ranged
            + "END:VCALENDAR\r\n")

    kept = within(text, first, last)

    for title in ("SUMMARY:inside, with a title long enough to be folded", "UID:long", "SUMMARY:s\r\n",
                  "s moved in", "s from then on"):
        assert title in kept
    for title in ("UID:old", "UID:later", "SUMMARY:s moved\r\n"):
        assert title not in kept
    assert icalendar.Calendar.from_ical(kept).walk("VEVENT")


def test_an_old_weekly_series_keeps_its_local_time_across_summer_time(tmp_path: Path) -> None:
    """Begun in winter 2022 at 09:00 Berlin; read in summer 2026 it is still at 09:00 there, and a
    time deleted or moved years later is still deleted or moved."""
    series = block("s", "weekly", datetime(2022, 1, 3, 9), "berlin", 30, "RRULE:FREQ=WEEKLY;BYDAY=MO",
                   "EXDATE;TZID=Europe/Berlin:20260608T090000")
    moved = block("s", "weekly, moved", datetime(2026, 6, 16, 14), "berlin", 30,
                  "RECURRENCE-ID;TZID=Europe/Berlin:20260615T090000")
    path = tmp_path / "cal.ics"
    path.write_text("BEGIN:VCALENDAR\r\n" + BERLIN + series + moved + "END:VCALENDAR\r\n", encoding="utf-8")

    read = read_file(path, datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 30, tzinfo=UTC))

    got = sorted((e.start.astimezone(UTC), e.title) for e in read.events
                 if datetime(2026, 6, 1, tzinfo=UTC) <= e.start < datetime(2026, 6, 30, tzinfo=UTC))
    assert got == [(datetime(2026, 6, 1, 7, tzinfo=UTC), "weekly"), (datetime(2026, 6, 16, 12, tzinfo=UTC),
                                                                      "weekly, moved"),
                   (datetime(2026, 6, 22, 7, tzinfo=UTC), "weekly"), (datetime(2026, 6, 29, 7, tzinfo=UTC), "weekly")]
