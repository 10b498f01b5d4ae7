"""Wrapped lines keep their indent: in Prep and in the Decks preview, a list item's second line
lines up under its text (after its checkbox, owner or number), at 60 and 80 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget

from coach import partners
from coach.app import CoachApp
from coach.clock import FakeClock
from coach.model import Commitment, Fact, PartnerRecord
from coach.store import slugify
from screens.decks import DecksScreen
from screens.prep import PrepScreen
from tests.ui.helpers import files_read, run_command, wait_for

SIZES = pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
COMMITMENT = "Send the reading list about distributed systems and the onboarding guide for the new team members"
FACT = "Training for the Lisbon marathon in October; hopes to run under four hours this time around"
CARD = "What made you smile this week, at work or outside it, that you would like to tell me about?"
TIP = "Listen for what energises them; it tells you more than any status update ever could."


def drawn(widget: Widget) -> list[str]:
    """The lines the widget draws, as text."""
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))]


def assert_hangs(lines: list[str], text: str) -> int:
    """`text` is drawn over several lines, each after the first starting where the text starts on
    the first (under it, not back at the edge); returns that column."""
    opening = " ".join(text.split()[:3])
    [at] = [n for n, row in enumerate(lines) if opening in row]
    column = lines[at].index(opening)
    more = []
    for row in lines[at + 1:]:
        if not row[column:].strip() or row[:column].strip() or row[column] == " ":
            break
        more.append(row[column:])
    assert more, f"{opening!r} fits on one line: nothing to check\n" + "\n".join(lines)
    words = " ".join([lines[at][column:], *more]).split()  # (a card's tip may follow, under it too)
    assert words[:len(text.split())] == text.split(), "every word, in order, under the first"
    return column


@SIZES
async def test_prep_items_wrap_under_their_text(size: tuple[int, int]) -> None:
    partners.save_record(PartnerRecord(name="Ada Lovelace", slug=slugify("Ada Lovelace"),
                                       commitments=[Commitment(text=COMMITMENT)], facts=[Fact(text=FACT)]))
    app = CoachApp(partner="Ada Lovelace", clock=FakeClock())
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "the prep screen")
        await files_read(pilot)
        lines = drawn(app.screen.query_one("#brief", Widget))
        assert assert_hangs(lines, COMMITMENT) == len("  [me] "), "under the text, past the owner"
        assert assert_hangs(lines, FACT) == 2
        checklist = [row for row in lines if "☐" in row]
        assert checklist and all(row.index("☐") == 2 for row in checklist)


@SIZES
async def test_deck_preview_cards_wrap_under_their_text(coach_dirs: tuple[Path, Path], size: tuple[int, int]) -> None:
    folder = coach_dirs[0] / "decks"
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(f'schema = 1\nid = "mine"\ntitle = "Mine"\n[[cards]]\ntext = "{CARD}"\n'
                                      f'tip = "{TIP}"\n', encoding="utf-8")
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=size) as pilot:
        await run_command(pilot, "Decks")
        screen = app.screen
        assert isinstance(screen, DecksScreen)
        from textual.widgets import OptionList

        options = screen.query_one("#items", OptionList)
        while not str(options.get_option_at_index(options.highlighted or 0).prompt).startswith("mine"):
            await pilot.press("down")
        lines = drawn(screen.query_one("#preview", Widget))
        assert assert_hangs(lines, CARD) == 5, "under the card's text, past its number"
        assert assert_hangs(lines, TIP) == 5
