"""Quick capture dialogs: `Remember…`, `Add goal…`, `Add commitment…`.

Each opens on its text field; Enter saves, Escape cancels, and the caller puts focus
back on the notes. A due date already past asks once, in the dialog: a second Enter keeps it.
Behind the privacy curtain the text is masked as it is typed (and unmasked when the curtain
lifts): it is kept all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet

from coach.model import CaptureKind, Owner, PendingCapture
from screens.follow import follow
from screens.messages import CaptureTyped, ReadyForKeys
from screens.safe import line, one_line
from screens.widgets.curtain import PRIVACY_KEY
from screens.widgets.rating import Choice

if TYPE_CHECKING:
    from coach.app import CoachApp

QUESTIONS = {
    CaptureKind.FACT: ("Remember", "What do you want to remember about them?",
                       "e.g. their daughter starts school in May"),
    CaptureKind.GOAL: ("Add goal", "What goal did you agree on?", "e.g. lead the Q3 planning review"),
    CaptureKind.COMMITMENT: ("Add commitment", "What was promised?", "e.g. send the reading list"),
}


PAST_DUE = "That date is past: Enter again to keep it, or change it"
"""Asked once when a commitment's due date is before today (one line at 60 columns)."""


@dataclass(frozen=True)
class CaptureAnswer:
    """What the dialog returns when the user saves."""

    kind: CaptureKind
    text: str
    owner: Owner = Owner.ME
    due: date | None = None


def parse_due(text: str) -> date | None:
    """An optional due date, `YYYY-MM-DD`; raise ValueError with a readable message."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a date: use YYYY-MM-DD, e.g. 2026-12-04") from None


class OwnerChoice(RadioSet):
    """Who owes a commitment: the arrows choose as they move (the owner under the cursor is the
    one saved, never a highlight that differs from the dot); Enter saves the dialog, as everywhere
    in it."""

    BINDINGS = [
        Binding("down,right", "step(1)", "Next owner", show=False),
        Binding("up,left", "step(-1)", "Previous owner", show=False),
        Binding("space", "choose", "Choose", show=False),
        Binding("enter", "choose_and_save", "Save", show=False),
    ]

    def action_step(self, step: int) -> None:
        (self.action_next_button if step > 0 else self.action_previous_button)()
        self.action_choose()

    def action_choose(self) -> Owner | None:
        """Press the owner under the cursor; return it."""
        chosen = self._nodes[self._selected] if self._selected is not None else None
        if not isinstance(chosen, RadioButton):
            return None
        chosen.value = True
        return Owner(chosen.name) if chosen.name else None

    def action_choose_and_save(self) -> None:
        owner = self.action_choose()
        dialog = self.screen
        if isinstance(dialog, CaptureDialog):
            dialog.save(owner)


class CaptureDialog(ModalScreen[CaptureAnswer | None]):
    """A small dialog asking for one fact, goal or commitment."""

    app: CoachApp
    CSS_PATH = "capture.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="capture.cancel"), PRIVACY_KEY]
    AUTO_FOCUS = "#capture-text"

    def __init__(self, kind: CaptureKind, pending: PendingCapture | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.pending = pending or PendingCapture(kind=kind)
        self.past_asked: date | None = None  # the past due date asked about: Enter again keeps it

    def compose(self) -> ComposeResult:
        title, question, placeholder = QUESTIONS[self.kind]
        with Vertical(id="capture-box") as box:
            box.border_title = title
            yield Label(question)
            yield Input(one_line(self.pending.text), placeholder=placeholder, id="capture-text",
                        select_on_focus=False, password=self.app.privacy)
            if self.kind is CaptureKind.COMMITMENT:
                with OwnerChoice(id="capture-owner"):
                    for owner in Owner:
                        yield Choice(owner.value, value=owner is self.pending.owner, name=owner.value)
                yield Input(one_line(self.pending.due), placeholder="due YYYY-MM-DD (optional)", id="capture-due")
            yield Label("Enter saves · Esc cancels", id="capture-hint")

    def on_mount(self) -> None:
        follow(self, "privacy", self._curtain, init=False)

    def on_screen_resume(self) -> None:
        """The text field has focus (AUTO_FOCUS): what was typed behind ctrl+g may come."""
        self.app.post_message(ReadyForKeys())

    def _curtain(self, private: bool) -> None:
        self.query_one("#capture-text", Input).password = private

    @on(Input.Changed)
    @on(RadioSet.Changed)
    def _typed(self) -> None:
        """What is typed here (and who owes it, by when) is kept in the draft too, before Enter."""
        owner = Owner.ME
        due = ""
        if self.kind is CaptureKind.COMMITMENT:
            pressed = self.query_one("#capture-owner", RadioSet).pressed_button
            owner = Owner(pressed.name) if pressed is not None and pressed.name else Owner.ME
            due = self.query_one("#capture-due", Input).value
        self.app.post_message(CaptureTyped(PendingCapture(
            kind=self.kind, text=self.query_one("#capture-text", Input).value, owner=owner, due=due)))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.save()

    def save(self, chosen: Owner | None = None) -> None:
        """Save what is typed (`chosen`: the owner just picked with Enter, before the list says so)."""
        text = " ".join(self.query_one("#capture-text", Input).value.split())
        if not text:
            self._complain("Type something first, or press Esc to cancel.")
            self.query_one("#capture-text", Input).focus()
            return
        owner, due = Owner.ME, None
        if self.kind is CaptureKind.COMMITMENT:
            pressed = self.query_one("#capture-owner", RadioSet).pressed_button
            owner = chosen or (Owner(pressed.name) if pressed is not None and pressed.name else Owner.ME)
            try:
                due = parse_due(self.query_one("#capture-due", Input).value)
            except ValueError as error:
                self._complain(str(error))
                self.query_one("#capture-due", Input).focus()
                return
            if due is not None and due < self.app.clock.wall().date() and due != self.past_asked:
                self.past_asked = due
                self._complain(PAST_DUE, severity="-warning")
                self.query_one("#capture-due", Input).focus()
                return
        self._close(CaptureAnswer(self.kind, text, owner, due))

    def _complain(self, message: str, severity: str = "-error") -> None:
        hint = self.query_one("#capture-hint", Label)
        hint.update(line(message))
        hint.remove_class("-error", "-warning")
        hint.add_class(severity)

    def action_cancel(self) -> None:
        self._close(None)

    def _close(self, answer: CaptureAnswer | None) -> None:
        """Nothing is being typed any more (a saved answer becomes a capture of its own)."""
        self.app.post_message(CaptureTyped(None))
        self.dismiss(answer)
