"""The first run: one screen on how a meeting flows and where coach keeps its files."""

from __future__ import annotations

import contextlib

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown

from coach.store import config_dir, data_dir, mark_welcomed

WELCOME = """\
# Welcome to coach

coach sits beside your video call and keeps a mentoring session or a 1:1 on track.

1. **Pick a partner**, or type a new name.
2. **Prep** shows what you know about them and the plan. `s` starts.
3. **Chit-chat → goals → commitments**, each timed. Type notes as you go;
   `ctrl+n` for the next card, `ctrl+f` for the next phase.
4. **Wrap-up**: rate the meeting, add a line of reflection, `ctrl+s` saves.

Capture in one key: `ctrl+r` remember a fact, `ctrl+g` a goal, `ctrl+o` a commitment.
Everything is in the command palette (`ctrl+p`); `F1` is help, `F2` hides your notes
when you share your screen.

Your files are plain TOML and Markdown, readable by you only:

- meetings and partners: `{data}`
- settings, your decks and templates: `{config}`

Nothing you type is lost: the meeting is autosaved as you go.
"""


class WelcomeScreen(ModalScreen[None]):
    """Shown once, on the very first start."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,enter", "close", "Start", id="welcome.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(WELCOME.format(data=data_dir(), config=config_dir()))
            yield Button("Let's start", id="start", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    def on_button_pressed(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        with contextlib.suppress(OSError):  # shown again next time: better than an error on the first screen
            mark_welcomed(self.app.clock.wall())
        self.dismiss(None)
