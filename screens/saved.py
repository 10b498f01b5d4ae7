"""After saving: where the summary went, and the summary itself."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Markdown, Static

from coach.history import summary_markdown
from coach.problems import ProblemsError
from coach.summaries import SavedSummary
from coach.text import md_inline
from screens.commands import Command, CommandScreen, bindings
from screens.messages import OpenPicker
from screens.safe import line
from screens.widgets.curtain import CurtainMarker
from screens.widgets.key_bar import KeyBar


class SavedScreen(CommandScreen):
    """Shows the saved summary and the paths of its files."""

    CSS_PATH = "saved.tcss"
    ACTIONS = [
        Command("New meeting", "new_meeting", "Back to the partner picker", key="n", footer="New meeting",
                id="saved.new"),
        Binding("q", "app.quit", "Quit", id="saved.quit"),
    ]
    BINDINGS = bindings(ACTIONS)

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
            yield Markdown()
        yield KeyBar()

    async def on_mount(self) -> None:
        self.say_title("coach · saved")
        await self.query_one(Markdown).update(_read(self.saved.toml_path))

    def action_new_meeting(self) -> None:
        self.app.post_message(OpenPicker())


def _read(path: Path) -> str:
    """The summary as Markdown, rendered from the TOML that was saved."""
    try:
        return summary_markdown(path)
    except ProblemsError as error:
        return "\n\n".join(md_inline(str(p)) for p in error.problems)
