"""Beside the call: what coach says goes to a status line that covers neither the notes nor the
card, and behind the privacy curtain nothing private shows anywhere, yet all of it is kept.

The clock is a FakeClock: a test moves it and calls the tick (or the status line's own check,
which runs once a second while a word shows) as the app's timers would.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from coach.app import CoachApp
from coach.clock import FakeClock
from screens.capture import CaptureDialog
from screens.confirm import Confirm
from screens.goal_reached import GoalReachedScreen
from screens.meeting import MeetingScreen
from screens.review import ReviewScreen
from screens.widgets.status_line import StatusLine
from screens.wrap_up import WrapUpScreen
from tests.ui.helpers import run_command, saved_summaries, wait_for
from tests.ui.test_fit_and_finish import _known_partner
from tests.ui.test_hostile_data import screen_text

SIZES = [(60, 20), (80, 24)]
LINE = "asked about the move to Lisbon"


def status_text(app: CoachApp) -> str:
    return app.screen.query_one(StatusLine).text


def assert_in_sight(app: CoachApp, *shown: str) -> str:
    """Each of `shown` is on the rendered screen; no toast, and the status line covers nothing."""
    text = screen_text(app)
    for part in shown:
        assert part in text, f"{part!r} is not on screen:\n{text}"
    assert not app._notifications, [n.message for n in app._notifications]
    status = app.screen.query_one(StatusLine).region
    for covered in ("#notes", "#card"):
        assert not status.overlaps(app.screen.query_one(covered).region), covered
    return text


async def start(pilot) -> MeetingScreen:
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, MeetingScreen), "the meeting")
    return pilot.app.screen


async def capture(pilot, key: str, text: str) -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CaptureDialog), "the capture dialog")
    await pilot.press(*text, "enter")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, CaptureDialog), "the dialog to close")


@pytest.mark.parametrize("size", SIZES)
async def test_a_typed_line_stays_in_sight_through_a_capture_the_warning_and_overtime(size):
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await start(pilot)
        card = screen.query_one("#card").render_lines(screen.query_one("#card").region.reset_offset)[1].text
        card = card.strip("│ ")[:20]
        await pilot.press(*LINE)

        await capture(pilot, "ctrl+r", "daughter starts school")
        assert status_text(app) == "Remembered: daughter starts school"
        assert_in_sight(app, LINE, card, "Remembered: daughter")
        assert app.focused is screen.query_one("#notes", TextArea)

        clock.advance(4 * 60 + 5)  # chit-chat is 5 minutes: its warning
        screen.tick()
        await pilot.pause()
        assert status_text(app) == "55 s left: time to wrap it up"
        assert screen.query_one(StatusLine).has_class("-warning")
        assert_in_sight(app, LINE, card, "55 s left")

        clock.advance(60)
        screen.tick()
        await pilot.pause()
        assert status_text(app) == "Over time: ^f moves on, F8 rebalances"
        assert_in_sight(app, LINE, card, "Over time")

        await pilot.press("ctrl+l", "f8")  # +1 min, and the rebalance: said there too
        await pilot.pause()
        assert status_text(app).startswith(("Rebalanced", "Nothing to rebalance"))
        assert_in_sight(app, LINE, card)
        assert screen.query_one("#notes", TextArea).text == LINE


async def test_a_word_stays_its_few_seconds_then_the_state_comes_back_even_while_paused():
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await start(pilot)
        await capture(pilot, "ctrl+g", "lead the planning review")
        clock.advance(3)
        screen.tick()
        assert status_text(app) == "Goal added: lead the planning review"
        clock.advance(1.5)
        screen.tick()
        await pilot.pause()
        assert status_text(app) == ""
        assert not screen.query_one(StatusLine).has_class("-said")

        await pilot.press("ctrl+t")  # paused: no tick, yet the status line's own check runs
        await pilot.pause()
        assert status_text(app) == "⏸ Paused"
        await capture(pilot, "ctrl+o", "send the reading list")
        assert status_text(app) == "Commitment added: send the reading list"
        screen.expire_status()  # as its once-a-second check does
        assert status_text(app) == "Commitment added: send the reading list"
        clock.advance(5)
        screen.expire_status()
        await pilot.pause()
        assert status_text(app) == "⏸ Paused"
        assert "⏸ Paused" in screen_text(app)

        await capture(pilot, "ctrl+r", "first")
        await capture(pilot, "ctrl+r", "second")  # a new word replaces the last at once
        assert status_text(app) == "Remembered: second"


async def test_the_wrap_up_says_it_above_the_footer_only_while_it_has_something_to_say():
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await start(pilot)
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "End meeting? asking first")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WrapUpScreen), "the wrap-up")
        status = app.screen.query_one(StatusLine)
        assert not status.display
        await capture(pilot, "ctrl+g", "give a talk in June")
        await pilot.pause()
        assert status.display and "Goal added: give a talk in June" in screen_text(app)
        assert not app._notifications
        clock.advance(4)
        app.screen.expire_status()
        await pilot.pause()
        assert not status.display


@pytest.mark.parametrize("size", SIZES)
async def test_behind_the_curtain_a_remembered_fact_never_shows_yet_is_kept(size, tmp_path, coach_dirs):
    fact = "allergic to walnuts"
    status_file = tmp_path / "status.txt"
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock, status_file=status_file)
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await start(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert app.privacy
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureDialog), "the capture dialog")
        for n, char in enumerate(fact, start=1):
            await pilot.press(char)
            typed = fact[:n].strip()
            if len(typed) >= 3:
                assert typed not in screen_text(app), f"{typed!r} shows while typed"
        assert app.screen.query_one("#capture-text", Input).value == fact
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen, "the dialog to close")
        assert status_text(app) == "Remembered (hidden)"
        for seconds in (1, 1, 1, 2):  # while it is said, and after
            clock.advance(seconds)
            screen.tick()
            await pilot.pause()
            assert "walnut" not in screen_text(app)
        assert not any("walnut" in n.message for n in app._notifications)
        assert "walnut" not in app.sub_title and "walnut" not in status_file.read_text(encoding="utf-8")
        assert app.sub_title.startswith("Chit-chat ")

        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "End meeting? asking first")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WrapUpScreen), "the wrap-up")
        assert "walnut" not in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: saved_summaries(coach_dirs[1]), "the summary on disk")
        assert "walnut" not in screen_text(app) + app.sub_title + status_file.read_text(encoding="utf-8")
    [summary] = saved_summaries(coach_dirs[1])
    assert [r["text"] for r in summary["remembered"]] == [fact]
    [partner] = (coach_dirs[1] / "partners").glob("*.toml")
    assert fact in partner.read_text(encoding="utf-8")


async def test_the_curtain_masks_the_capture_dialog_and_the_status_line_as_it_goes_up_and_down():
    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await start(pilot)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureDialog), "the capture dialog")
        await pilot.press(*"run the offsite")
        assert "run the offsite" in screen_text(app)
        await pilot.press("f2")  # the curtain goes up while the dialog is open
        await pilot.pause()
        assert app.privacy and app.screen.query_one("#capture-text", Input).password
        assert "offsite" not in screen_text(app)
        await pilot.press(*" in May", "enter")
        await pilot.pause()
        assert [c.text for c in app.screen.meeting.captures] == ["run the offsite in May"]
        assert status_text(app) == "Goal added (hidden)" and "offsite" not in screen_text(app)
        app.privacy = False  # the word shows in full only without the curtain, and switches at once
        await pilot.pause()
        assert status_text(app) == "Goal added: run the offsite in May"
        app.privacy = True
        await pilot.pause()
        assert status_text(app) == "Goal added (hidden)" and "offsite" not in screen_text(app)
        await pilot.press("f2")  # what the key says replaces it
        await pilot.pause()
        assert status_text(app) == "Privacy curtain lifted"
        assert not app._notifications


async def test_behind_the_curtain_the_review_and_goal_reached_dialogs_hide_earlier_texts():
    clock = FakeClock()
    await _known_partner(clock)  # Ada: "sails on weekends", goal "ship the v2 plan", "intro to the data team"
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await start(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await run_command(pilot, "Review commitments")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        text = screen_text(app)
        assert "intro to the data team" not in text and "hidden behind the privacy curtain" in text
        await pilot.press("f2")  # lifted while it is open
        await pilot.pause()
        assert "intro to the data team" in screen_text(app)
        await pilot.press("f2", "escape")
        await wait_for(pilot, lambda: app.screen is screen, "back to the meeting")

        await run_command(pilot, "Mark goal reached")
        await wait_for(pilot, lambda: isinstance(app.screen, GoalReachedScreen), "the goal dialog")
        text = screen_text(app)
        assert "ship the v2 plan" not in text and "Goal 1 (hidden" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen, "back to the meeting")
        assert status_text(app) == "Goal reached (hidden)"
        assert "ship the v2 plan" not in screen_text(app)
        assert screen.meeting.open_goals() == []


def test_the_status_line_says_a_word_until_its_time_then_rests():
    status = StatusLine()
    status.rest("Time to wrap up")
    status.say("Remembered: sails", 10.0, 4.0, hidden="Remembered (hidden)", severity="warning")
    assert (status.text, status.has_class("-said"), status.has_class("-warning")) == ("Remembered: sails", True, True)
    status.curtain(True)
    assert status.text == "Remembered (hidden)"
    status.rest("Over time")  # the state changes beneath the word
    assert not status.expire(13.9) and status.text == "Remembered (hidden)"
    assert status.expire(14.0) and status.text == "Over time"
    assert not status.has_class("-said") and not status.has_class("-warning")


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_behind_the_curtain_the_wrap_up_hides_the_rating_given(size):
    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "End meeting? asking first")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WrapUpScreen), "the wrap-up")
        await pilot.press("5")
        await wait_for(pilot, lambda: "(•) 5" in screen_text(app), "the rating given")
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.privacy, "the curtain")
        await pilot.pause()
        assert "(•)" not in screen_text(app)
        assert app.screen.meeting.rating == 5
        await pilot.press("f2")
        await wait_for(pilot, lambda: "(•) 5" in screen_text(app), "the rating shown again")


async def test_prep_is_let_go_once_the_meeting_opens():
    """Prep stayed in memory through the whole meeting: it followed the app's library, and Textual's
    thread pool kept the last worker each thread ran (prep's trends, its calendar) and its screen."""
    import gc

    from screens.prep import PrepScreen
    from tests.ui.helpers import files_read

    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)  # prep's threads have run
        assert isinstance(app.screen, PrepScreen)
        await start(pilot)
        await pilot.pause()
        gc.collect()
        assert not [o for o in gc.get_objects() if isinstance(o, PrepScreen)]


async def test_closed_dialogs_and_screens_are_let_go_and_still_follow_the_curtain():
    """A screen or dialog that watched the curtain stayed in memory until the curtain next moved:
    thirty captures kept thirty dialogs (5.5 MiB). At most the last one closed waits now."""
    import gc

    from screens.prep import PrepScreen

    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        for i in range(12):
            await capture(pilot, "ctrl+r", f"fact {i}")
        await pilot.pause()
        gc.collect()
        alive = [o for o in gc.get_objects() if isinstance(o, (CaptureDialog, PrepScreen))]
        assert len(alive) <= 1, alive
        await pilot.press("ctrl+r")  # the next dialog still follows the curtain
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureDialog), "the capture dialog")
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.query_one("#capture-text", Input).password
        await pilot.press("escape", "f2")
        await pilot.pause()
        assert not app.privacy and len(app.screen.meeting.captures) == 12
