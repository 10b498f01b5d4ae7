"""The countdown: big digits, calm by default, with warn, overtime and paused looks."""

from __future__ import annotations

import math

from rich.style import Style
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


class PhaseProgress(Widget):
    """How much of the phase has gone, as a one-line bar. It has no timer of its own (Textual's
    ProgressBar keeps one for its ETA): the meeting's tick moves it, and nothing wakes the app
    while the clock is paused. Styled like ProgressBar's bar, with the same component classes."""

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
    }
    """

    fraction: reactive[float] = reactive(0.0)
    """Of the phase's planned time, how much has gone (0 to 1)."""

    def validate_fraction(self, fraction: float) -> float:
        """Only a change the bar can show (half a cell) redraws it."""
        fraction = min(max(fraction, 0.0), 1.0)
        steps = self.size.width * 2
        return int(fraction * steps) / steps if steps else fraction

    def render(self) -> RenderResult:
        style = self.get_component_rich_style("bar--bar" if self.fraction < 1 else "bar--complete")
        return Bar(highlight_range=(0, self.size.width * self.fraction), highlight_style=Style.from_color(style.color),
                   background_style=Style.from_color(style.bgcolor))


def set_text(label: Label, text: str) -> None:
    """Update a label only when its text changes (an update lays the screen out again)."""
    if str(label.content) != text:
        label.update(text)


class PhaseTimer(Vertical):
    """Digits and a status column above a progress bar; only what changed is redrawn. The status
    column's middle line is the meeting's status line: alerts and confirmations show there."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="timer-row"):
            yield Digits("00:00", id="digits")
            with Vertical(id="timer-side"):
                yield Label("", id="phase-title")
                yield StatusLine(id="timer-state")  # the phase's state, or what was just said
                yield Label("", id="projected")
        yield PhaseProgress(id="progress")

    def show(self, view: MeetingView) -> None:
        digits = self.query_one("#digits", Digits)
        text = clock_text(remaining_for_display(view.remaining))
        if digits.value != text:
            digits.update(text)
        for look in Look:
            self.set_class(view.look is look, f"-{look.value}")
        self.set_class(view.paused, "-paused")
        self.query_one("#timer-state", StatusLine).rest(state_text(view))
        self.query_one("#progress", PhaseProgress).fraction = min(view.elapsed, view.planned) / max(view.planned, 1.0)
        set_text(self.query_one("#projected", Label), projected_text(view))

    def show_title(self, view: MeetingView) -> None:
        self.query_one("#phase-title", Label).update(
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
