"""Saving failed: say what and where, keep everything, offer to retry or save elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from screens.safe import line
from screens.widgets.button import Button


@dataclass(frozen=True)
class SaveAgain:
    """Try saving again: into `folder`, or where it failed (None)."""

    folder: Path | None = None


class SaveFailedScreen(ModalScreen[SaveAgain | None]):
    """Returns what to try now, or None to go back to the wrap-up."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "back", "Back", id="save_failed.back")]

    def __init__(self, where: Path, error: OSError) -> None:
        super().__init__()
        self.where, self.error = where, error

    def compose(self) -> ComposeResult:
        reason = self.error.strerror or str(self.error)
        with Vertical(classes="dialog") as box:
            box.border_title = "Summary not saved"
            yield Label(line(f"Could not write the summary in {self.where}: {reason}."), classes="error-text")
            yield Label("Nothing is lost: the meeting stays open and its draft is kept. Fix the folder and "
                        "retry, or save into another folder:", classes="question")
            yield Input(placeholder="another folder, e.g. ~/Documents", id="other-folder")
            with Horizontal(classes="buttons"):
                yield Button("Retry", id="retry", variant="primary")
                yield Button("Save there", id="elsewhere")
                yield Button("Back", id="back")

    def on_mount(self) -> None:
        self.query_one("#retry", Button).focus()

    @on(Button.Pressed, "#retry")
    def _retry(self) -> None:
        self.dismiss(SaveAgain())

    @on(Button.Pressed, "#elsewhere")
    @on(Input.Submitted, "#other-folder")
    def _elsewhere(self) -> None:
        text = self.query_one("#other-folder", Input).value.strip()
        if not text:
            self.query_one("#other-folder", Input).focus()
            return
        self.dismiss(SaveAgain(Path(text).expanduser()))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
