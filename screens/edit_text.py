"""One line to type, checked before the dialog closes: an item's new text, a date, a new name.

The dialog hands what was typed to `apply`, which makes the change and returns None, or returns
what went wrong; then the dialog stays open with the text as typed and says why, so nothing
typed is lost (a full disk, a date that is no date). Enter applies, Escape cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from screens.follow import follow
from screens.safe import line, one_line
from screens.widgets.curtain import PRIVACY_KEY

if TYPE_CHECKING:
    from coach.app import CoachApp

Apply = Callable[[str], "str | None"]
"""Makes the change from what was typed; returns None when done, else what went wrong."""


class EditText(ModalScreen[bool]):
    """Returns True once `apply` succeeded, False when cancelled."""

    app: CoachApp
    CSS_PATH = "ask.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="edit_text.cancel"), PRIVACY_KEY]
    AUTO_FOCUS = "#edit-text"

    def __init__(self, title: str, question: str, value: str, apply: Apply, *, placeholder: str = "",
                 private: bool = True) -> None:
        super().__init__()
        self.title_text, self.question, self.value = title, question, value
        self.apply, self.placeholder, self.private = apply, placeholder, private

    def compose(self) -> ComposeResult:
        with Vertical(classes="ask-box") as box:
            box.border_title = line(self.title_text)
            yield Label(line(self.question), classes="ask-question")
            yield Input(one_line(self.value), placeholder=self.placeholder, id="edit-text", select_on_focus=False,
                        password=self.private and self.app.privacy)
            yield Label("Enter saves · Esc cancels", id="edit-hint", classes="ask-hint")

    def on_mount(self) -> None:
        if self.private:
            follow(self, "privacy", self._curtain, init=False)

    def _curtain(self, private: bool) -> None:
        self.query_one("#edit-text", Input).password = private

    @on(Input.Submitted, "#edit-text")
    def save(self) -> None:
        field = self.query_one("#edit-text", Input)
        problem = self.apply(field.value)
        if problem is None:
            self.dismiss(True)
            return
        hint = self.query_one("#edit-hint", Label)
        hint.update(line(problem))
        hint.add_class("-error")
        field.focus()

    def action_cancel(self) -> None:
        self.dismiss(False)
