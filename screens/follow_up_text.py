"""The follow-up could not be saved as a file: show it, selectable, so it can be copied by hand."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from screens.safe import line, visible
from screens.widgets.button import Button


class FollowUpTextScreen(ModalScreen[None]):
    """The follow-up in a read-only text area (select with the mouse or shift+arrows, ctrl+c copies)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="follow_up_text.close")]

    def __init__(self, text: str, problem: str) -> None:
        super().__init__()
        self.text, self.problem = text, problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Follow-up message"
            yield Label(line(self.problem), classes="error-text")
            yield TextArea(visible(self.text), read_only=True, soft_wrap=True, id="follow-up-text",
                           classes="private-text")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#follow-up-text", TextArea).focus()

    def on_button_pressed(self, _: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
