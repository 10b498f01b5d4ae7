"""A yes/no question as a small modal; the safe answer is focused."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from screens.safe import plain
from screens.widgets.button import Button
from screens.widgets.key_bar import KeyBar


class Confirm(ModalScreen[bool]):
    """Ask once more before something that cannot be undone (or that ends the meeting).

    The safe answer is focused unless `focus_yes`; Escape always cancels."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
                # the two buttons side by side: the arrows move between them, as Tab does
                Binding("left", "focus_button('no')", show=False), Binding("right", "focus_button('yes')", show=False)]

    def __init__(self, title: str, question: str, yes: str, no: str = "Cancel", focus_yes: bool = False,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text, self.question, self.yes, self.no = title, question, yes, no
        self.focus_yes = focus_yes  # Enter says yes: for a step that loses nothing (ending a meeting)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.title_text
            yield Label(plain(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(self.no, id="no", variant="primary")
                yield Button(self.yes, id="yes", variant="error")
        yield KeyBar()  # over a screen whose keys do not work here: this dialog's own

    def on_mount(self) -> None:
        self.query_one("#yes" if self.focus_yes else "#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_focus_button(self, which: str) -> None:
        self.query_one(f"#{which}", Button).focus()
