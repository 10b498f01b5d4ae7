"""Who's next in the app: the picker opens with the calendar's next meetings on top, and prep plans
the phases to the slot (the calendars are those of tests/calendar_files.py, read from disk)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from coach import calendar as calendar_module
from coach import partners
from coach.app import CoachApp
from coach.clock import FakeClock
from screens.meeting import MeetingScreen
from screens.picker import PickerScreen
from screens.prep import PrepScreen
from tests.calendar_files import write_calendars, write_config, write_partners
from tests.ui.helpers import files_read, wait_for
from tests.ui.test_hostile_data import screen_text

SIZES = [(60, 20), (80, 24)]
BEFORE_ZOE = datetime(2026, 3, 3, 12, 48, tzinfo=UTC)
"""12 minutes before the 1:1 with Zoë O'Brien (14:00–14:45 Berlin, 13:00–13:45 UTC)."""
BEFORE_SAM = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
"""The day before the catch-up with Kenji (00:00 UTC) and the intro call with Sam Lee (09:00–10:00 UTC)."""
BROKEN = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:2026030T99\r\nSUMMARY:1:1\r\n" \
         "END:VEVENT\r\nEND:VCALENDAR\r\n"


@pytest.fixture(autouse=True)
def utc_device(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This device's zone is UTC: the times on screen do not depend on the test machine's."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def calendar(coach_dirs: tuple[Path, Path], tmp_path: Path) -> Path:
    """The three exports in a vdirsyncer-style folder, the partners they name, and `calendar` set to it."""
    config, data = coach_dirs
    folder = write_calendars(tmp_path / "calendars")
    write_partners(data)
    write_config(config, folder)
    return folder


def rows(app: CoachApp) -> list[str]:
    options = app.screen.query_one("#known", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def calendar_shown(pilot) -> PickerScreen:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen), "the picker")
    screen = app.screen
    await wait_for(pilot, lambda: screen.calendar_read, "the calendar read")
    await pilot.pause()
    return screen


async def zoes_prep(pilot) -> None:
    """The picker's first calendar row (Zoë's meeting) opened: her prep with the slot."""
    await calendar_shown(pilot)
    await pilot.press("enter", "enter")  # no name typed: to the list, its first row
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PrepScreen), "prep")


@pytest.mark.parametrize("size", SIZES, ids=["60x20", "80x24"])
async def test_the_next_meeting_tops_the_picker_and_its_prep_plans_to_the_slot(calendar, size):
    app = CoachApp(clock=FakeClock(BEFORE_ZOE), template="standard")
    async with app.run_test(size=size) as pilot:
        await calendar_shown(pilot)
        assert rows(app)[0] == "Zoë O'Brien · today 13:00, in 12 min · 45 min"
        assert "Zoë O'Brien · today 13:00, in 12 min · 45 min" in screen_text(app)
        await pilot.press("enter", "enter")  # no name typed: to the list, its first row
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        prep = app.screen
        assert prep.partner == "Zoë O'Brien"
        assert prep.slot is not None and prep.slot.minutes == 45
        plan = str(prep.query_one("#plan").render())
        assert "Calendar: today 13:00–13:45 · 45 min" in plan
        assert [p.minutes for p in prep.planned.phases] == [7, 23, 15], "5/15/10 is 7.5/22.5/15 in 45 minutes"
        assert re.search(r"1\. Chit-chat +7 min\n  2\. Goals +23 min\n  3\. Commitments +15 min", plan)
        assert "45 minutes, fitted to the event: starting at 13:00, it ends at 13:45, with the event." in plan
        assert "Calendar: today 13:00–13:45 · 45 min" in screen_text(app)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        meeting = app.meeting
        assert meeting is not None
        assert [run.clock.planned for run in meeting.phases] == [7 * 60, 23 * 60, 15 * 60]
        assert sum(run.clock.planned for run in meeting.phases) == prep.slot.minutes * 60
        assert meeting.planned_end == BEFORE_ZOE + timedelta(minutes=45), "started early: 45 minutes from now"


async def test_started_on_time_the_meeting_ends_with_the_event(calendar):
    clock = FakeClock(BEFORE_ZOE)
    app = CoachApp(clock=clock, template="standard")
    async with app.run_test(size=(80, 24)) as pilot:
        await zoes_prep(pilot)
        clock.advance(12 * 60)  # 13:00: the event starts
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        assert app.meeting is not None and app.meeting.planned_end == datetime(2026, 3, 3, 13, 45, tzinfo=UTC)


async def test_joined_late_the_phases_fit_what_is_left_and_the_meeting_ends_with_the_event(calendar):
    clock = FakeClock(BEFORE_ZOE)
    app = CoachApp(clock=clock, template="standard")
    async with app.run_test(size=(80, 24)) as pilot:
        await zoes_prep(pilot)
        clock.advance(32 * 60)  # 13:20: twenty minutes into the event, 25 left
        app.screen.show_plan()
        assert "fitted to what is left of the event: starting now, it ends at 13:45" in str(
            app.screen.query_one("#plan").render())
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        assert app.meeting is not None
        assert sum(run.clock.planned for run in app.meeting.phases) == 25 * 60
        assert app.meeting.planned_end == datetime(2026, 3, 3, 13, 45, tzinfo=UTC)


