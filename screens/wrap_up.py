"""The wrap-up, untimed: how the time went, a rating, a short reflection, and saving."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.widgets import Input, Label, RadioSet, Static, TextArea

from coach.follow_up import follow_up_path, follow_up_text, save_follow_up
from coach.kept import commitments_after, kept, kept_sentence
from coach.timing import time_figures
from screens.base import CAPTURE_ACTIONS, MeetingBase
from screens.commands import Command, bindings
from screens.messages import ReadyForKeys, SaveRequested
from screens.safe import line, one_line, visible
from screens.widgets.button import Button
from screens.widgets.curtain import CurtainMarker
from screens.widgets.key_bar import KeyBar
from screens.widgets.outcome import outcome_text
from screens.widgets.rating import Rating
from screens.widgets.status_line import StatusLine

FOLLOW_UP_LABEL = "Follow-up message (edit freely; F5 copies it)"
EDITED_LABEL = "Follow-up (edited: new captures are not added; F5 copies)"


class WrapUpScreen(MeetingBase):
    """Rate the meeting, reflect in a line, save the summary."""

    CSS_PATH = "wrap_up.tcss"
    AUTO_FOCUS = ""  # the rating, focused in on_mount without scrolling the title away
    ACTIONS = [
        Command("Save summary", "save_summary", "Write the summary of this meeting to disk", key="ctrl+s",
                footer="Save summary", id="wrap_up.save"),
        Command("Copy follow-up", "copy_follow_up", "Copy the follow-up message to the clipboard", key="f5",
                footer="Copy follow-up", id="wrap_up.copy"),
        *CAPTURE_ACTIONS,
        *[Binding(str(n), f"rate({n})", show=False) for n in range(1, 6)],
    ]
    BINDINGS = bindings(ACTIONS)

    def compose(self) -> ComposeResult:
        yield CurtainMarker()
        with VerticalScroll(id="wrap-up"):
            # What asks for an answer comes first, so it is on screen at 60x20; the record follows.
            yield Label(line(f"Wrap-up · {self.meeting.partner}"), id="wrap-title")
            yield Label("Was it worth the time? 1 = not at all, 5 = very", classes="question")
            yield Rating(self.meeting.rating, text_to="#reflection", id="rating", classes="private-text")
            yield Label("One line of reflection: what went well, what to change?", classes="question")
            yield Input(one_line(self.meeting.reflection), placeholder="e.g. good energy; start on goals sooner",
                        id="reflection", select_on_focus=False, classes="private-text")
            yield Static(self._time_table(), id="time-table")
            yield Static(self._captures_text(), id="captures", classes="private")
            yield Static(self._kept_text(), id="kept", classes="private")
            yield Label(FOLLOW_UP_LABEL, classes="question", id="follow-up-label")
            yield TextArea(visible(self.meeting.follow_up), id="follow-up", soft_wrap=True, tab_behavior="focus",
                           classes="private-text")
            with Horizontal(id="wrap-buttons"):
                yield Button("Save summary", id="save", variant="primary")
                yield Button("Copy follow-up", id="copy")
        yield StatusLine(id="wrap-status")  # shown only while it says something
        yield KeyBar()

    def on_mount(self) -> None:
        self.say_title(f"Wrap-up · {self.meeting.partner}")
        self._outcome_before = self.meeting.outcome()
        self.query_one("#rating", Rating).focus(scroll_visible=False)
        self.app.post_message(ReadyForKeys("WrapUpScreen"))  # after the focus: what was typed meanwhile comes

    def on_resize(self, event: Resize) -> None:
        """Under 24 rows the follow-up box is shorter (the page scrolls either way)."""
        self.set_class(event.size.height < 24, "-short")

    def _time_table(self) -> Table:
        """Each phase's time, in the words and figures the saved summary uses."""
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, max_width=16, overflow="ellipsis", style="bold")
        table.add_column()  # wraps under itself when the line is too long for the screen
        for phase in self.meeting.phases:
            record = phase.record()
            planned = record.planned_seconds + record.added_seconds
            allowed = planned if record.rebalanced_seconds is None else record.rebalanced_seconds
            style = "red" if record.actual_seconds > allowed + 30 else ""
            table.add_row(Text(one_line(phase.plan.title)),  # a str here would be read as markup
                          Text(time_figures(record.actual_seconds, record.planned_seconds, record.rebalanced_seconds,
                                            record.added_seconds), style=style))
        return table

    def _captures_text(self) -> Text:
        return outcome_text(self.meeting.outcome())

    def _kept_text(self) -> Text:
        day = self.clock.wall().date()
        after = commitments_after(self.meeting.memory, self.meeting.reviewed, self.meeting.captures, day)
        return Text(kept_sentence(kept(after, day)), style="italic")

    def captured(self) -> None:
        self.query_one("#captures", Static).update(self._captures_text())
        self.query_one("#kept", Static).update(self._kept_text())
        # Written by coach and not edited since: it follows what the meeting captured and settled.
        area = self.query_one("#follow-up", TextArea)
        outcome = self.meeting.outcome()
        day = self.clock.wall().date()
        if area.text == follow_up_text(self.meeting.partner, self._outcome_before, day):
            area.load_text(follow_up_text(self.meeting.partner, outcome, day))
        self._outcome_before = outcome

    @on(TextArea.Changed, "#follow-up")
    def _follow_up_edited(self, event: TextArea.Changed) -> None:
        self.meeting.follow_up = event.text_area.text
        written = follow_up_text(self.meeting.partner, self.meeting.outcome(), self.clock.wall().date())
        self.query_one("#follow-up-label", Label).update(FOLLOW_UP_LABEL if event.text_area.text == written
                                                         else EDITED_LABEL)
        self.changed()

    @on(Button.Pressed, "#copy")
    def action_copy_follow_up(self) -> None:
        """Copy (OSC 52, which some terminals ignore) and keep it as a file too, saying where; when
        the file cannot be written, show the text to select by hand."""
        text = self.query_one("#follow-up", TextArea).text
        self.app.copy_to_clipboard(text)
        try:
            path = save_follow_up(self.meeting.id, self.meeting.partner, text)
        except OSError as error:
            from screens.follow_up_text import FollowUpTextScreen

            problem = (f"Sent to the clipboard where the terminal allows it, but not saved in "
                       f"{follow_up_path(self.meeting.id, self.meeting.partner).parent}: "
                       f"{error.strerror or error}. Select the text below to copy it.")
            self.app.push_screen(FollowUpTextScreen(text, problem))
            return
        self.notify(f"Follow-up copied (where the terminal allows it), and saved to {path}", timeout=8)

    def action_rate(self, value: int) -> None:
        self.query_one("#rating", Rating).rate(value)

    @on(RadioSet.Changed, "#rating")
    def _rated(self, event: RadioSet.Changed) -> None:
        self.meeting.rating = int(event.pressed.name or 0) or None
        self.changed()

    @on(Input.Changed, "#reflection")
    def _reflected(self, event: Input.Changed) -> None:
        self.meeting.reflection = event.value
        self.changed()

    @on(Input.Submitted, "#reflection")
    @on(Button.Pressed, "#save")
    def action_save_summary(self) -> None:
        self.meeting.reflection = self.query_one("#reflection", Input).value
        self.meeting.follow_up = self.query_one("#follow-up", TextArea).text
        self.app.post_message(SaveRequested())
