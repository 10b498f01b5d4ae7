"""The calendar domain: which events are meetings, with whom, read from real .ics files on disk
(written by the tests), and the per-device cache that spares reading them twice."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.calendar import Slot, match_partner, slot_relative, slot_time, upcoming
from coach.calendar_read import cache_path
from coach.config import Config
from coach.model import PartnerRecord
from tests.calendar_files import FILES, write_calendars

EXAMPLES = settings(max_examples=int(os.environ.get("COACH_EXAMPLES", "100")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ME = ("me@example.org",)
ADA = PartnerRecord(name="Ada Lovelace", emails=["Ada@Example.org"])
ZOE = PartnerRecord(name="Zoë O'Brien", calendar=["ZOB", "design crit"])


def ics(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def vevent(summary: str, start: str = "20260302T100000Z", *lines: str, uid: str | None = None,
           minutes: int = 30) -> str:
    body = "".join(f"{line}\r\n" for line in lines)
    return (f"BEGIN:VEVENT\r\nUID:{uid or summary}\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:{summary}\r\n"
            f"DTSTART:{start}\r\nDURATION:PT{minutes}M\r\n{body}END:VEVENT\r\n")


def me(partstat: str = "ACCEPTED") -> str:
    return f"ATTENDEE;PARTSTAT={partstat};CN=Me:mailto:me@example.org"


def someone(email: str, name: str = "") -> str:
    return f"ATTENDEE;PARTSTAT=ACCEPTED{';CN=' + name if name else ''}:mailto:{email}"


def slots_of(tmp_path: Path, text: str, partners=(ADA, ZOE), me_: tuple[str, ...] = ME,
             now: datetime = NOW, within: timedelta = timedelta(days=7)) -> list[Slot]:
    path = tmp_path / "cal.ics"
    path.write_text(text, encoding="utf-8")
    slots, problems = upcoming(now, within, Config(calendar=(str(path),), me=me_), list(partners))
    assert problems == []
    return slots


# -- with whom ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("title", "partner"), [
    ("1:1 Zoë O'Brien", "Zoë O'Brien"),
    ("1:1 zoe o'brien", "Zoë O'Brien"),  # any case, no accent
    ("ZOE O BRIEN / me", "Zoë O'Brien"),
    ("1:1 Zoë / Ana", None),  # a first name alone is not enough ...
    ("Zoë", None),
    ("zob weekly", "Zoë O'Brien"),  # ... unless it is one of her calendar words
    ("Design crit with the team", "Zoë O'Brien"),
    ("Design critique", None),  # whole words only
    ("Zoë O'Briens farewell", None),
    ("Ada Lovelace / Zoë O'Brien", "Zoë O'Brien"),  # two names: the longer one
])
def test_a_title_names_a_partner_by_whole_name_or_calendar_word(title: str, partner: str | None) -> None:
    assert match_partner(title, set(), [ADA, ZOE]) == partner


def test_an_attendee_email_wins_over_the_title_and_the_longest_name_wins_in_a_title() -> None:
    ana, ana_silva = PartnerRecord(name="Ana"), PartnerRecord(name="Ana Silva")
    assert match_partner("Zoë O'Brien sync", {"ada@example.org"}, [ZOE, ADA]) == "Ada Lovelace"
    assert match_partner("1:1 Ana Silva", set(), [ana, ana_silva]) == "Ana Silva"
    assert match_partner("Ana and Bo", set(), [ana, ana_silva]) == "Ana"


def test_an_event_is_with_a_partner_by_email_whatever_its_title(tmp_path: Path) -> None:
    [slot] = slots_of(tmp_path, ics(vevent("Weekly", "20260302T100000Z", me(), someone("ADA@example.org"))))

    assert (slot.partner, slot.suggested, slot.attendees) == ("Ada Lovelace", None, ("ada@example.org",))
    assert (slot.start, slot.end, slot.minutes, slot.title) == (
        datetime(2026, 3, 2, 10, tzinfo=UTC), datetime(2026, 3, 2, 10, 30, tzinfo=UTC), 30.0, "Weekly")
    assert slot.source == tmp_path / "cal.ics"


def test_a_one_to_one_with_someone_new_is_offered_with_a_name(tmp_path: Path) -> None:
    text = ics(vevent("Intro", "20260302T100000Z", me(), someone("sam@x.org", "Sam Lee")),
               vevent("Coffee", "20260302T110000Z", "ORGANIZER:mailto:me@example.org", someone("kim.park@x.org")),
               vevent("Group", "20260302T120000Z", me(), someone("a@x.org"), someone("b@x.org")))

    assert [(s.title, s.partner, s.suggested) for s in slots_of(tmp_path, text)] == [
        ("Intro", None, "Sam Lee"), ("Coffee", None, "kim.park")]


def test_a_one_to_one_with_a_partner_from_an_address_coach_does_not_know_is_theirs(tmp_path: Path) -> None:
    text = ics(vevent("Catch-up", "20260302T100000Z", me(), someone("ada.private@x.org", "ADA LOVELACE")))

    assert [(s.partner, s.suggested) for s in slots_of(tmp_path, text)] == [("Ada Lovelace", None)]


def test_an_offered_name_loses_control_and_direction_characters_and_a_moment_is_no_meeting(tmp_path: Path) -> None:
    text = ics(vevent("Intro", "20260302T100000Z", me(), someone("bob@x.org", "Bob\u202eevil")),
               vevent("Ping", "20260302T110000Z", me(), someone("sam@x.org", "Sam")).replace(
                   "DURATION:PT30M", "DURATION:PT0S"))

    assert [(s.title, s.suggested) for s in slots_of(tmp_path, text)] == [("Intro", "Bobevil")]


# -- what is not a meeting ----------------------------------------------------------------------------
def test_cancelled_declined_all_day_and_alone_are_not_meetings(tmp_path: Path) -> None:
    text = ics(
        vevent("Ada Lovelace cancelled", "20260302T090000Z", "STATUS:CANCELLED", someone("ada@example.org")),
        vevent("Ada declined", "20260302T100000Z", me("DECLINED"), someone("ada@example.org")),
        vevent("Ada Lovelace day", "20260302", "X-ALL-DAY:1").replace("DTSTART:2026", "DTSTART;VALUE=DATE:2026")
        .replace("DURATION:PT30M", "DURATION:P1D"),
        vevent("Dentist", "20260302T120000Z", me()),
        vevent("Focus time", "20260302T130000Z"),
        vevent("Prep for Ada Lovelace", "20260302T140000Z"),  # alone, but the title names a partner
    )

    assert [s.title for s in slots_of(tmp_path, text)] == ["Prep for Ada Lovelace"]


def test_the_users_address_is_known_in_any_case_and_with_mailto(tmp_path: Path) -> None:
    text = ics(vevent("Sync", "20260302T100000Z", "ATTENDEE;PARTSTAT=DECLINED:MAILTO:Me@Example.ORG",
                      someone("sam@x.org", "Sam")))

    assert slots_of(tmp_path, text) == []
    assert [s.suggested for s in slots_of(tmp_path, text, me_=())] == []  # not knowing the user: two others


def test_a_meeting_counts_until_it_ends_and_from_before_the_span_ends(tmp_path: Path) -> None:
    text = ics(vevent("Ada Lovelace", "20260302T100000Z"))
    during = datetime(2026, 3, 2, 10, 29, tzinfo=UTC)

    assert len(slots_of(tmp_path, text, now=during, within=timedelta(minutes=1))) == 1
    assert slots_of(tmp_path, text, now=during + timedelta(minutes=1), within=timedelta(hours=1)) == []
    assert slots_of(tmp_path, text, now=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), within=timedelta(hours=1)) == []
    assert len(slots_of(tmp_path, text, now=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
                        within=timedelta(hours=1, seconds=1))) == 1


# -- recurrences and zones ------------------------------------------------------------------------
def test_monthly_rules_extra_dates_and_deleted_dates(tmp_path: Path) -> None:
    text = ics(vevent("Ada Lovelace monthly", "20260115T100000Z", "RRULE:FREQ=MONTHLY;BYMONTHDAY=15",
                      "RDATE:20260320T160000Z", "EXDATE:20260415T100000Z"))

    starts = [s.start for s in slots_of(tmp_path, text, now=datetime(2026, 3, 1, tzinfo=UTC),
                                        within=timedelta(days=90))]

    assert starts == [datetime(2026, 3, 15, 10, tzinfo=UTC), datetime(2026, 3, 20, 16, tzinfo=UTC),
                      datetime(2026, 5, 15, 10, tzinfo=UTC)]


def test_a_floating_time_is_this_devices_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        [slot] = slots_of(tmp_path, ics(vevent("Ada Lovelace", "20260302T100000")),
                          now=datetime(2026, 3, 1, tzinfo=UTC))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert slot.start == datetime(2026, 3, 2, 1, tzinfo=UTC)
    assert slot.start.tzinfo is not None and slot.end.tzinfo is not None


def test_every_fixture_file_reads_without_a_problem(tmp_path: Path) -> None:
    folder = write_calendars(tmp_path / "calendars")
    slots, problems = upcoming(datetime(2026, 3, 1, tzinfo=UTC), timedelta(days=60),
                               Config(calendar=(str(folder),), me=ME), [ADA, ZOE])

    assert problems == []
    assert {s.source.relative_to(folder).as_posix() for s in slots} == set(FILES) - {
        "google/ada-sync.ics", "google/team.ics"}  # declined; three strangers


# -- files and problems ---------------------------------------------------------------------------
def test_a_broken_event_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "cal.ics"
    path.write_text(ics(vevent("Ada Lovelace", "2026-03-02 10:00"),
                        "BEGIN:VEVENT\r\nUID:nostart\r\nSUMMARY:Ada Lovelace\r\nEND:VEVENT\r\n",
                        vevent("Zoë O'Brien", "20260302T110000Z")), encoding="utf-8")

    slots, problems = upcoming(NOW, timedelta(days=1), Config(calendar=(str(path),)), [ADA, ZOE])

    assert [s.partner for s in slots] == ["Zoë O'Brien"]
    assert [(p.path, p.line, p.col, p.warning) for p in problems] == [(path, 8, 1, False), (path, 12, 1, False)]
    assert problems[0].message.startswith("DTSTART: ") and problems[0].message.endswith("; this event is skipped")
    assert problems[1].message == "this event cannot be read (it has no DTSTART); it is skipped"


def test_a_file_not_in_utf8_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cal.ics"
    path.write_bytes(ics(vevent("Ada Lovelace caf\xe9", "20260302T100000Z")).encode("latin-1"))

    slots, problems = upcoming(NOW, timedelta(days=1), Config(calendar=(str(path),)), [ADA])

    assert [s.title for s in slots] == ["Ada Lovelace caf\ufffd"]
    assert [(p.line, p.col, p.warning) for p in problems] == [(5, 21, True)]  # in its UID


@pytest.mark.parametrize(("rule", "warning", "message"), [
    ("FREQ=MINUTELY", True, "repeats every second or minute: not a meeting; skipped"),
    ("FREQ=SECONDLY;COUNT=5", True, "repeats every second or minute: not a meeting; skipped"),
    ("FREQ=DAILY;INTERVAL=0", False, "RRULE: INTERVAL must be 1 or more; this event is skipped"),  # endless
])
def test_a_rule_too_frequent_or_endless_is_skipped(tmp_path: Path, rule: str, warning: bool, message: str) -> None:
    path = tmp_path / "cal.ics"
    path.write_text(ics(vevent("Ada Lovelace", "20200101T000000Z", f"RRULE:{rule}"),
                        vevent("Ada Lovelace", "20260302T100000Z", uid="other")), encoding="utf-8")

    slots, problems = upcoming(NOW, timedelta(days=1), Config(calendar=(str(path),)), [ADA])

    assert [s.start for s in slots] == [datetime(2026, 3, 2, 10, tzinfo=UTC)]
    assert [(p.line, p.warning, p.message) for p in problems] == [(5, warning, message)]


def test_a_missing_path_is_reported_at_the_setting_and_the_rest_read(tmp_path: Path, coach_dirs) -> None:
    good = tmp_path / "cal.ics"
    good.write_text(ics(vevent("Ada Lovelace")), encoding="utf-8")
    config_file = coach_dirs[0] / "config.toml"
    config_file.parent.mkdir(parents=True)
    config_file.write_text(f'calendar = ["~/nowhere.ics", "{good}"]\n', encoding="utf-8")

    slots, problems = upcoming(NOW, timedelta(days=1), Config(calendar=("~/nowhere.ics", str(good))), [ADA])

    assert [s.partner for s in slots] == ["Ada Lovelace"]
    assert [str(p) for p in problems] == [f"{config_file}:1:13: calendar: '~/nowhere.ics' does not exist"]


# -- the cache -------------------------------------------------------------------------------------
def test_an_unchanged_file_is_not_read_again_and_a_changed_one_is(tmp_path: Path) -> None:
    path = tmp_path / "cal.ics"
    text = ics(vevent("Ada Lovelace 1", "20260302T100000Z"))
    assert [s.title for s in slots_of(tmp_path, text)] == ["Ada Lovelace 1"]
    assert cache_path().is_file()
    stamp = path.stat().st_mtime_ns

    path.write_text(text.replace("Lovelace 1", "Lovelace 2"), encoding="utf-8")  # same size ...
    os.utime(path, ns=(stamp, stamp))  # ... same time: taken for the same file
    cached, _ = upcoming(NOW, timedelta(days=7), Config(calendar=(str(path),), me=ME), [ADA])
    os.utime(path, ns=(stamp + 1_000_000, stamp + 1_000_000))
    fresh, _ = upcoming(NOW, timedelta(days=7), Config(calendar=(str(path),), me=ME), [ADA])

    assert [s.title for s in cached] == ["Ada Lovelace 1"]
    assert [s.title for s in fresh] == ["Ada Lovelace 2"]


def test_a_moment_outside_the_cached_window_reads_the_file_again(tmp_path: Path) -> None:
    text = ics(vevent("Ada Lovelace", "20260302T100000Z", "RRULE:FREQ=WEEKLY"))
    assert len(slots_of(tmp_path, text, within=timedelta(days=7))) == 1

    later = slots_of(tmp_path, text, now=NOW + timedelta(days=365), within=timedelta(days=7))
    far = slots_of(tmp_path, text, within=timedelta(days=200))

    assert [s.start.date().isoformat() for s in later] == ["2027-03-08"]
    assert len(far) == 29


@EXAMPLES
@given(raw=st.binary(max_size=2000) | st.sampled_from([b"", b"{}", b'{"files": 5}', b"[]", b"null"]))
def test_any_bytes_as_the_cache_give_the_same_answer(tmp_path_factory, raw: bytes) -> None:
    folder = write_calendars(tmp_path_factory.mktemp("cal") / "calendars")
    config = Config(calendar=(str(folder),), me=ME)
    right = upcoming(NOW, timedelta(days=30), config, [ADA, ZOE])
    cache_path().write_bytes(raw)

    assert upcoming(NOW, timedelta(days=30), config, [ADA, ZOE]) == right
    assert upcoming(NOW, timedelta(days=30), config, [ADA, ZOE]) == right  # the cache written anew


# -- any bytes ------------------------------------------------------------------------------------------
GOOD = FILES["outlook/calendar.ics"].replace("\n", "\r\n").encode()


@st.composite
def damaged_calendars(draw) -> bytes:
    how = draw(st.sampled_from(["random", "cut", "flipped", "lines"]))
    if how == "random":
        return draw(st.binary(max_size=2000))
    if how == "cut":
        return GOOD[:draw(st.integers(0, len(GOOD)))]
    if how == "flipped":
        damaged = bytearray(GOOD)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(GOOD) - 1))
            damaged[at] ^= draw(st.integers(1, 255))
        return bytes(damaged)
    lines = GOOD.split(b"\r\n")
    i = draw(st.integers(0, len(lines) - 1))
    lines[i] = draw(st.binary(max_size=60) | st.sampled_from([b"", b"END:VEVENT", b"BEGIN:VEVENT", b"RRULE:FREQ=",
                                                              b"DTSTART:20260302", b"DTEND;VALUE=DATE:1"]))
    return b"\r\n".join(lines)


@EXAMPLES
@given(raw=damaged_calendars())
def test_any_bytes_as_a_calendar_give_slots_or_positioned_problems(tmp_path_factory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("cal") / "cal.ics"
    path.write_bytes(raw)
    lines = max(1, len(raw.splitlines())) + 1

    slots, problems = upcoming(datetime(2026, 3, 1, tzinfo=UTC), timedelta(days=40),
                               Config(calendar=(str(path),), me=ME), [ADA, ZOE])

    for slot in slots:
        assert slot.start.tzinfo is not None and slot.end >= slot.start and slot.source == path
    for problem in problems:
        assert problem.path == path and 1 <= problem.line <= lines and problem.col >= 1, problem
        assert problem.message and "Traceback" not in problem.message


# -- how a slot reads -------------------------------------------------------------------------------------
def test_a_slot_reads_as_a_day_a_time_and_how_soon(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        now = datetime(2026, 3, 2, 13, 48, tzinfo=UTC)  # a Monday
        slot = Slot(datetime(2026, 3, 2, 14, tzinfo=UTC), datetime(2026, 3, 2, 14, 30, tzinfo=UTC), "1:1",
                    "Ada", None, (), Path("x.ics"))
        week = Slot(slot.start + timedelta(days=3), slot.end + timedelta(days=3), "", None, "Sam", (), Path("x"))
        far = Slot(slot.start + timedelta(days=9), slot.end + timedelta(days=9), "", None, "Sam", (), Path("x"))
        assert (slot_time(slot, now), slot_relative(slot, now)) == ("today 14:00–14:30", "in 12 min")
        assert (slot_time(week, now), slot_relative(week, now)) == ("Thu 14:00–14:30", "in 3 days")
        assert slot_time(far, now) == "Wed 11 Mar 14:00–14:30"
        assert slot_relative(slot, now + timedelta(minutes=12, seconds=20)) == "now"
        assert slot_relative(slot, now + timedelta(minutes=20)) == "started 8 min ago"
        assert slot_relative(slot, now - timedelta(hours=2, minutes=5)) == "in 2 h 17 min"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_merged_partner_brings_their_emails_and_calendar_words(coach_dirs) -> None:
    from coach.partner_edit import merge
    from coach.partners import load_record, save_record

    save_record(PartnerRecord(name="Zoë O'Brien", slug="zoe", emails=["zoe@a.org"], calendar=["ZOB"]))
    save_record(PartnerRecord(name="Zo", slug="zo", emails=["zoe@b.org", "zoe@a.org"], calendar=["Zo sync"]))

    merge("Zoë O'Brien", "Zo", NOW)

    record = load_record("Zoë O'Brien")
    assert (record.emails, record.calendar) == (["zoe@a.org", "zoe@b.org"], ["ZOB", "Zo sync"])
    assert match_partner("Zo sync", set(), [record]) == match_partner("x", {"zoe@b.org"}, [record]) == "Zoë O'Brien"


def test_an_unknown_zone_is_said_once_and_a_backwards_event_is_skipped_and_said(tmp_path: Path) -> None:
    """The parser reads both without a word: a zone it does not know becomes this computer's time,
    and an end before the start is quietly swapped. coach says both, at their lines."""
    text = ics(
        vevent("Mars one", "20260302T100000", uid="m1").replace("DTSTART:", "DTSTART;TZID=Mars/Olympus:"),
        vevent("Mars two", "20260303T100000", uid="m2").replace("DTSTART:", "DTSTART;TZID=Mars/Olympus:"),
        vevent("Backwards", "20260302T120000Z", uid="back").replace("DURATION:PT30M", "DTEND:20260302T110000Z"))
    path = tmp_path / "cal.ics"
    path.write_text(text, encoding="utf-8")

    slots, problems = upcoming(NOW, timedelta(days=3), Config(calendar=(str(path),)), [])

    lines = text.splitlines()
    zone = [p for p in problems if "Mars/Olympus" in p.message]
    assert len(zone) == 1 and zone[0].warning and "this computer's" in zone[0].message
    assert lines[zone[0].line - 1].startswith("DTSTART;TZID=Mars/Olympus")
    backwards = [p for p in problems if "DTEND is before DTSTART" in p.message]
    assert len(backwards) == 1 and lines[backwards[0].line - 1] == "DTEND:20260302T110000Z"
    assert "Backwards" not in {slot.title for slot in slots}
