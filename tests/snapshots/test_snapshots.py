"""Pictures of the screens at the sizes people use, with the clock frozen and no blinking."""

from __future__ import annotations

import pytest

from coach.app import CoachApp
from coach.clock import FakeClock

SIZES = [(60, 20), (80, 24), (120, 40)]
IDS = ["60x20", "80x24", "120x40"]


def _app() -> CoachApp:
    return CoachApp(partner="Ada Lovelace", template="standard", clock=FakeClock())


async def _steady(pilot) -> None:
    """No blinking cursors, no toasts: the same picture every run."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


def _meeting(advance: float = 0.0, paused: bool = False, notes: str = ""):
    async def run_before(pilot) -> None:
        await pilot.press("s")
        await pilot.pause()
        if notes:
            await pilot.press(*notes)
        clock: FakeClock = pilot.app.clock
        clock.advance(advance)
        if paused:
            await pilot.press("ctrl+t")
        pilot.app.screen.tick()
        await _steady(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_prep(snap_compare, size):
    assert snap_compare(_app(), terminal_size=size, run_before=_steady)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_meeting_calm(snap_compare, size):
    assert snap_compare(_app(), terminal_size=size, run_before=_meeting(75, notes="Back from Lisbon"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_meeting_warn(snap_compare, size):
    assert snap_compare(_app(), terminal_size=size, run_before=_meeting(4 * 60 + 20))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_meeting_overtime(snap_compare, size):
    assert snap_compare(_app(), terminal_size=size, run_before=_meeting(6 * 60 + 5))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_meeting_paused(snap_compare, size):
    assert snap_compare(_app(), terminal_size=size, run_before=_meeting(30, paused=True))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_wrap_up(snap_compare, size):
    async def run_before(pilot) -> None:
        await _meeting(90, notes="Talked about the new team")(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press(*"Ship the onboarding guide", "enter")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await _steady(pilot)

    assert snap_compare(_app(), terminal_size=size, run_before=run_before)


def test_privacy_curtain_80x24(snap_compare):
    async def run_before(pilot) -> None:
        await _meeting(75, notes="Private thoughts")(pilot)
        await pilot.press("f2")
        await _steady(pilot)

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)


def _history_app() -> CoachApp:
    """A few meetings with two partners, then the history screen."""
    from datetime import timedelta

    from coach import summaries
    from coach.model import Capture, CaptureKind, PhaseRecord, Summary, notes_of

    clock = FakeClock()
    for days, partner, rating in ((0, "Ada Lovelace", 4), (7, "Grace Hopper", 5), (14, "Ada Lovelace", 3)):
        started = clock.wall() + timedelta(days=days)
        summaries.save(Summary(
            id=f"{started:%Y-%m-%d-%H%M}-{partner.split()[0].lower()}-00000{days}", partner=partner,
            partner_slug=partner.split()[0].lower(), template="standard", started=started,
            ended=started + timedelta(minutes=32), rating=rating, reflection="Good energy.",
            phases=[PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300, actual_seconds=340,
                                notes="Talked about the move."),
                    PhaseRecord(id="goals", title="Goals", planned_seconds=900, actual_seconds=880,
                                notes="Design review in March.")],
            **notes_of([Capture(CaptureKind.GOAL, "Lead the design review"),
                        Capture(CaptureKind.COMMITMENT, "Send the reading list")])))
    clock.advance(20 * 86400)
    return CoachApp(clock=clock)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_history(snap_compare, size):
    async def run_before(pilot) -> None:
        from tests.ui.helpers import wait_for

        pilot.app.action_history()
        await pilot.pause()
        await wait_for(pilot, lambda: pilot.app.screen.loaded, "the history read")
        await pilot.app.workers.wait_for_complete()
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#summary").source, "the newest summary shown")
        await _steady(pilot)

    assert snap_compare(_history_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("advance", [4 * 60 + 20, 6 * 60 + 5], ids=["warn", "overtime"])
def test_meeting_in_a_light_theme_80x24(snap_compare, advance):
    """The warning and overtime looks come from the theme's own colours, so they stay readable."""

    async def run_before(pilot) -> None:
        pilot.app.theme = "textual-light"
        await _meeting(advance)(pilot)

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_welcome(snap_compare, size):
    async def run_before(pilot) -> None:
        from screens.welcome import FILES

        # The folders are a fresh temporary path in each run: show steady ones in the picture.
        files = FILES.format(data="~/.local/share/coach", config="~/.config/coach")
        pilot.app.screen.query_one("#welcome-text").update(files)
        await _steady(pilot)

    assert snap_compare(CoachApp(clock=FakeClock(), welcome=True), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_help(snap_compare, size):
    async def run_before(pilot) -> None:
        await _meeting(75)(pilot)
        await pilot.press("f1")
        await _steady(pilot)

    assert snap_compare(_app(), terminal_size=size, run_before=run_before)


def _drawn(pilot, text: str) -> bool:
    """`text` is on the screen as drawn (a Markdown update mounts its blocks a moment later)."""
    update = pilot.app.screen._compositor.render_update(full=True)
    return any(text in "".join(segment.text for strip in row for segment in strip) for row in update.strips)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_history_with_a_meeting_chosen(snap_compare, size):
    """The list has the focus, the second meeting is chosen, and its summary is read beside or below."""

    async def run_before(pilot) -> None:
        from tests.ui.helpers import wait_for

        pilot.app.action_history()
        await pilot.pause()
        await wait_for(pilot, lambda: pilot.app.screen.loaded, "the history read")
        await pilot.app.workers.wait_for_complete()
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: _drawn(pilot, "Meeting with Grace Hopper"), "the chosen summary drawn")
        await _steady(pilot)

    assert snap_compare(_history_app(), terminal_size=size, run_before=run_before)


