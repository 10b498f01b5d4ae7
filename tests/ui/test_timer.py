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


def bar_line(app) -> str:
    """The progress bar's line as it is on the screen (the one that is all bar cells), or "" while
    the screen has none (between a resize and the layout that follows it)."""
    return next((row.strip() for row in screen_text(app).splitlines()
                 if row.strip() and set(row.strip()) <= {"━", "╸", "╺"}), "")


async def bar_settles(pilot, timer, size) -> None:
    """Wait until the timer is laid out for the new size (a cell of margin each side) and the bar
    on the screen is as long, and as filled, as its width and fraction say."""
    def drawn() -> bool:
        bar, width = bar_line(pilot.app), timer.size.width
        return (width == size[0] - 2 and len(bar) == width
                and drawn_filled(bar) == int(timer.fraction * width * 2) / 2)

    await wait_for(pilot, drawn, f"the bar drawn for {size}")


def drawn_filled(bar: str) -> float:
    """How many cells the bar shows filled: its end is the one tip, `╸` after half a cell."""
    tips = [i for i, ch in enumerate(bar) if ch in "╸╺"]
    assert len(tips) <= 1, f"one end to a bar: {bar!r}"
    if not tips:
        return float(len(bar))  # full (nothing filled draws a tip at 0: `╺━━…`)
    return tips[0] + (0.5 if bar[tips[0]] == "╸" else 0.0)


async def start_meeting(pilot, clock) -> MeetingScreen:
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, MeetingScreen), "the meeting")
    await pilot.pause()
    return pilot.app.screen


async def test_the_bar_is_drawn_anew_for_the_width_it_has_after_a_resize():
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)  # chit-chat: 5 minutes
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_meeting(pilot, clock)
        for seconds, size in ((40, (60, 20)), (30, (100, 24)), (20, (60, 20))):
            clock.advance(seconds)
            screen.tick()
            await pilot.pause()
            await pilot.resize_terminal(*size)
            timer = screen.query_one(PhaseTimer)
            await bar_settles(pilot, timer, size)
            clock.advance(1)
            screen.tick()  # the tick after: only what changed is sent, on the right bar
            await bar_settles(pilot, timer, size)

        await pilot.press("ctrl+t")  # paused: no tick comes, the resize alone redraws it
        await pilot.resize_terminal(80, 24)
        await bar_settles(pilot, timer, (80, 24))


async def test_a_pause_says_paused_at_once_and_the_end_moves_with_it():
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_meeting(pilot, clock)
        timer = screen.query_one(PhaseTimer)
        await pilot.press("ctrl+l")  # "One more minute for this phase" stays three seconds
        await pilot.pause()
        assert "One more minute" in timer.state_line.text
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert timer.state_line.text == "⏸ Paused"
        assert timer.projected == "Ends ~14:31 + the pause"  # no tick while paused to move it on
        assert "+ the pause" in screen_text(app)
        clock.advance(120)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert timer.projected == "Ends ~14:33 (planned 14:30)"


async def test_the_planned_end_shows_as_soon_as_the_minute_shown_is_another():
    from datetime import UTC, datetime

    clock = FakeClock(start=datetime(2026, 3, 2, 14, 0, 40, tzinfo=UTC))  # planned to end at 14:30:40
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_meeting(pilot, clock)
        timer = screen.query_one(PhaseTimer)
        assert timer.projected == "Ends ~14:30"
        clock.advance(5 * 60 + 10)  # 10 s over: the end is 14:30:50, still the minute planned
        screen.tick()
        await pilot.pause()
        assert timer.projected == "Ends ~14:30"
        clock.advance(20)  # 30 s over: 14:31:10, another minute than the plan's
        screen.tick()
        await pilot.pause()
        assert timer.projected == "Ends ~14:31 (planned 14:30)"


async def test_the_warning_of_a_phase_does_not_follow_into_the_next():
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_meeting(pilot, clock)
        timer = screen.query_one(PhaseTimer)
        clock.advance(5 * 60 - 30)
        screen.tick()
        await pilot.pause()
        assert "left: time to wrap it up" in timer.state_line.text
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert timer.title.startswith("Goals") and "wrap it up" not in timer.state_line.text
        await pilot.press("ctrl+f", "f9", "f9")  # in commitments, back to goals, back to chit-chat
        await pilot.press("f9")
        await pilot.pause()
        assert timer.state_line.text == "This is the first phase"
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert timer.title.startswith("Goals") and timer.state_line.text == ""
        await pilot.press("ctrl+r", *"likes sailing", "enter")  # a word said by the user is not an alert
        await pilot.pause()
        said = timer.state_line.text
        assert said.startswith("Remembered")
        screen.show_phase()
        assert timer.state_line.text == said


async def test_the_ticker_ticks_just_after_the_seconds_turn_when_a_phase_starts_or_resumes():
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_meeting(pilot, clock)
        clock.advance(10.3)  # a pause in the middle of a second
        await pilot.press("ctrl+t")
        assert screen._ticker is None
        clock.advance(7.9)
        await pilot.press("ctrl+t")
        # 289.7 s left: the clock shows 04:50 until 0.7 s from now, and the ticker ticks then
        assert screen._ticker is not None and abs(screen._ticker._interval - (0.7 + 0.05)) < 1e-6
        clock.advance(0.5)
        await pilot.press("ctrl+f")  # the next phase starts mid-second too: its own beat
        assert abs(screen._ticker._interval - (1.0 + 0.05)) < 1e-6


async def test_a_long_phase_title_is_cut_before_its_number():
    from screens.safe import fit, fit_with_suffix

    assert fit_with_suffix("A very long phase title", " · 2/4", 16) == "A very lo… · 2/4"
    assert fit_with_suffix("A very long phase title", " · 2/4", 13) == "A very… · 2/4", "no blank before the …"
    assert fit_with_suffix("Goals", " · 2/4", 16) == "Goals · 2/4     "
    assert fit_with_suffix("長いフェーズの題", " · 2/3", 15) == "長いフェ… · 2/3"
    assert fit_with_suffix("長いフェーズの題", " · 2/3", 14) == "長いフ… · 2/3 ", "nothing between … and the number"
    assert fit("とても長いタイトル", 8) == "とても… "  # no half of a wide character, no gap before the …


async def test_a_phase_title_with_markup_shows_as_typed_on_the_wrap_up(coach_dirs):
    from screens.wrap_up import WrapUpScreen

    folder = coach_dirs[0] / "templates"
    folder.mkdir(parents=True)
    (folder / "odd.toml").write_text(
        'schema = 1\nid = "odd"\ntitle = "Odd"\n\n[[phases]]\nid = "red"\n'
        'title = "[red]Red[/red] [link=http://x]L[/link]"\nminutes = 1\ndecks = ["chit-chat"]\n', encoding="utf-8")
    app = CoachApp(partner="Ada", template="odd", clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await start_meeting(pilot, app.clock)
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, WrapUpScreen), "the wrap-up")
        await pilot.pause()
        assert "[red]Red[/red] …" in screen_text(app)  # the first column holds 16 cells
