"""The countdown: big digits, calm by default, with warn, overtime and paused looks.

The whole timer block is one widget that draws its own lines (the clock's minutes, the phase's
title, the projected end, the progress bar) with two children laid over it: the clock's seconds
and the status line. A tick costs little because of that shape: Textual's compositor goes
through every widget whose container overlaps what changed, and here that is three widgets, not
twenty; and it sends the terminal a changed line from the left edge of the widget it belongs to,
so the seconds, which change every tick, are a widget of their own and a tick sends only them.
"""

from __future__ import annotations

import math

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.geometry import Region
from textual.renderables.bar import Bar
from textual.renderables.digits import DIGITS, DIGITS3X3
from textual.renderables.digits import Digits as DigitsRenderable
from textual.strip import Strip
from textual.widget import Widget

from coach.meeting_view import MeetingView
from coach.text import one_line
from coach.timefmt import duration
from coach.timing import Look
from screens.safe import fit, fit_with_suffix
from screens.widgets.status_line import StatusLine

SIDE_GAP = 2
"""Blank cells between the clock and the column of text beside it."""
CLOCK_ROWS = 3
BAR_ROW = 3


def clock_text(seconds: float) -> str:
    """`04:59` counting down; `+01:05` once the phase runs over."""
    sign = "+" if seconds < 0 else ""
    return f"{sign}{duration(int(abs(seconds)), pad=True)}"


def remaining_for_display(remaining: float) -> float:
    """Count down in whole seconds the way people read a clock: 4:59.3 shows 05:00."""
    return float(math.ceil(remaining)) if remaining > 0 else remaining


def big_rows(text: str) -> tuple[str, str, str]:
    """`text` in three-row digits, three cells a character (as Textual's Digits draws them)."""
    rows: tuple[list[str], list[str], list[str]] = ([], [], [])
    for character in text.translate(DigitsRenderable.REPLACEMENTS):
        position = DIGITS.find(character) * 3
        for row, glyphs in enumerate(rows):
            glyphs.append(DIGITS3X3[position + row].ljust(3) if position >= 0 else " " * 3)
    return ("".join(rows[0]), "".join(rows[1]), "".join(rows[2]))


def split_clock(clock: str) -> tuple[str, str]:
    """`+04:59` as `+04:` and `59`: what changes every second, apart."""
    return clock[:-2], clock[-2:]


def bar_filled(fraction: float, width: int) -> float:
    """How many of a bar's `width` cells `fraction` fills, in halves (what the bar can show)."""
    return int(min(max(fraction, 0.0), 1.0) * width * 2) / 2


def bar_segments(width: int, filled: float, full: Style, empty: Style) -> list[Segment]:
    """A one-line bar `width` cells long, `filled` of them (in halves) drawn in `full`: the look of
    Textual's ProgressBar (its `Bar` with the highlight from 0)."""
    filled = round(min(max(filled, 0.0), float(width)) * 2) / 2
    whole = int(filled)
    if whole == filled == 0:
        return [Segment(Bar.BAR * width, empty)] if width else []
    segments = [Segment(Bar.BAR * whole + (Bar.HALF_BAR_RIGHT if filled > whole else ""), full)]
    rest = width - whole - (1 if filled > whole else 0)
    if rest > 0:
        segments.append(Segment((Bar.HALF_BAR_LEFT if filled == whole else Bar.BAR) + Bar.BAR * (rest - 1), empty))
    return segments