MY_DECK = """\
schema = 1
id = "my-questions"
title = "My questions"

[[cards]]
text = "What made you smile this week, at work or outside it?"
tip = "Listen for what energises them: it tells you more than a status update."

[[cards]]
text = "What is on your mind?"
"""


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_decks_with_a_broken_deck(snap_compare, size, monkeypatch):
    """A deck edited into two mistakes while coach runs: marked in the list; its problems, then its
    last good cards, in the preview."""
    import os
    import tempfile
    from pathlib import Path

    config = Path(tempfile.gettempdir()) / "coach-snapshots" / f"decks-{size[0]}x{size[1]}"  # the same path each run
    deck = config / "decks" / "my-questions.toml"
    deck.parent.mkdir(parents=True, exist_ok=True)
    deck.write_text(MY_DECK, encoding="utf-8")
    monkeypatch.setenv("COACH_CONFIG_DIR", str(config))

    async def run_before(pilot) -> None:
        pilot.app.action_decks()
        await pilot.pause()
        before = deck.stat().st_mtime_ns
        deck.write_text(MY_DECK.replace('"My questions"', "My questions").replace('mind?"', "mind?"), encoding="utf-8")
        os.utime(deck, ns=(before + 2_000_000_000,) * 2)
        await pilot.press("r")
        await pilot.pause()
        from textual.widgets import OptionList

        from tests.ui.helpers import wait_for

        items = pilot.app.screen.query_one("#items", OptionList)
        mine = [index for index in range(items.option_count)
                if "my-questions" in str(items.get_option_at_index(index).prompt)]
        assert mine, "my-questions is listed"
        items.highlighted = mine[0]
        await wait_for(pilot, lambda: _drawn(pilot, "This file has 2 problems"), "the broken deck's problems")
        await _steady(pilot)

    assert snap_compare(_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_partner_picker(snap_compare, size):
    """The picker with the partners of earlier meetings, the newest first."""

    async def run_before(pilot) -> None:
        from screens.picker import PickerScreen
        from tests.ui.helpers import wait_for

        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PickerScreen), "the picker")
        await pilot.app.workers.wait_for_complete()
        await _steady(pilot)

    assert snap_compare(_history_app(), terminal_size=size, run_before=run_before)


def _resume_app(ticked: bool = False) -> tuple[CoachApp, object]:
    """A meeting with Ada left in its second phase an hour and a half ago: the resume offer."""
    from coach import draft as drafts
    from coach.meeting import Meeting
    from coach.model import CaptureKind
    from coach.prompts import load_library

    clock = FakeClock()
    library = load_library()
    meeting = Meeting("Ada Lovelace", library.templates["standard"], library.decks)
    meeting.start(clock.monotonic(), clock.wall())
    meeting.set_notes("Back from Lisbon, new team")
    clock.advance(300)
    meeting.next_phase(clock.monotonic())
    meeting.capture(CaptureKind.GOAL, "Lead the design review", clock.wall())
    drafts.DraftKeeper().save(meeting, clock.monotonic(), clock.wall())
    clock.advance(90 * 60)

    async def run_before(pilot) -> None:
        from tests.ui.helpers import wait_for

        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ResumeScreen", "the resume offer")
        if ticked:
            await pilot.press("tab", "tab", "tab", "space")  # to the checkbox (Resume, Save, Discard, box)
        await _steady(pilot)

    return CoachApp(clock=clock), run_before


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_resume_offer(snap_compare, size):
    app, run_before = _resume_app()
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_resume_offer_ticked_60x20(snap_compare):
    app, run_before = _resume_app(ticked=True)
    assert snap_compare(app, terminal_size=(60, 20), run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_wrap_up_rated_and_reflected(snap_compare, size):
    async def run_before(pilot) -> None:
        await _meeting(90, notes="Talked about the new team")(pilot)
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("enter")  # End meeting? asks first
        await pilot.pause()
        await pilot.press("4", "tab", *"Good energy")
        await _steady(pilot)

    assert snap_compare(_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES[:2], ids=IDS[:2])
def test_partner_record(snap_compare, size):
    """The Partner screen over prep: facts, goals (open and reached) and commitments with their dates."""
    from tests.ui.test_partner_screen import seed

    seed()

    async def run_before(pilot) -> None:
        from screens.partner import PartnerScreen
        from tests.ui.helpers import wait_for

        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PartnerScreen), "the partner record")
        await _steady(pilot)

    assert snap_compare(_app(), terminal_size=size, run_before=run_before)


def test_partner_picker_with_a_calendar_80x24(snap_compare, coach_dirs, tmp_path, monkeypatch):
    """The picker 12 minutes before a 1:1 with Zoë in the calendar: her meeting on top, then the partners."""
    import time
    from datetime import UTC, datetime

    from tests.calendar_files import write_calendars, write_config, write_partners

    config, data = coach_dirs
    write_partners(data)
    write_config(config, write_calendars(tmp_path / "calendars"))
    monkeypatch.setenv("TZ", "UTC")  # the times on screen do not depend on the machine's zone
    time.tzset()

    async def run_before(pilot) -> None:
        from screens.picker import PickerScreen
        from tests.ui.helpers import wait_for

        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PickerScreen), "the picker")
        await wait_for(pilot, lambda: pilot.app.screen.calendar_read, "the calendar read")
        await pilot.app.workers.wait_for_complete()
        await _steady(pilot)

    try:
        app = CoachApp(clock=FakeClock(datetime(2026, 3, 3, 12, 48, tzinfo=UTC)))
        assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
    finally:
        monkeypatch.undo()
        time.tzset()
