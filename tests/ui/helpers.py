"""Small helpers for driving coach with Textual's Pilot."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.command import CommandPalette
from textual.pilot import Pilot


async def palette_settled(pilot: Pilot) -> None:
    """Wait until the open command palette has finished searching for what was typed."""
    from textual.worker import WorkerState

    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)

    def settled() -> bool:
        searching = [w for w in pilot.app.workers
                     if w.node is palette and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        return palette.has_class("-ready") and not searching

    await wait_for(pilot, settled, "the palette's search")


async def files_read(pilot: Pilot) -> None:
    """Wait until the app has drawn its first frame and the threads that start after it (partners,
    calendar, decks, trends) have finished, and what they found is on the screen."""
    await wait_for(pilot, lambda: pilot.app.first_frame_drawn, "the first frame")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def run_command(pilot: Pilot, name: str) -> None:
    """Open the command palette, type a command's name and run it, as a user would."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*name)
    await palette_settled(pilot)
    await pilot.press("enter")
    await pilot.pause()


async def palette_names(pilot: Pilot) -> list[str]:
    """The commands the palette offers with an empty query (then closes it)."""
    await pilot.press("ctrl+p")
    await palette_settled(pilot)
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    from textual.widgets import OptionList

    options = palette.query_one(OptionList)
    names = [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return names


def saved_summaries(data_dir: Path) -> list[dict]:
    """Every summary TOML under the data dir, parsed."""
    return [tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted((data_dir / "sessions").rglob("*.toml"))]


async def wait_for(pilot: Pilot, condition, what: str = "the condition", timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds (a file written, a worker done): never a fixed wait.
    `timeout` only ends a test that would fail anyway; it is long for a busy machine."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause()  # one turn of the app's loop, then look again
    while not settled(pilot.app):  # a screen just pushed: mounted and laid out before it is read
        assert time.monotonic() < deadline, f"timed out waiting for the screen after {what}"
        await pilot.pause()


def settled(app) -> bool:
    """The screen on top has run its mount handlers, its parts and it have no message waiting, and
    no layout or repaint is owed: what `screen_text` reads is what the terminal would show."""
    screen = app.screen
    return (screen.is_mounted and not screen._layout_required and not screen._dirty_widgets
            and all(node._message_queue.empty() for node in screen.walk_children(with_self=True)))


def draft_text() -> str:
    """The draft on disk, or "" while there is none."""
    from coach import draft as drafts

    try:
        return drafts.draft_path().read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


async def end_meeting(pilot: Pilot) -> None:
    """F10, and Enter on the question it asks first: the wrap-up."""
    from screens.confirm import Confirm
    from screens.wrap_up import WrapUpScreen

    await pilot.press("f10")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, Confirm), "End meeting? asked")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, WrapUpScreen), "the wrap-up")


async def whole_meeting(pilot: Pilot, partner_notes: str = "private notes") -> None:
    """From prep to "Summary saved" with a quick template: notes, a fact, three phases, a rating."""
    from screens.saved import SavedScreen

    await pilot.press("s")
    await pilot.pause()
    await pilot.press(*partner_notes)
    await pilot.press("ctrl+r")
    await pilot.pause()
    await pilot.press(*"a fact", "enter")
    await pilot.pause()
    for _ in range(3):
        await pilot.press("ctrl+f")
        await pilot.pause()
    await pilot.press("5", "ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SavedScreen)