async def test_a_new_persons_one_to_one_makes_them_a_partner_with_their_address(calendar, coach_dirs):
    app = CoachApp(clock=FakeClock(BEFORE_SAM), template="standard")
    async with app.run_test(size=(60, 20)) as pilot:
        await calendar_shown(pilot)
        assert rows(app)[:2] == ["Kenji Sato · tomorrow 00:00, in 14 h · 30 min",
                                 "New: Sam Lee · tomorrow 09:00 · 60 min"]
        await pilot.press("enter", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        assert app.screen.partner == "Sam Lee"
        assert "Calendar: tomorrow 09:00–10:00 · 60 min" in str(app.screen.query_one("#plan").render())
        assert [p.minutes for p in app.screen.planned.phases] == [10, 30, 20]
    record = partners.load_record("Sam Lee")
    assert record.emails == ["sam.lee@example.com"], "their next invitations are theirs"


async def test_typing_a_name_keeps_that_partners_meeting_on_top(calendar):
    app = CoachApp(clock=FakeClock(BEFORE_SAM))
    async with app.run_test(size=(80, 24)) as pilot:
        await calendar_shown(pilot)
        await pilot.press(*"sam")
        await pilot.pause()
        assert rows(app)[0] == "New: Sam Lee · tomorrow 09:00 · 60 min"
        assert not any(row.startswith("Kenji") for row in rows(app))
        await pilot.press("backspace", "backspace", "backspace", *"kenji")
        await pilot.pause()
        assert rows(app)[0].startswith("Kenji Sato · tomorrow 00:00")


async def test_a_broken_calendar_is_said_once_and_the_picker_works(calendar, coach_dirs):
    broken = calendar / "google" / "broken.ics"
    broken.write_text(BROKEN, encoding="utf-8")
    app = CoachApp(clock=FakeClock(BEFORE_ZOE))
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await calendar_shown(pilot)
        said = [n for n in app._notifications if n.title.startswith("Calendar")]
        assert len(said) == 1
        assert said[0].message.startswith("broken.ics:5:1: DTSTART") and "Traceback" not in said[0].message
        assert "`coach config check` says all" in said[0].message
        assert rows(app)[0].startswith("Zoë O'Brien · today 13:00"), "the other files are read"
        await pilot.press(*"Ada", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        assert app.screen.partner == "Ada Lovelace" and app.screen.slot is None
        await pilot.press("escape")
        await calendar_shown(pilot)
        assert len([n for n in app._notifications if n.title.startswith("Calendar")]) == 1, "said once"


async def test_a_calendar_that_is_not_there_is_said_and_the_app_works(coach_dirs, tmp_path):
    config, _data = coach_dirs
    write_config(config, tmp_path / "nowhere")
    app = CoachApp(clock=FakeClock(BEFORE_ZOE))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await calendar_shown(pilot)
        [said] = [n for n in app._notifications if n.title.startswith("Calendar")]
        assert said.message.startswith("config.toml:2:1: calendar:") and "`coach config check` says all" in said.message
        await pilot.press(*"Grace Hopper", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")


async def test_a_slow_calendar_never_holds_up_the_picker(calendar, monkeypatch):
    """Reading a big calendar the first time takes seconds: the picker works meanwhile, and the
    calendar's rows come in above the partners when it is read."""
    release = threading.Event()
    real = calendar_module.upcoming

    def slow(*args, **kwargs):
        release.wait(timeout=60)
        return real(*args, **kwargs)

    monkeypatch.setattr(calendar_module, "upcoming", slow)
    app = CoachApp(clock=FakeClock(BEFORE_ZOE))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen), "the picker")
        screen = app.screen
        await wait_for(pilot, lambda: len(rows(app)) == 3, "the partners listed")
        assert not screen.calendar_read
        await pilot.press(*"Ken")
        assert screen.query_one("#name", Input).value == "Ken"
        await pilot.press("backspace", "backspace", "backspace", "down")
        release.set()
        await wait_for(pilot, lambda: screen.calendar_read, "the calendar read")
        await pilot.pause()
        assert rows(app)[0].startswith("Zoë O'Brien · today 13:00")


async def test_a_typed_name_and_enter_open_that_persons_meeting(calendar):
    """Typing the name rather than going down the list: the same meeting, planned to its slot."""
    app = CoachApp(clock=FakeClock(BEFORE_SAM), template="standard")
    async with app.run_test(size=(80, 24)) as pilot:
        await calendar_shown(pilot)
        await pilot.press(*"kenji sato")
        await pilot.pause()
        assert "Enter picks Kenji Sato for tomorrow 00:00" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        assert app.screen.slot is not None and app.screen.slot.partner == "Kenji Sato"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen) and app.screen.calendar_read, "picker")
        await pilot.press(*"sam lee")
        await pilot.pause()
        assert "Enter: new partner Sam Lee for tomorrow 09:00" in screen_text(app)
        assert not any(row.startswith("New partner:") for row in rows(app)), "the invitation's row is that choice"
        await pilot.press(*["backspace"] * 4)  # part of the name is enough
        await pilot.pause()
        assert "Enter: new partner Sam Lee for tomorrow 09:00 (“New partner: sam” is below)" in screen_text(app)
        assert rows(app)[-1] == "New partner: sam", "a partner called just that is still a choice"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        assert app.screen.partner == "Sam Lee", "named as the invitation says"
        assert app.screen.slot is not None and app.screen.slot.minutes == 60


