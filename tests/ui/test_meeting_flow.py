"""A whole meeting, driven through the app the way a user drives it."""

from __future__ import annotations

import stat

import pytest
from textual.widgets import Input, TextArea

from coach.app import CoachApp
from coach.clock import FakeClock
from screens.capture import CaptureDialog
from screens.meeting import MeetingScreen
from screens.prep import PrepScreen
from screens.saved import SavedScreen
from screens.widgets.timer import PhaseTimer
from screens.wrap_up import WrapUpScreen
from tests.ui.helpers import run_command, saved_summaries, wait_for
from tests.ui.test_hostile_data import screen_text


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_whole_meeting(size, quick_template, coach_dirs):
    clock = FakeClock()
    app = CoachApp(partner="Ada Lovelace", template=quick_template, clock=clock)
    async with app.run_test(size=size) as pilot:
        assert isinstance(app.screen, PrepScreen)
        await run_command(pilot, "Start meeting")
        assert isinstance(app.screen, MeetingScreen)
        assert isinstance(app.focused, TextArea) and app.focused.id == "notes"

        # chit-chat: notes, a fact, the next card
        await pilot.press(*"asked about the move to Leeds")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, CaptureDialog)
        assert app.focused is app.screen.query_one("#capture-text", Input)
        await pilot.press(*"has two cats, Pim and Pom", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.focused is app.screen.query_one("#notes", TextArea)
        first_card = app.screen.meeting.current.card
        await run_command(pilot, "Next card")
        assert app.screen.meeting.current.card != first_card
        assert app.focused is app.screen.query_one("#notes", TextArea)
        clock.advance(4)  # past the 3-second phase: overtime, never advances by itself
        app.screen.tick()
        await pilot.pause()
        assert app.screen.query_one(PhaseTimer).has_class("-overtime")
        assert app.screen.meeting.current.plan.id == "chit-chat"
        await run_command(pilot, "Next phase")

        # goals: notes and a goal
        assert app.screen.meeting.current.plan.id == "goals"
        assert app.focused is app.screen.query_one("#notes", TextArea)
        await pilot.press(*"wants to lead the design review")
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press(*"lead the March design review", "enter")
        await pilot.pause()
        clock.advance(2)
        await pilot.press("ctrl+f")
        await pilot.pause()

        # commitments: notes and a commitment with the default owner
        assert app.screen.meeting.current.plan.id == "commitments"
        await pilot.press(*"agreed on next steps")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*"send the reading list", "enter")
        await pilot.pause()
        clock.advance(1)
        await run_command(pilot, "End meeting")
        await pilot.press("enter")  # it asks first
        await pilot.pause()

        # wrap-up: rate, reflect, save
        assert isinstance(app.screen, WrapUpScreen)
        await pilot.press("4")
        app.screen.query_one("#reflection", Input).focus()
        await pilot.press(*"good energy today")
        await run_command(pilot, "Save summary")
        assert isinstance(app.screen, SavedScreen)

    _config, data = coach_dirs
    [summary] = saved_summaries(data)
    assert summary["schema"] == 1
    assert summary["partner"] == "Ada Lovelace"
    assert summary["rating"] == 4
    assert summary["reflection"] == "good energy today"
    phases = {p["id"]: p for p in summary["phases"]}
    assert phases["chit-chat"]["notes"] == "asked about the move to Leeds"
    assert phases["chit-chat"]["actual_seconds"] == pytest.approx(4)
    assert phases["chit-chat"]["planned_seconds"] == pytest.approx(3)
    assert phases["goals"]["notes"] == "wants to lead the design review"
    assert phases["commitments"]["notes"] == "agreed on next steps"
    assert [r["text"] for r in summary["remembered"]] == ["has two cats, Pim and Pom"]
    assert [(g["text"], g["status"]) for g in summary["goals"]] == [("lead the March design review", "open")]
    [commitment] = summary["commitments"]
    assert (commitment["owner"], commitment["text"], commitment["status"]) == ("me", "send the reading list", "open")
    assert "due" not in commitment
    md = next((data / "sessions").rglob("*.md")).read_text(encoding="utf-8")
    assert "asked about the move to Leeds" in md and "send the reading list" in md
    for path in (data / "sessions").rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


