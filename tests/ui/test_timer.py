"""The timer block: it draws what Textual's Digits and ProgressBar drew, and a tick redraws only
what changed (the seconds; the bar when it grows by half a cell; the minutes once a minute)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.style import Style
from textual.geometry import Region
from textual.renderables.bar import Bar
from textual.renderables.digits import Digits as DigitsRenderable

from coach.app import CoachApp
from coach.clock import FakeClock
from screens.meeting import MeetingScreen
from screens.widgets.timer import BAR_ROW, CLOCK_ROWS, ClockSeconds, PhaseTimer, bar_segments, big_rows
from tests.ui.helpers import wait_for
from tests.ui.test_hostile_data import screen_text

FULL, EMPTY = Style(color="green"), Style(color="grey37")


@given(width=st.integers(1, 90), halves=st.integers(0, 180))
def test_the_bar_is_drawn_cell_for_cell_as_textuals_bar(width, halves):
    filled = min(halves / 2, width)
    console = Console(width=width, color_system="truecolor")
    theirs = [(ch, segment.style) for segment in console.render(
        Bar(highlight_range=(0, filled), highlight_style=FULL, background_style=EMPTY, width=width))
        if segment.text != "\n" for ch in segment.text]
    ours = [(ch, segment.style) for segment in bar_segments(width, filled, FULL, EMPTY) for ch in segment.text]
    assert ours == theirs


@given(st.from_regex(r"\+?[0-9]{2,3}:[0-9]{2}", fullmatch=True))
def test_the_big_digits_are_textuals(clock):
    lines = "".join(segment.text for segment in DigitsRenderable(clock).render(Style())).split("\n")
    assert big_rows(clock) == tuple(lines[:CLOCK_ROWS])


def recorded(widget, calls: list) -> None:
    """Every region `widget` asks to have redrawn from now on (the whole widget: `None`)."""
    refresh = widget.refresh

    def record(*regions, **kwargs):
        calls.extend(regions or [None])
        return refresh(*regions, **kwargs)

    widget.refresh = record


async def test_a_tick_redraws_the_seconds_and_only_what_else_changed():
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)  # chit-chat: 5 minutes
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        await pilot.pause()
        screen = app.screen
        timer = screen.query_one(PhaseTimer)
        seconds = timer.query_one(ClockSeconds)
        assert timer.clock == "05:00"
        drawn: list = []
        ticked: list = []
        recorded(timer, drawn)
        recorded(seconds, ticked)

        async def tick() -> None:
            drawn.clear()
            ticked.clear()
            clock.advance(1)
            screen.tick()
            await pilot.pause()

        await tick()  # 04:59: the minutes and the seconds; the bar has not grown half a cell yet
        assert timer.clock == "04:59" and ticked == [None]
        assert drawn == [Region(0, 0, 9, CLOCK_ROWS)]
        await tick()  # 04:58: 2 s of 300 on 78 cells is the first half cell
        assert drawn == [Region(0, BAR_ROW, 2, 1)] and ticked == [None]
        await tick()  # 04:57: nothing but the seconds
        assert drawn == [] and ticked == [None]
        text = screen_text(app)
        for row in big_rows("04:57"):
            assert row in text
        assert "╸" + "━" * 76 in text, "half a cell of the bar, then the rest"


async def test_running_over_moves_the_seconds_aside_for_the_sign():
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        screen = app.screen
        clock.advance(5 * 60 + 5)
        screen.tick()
        await pilot.pause()
        timer = screen.query_one(PhaseTimer)
        assert timer.clock == "+00:05" and timer.has_class("-overtime")
        seconds = timer.query_one(ClockSeconds)
        assert seconds.region.x == timer.content_region.x + 12  # `+00:` is four characters of three cells
        text = screen_text(app)
        for row in big_rows("+00:05"):
            assert row in text
        assert "Over time" in text and "━" * 58 in text
