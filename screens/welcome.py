"""The first run: one screen on how a meeting flows and where coach keeps its files."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from coach.store import config_dir, data_dir, mark_welcomed

if TYPE_CHECKING:
    from coach.app import CoachApp

# Plain Static text, not Markdown: the welcome is on screen at the very first start, and the
# Markdown widget would cost a fifth of a second and several MiB there.
WELCOME = """\
[b $accent]Welcome to coach[/]

coach sits beside your video call and keeps a mentoring session or a 1:1 on track.

 1. [b]Pick a partner[/b], or type a new name.
 2. [b]Prep[/b] shows what you know about them and the plan. [b]s[/b] starts.
 3. [b]Chit-chat → goals → commitments[/b], each timed. Type notes as you go;
    [b]ctrl+n[/b] for the next card, [b]ctrl+f[/b] for the next phase.
 4. [b]Wrap-up[/b]: rate the meeting, add a line of reflection, [b]ctrl+s[/b] saves.

Capture in one key: [b]ctrl+r[/b] remember a fact, [b]ctrl+g[/b] a goal, [b]ctrl+o[/b] a commitment.
Everything is in the command palette ([b]ctrl+p[/b]); [b]F1[/b] is help, [b]F2[/b] hides your notes
when you share your screen.

Your files are plain TOML and Markdown, readable by you only:
 • meetings and partners: {data}
 • settings, your decks and templates: {config}

Nothing you type is lost: the meeting is autosaved as you go.
"""


class WelcomeScreen(ModalScreen[None]):
    """Shown once, on the very first start."""

    app: CoachApp

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,enter", "close", "Start", id="welcome.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(WELCOME.format(data=escape(str(data_dir())), config=escape(str(config_dir()))),
                         id="welcome-text")
            yield Button("Let's start", id="start", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    def on_button_pressed(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        with contextlib.suppress(OSError):  # shown again next time: better than an error on the first screen
            mark_welcomed(self.app.clock.wall())
        self.dismiss(None)