class ClockSeconds(Widget):
    """The clock's seconds in large digits, laid over the timer: a tick redraws these alone."""

    DEFAULT_CSS = """
    ClockSeconds {
        width: 6;
        height: 3;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows = big_rows("00")

    def show(self, seconds: str) -> None:
        rows = big_rows(seconds)
        if rows != self._rows:
            self._rows = rows
            self.refresh()

    def render_line(self, y: int) -> Strip:
        timer = self.parent
        style = timer.get_component_rich_style("timer--clock") if isinstance(timer, PhaseTimer) else Style()
        text = self._rows[y] if 0 <= y < CLOCK_ROWS else ""
        return Strip([Segment(fit(text, self.size.width), style)], self.size.width)


class PhaseTimer(Widget):
    """Digits and a status column above a progress bar; only what changed is redrawn. The status
    column's middle line is the meeting's status line: alerts and confirmations show there."""

    COMPONENT_CLASSES = {"timer--clock", "timer--title", "timer--projected", "bar--bar", "bar--complete"}
    DEFAULT_CSS = """
    PhaseTimer {
        layout: horizontal;
        height: 4;
        padding: 0 1;
        &> .timer--clock {
            color: $success;
        }
        &> .timer--title {
            text-style: bold;
        }
        &> .timer--projected {
            color: $text-muted;
        }
        &> .bar--bar {
            color: $primary;
            background: $surface;
        }
        &> .bar--complete {
            color: $success;
            background: $surface;
        }
        &> StatusLine {
            margin: 1 0 0 2;
            width: 1fr;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Kept at hand: a tick looks nothing up in the DOM.
        self._seconds = ClockSeconds(id="clock-seconds")
        self._state_line = StatusLine(id="timer-state")  # the phase's state, or what was just said
        self._clock = "00:00"
        self._head = big_rows("00:")
        self._title = ""
        self._title_suffix = ""  # ` · 2/4`: which phase of how many, never cut
        self._projected = ""
        self._fraction = 0.0
        self._drawn: tuple[int, float] | None = None  # the bar as last drawn: its width, the cells filled
        self._look: tuple[Look, bool] | None = None

    def compose(self) -> ComposeResult:
        self._seconds.styles.margin = (0, 0, 0, len(self._head[0]))  # right of the minutes
        yield self._seconds
        yield self._state_line

    # -- what it shows (for the screen and for tests) -------------------------------------------
    @property
    def clock(self) -> str:
        """The clock as it reads now: `04:59`, `+01:05`."""
        return self._clock

    @property
    def title(self) -> str:
        return self._title + self._title_suffix

    @property
    def projected(self) -> str:
        return self._projected

    @property
    def fraction(self) -> float:
        """Of the phase's planned time, how much has gone (0 to 1)."""
        return self._fraction

    @property
    def state_line(self) -> StatusLine:
        return self._state_line

    # -- updates ---------------------------------------------------------------------------------
    def show(self, view: MeetingView) -> None:
        self._show_clock(clock_text(remaining_for_display(view.remaining)))
        if (view.look, view.paused) != self._look:
            self._look = (view.look, view.paused)
            for look in Look:
                self.set_class(view.look is look, f"-{look.value}")
            self.set_class(view.paused, "-paused")
        self._state_line.rest(state_text(view))
        self._show_fraction(min(view.elapsed, view.planned) / max(view.planned, 1.0))
        projected = projected_text(view)
        if projected != self._projected:
            self._projected = projected
            self._refresh_side(2)

    def show_title(self, view: MeetingView) -> None:
        title, suffix = one_line(view.phase_title), f" · {view.phase_index + 1}/{view.phase_count}"
        if (title, suffix) != (self._title, self._title_suffix):
            self._title, self._title_suffix = title, suffix
            self._refresh_side(0)

    def _show_clock(self, clock: str) -> None:
        if clock == self._clock:
            return
        self._clock = clock
        head, tail = split_clock(clock)
        self._seconds.show(tail)
        rows = big_rows(head)
        if rows != self._head:
            moved = len(rows[0]) != len(self._head[0])
            self._head = rows
            if moved:  # the seconds and the column beside them move along (a sign, a third digit)
                self._seconds.styles.margin = (0, 0, 0, len(rows[0]))
                self.refresh()
            else:
                self.refresh(Region(0, 0, len(rows[0]), CLOCK_ROWS))

    def _show_fraction(self, fraction: float) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        if fraction == self._fraction:
            return
        complete = (fraction >= 1.0) != (self._fraction >= 1.0)
        self._fraction = fraction
        width = self.size.width
        filled = bar_filled(fraction, width)
        if complete or self._drawn is None or self._drawn[0] != width:  # the full bar has a colour of its own
            self.refresh(Region(0, BAR_ROW, width, 1))
        elif filled != self._drawn[1]:  # only a change the bar can show (half a cell): those cells
            start, end = sorted((self._drawn[1], filled))
            self.refresh(Region(int(start), BAR_ROW, math.ceil(end) - int(start) + 1, 1))

    def _side_x(self) -> int:
        return len(self._head[0]) + self._seconds.size.width + SIDE_GAP

    def _refresh_side(self, row: int) -> None:
        x = self._side_x()
        self.refresh(Region(x, row, max(self.size.width - x, 0), 1))

    def notify_style_update(self) -> None:
        """Its looks changed (a warning, overtime, paused): the seconds, drawn in them, follow."""
        super().notify_style_update()
        self._seconds.refresh()

    # -- drawing ---------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == BAR_ROW:  # drawn from the fraction at the width it has now, whatever was drawn before
            filled = bar_filled(self._fraction, width)
            self._drawn = (width, filled)
            style = self.get_component_rich_style("bar--complete" if self._fraction >= 1 else "bar--bar")
            base = self.rich_style
            full = base + Style.from_color(style.color)
            empty = base + Style.from_color(style.bgcolor)
            return Strip(bar_segments(width, filled, full, empty), width)
        if not 0 <= y < CLOCK_ROWS:
            return Strip.blank(width, self.rich_style)
        base = self.rich_style
        head = self._head[y]
        gap = self._seconds.size.width + SIDE_GAP
        side = ""
        side_style = base
        room = width - cell_len(head) - gap
        if y == 0:
            side, side_style = fit_with_suffix(self._title, self._title_suffix, room), \
                self.get_component_rich_style("timer--title")
        elif y == 2:
            side, side_style = fit(self._projected, room), self.get_component_rich_style("timer--projected")
        segments = [Segment(head, self.get_component_rich_style("timer--clock")), Segment(" " * gap, base)]
        if room > 0:
            segments.append(Segment(side, side_style))
        return Strip(segments).crop_extend(0, width, base)


def state_text(view: MeetingView) -> str:
    """Paused, over time, time to wrap up, or running late: one short line beside the digits."""
    more_to_come = view.phase_index + 1 < view.phase_count
    if view.paused:
        return "⏸ Paused"
    if view.look is Look.OVERTIME:
        return "Over time · F8 rebalances" if more_to_come else "Over time"
    if view.look is Look.WARN:
        return "Time to wrap up"
    if view.overrun >= 60 and more_to_come:
        return f"{round(view.overrun / 60)} min late · F8 rebalances"
    return ""


def projected_text(view: MeetingView) -> str:
    """`Ends ~14:35 (planned 14:30)`: the cost of an overrun, at a glance."""
    if view.projected_end is None:
        return ""
    if view.paused:  # no tick moves it while paused: it says how it moves instead
        return f"Ends ~{view.projected_end:%H:%M} + the pause"
    text = f"Ends ~{view.projected_end:%H:%M}"
    if view.planned_end is not None and f"{view.planned_end:%H:%M}" != f"{view.projected_end:%H:%M}":
        text += f" (planned {view.planned_end:%H:%M})"  # whenever the minute shown is not the plan's
    return text
