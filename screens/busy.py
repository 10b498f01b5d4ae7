"""Another coach already runs a meeting on this data dir."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Label

from coach.lock import AlreadyRunning
from screens.messages import OpenDecks, OpenHistory
from screens.safe import line
from screens.widgets.button import Button


class BusyScreen(Screen):
    """Say who holds the data dir and what can still be done from here."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,q", "app.quit", "Quit", id="busy.quit")]

    def __init__(self, error: AlreadyRunning) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        pid = f"process {self.error.pid}" if self.error.pid else "another process"
        with Vertical(classes="dialog") as box:
            box.border_title = "Already running"
            yield Label(f"coach is already running on this data folder ({pid}). Only one meeting at a time "
                        "can write to it.", classes="question")
            yield Label(line(f"Data folder: {self.error.folder}"), classes="detail")
            yield Label("You can still read past meetings and decks here, or from the shell (coach history, "
                        "coach brief NAME, coach decks list). Switch to the other window to carry on the "
                        "meeting.", classes="detail")
            with Horizontal(classes="buttons"):
                yield Button("History", id="history")
                yield Button("Decks", id="decks")
                yield Button("Quit", id="quit", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#quit", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "history":
            self.app.post_message(OpenHistory())
        elif event.button.id == "decks":
            self.app.post_message(OpenDecks())
        else:
            self.app.exit()
