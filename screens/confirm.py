"""A yes/no question as a small modal; the safe answer is focused."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from screens.safe import plain
from screens.widgets.button import Button
from screens.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from coach.app import CoachApp


class Confirm(ModalScreen[bool]):
    """Ask once more before something that cannot be undone (or that ends the meeting).

    The safe answer is focused unless `focus_yes`; Escape always cancels."""

    app: CoachApp

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
                # The two buttons side by side: the arrows and Tab move between them, and Enter answers
                # with the focused one. All are taken as they come (priority), so a fast → Enter says
                # what was meant and the keys behind Enter never reach the buttons (see `action_enter`).
                Binding("left", "focus_button('no')", show=False, priority=True),
                Binding("right", "focus_button('yes')", show=False, priority=True),
                Binding("tab,shift+tab", "other_button", show=False, priority=True),
                Binding("enter", "enter", show=False, priority=True)]

    def __init__(self, title: str, question: str, yes: str, no: str = "Cancel", focus_yes: bool = False,
                 id: str | None = None, hold_keys_after_yes: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text, self.question, self.yes, self.no = title, question, yes, no
        self.focus_yes = focus_yes  # Enter says yes: for a step that loses nothing (ending a meeting)
        self.hold_keys_after_yes = hold_keys_after_yes  # the screen a yes opens, which takes what is typed next

    def on_mount(self) -> None:
        self.query_one("#yes" if self.focus_yes else "#no", Button).focus()

    def action_enter(self) -> None:
        """Enter answers with the focused button. When a yes opens a screen that takes text (the
        wrap-up), the keys typed behind it wait for that screen: pressed the usual way, the button
        still had the focus when they came, and dropped them."""
        yes = self.focused is not None and self.focused.id == "yes"
        if yes and self.hold_keys_after_yes:
            self.app.hold_keys(self.hold_keys_after_yes)
        self.dismiss(yes)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.title_text
            yield Label(plain(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(self.no, id="no", variant="primary")
                yield Button(self.yes, id="yes", variant="error")
        yield KeyBar()  # over a screen whose keys do not work here: this dialog's own

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_focus_button(self, which: str) -> None:
        self.set_focus(self.query_one(f"#{which}", Button))  # at once: the next key sees it

    def action_other_button(self) -> None:
        self.action_focus_button("no" if self.focused is not None and self.focused.id == "yes" else "yes")
