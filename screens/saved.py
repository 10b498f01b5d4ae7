"""After saving: where the summary went, and the summary itself."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Markdown, Static

from coach.history import summary_markdown
from coach.problems import ProblemsError
from coach.summaries import SavedSummary
from coach.text import md_inline
from screens.commands import ScreenCommands
from screens.safe import line
from screens.widgets.curtain import CurtainMarker


class SavedScreen(Screen):
    """Shows the saved summary and the paths of its files."""

    CSS_PATH = "saved.tcss"
    COMMANDS = {ScreenCommands}
    BINDINGS = [
        Binding("n", "new_meeting", "New meeting", id="saved.new"),
        Binding("q", "app.quit", "Quit", id="saved.quit"),
    ]
    PALETTE = [("New meeting", "new_meeting", "Back to the partner picker")]

    def __init__(self, saved: SavedSummary) -> None:
        super().__init__()
        self.saved = saved

    def compose(self) -> ComposeResult:
        yield Label("✓ Summary saved", id="saved-title")
        yield Static(line(f"in {self.saved.toml_path.parent}{os.sep}"), classes="path")
        yield Static(line(f"  {self.saved.toml_path.name}"), id="saved-toml", classes="path")
        yield Static(line(f"  {self.saved.md_path.name}"), id="saved-md", classes="path")
        yield CurtainMarker()
        with VerticalScroll(id="saved-body", classes="private"):
            yield Markdown(_read(self.saved.toml_path))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.app.set_window_title("coach · saved")

    def action_new_meeting(self) -> None:
        self.app.open_picker()


def _read(path: Path) -> str:
    """The summary as Markdown, rendered from the TOML that was saved."""
    try:
        return summary_markdown(path)
    except ProblemsError as error:
        return "\n\n".join(md_inline(str(p)) for p in error.problems)