@pytest.mark.parametrize("size", [(60, 20), (120, 40)], ids=["60x20", "120x40"])
async def test_a_calendar_row_is_one_line_and_a_long_name_is_cut_only_when_it_must(coach_dirs, tmp_path, size):
    config, _data = coach_dirs
    start = BEFORE_ZOE - timedelta(minutes=7)
    name = "Maximilian Alexander von Hohenzollern-Sigmaringen"
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTAMP:20260101T000000Z\r\n"
            f"SUMMARY:Intro\r\nDTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDURATION:PT45M\r\n"
            f"ATTENDEE;CN={name}:mailto:max@example.org\r\nATTENDEE;CN=Me:mailto:me@example.org\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n")
    (tmp_path / "cal").mkdir()
    (tmp_path / "cal" / "c.ics").write_text(text, encoding="utf-8")
    write_config(config, tmp_path / "cal")
    app = CoachApp(clock=FakeClock(BEFORE_ZOE))
    async with app.run_test(size=size) as pilot:
        await calendar_shown(pilot)
        await wait_for(pilot, lambda: "New:" in screen_text(app), "the calendar's row drawn")
        shown = [row for row in screen_text(app).splitlines() if "New:" in row]
        assert len(shown) == 1 and "45 min" in shown[0]
        assert (name in shown[0]) is (size[0] >= 120), "cut at 60 columns, whole at 120"
        await pilot.press(*"maxim")  # no partners yet: the hint still says whose meeting Enter opens
        await wait_for(pilot, lambda: "Enter: new partner Maximilian" in screen_text(app), "the hint")
        await pilot.press(*["backspace"] * 5)
        await wait_for(pilot, lambda: app.screen.query_one("#name", Input).value == "", "the name cleared")
        await pilot.press("down", "enter")  # taken as a partner: the row says how long ago it started
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        await pilot.press("escape")
        await calendar_shown(pilot)
        await wait_for(pilot, lambda: rows(app)[0].startswith("Maximilian"), "the row as a partner's meeting")
        lines = screen_text(app).splitlines()
        row = next(i for i, text in enumerate(lines) if "Maximilian" in text)  # the calendar's row, on top
        assert "45 min" in lines[row] and "min" not in lines[row + 1], "one line"
        assert ("started 7 min ago" in lines[row]) is (size[0] >= 120)


async def test_joined_at_an_odd_second_the_plan_still_ends_with_the_event_in_whole_minutes(calendar):
    """At 13:20:29.6 there are 24 min 30.4 s left: whole minutes, the odd seconds on the longest phase,
    and the meeting ends at 13:45 (not a minute early); prep's plan follows the clock while it waits."""
    clock = FakeClock(BEFORE_ZOE)
    app = CoachApp(clock=clock, template="standard")
    async with app.run_test(size=(80, 24)) as pilot:
        await zoes_prep(pilot)
        prep = app.screen
        clock.advance(32 * 60 + 29.6)
        prep.show_plan()  # what its refit timer calls (every REFIT_EVERY seconds)
        assert [round(p.seconds) for p in prep.planned.phases] == [4 * 60, 12 * 60 + 31, 8 * 60]
        assert "starting now, it ends at 13:45" in str(prep.query_one("#plan").render())
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        assert app.meeting is not None
        assert f"{app.meeting.planned_end:%H:%M:%S}" == "13:45:00"
        assert "Ends ~13:45" in screen_text(app)


@pytest.mark.parametrize(("moment", "planned"), [(BEFORE_ZOE, True), (BEFORE_ZOE - timedelta(hours=3), False)],
                         ids=["12 min before", "3 h before"])
async def test_prep_opened_by_name_plans_to_their_meeting_when_it_is_soon(calendar, moment, planned):
    """`coach --partner "Zoë O'Brien"` 12 minutes before her 1:1: prep finds it and plans to it;
    three hours before, it plans as the template says."""
    app = CoachApp(partner="Zoë O'Brien", clock=FakeClock(moment), template="standard")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        await files_read(pilot)
        await pilot.pause()
        prep = app.screen
        assert (prep.slot is not None) is planned
        plan = str(prep.query_one("#plan").render())
        assert ("Calendar: today 13:00–13:45 · 45 min" in plan) is planned
        assert [p.minutes for p in prep.planned.phases] == ([7, 23, 15] if planned else [5, 15, 10])
