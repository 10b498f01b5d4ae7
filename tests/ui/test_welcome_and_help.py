"""The first-run welcome opens on its title and quits with ctrl+q; Help (F1) fits, with its keys
on one line each, and lists the keys the screens really have."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll

from coach import store
from coach.app import CoachApp
from coach.clock import FakeClock
from screens.help import HelpScreen
from screens.meeting import MeetingScreen
from screens.welcome import STEPS, WelcomeScreen
from tests.ui.helpers import wait_for
from tests.ui.screen_text import screen_lines

SIZES = [(60, 20), (80, 24), (120, 40)]
IDS = ["60x20", "80x24", "120x40"]


def box_lines(pilot) -> list[str]:
    """The lines of the dialog's box as drawn, from its top border to its bottom one."""
    region = pilot.app.screen.query_one("#help-box").region
    return [line[region.x:region.right] for line in screen_lines(pilot.app)[region.y:region.bottom]]


def fits(pilot, box: VerticalScroll) -> None:
    width, height = pilot.app.size
    region = box.region
    assert region.x >= 0 and region.y >= 0 and region.right <= width and region.bottom <= height - 1, region
    assert box.styles.border_bottom[0] == "round"
    lines = box_lines(pilot)
    assert lines[0].startswith("╭") and lines[-1].startswith("╰"), lines
    assert not any(line.lstrip("│ ").startswith(("╰", "└", "─")) for line in lines[1:-1]), "one bottom border, not two"


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_the_welcome_opens_on_its_title_and_first_step(size):
    app = CoachApp(clock=FakeClock(), welcome=True)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
        await pilot.pause()
        box = app.screen.query_one("#help-box", VerticalScroll)
        assert box.scroll_y == 0 and app.focused is box, "the top is shown, and the keys scroll it"
        lines = box_lines(pilot)
        assert "Welcome to coach" in lines[1]
        assert any("1. Pick a partner" in line for line in lines[:8]), lines
        fits(pilot, box)
        if size[0] >= 120:
            one = " ".join(line.strip("│ ") for line in lines)
            assert "Type notes as you go; ctrl+n for the next card" in one, "no break inside a sentence"
        await pilot.press("down")
        if box.max_scroll_y:
            await wait_for(pilot, lambda: box.scroll_y > 0, "the welcome to scroll")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, WelcomeScreen), "the welcome to close")
    assert not store.first_run()


def test_the_welcomes_sentences_have_no_line_breaks_of_their_own():
    assert all("\n" not in step for step in STEPS)


async def test_ctrl_q_quits_from_the_welcome():
    app = CoachApp(clock=FakeClock(), welcome=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
        assert "^q Quit" in screen_lines(app)[-1], "the footer offers it"
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running, "the app to quit")
    assert app.return_code == 0
    assert store.first_run(), "quit before starting: the welcome shows again next time"


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_help_fits_and_its_keys_stay_on_one_line(size):
    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        box = app.screen.query_one("#help-box", VerticalScroll)
        assert app.focused is box
        fits(pilot, box)
        seen: list[str] = []
        for _ in range(20):  # page through the help as a reader would
            seen += box_lines(pilot)[1:-1]
            if box.scroll_y >= box.max_scroll_y:
                break
            before = box.scroll_y
            await pilot.press("pagedown")
            await wait_for(pilot, lambda: box.scroll_y > before and box.scroll_y == box.scroll_target_y,  # noqa: B023
                           "the next page, scrolled to the end")
        fits(pilot, box)
        text = "\n".join(seen)
        for key, name in (("ctrl+n", "Next card"), ("ctrl+b", "Previous card"), ("ctrl+t", "Pause timer"),
                          ("F8", "Rebalance"), ("ctrl+s", "Save summary"), ("F2", "Privacy curtain"),
                          ("ctrl+q", "Quit"), ("ctrl+p", "Command palette")):
            assert any(line.strip("│ ").startswith(key) and name in line for line in seen), (key, text)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting again")