async def test_pause_stops_the_clock_and_the_ticker(quick_template):
    clock = FakeClock()
    app = CoachApp(partner="Ada", template=quick_template, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        clock.advance(1)
        screen.tick()
        await run_command(pilot, "Pause timer")
        assert screen.meeting.paused
        assert screen._ticker is None, "no timer wakes the app while paused"
        shown = screen.query_one(PhaseTimer).clock
        clock.advance(120)
        screen.tick()
        await pilot.pause()
        assert screen.query_one(PhaseTimer).clock == shown == "00:02"
        assert "Paused" in str(screen.query_one("#timer-state").render())
        await run_command(pilot, "Resume timer")
        assert not screen.meeting.paused and screen._ticker is not None
        assert app.focused is screen.query_one("#notes", TextArea)


async def test_add_a_minute_and_warn_look():
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)  # standard: chit-chat is 5 minutes
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        timer = screen.query_one(PhaseTimer)
        clock.advance(4 * 60 + 1)  # 59 s left of 5 min: warn (20 % = 60 s)
        screen.tick()
        await pilot.pause()
        assert timer.has_class("-warn")
        assert screen.query_one(PhaseTimer).clock == "00:59"
        await run_command(pilot, "Add a minute")
        assert timer.has_class("-calm")
        assert screen.query_one(PhaseTimer).clock == "01:59"
        assert "Chit-chat 01:59" in app.sub_title


