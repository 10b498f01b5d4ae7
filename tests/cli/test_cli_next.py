"""`coach next` and the calendar in `coach config check`, run as a user runs them: a subprocess, over
calendar files exported the way Google, Outlook and Apple write them (tests/calendar_files.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.calendar_files import write_calendars, write_config, write_partners
from tests.cli.conftest import Run


@pytest.fixture
def calendar(tmp_path: Path, config_dir: Path, data_dir: Path, coach_env: dict[str, str]) -> Path:
    """The three exports in a vdirsyncer-style folder, named in config.toml; three partners; this
    device in Berlin (a floating time is Berlin time)."""
    coach_env["TZ"] = "Europe/Berlin"
    folder = write_calendars(tmp_path / "calendars")
    write_partners(data_dir)
    write_config(config_dir, folder)
    return folder


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


# (--at, --within): the meetings listed, as (partner or suggested name, start, end) in UTC
MOMENTS = {
    "Ada's weekly (New York, winter time)": ("2026-03-02T09:00:00Z", "24h", [
        ("Ada Lovelace", at(2, 15), at(2, 15, 30))]),
    "Ada's, still on; the team meeting (3 strangers) and the dentist (alone) are not listed": (
        "2026-03-02T15:10:00Z", "8h", [("Ada Lovelace", at(2, 15), at(2, 15, 30))]),
    "Zoë by her name in the title, at a Windows zone's time; the all-day offsite is skipped": (
        "2026-03-02T15:31:00Z", "2d", [("Zoë O'Brien", at(3, 13), at(3, 13, 45))]),
    "the cancelled and the declined are skipped; Kenji (Tokyo), then Sam, new": (
        "2026-03-03T14:00:00Z", "3d", [("Kenji Sato", at(6, 0), at(6, 0, 30)), ("Sam Lee", at(6, 9), at(6, 10))]),
    "the deleted 9 March (EXDATE); a floating lunch at Berlin time": ("2026-03-08T12:00:00Z", "2d", [
        ("Zoë O'Brien", at(10, 11, 30), at(10, 12, 30))]),
    "Ada's moved to Tuesday 11:00 New York, summer time": ("2026-03-16T00:00:00Z", "2d", [
        ("Ada Lovelace", at(17, 15), at(17, 15, 30))]),
    "Ada's Monday 10:00 New York in summer time is 14:00 UTC": ("2026-03-23T00:00:00Z", "1d", [
        ("Ada Lovelace", at(23, 14), at(23, 14, 30))]),
    "Zoë's Friday mentoring, Berlin winter time": ("2026-03-20T00:00:00Z", "1d", [
        ("Zoë O'Brien", at(20, 7), at(20, 7, 30))]),
    "Zoë's after Berlin's change to summer time (27 March cancelled)": ("2026-03-27T00:00:00Z", "8d", [
        ("Ada Lovelace", at(30, 14), at(30, 14, 30)), ("Zoë O'Brien", at(3, 6, month=4), at(3, 6, 30, month=4))]),
    "a naive --at is local (Berlin) time": ("2026-03-02T15:59", "1h", [("Ada Lovelace", at(2, 15), at(2, 15, 30))]),
}


@pytest.mark.parametrize(("moment", "within", "expected"), MOMENTS.values(), ids=MOMENTS.keys())
def test_coach_next_names_the_right_partner_start_and_end(coach: Run, calendar: Path, moment: str, within: str,
                                                          expected: list) -> None:
    result = coach("next", "--at", moment, "--within", within, "--json")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    listed = json.loads(result.stdout)
    assert [(s["partner"] or s["suggested"], utc(s["start"]), utc(s["end"])) for s in listed] == expected
    assert all(s["minutes"] == (utc(s["end"]) - utc(s["start"])).total_seconds() / 60 for s in listed)
    assert all(Path(s["source"]).is_relative_to(calendar) and s["title"] for s in listed)


def test_a_new_partner_comes_with_a_suggested_name_and_no_partner(coach: Run, calendar: Path) -> None:
    result = coach("next", "--at", "2026-03-06T08:00:00Z", "--within", "2h", "--json")

    assert json.loads(result.stdout) == [{
        "partner": None, "suggested": "Sam Lee", "title": "Intro call", "start": "2026-03-06T18:00:00+09:00",
        "end": "2026-03-06T19:00:00+09:00", "minutes": 60.0, "source": str(calendar / "apple" / "sam.ics")}]


def test_nothing_ahead_exits_1_and_says_so(coach: Run, calendar: Path) -> None:
    for moment in ("2026-03-27T00:00:00Z", "2026-03-04T08:00:00Z"):  # a cancelled instance; a cancelled meeting
        result = coach("next", "--at", moment, "--within", "1d")

        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr == "coach next: no meeting with a partner in the next 1 day\n"
    assert json.loads(coach("next", "--at", "2026-03-27T00:00:00Z", "--within", "1d", "--json").stdout) == []


def test_the_text_lists_partners_with_a_brief_then_new_people(coach: Run, calendar: Path, data_dir: Path) -> None:
    (data_dir / "partners" / "kenji.toml").write_text(
        'schema = 1\nname = "Kenji Sato"\nemails = ["kenji@example.jp"]\n'
        'last_meeting = 2026-02-20T09:00:00+09:00\n\n'
        '[[commitments]]\ntext = "send the paper"\ndue = 2026-03-01\n\n'
        '[[commitments]]\ntext = "intro to Ada"\n\n[[goals]]\ntext = "publish"\n', encoding="utf-8")

    result = coach("next", "--at", "2026-03-05T23:48:00Z", "--within", "12h")

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Kenji Sato · today 01:00–01:30 (in 12 min) · 30 min\n"
        "  2 open commitments (1 overdue), 1 open goal\n"
        "new partner? Sam Lee · today 10:00–11:00 (in 9 h 12 min) · 60 min\n"
        "  Intro call\n")


def test_a_first_meeting_says_so(coach: Run, calendar: Path) -> None:
    result = coach("next", "--at", "2026-03-02T14:00:00Z", "--within", "2h")

    assert result.stdout == "Ada Lovelace · today 16:00–16:30 (in 1 h) · 30 min\n  first meeting\n"


@pytest.mark.parametrize("args", [
    ["--at", "tomorrow"], ["--at", "2026-13-01"], ["--within", "soon"], ["--within", "0m"], ["--within", "5"],
    ["--within", "2y"], ["--within", "400d"], ["--at"], ["--at", "9999-12-31T23:59"], ["--at", "3000-01-01T00:00"],
])
def test_a_bad_moment_or_span_is_a_usage_error(coach: Run, calendar: Path, args: list[str]) -> None:
    result = coach("next", *args)

    assert result.returncode == 2
    assert "usage: coach next" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("within", ["90m", "1h30m", "1w", "2d", "0.5h"])
def test_a_span_takes_minutes_hours_days_weeks(coach: Run, calendar: Path, within: str) -> None:
    result = coach("next", "--at", "2026-03-02T14:45:00Z", "--within", within, "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["partner"] == "Ada Lovelace"


def test_without_a_calendar_coach_next_says_how_to_set_one(coach: Run, config_dir: Path) -> None:
    result = coach("next")

    assert result.returncode == 1
    assert result.stdout == ""
    assert "no calendar set: add `calendar = \"PATH\"`" in result.stderr
    assert str(config_dir / "config.toml") in result.stderr


def test_a_broken_calendar_file_is_reported_and_the_others_still_read(coach: Run, calendar: Path) -> None:
    broken = calendar / "outlook" / "broken.ics"
    broken.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Ada Lovelace\r\n"
                       b"DTSTART:2026-03-02 10:00\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")

    result = coach("next", "--at", "2026-03-02T09:00:00Z", "--json")

    assert result.returncode == 0
    assert [s["partner"] for s in json.loads(result.stdout)] == ["Ada Lovelace"]
    assert result.stderr.startswith(f"{broken}:6:1: DTSTART: ")
    assert result.stderr.endswith("; this event is skipped\n")


def test_config_check_reports_a_broken_ics_with_its_path_and_line(coach: Run, calendar: Path,
                                                                  config_dir: Path) -> None:
    assert coach("config", "check").returncode == 0
    broken = calendar / "apple" / "broken.ics"
    broken.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:y\r\n"
                       b"this line is no content line\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    garbage = calendar / "apple" / "garbage.ics"
    garbage.write_bytes(b"\x00\x01 not a calendar\n")
    photo = calendar / "photo.ics"
    photo.write_bytes(b"BEGIN:VCARD\r\nFN:Ada\r\nEND:VCARD\r\n")
    unclosed = calendar / "unclosed.ics"
    unclosed.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nBEGIN:VEVENT\r\nUID:2\r\n"
                         b"END:VEVENT\r\nEND:VCALENDAR\r\n")

    result = coach("config", "check")

    lines = result.stdout.splitlines()
    assert f"{broken}:5:1: warning: Content line could not be parsed into parts: 'this line is no content line': " \
           "Invalid content line" in lines
    assert any(line.startswith(f"{garbage}:1:1: not an iCalendar file: ") for line in lines), lines
    assert f"{photo}:1:1: not an iCalendar file: no BEGIN:VCALENDAR … END:VCALENDAR" in lines
    assert f"{unclosed}:3:1: not an iCalendar file: BEGIN:VEVENT is not closed (END:VEVENT is missing before " \
           "line 8)" in lines, "the parser says only that no calendar came out: coach says where"
    assert result.returncode == 1


def test_config_check_reports_a_missing_path_at_its_place_in_the_list(coach: Run, calendar: Path,
                                                                      config_dir: Path) -> None:
    path = config_dir / "config.toml"
    path.write_text(f'me = "me@example.org"\ncalendar = [\n  "{calendar}",\n  "~/no/such/folder",\n]\n',
                    encoding="utf-8")

    result = coach("config", "check")

    assert result.returncode == 1
    assert result.stdout == f"{path}:4:3: calendar: '~/no/such/folder' does not exist\n"
    assert json.loads(coach("next", "--at", "2026-03-02T09:00:00Z", "--json").stdout)[0]["partner"] == \
        "Ada Lovelace"


def test_config_check_reports_an_empty_folder_and_an_unreadable_file(coach: Run, calendar: Path, config_dir: Path,
                                                                     tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    write_config(config_dir, empty)
    result = coach("config", "check")
    assert (result.returncode, result.stdout) == (
        0, f"{config_dir / 'config.toml'}:2:1: warning: calendar: {str(empty)!r} holds no .ics files\n")

    (calendar / "apple" / "gone.ics").symlink_to(tmp_path / "nowhere.ics")
    write_config(config_dir, calendar)
    result = coach("config", "check")
    assert (result.returncode, result.stdout) == (
        1, f"{calendar / 'apple' / 'gone.ics'}:1:1: cannot read: No such file or directory\n")


def test_coach_next_never_imports_textual(python: Run, calendar: Path) -> None:
    from tests.cli.test_cli_imports import RUN_MAIN

    result = python("-c", RUN_MAIN, "next", "--at", "2026-03-02T09:00:00Z")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Ada Lovelace · today 16:00–16:30 (in 6 h) · 30 min\n")
    assert json.loads(result.stdout.splitlines()[-1]) == {"code": 0, "textual": []}


def test_config_check_warns_when_me_is_not_set(coach: Run, calendar: Path, config_dir: Path) -> None:
    path = config_dir / "config.toml"
    path.write_text(f"schema = 1\ncalendar = {json.dumps(str(calendar))}\n", encoding="utf-8")

    result = coach("config", "check")

    assert result.returncode == 0
    assert result.stdout.startswith(f"{path}:2:1: warning: `me` is not set: coach cannot tell which attendee is you")
