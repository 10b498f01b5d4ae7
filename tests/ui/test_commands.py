"""One declaration per command: the palette, the keys and the footer all come from a screen's
`ACTIONS`; width classes come from Textual's breakpoints."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from coach.app import CoachApp
from coach.clock import FakeClock
from screens.commands import Command, key_label
from screens.decks import DecksScreen
from screens.meeting import MeetingScreen
from tests.ui.helpers import palette_settled, run_command, wait_for


async def palette(pilot: Pilot) -> list[tuple[str, str]]:
    """(name, help) of what the palette offers with an empty query (then closes it)."""
    await pilot.press("ctrl+p")
    await palette_settled(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    options = pilot.app.screen.query_one(OptionList)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return [(name, help_text) for name, _, help_text in (p.partition("\n") for p in prompts)]


async def test_the_palette_offers_the_screens_commands_with_their_help_in_the_footers_order():
    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        offered = await palette(pilot)
        declared = [c for c in screen.ACTIONS if isinstance(c, Command)]
        # Each with its key before its help; the clock runs: no Resume timer.
        mine = [(c.name, f"{key_label(c.key) if c.key else 'no key'} · {c.help}") for c in declared
                if c.action != "resume"]
        # Providers answer concurrently, so the app's own commands may come before or after.
        assert [o for o in offered if o in mine] == mine
        assert ("Next phase", "ctrl+f · Close this phase and start the next one") in offered
        assert ("Privacy curtain", "F2 · Hide notes, memory, ratings and commitments for screen sharing") in offered
        keys = {b.binding.key: (b.binding.action, b.binding.description) for b in screen.active_bindings.values()}
        assert keys["ctrl+n"] == ("next_card", "Card") and keys["f10"] == ("end_meeting", "End")
        assert keys["ctrl+t"] == ("pause", "Pause"), "while the clock runs, ctrl+t pauses"


async def test_a_command_runs_the_same_from_the_palette_and_from_its_key():
    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        meeting = app.screen.meeting
        await run_command(pilot, "Next card")
        assert meeting.current.card_index == 1
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert meeting.current.card_index == 2


async def test_the_decks_screen_stacks_its_panes_below_80_columns():
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await run_command(pilot, "Decks")
        screen = app.screen
        assert isinstance(screen, DecksScreen)
        assert screen.has_class("-narrow")
        items, preview = screen.query_one("#items"), screen.query_one("#preview-box")
        assert preview.region.y > items.region.y, "the preview is below the list"
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: not screen.has_class("-narrow") and preview.region.y == items.region.y,
                       "the wide layout")
        assert preview.region.x > items.region.x and preview.region.y == items.region.y, "side by side"


async def test_the_side_panel_shows_from_120_columns_with_what_was_captured_meanwhile():
    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        side = screen.query_one("#side", Static)
        assert not screen.has_class("-wide") and side.region.width == 0
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press(*"likes sailing", "enter")
        await pilot.pause()
        await pilot.resize_terminal(120, 30)
        await wait_for(pilot, lambda: screen.has_class("-wide") and side.region.width > 0, "the side panel")
        assert "likes sailing" in str(side.render())
        await pilot.resize_terminal(119, 30)
        await wait_for(pilot, lambda: not screen.has_class("-wide"), "the side panel gone")
