"""The countdown: big digits, calm by default, with warn, overtime and paused looks."""

from __future__ import annotations

import math

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.renderables.bar import Bar
from textual.widget import Widget
from textual.widgets import Digits, Label

from coach.meeting_view import MeetingView
from coach.timefmt import duration
from coach.timing import Look
from screens.safe import line
from screens.widgets.status_line import StatusLine


def clock_text(seconds: float) -> str:
    """`04:59` counting down; `+01:05` once the phase runs over."""
    sign = "+" if seconds < 0 else ""
    return f"{sign}{duration(int(abs(seconds)), pad=True)}"


def remaining_for_display(remaining: float) -> float:
    """Count down in whole seconds the way people read a clock: 4:59.3 shows 05:00."""
    return float(math.ceil(remaining)) if remaining > 0 else remaining


class ClockDigits(Horizontal):
    """The clock in large digits: minutes and seconds are widgets of their own, so a tick redraws
    the seconds alone (Textual sends a widget's line from its left edge to the last cell changed)."""

    DEFAULT_CSS = """
    ClockDigits {
        width: auto;
        height: 3;
        &> Digits {
            width: auto;
        }
    }
    """

    def __init__(self, value: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._value = value

    @property
    def value(self) -> str:
        return self._value

    def compose(self) -> ComposeResult:
        head, tail = _split(self._value)
        self._parts = (Digits(head, id="clock-head"), Digits(tail, id="clock-tail"))
        yield from self._parts

    def update(self, value: str) -> None:
        if value == self._value:
            return
        self._value = value
        for digits, part in zip(self._parts, _split(value), strict=True):
            if digits.value != part:
                digits.update(part)


def _split(clock: str) -> tuple[str, str]:
    """`+04:59` as `+04:` and `59`: what changes every second, apart."""
    return clock[:-2], clock[-2:]


class PhaseProgress(Horizontal):
    """How much of the phase has gone, as a one-line bar. It has no timer of its own (Textual's
    ProgressBar keeps one for its ETA): the meeting's tick moves it, and nothing wakes the app
    while the clock is paused. Styled like ProgressBar's bar, with the same component classes.

    It is drawn in `PIECES` pieces side by side: when the bar grows by half a cell, the piece
    where it ends is drawn again, not the whole line."""

    PIECES = 16
    COMPONENT_CLASSES = {"bar--bar", "bar--complete"}
    DEFAULT_CSS = """
    PhaseProgress {
        height: 1;
        &> .bar--bar {
            color: $primary;
            background: $surface;
        }
        &> .bar--complete {
            color: $success;
            background: $surface;
        }
        &> BarPiece {
            width: 1fr;
            height: 1;
        }
    }
    """

    fraction: reactive[float] = reactive(0.0, repaint=False)
    """Of the phase's planned time, how much has gone (0 to 1)."""

    def compose(self) -> ComposeResult:
        self._pieces = [BarPiece() for _ in range(self.PIECES)]
        yield from self._pieces

    def validate_fraction(self, fraction: float) -> float:
        """Only a change the bar can show (half a cell) moves it."""
        fraction = min(max(fraction, 0.0), 1.0)
        steps = self.size.width * 2
        return int(fraction * steps) / steps if steps else fraction

    def watch_fraction(self, old: float, new: float) -> None:
        if (old >= 1.0) != (new >= 1.0):  # the full bar has a colour of its own
            for piece in self._pieces:
                piece.refresh()
        self._fill()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fill)  # once the pieces have their new widths

    def notify_style_update(self) -> None:
        """The bar's colours changed (a warning, overtime): its pieces, which draw in them, follow."""
        super().notify_style_update()
        for piece in getattr(self, "_pieces", ()):
            piece.refresh()

    def _fill(self) -> None:
        done = self.fraction * self.size.width
        for piece in self._pieces:
            piece.filled = min(max(done - (piece.region.x - self.region.x), -0.5), float(piece.size.width))


class BarPiece(Widget):
    """A piece of the phase's progress bar, styled by the bar it belongs to."""

    filled: reactive[float] = reactive(-0.5)
    """How many of its cells are filled (in halves); below 0 when the bar ends before it."""

    def render(self) -> RenderResult:
        bar = self.parent
        assert isinstance(bar, PhaseProgress)
        style = bar.get_component_rich_style("bar--bar" if bar.fraction < 1 else "bar--complete")
        background = Style.from_color(style.bgcolor)
        if self.filled == 0 and self.region.x > bar.region.x:  # the bar ends right where this piece begins
            return Text(Bar.HALF_BAR_LEFT + Bar.BAR * (self.size.width - 1), style=background, end="")
        return Bar(highlight_range=(0, max(self.filled, 0.0)), highlight_style=Style.from_color(style.color),
                   background_style=background)


def set_text(label: Label, text: str) -> None:
    """Update a label only when its text changes (an update lays the screen out again)."""
    if str(label.content) != text:
        label.update(text)


class PhaseTimer(Vertical):
    """Digits and a status column above a progress bar; only what changed is redrawn. The status
    column's middle line is the meeting's status line: alerts and confirmations show there."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Kept at hand: a tick looks nothing up in the DOM.
        self._clock = ClockDigits("00:00", id="digits")
        self._phase_title = Label("", id="phase-title")
        self._state_line = StatusLine(id="timer-state")  # the phase's state, or what was just said
        self._projected_end = Label("", id="projected")
        self._bar = PhaseProgress(id="progress")
        self._look: tuple[Look, bool] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="timer-row"):
            yield self._clock
            with Vertical(id="timer-side"):
                yield self._phase_title
                yield self._state_line
                yield self._projected_end
        yield self._bar

    def show(self, view: MeetingView) -> None:
        self._clock.update(clock_text(remaining_for_display(view.remaining)))
        if (view.look, view.paused) != self._look:
            self._look = (view.look, view.paused)
            for look in Look:
                self.set_class(view.look is look, f"-{look.value}")
            self.set_class(view.paused, "-paused")
        self._state_line.rest(state_text(view))
        self._bar.fraction = min(view.elapsed, view.planned) / max(view.planned, 1.0)
        set_text(self._projected_end, projected_text(view))

    def show_title(self, view: MeetingView) -> None:
        self._phase_title.update(
            line(f"{view.phase_title} · {view.phase_index + 1}/{view.phase_count}"))


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
    text = f"Ends ~{view.projected_end:%H:%M}"
    if view.planned_end is not None and abs(view.overrun) >= 60:
        text += f" (planned {view.planned_end:%H:%M})"
    return text
