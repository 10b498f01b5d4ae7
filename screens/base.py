"""What the meeting and wrap-up screens share: the meeting, and quick capture."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.widgets import TextArea

from coach.clock import Clock
from coach.meeting import GoalChoice, Meeting, MeetingError
from coach.model import CaptureKind, PendingCapture
from screens.capture import CaptureAnswer, CaptureDialog
from screens.commands import Command, CommandScreen
from screens.follow import follow
from screens.messages import MeetingChanged, OpenPartner
from screens.widgets.status_line import Severity, StatusLine

if TYPE_CHECKING:
    from coach.app import CoachApp

CAPTURE_ACTIONS = [
    # Priority keys: the app acts on them as they come, before the keys behind them reach the notes
    # (the words typed right behind ctrl+g belong in its dialog, see `MeetingBase._ask`).
    Command("Remember…", "remember", "Note something about them to bring back next time",
            key="ctrl+r", footer="Remember", id="capture.remember", priority=True),
    Command("Add goal…", "add_goal", "Record a goal you agreed on", key="ctrl+g", footer="Goal", id="capture.goal",
            priority=True),
    Command("Add commitment…", "add_commitment", "Record who will do what, and by when",
            key="ctrl+o", footer="Commit", id="capture.commitment", priority=True),
    Command("Review commitments", "review_commitments", "Go through the open commitments from earlier meetings",
            key="f6", id="capture.review", priority=True),  # the notes' TextArea binds F6 and F7 itself
    Command("Mark goal reached", "mark_goal_reached", "Celebrate a goal: mark it reached", key="f7",
            id="capture.goal_reached", priority=True),
    Command("Partner record", "partner_record", "Everything kept about this partner: edit, re-date, forget",
            id="capture.partner_record", also=("facts", "goals", "commitments", "memory")),
]
"""Subclasses list these after their own keys, so the footer shows theirs first."""


class MeetingBase(CommandScreen):
    """A screen that works on a running meeting and can capture facts, goals and commitments."""

    app: CoachApp
    _status_clock: Timer | None = None

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting
        self._status_line: StatusLine | None = None

    @property
    def clock(self) -> Clock:
        return self.app.clock

    def on_mount(self) -> None:
        self._status_clock = self.set_interval(1.0, self.expire_status, pause=True)
        follow(self, "privacy", self._curtain)
        if self.meeting.unsaved_capture is not None:  # resumed while a capture was being typed
            self.call_after_refresh(self.reopen_capture)

    # -- the status line: what just happened, where it covers nothing -----------------------------
    @property
    def status(self) -> StatusLine | None:
        """The screen's status line (found once: a tick asks for it every second)."""
        if self._status_line is None or not self._status_line.is_attached:
            self._status_line = next(iter(self.query(StatusLine).results(StatusLine)), None)
        return self._status_line

    def say(self, text: str, *, hidden: str | None = None, severity: Severity = "information",
            seconds: float = 4.0) -> None:
        """Say `text` on the status line for `seconds` (behind the privacy curtain, `hidden`)."""
        if (status := self.status) is None:
            self.notify(hidden if hidden is not None and self.app.privacy else text, severity=severity,
                        timeout=seconds)
            return
        status.say(text, self.clock.monotonic(), seconds, hidden=hidden, severity=severity)
        if self._status_clock is not None:
            self._status_clock.resume()  # looks once a second, paused or not, until the word is gone

    def expire_status(self) -> None:
        """Take back a word whose time is up by the app's clock: once a second while one shows."""
        status = self.status
        if (status is None or status.expire(self.clock.monotonic())) and self._status_clock is not None:
            self._status_clock.pause()

    def _curtain(self, private: bool) -> None:
        if (status := self.status) is not None:
            status.curtain(private)

    def action_remember(self) -> None:
        self._ask(CaptureKind.FACT)

    def action_add_goal(self) -> None:
        self._ask(CaptureKind.GOAL)

    def action_add_commitment(self) -> None:
        self._ask(CaptureKind.COMMITMENT)

    def _ask(self, kind: CaptureKind, pending: PendingCapture | None = None) -> None:
        self.app.hold_keys()  # typed right behind ctrl+g, the words go into the dialog, not the notes
        self.app.push_screen(CaptureDialog(kind, pending), self._captured)

    def reopen_capture(self) -> None:
        """A capture was being typed when the app stopped: open its dialog again, as it was."""
        pending = self.meeting.unsaved_capture
        if pending is not None:
            self._ask(pending.kind, pending)

    def _captured(self, answer: CaptureAnswer | None) -> None:
        if answer is not None:
            try:
                self.meeting.capture(answer.kind, answer.text, self.clock.wall(), answer.owner, answer.due)
            except MeetingError as error:
                self.say(f"Not kept: {error}", severity="error", seconds=6)
            else:
                what = {CaptureKind.FACT: "Remembered", CaptureKind.GOAL: "Goal added",
                        CaptureKind.COMMITMENT: "Commitment added"}[answer.kind]
                self.say(f"{what}: {answer.text}", hidden=f"{what} (hidden)")
                self.changed()
                self.captured()
        self.focus_notes()

    def action_review_commitments(self) -> None:
        """Every open commitment from earlier meetings, with this meeting's answers to change."""
        self._review(only_pending=False)

    def review_pending(self) -> None:
        """The review phase begins: ask about the commitments not answered yet."""
        self._review(only_pending=True)

    def _review(self, only_pending: bool) -> None:
        from screens.review import ReviewScreen

        if not self.meeting.to_review:
            self.say("No open commitments from earlier meetings")
            return
        if any(isinstance(screen, ReviewScreen) for screen in self.app.screen_stack):
            return  # asked twice as the phase opened (or F6 meanwhile): one review at a time
        self.app.push_screen(ReviewScreen(self.meeting, self.clock.wall().date(), only_pending), self._reviewed)

    def _reviewed(self, _result: None = None) -> None:
        self.captured()
        self.focus_notes()

    def action_mark_goal_reached(self) -> None:
        from screens.goal_reached import GoalReachedScreen

        self.app.push_screen(GoalReachedScreen(self.meeting.goal_choices()), self._goal_reached)

    def _goal_reached(self, choice: GoalChoice | None) -> None:
        if choice is not None and choice.reached:
            self.meeting.unmark_goal_reached(choice.key)
            self.say(f"Goal open again: {choice.text}", hidden="Goal open again (hidden)")
        elif choice is not None:
            text = self.meeting.mark_goal_reached(choice.key)
            self.say(f"Goal reached: {text}", hidden="Goal reached (hidden)")
        if choice is not None:
            self.changed()
            self.captured()
        self.focus_notes()

    def action_partner_record(self) -> None:
        self.app.post_message(OpenPartner(self.meeting.partner))

    def changed(self) -> None:
        """The meeting changed: the app autosaves the draft shortly."""
        self.app.post_message(MeetingChanged())

    def captured(self) -> None:
        """Called after a capture is stored; screens refresh what shows captures."""

    def focus_notes(self) -> None:
        for area in self.query("#notes").results(TextArea):
            area.focus()