async def test_capture_dialogs_cancel_and_commitment_details(quick_template):
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        meeting = app.screen.meeting
        for command in ("Remember…", "Add goal…", "Add commitment…"):
            await run_command(pilot, command)
            assert isinstance(app.screen, CaptureDialog)
            assert app.focused is app.screen.query_one("#capture-text", Input)
            await pilot.press(*"never mind", "escape")
            await pilot.pause()
            assert isinstance(app.screen, MeetingScreen)
            assert app.focused is app.screen.query_one("#notes", TextArea)
        assert meeting.captures == []
        assert app.screen.query_one("#notes", TextArea).text == ""

        await pilot.press("ctrl+o")
        await pilot.pause()
        dialog = app.screen
        await pilot.press(*"review the CV")
        await pilot.press("tab", "right", "space")  # owner: them
        dialog.query_one("#capture-due", Input).focus()
        await pilot.press(*"next friday", "enter")
        await pilot.pause()
        assert app.screen is dialog, "a bad date keeps the dialog open"
        assert "YYYY-MM-DD" in str(dialog.query_one("#capture-hint").render())
        due = dialog.query_one("#capture-due", Input)
        due.value = ""
        await pilot.press(*"2026-12-04", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        [item] = meeting.captures
        assert (item.text, item.owner.value, str(item.due)) == ("review the CV", "them", "2026-12-04")


async def test_enter_on_the_owner_saves_with_the_owner_under_the_cursor(quick_template):
    """The hint says Enter saves: on the owner list too, with the owner the cursor is on."""
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        meeting = app.screen.meeting
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureDialog), "the dialog")
        await pilot.press(*"book physio", "tab", "right", "right", "enter")  # owner: both
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the dialog saved and closed")
        [item] = meeting.captures
        assert (item.text, item.owner.value, item.due) == ("book physio", "both", None)
        assert app.focused is app.screen.query_one("#notes", TextArea)
        # The arrows choose as they move: the owner saved is the one the cursor was left on.
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureDialog), "the dialog")
        await pilot.press(*"send notes", "tab", "right", "tab", *"2026-12-04", "enter")
        await wait_for(pilot, lambda: len(meeting.captures) == 2, "the second commitment saved")
        assert (meeting.captures[1].owner.value, str(meeting.captures[1].due)) == ("them", "2026-12-04")


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_past_due_date_asks_once_and_a_second_enter_keeps_it(quick_template, size):
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())  # today: 2 Mar 2026
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await pilot.pause()
        meeting = app.screen.meeting
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureDialog), "the dialog")
        dialog = app.screen
        await pilot.press(*"send the notes")
        dialog.query_one("#capture-due", Input).focus()
        await pilot.press(*"2026-03-01", "enter")
        hint = dialog.query_one("#capture-hint")
        assert app.screen is dialog and meeting.captures == [], "asked, not saved"
        assert str(hint.render()) == "That date is past: Enter again to keep it, or change it"
        assert hint.has_class("-warning") and hint.region.height == 1, "one line"
        await wait_for(pilot, lambda: "Enter again to keep it" in screen_text(app), "the hint drawn")
        assert (dialog.query_one("#capture-text", Input).value, dialog.query_one("#capture-due", Input).value) == (
            "send the notes", "2026-03-01"), "nothing typed is lost"
        await pilot.press(*["backspace"] * 5, *"02-28", "enter")  # changed to another past date: asked again
        assert app.screen is dialog and meeting.captures == []
        await pilot.press("enter")  # the second Enter keeps it
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the dialog to close")
        [item] = meeting.captures
        assert (item.text, str(item.due)) == ("send the notes", "2026-02-28")
        await pilot.press("ctrl+o")  # today or later: no question
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureDialog), "the dialog")
        await pilot.press(*"call Sam")
        app.screen.query_one("#capture-due", Input).focus()
        await pilot.press(*"2026-03-02", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the dialog to close")
        assert [str(c.due) for c in meeting.captures] == ["2026-02-28", "2026-03-02"]


async def test_contract_commands_are_in_the_palette(quick_template):
    from tests.ui.helpers import palette_names

    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        names = await palette_names(pilot)
        assert {"Start meeting", "Help"} <= set(names)
        await pilot.press("s")
        await pilot.pause()
        names = await palette_names(pilot)
        assert {"Next phase", "Next card", "Previous card", "Pause timer", "Add a minute", "Remember…",
                "Add goal…", "Add commitment…", "End meeting", "Help"} <= set(names)
        assert "Resume timer" not in names
        await pilot.press("ctrl+t")
        names = await palette_names(pilot)
        assert "Resume timer" in names and "Pause timer" not in names
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        names = await palette_names(pilot)
        assert {"Save summary", "Remember…", "Help"} <= set(names)


async def test_help_opens_and_closes():
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        from screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.focused is app.screen.query_one("#notes", TextArea)


async def meeting_with_ada(pilot) -> None:
    """Prep read, then `s`: the meeting's notes are there."""
    from tests.ui.helpers import files_read, wait_for

    await files_read(pilot)
    await pilot.press("s")
    await wait_for(pilot, lambda: bool(pilot.app.screen.query("#notes")), "the meeting")


async def test_words_typed_right_behind_a_capture_key_go_into_its_dialog():
    """In one burst (a fast typist, a paste): they went into the notes hidden behind the dialog."""
    from textual import events
    from textual.widgets import Input, TextArea

    from screens.capture import CaptureDialog
    from tests.ui.helpers import wait_for

    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await meeting_with_ada(pilot)
        notes = app.screen.query_one("#notes", TextArea)
        app.post_message(events.Key("ctrl+g", None))
        for ch in "lead the review":
            app.post_message(events.Key("space" if ch == " " else ch, ch))
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureDialog), "the goal dialog")
        field = app.screen.query_one("#capture-text", Input)
        await wait_for(pilot, lambda: field.value == "lead the review", "the words in the dialog")
        assert notes.text == ""


async def test_ctrl_q_in_a_capture_dialog_asks_to_quit_and_keeps_what_is_typed():
    from textual.widgets import Input

    from coach import draft as drafts
    from screens.capture import CaptureDialog
    from screens.confirm import Confirm
    from tests.ui.helpers import wait_for

    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await meeting_with_ada(pilot)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureDialog), "the commitment dialog")
        await pilot.press(*"send the deck")
        await wait_for(pilot, lambda: app.screen.query_one("#capture-text", Input).value == "send the deck", "typed")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "Quit coach?")
        await pilot.press("tab", "enter")  # Cancel is focused: the safe answer
    assert app.return_code == 0
    assert "send the deck" in drafts.draft_path().read_text(encoding="utf-8")


async def test_ctrl_q_in_any_dialog_asks_to_quit_once():
    """ctrl+q is the app's priority key: over the End-meeting question too, and pressed again on
    the Quit question it asks nothing more."""
    from screens.confirm import Confirm
    from tests.ui.helpers import wait_for

    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await meeting_with_ada(pilot)
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "End meeting?")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.screen.id == "quit", "Quit coach?")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert sum(screen.id == "quit" for screen in app.screen_stack) == 1
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm) and app.screen.id != "quit", "End meeting? again")
