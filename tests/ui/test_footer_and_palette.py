"""The footer fits at every width (whole keys, the palette hint last, nothing stray) and follows
the state; the palette shows every command's key and finds commands by what they do."""

from __future__ import annotations

from itertools import pairwise

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList

from coach.app import CoachApp
from coach.clock import FakeClock
from screens.confirm import Confirm
from screens.decks import DecksScreen
from screens.history import HistoryScreen
from screens.meeting import MeetingScreen
from screens.prep import PrepScreen
from screens.saved import SavedScreen
from screens.widgets.key_bar import Cell, KeyBar, layout
from screens.wrap_up import WrapUpScreen
from tests.ui.helpers import palette_settled, wait_for
from tests.ui.screen_text import screen_lines

SIZES = [(60, 20), (80, 24), (120, 40)]
PALETTE = "^p palette"


def footer_line(pilot: Pilot) -> str:
    """The bottom line of the terminal, as the user sees it."""
    return screen_lines(pilot.app)[-1]


def check_footer(pilot: Pilot, width: int, state: str) -> list[str]:
    """The footer on screen is exactly the bar's cells, whole, with the palette hint last; returns the
    cells as shown (`^t Pause`)."""
    line = footer_line(pilot)
    bar = pilot.app.screen.query_one(KeyBar)
    cells = [f"{cell.shown} {cell.label}" for cell in bar.shown()]
    assert len(line) == width, state
    assert line.rstrip().endswith(PALETTE) and cells[-1] == PALETTE, f"{state}: {line!r}"
    assert line.split() == " ".join(cells).split(), f"{state}: no stray or cut text in {line!r}"
    position = 0
    for cell in cells:  # every cell whole, in order, at most one blank more between two
        found = line.find(cell, position)
        assert found >= 0, f"{state}: {cell!r} cut in {line!r}"
        position = found + len(cell)
    return cells


async def open_over(pilot: Pilot, key: str, kind: type) -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=["60x20", "80x24", "120x40"])
async def test_the_footer_fits_on_every_screen_with_the_palette_hint_last(size):
    width = size[0]
    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        prep = check_footer(pilot, width, "prep")
        assert prep[0] == "s Start meeting"

        await open_over(pilot, "f3", HistoryScreen)
        assert "/ Filter" in check_footer(pilot, width, "history")  # the filter has focus: Esc goes to the rows
        await pilot.press("escape")
        await open_over(pilot, "f4", DecksScreen)
        assert check_footer(pilot, width, "decks")[0] == "Esc Back"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep again")

        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        meeting = check_footer(pilot, width, "meeting")
        assert meeting[:3] == ["^n Card", "^f Phase", "^t Pause"], "the screen's first keys come first"
        if width >= 80:
            assert "^l +1 min" in meeting
        if width >= 120:
            assert {"F8 Rebalance", "F10 End"} <= set(meeting)

        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: app.screen.meeting.paused, "the pause")
        paused = check_footer(pilot, width, "paused")
        assert "^t Resume" in paused and "^t Pause" not in paused
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: "^t Pause" in footer_line(pilot), "Pause again in the footer")

        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "End meeting? asking first")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WrapUpScreen), "the wrap-up")
        assert check_footer(pilot, width, "wrap-up")[:2] == ["^s Save summary", "F5 Copy follow-up"]

        await pilot.press("4", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedScreen), "the saved summary")
        saved = check_footer(pilot, width, "saved")
        assert saved[:2] == ["n New meeting", "q Quit"] and "^q Quit" not in saved, "one Quit, not two"


def test_the_layout_drops_whole_keys_from_the_end_and_keeps_the_last_cell_flush_right():
    cells = [Cell("a", "a", "Alpha"), Cell("b", "b", "Beta"), Cell("c", "c", "Gamma")]
    palette = Cell("ctrl+p", "^p", "palette")
    assert [(x, c.label) for x, c in layout(cells, palette, 40)] == [(0, "Alpha"), (9, "Beta"), (17, "Gamma"),
                                                                     (30, "palette")]
    assert [c.label for _, c in layout(cells, palette, 26)] == ["Alpha", "Beta", "palette"], "one blank apart"
    assert [c.label for _, c in layout(cells, palette, 18)] == ["Alpha", "palette"]
    assert [c.label for _, c in layout(cells, palette, 10)] == ["palette"]
    assert layout(cells, palette, 5) == [], "nothing rather than a cut cell"
    for width in range(0, 45):
        placed = layout(cells, palette, width)
        assert all(x + cell.width <= width for x, cell in placed)
        assert all(a + ca.width < b for (a, ca), (b, _) in pairwise(placed))


async def test_a_click_on_a_key_in_the_footer_presses_it():
    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        bar = app.screen.query_one(KeyBar)
        x = footer_line(pilot).index("^t Pause")
        await pilot.click(bar, offset=(x + 1, 0))
        await wait_for(pilot, lambda: app.screen.meeting.paused, "the pause by a click")


async def palette_entries(pilot: Pilot, query: str) -> list[tuple[str, str]]:
    """(name, help line) of what the palette offers for `query` (then closes it)."""
    await pilot.press("ctrl+p")
    await palette_settled(pilot)
    await pilot.press(*query)
    await palette_settled(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    options = pilot.app.screen.query_one(OptionList)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return [(name, help_text) for name, _, help_text in (p.partition("\n") for p in prompts)]


def has_key(help_line: str) -> bool:
    key, sep, _ = help_line.partition(" · ")
    return bool(sep) and " " not in key


async def test_the_palette_finds_commands_by_what_they_do_and_shows_their_keys():
    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")

        shared = await palette_entries(pilot, "share")
        assert ("Privacy curtain", "F2 · Hide notes, memory, ratings and commitments for screen sharing") in shared
        assert all(has_key(help_line) for _, help_line in shared), shared
        assert "Privacy curtain" in dict(await palette_entries(pilot, "screen"))

        back = dict(await palette_entries(pilot, "back"))
        assert back["Previous card"] == "ctrl+b · Go back to the card before"
        assert dict(await palette_entries(pilot, "exit"))["Quit"].startswith("ctrl+q · ")
        assert "Pause timer" in dict(await palette_entries(pilot, "stop"))

        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: app.screen.meeting.paused, "the pause")
        resume = dict(await palette_entries(pilot, "resume"))
        assert resume["Resume timer"] == "ctrl+t · Start the clock again"
        assert "Pause timer" not in resume

        everything = dict(await palette_entries(pilot, ""))
        offered_when_they_apply = ("pause", "hide_guide")
        declared = [c for c in MeetingScreen.ACTIONS
                    if hasattr(c, "also") and c.key and c.action not in offered_when_they_apply]
        for command in declared:
            assert has_key(everything[command.name]), command.name
        for name in ("Help", "Privacy curtain", "Quit", "History", "Decks"):
            assert has_key(everything[name]), name
        assert "Keys" not in everything, "F1 Help lists the keys"


async def test_the_resume_offer_shows_a_partners_name_as_text():
    """A bracket in a name is shown, not read as markup, in the palette's help line."""
    from coach.in_progress import MeetingInProgress

    app = CoachApp(partner="Ada [b]x[/b] \\", template="standard", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        app.in_progress.save_draft()
    clock = FakeClock()
    app = CoachApp(clock=clock)
    assert isinstance(app.in_progress, MeetingInProgress)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # "later": the offer waits in the palette
        await pilot.pause()
        entries = dict(await palette_entries(pilot, "unfinished"))
        assert entries["Resume meeting"] == "no key · Pick up the unfinished meeting with Ada [b]x[/b] \\"
