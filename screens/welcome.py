"""The first run: one screen on how a meeting flows and where coach keeps its files."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from coach.store import config_dir, data_dir, mark_welcomed
from screens.safe import plain
from screens.widgets.button import Button
from screens.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from coach.app import CoachApp

# Plain Static text, not Markdown: the welcome is on screen at the very first start, and the
# Markdown widget would cost a fifth of a second and several MiB there. No line breaks inside a
# paragraph: the text wraps to the width of the terminal.
INTRO = "coach sits beside your video call and keeps a mentoring session or a 1:1 on track."

STEPS = (
    "[b]Pick a partner[/b], or type a new name.",
    "[b]Prep[/b] shows what you know about them and the plan. [b]s[/b] starts.",
    "[b]Chit-chat → goals → commitments[/b], each timed. Type notes as you go; [b]ctrl+n[/b] for the next "
    "card, [b]ctrl+f[/b] for the next phase.",
    "[b]Wrap-up[/b]: rate the meeting, add a line of reflection, [b]ctrl+s[/b] saves.",
)

TIPS = (
    "Capture in one key: [b]ctrl+r[/b] remember a fact, [b]ctrl+g[/b] a goal, [b]ctrl+o[/b] a commitment.",
    "Everything is in the command palette ([b]ctrl+p[/b]); [b]F1[/b] is help, [b]F2[/b] hides your notes "
    "when you share your screen.",
)

FILES = """\
Your files are plain TOML and Markdown, readable by you only.
Meetings and partners:
  {data}
Settings, your decks and templates:
  {config}

Nothing you type is lost: the meeting is autosaved as you go."""


def steps() -> Table:
    """The numbered steps, each wrapped under its own text, not under its number."""
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=1)
    for number, step in enumerate(STEPS, 1):
        table.add_row(f"{number}.", Text.from_markup(step))
    return table


class WelcomeScreen(ModalScreen[None]):
    """Shown once, on the very first start. It opens on its title; the arrow keys scroll it,
    Enter starts, ctrl+q quits."""

    app: CoachApp

    CSS_PATH = "help.tcss"
    AUTO_FOCUS = "#help-box"
    BINDINGS = [
        Binding("enter,escape", "close", "Start", id="welcome.close"),
        Binding("ctrl+q", "app.quit", "Quit", id="welcome.quit"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("Welcome to coach", id="welcome-title", classes="title")
            yield Static(INTRO, classes="paragraph")
            yield Static(steps(), id="welcome-steps", classes="paragraph")
            yield Static("\n\n".join(TIPS), classes="paragraph")
            yield Static(plain(FILES.format(data=data_dir(), config=config_dir())), id="welcome-text")
            yield Button("Let's start", id="start", variant="primary")
        yield KeyBar()

    def on_button_pressed(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        with contextlib.suppress(OSError):  # shown again next time: better than an error on the first screen
            mark_welcomed(self.app.clock.wall())
        self.dismiss(None)
