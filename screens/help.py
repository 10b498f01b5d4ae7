"""Help: the keys, the flow of a meeting, the phases of this one and what each is for, and the rapport tips.

The key tables are made from the screens' own `ACTIONS`, so they list exactly the keys that work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from coach.model import Template
from coach.text import one_line
from screens.commands import Action, Command, key_label
from screens.safe import line
from screens.widgets.key_bar import KeyBar

FLOW = ("[b]The flow:[/b] pick a partner → prep → chit-chat → goals → commitments → wrap-up → saved. "
        "Phases never end on their own: when the time is up the clock turns to overtime and you decide "
        "when to move on. Whatever you type while a phase runs goes into that phase's notes.")

PALETTE_ROW = Command("Command palette", "command_palette", "every command, found by name or by what it does",
                  key="ctrl+p")


def key_rows(actions: Iterable[Action], leave_out: Iterable[str] = ()) -> list[tuple[str, list[Command]]]:
    """The commands of `actions` that have a key, by key in their order (ctrl+t: Pause / Resume)."""
    rows: dict[str, list[Command]] = {}
    skipped = set(leave_out)
    for action in actions:
        if isinstance(action, Command) and action.key and action.key not in skipped:
            rows.setdefault(action.key, []).append(action)
    return list(rows.items())


def key_table(rows: list[tuple[str, list[Command]]]) -> Table:
    """Keys on the left, as wide as the longest; what they do on the right, wrapped under itself."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for key, commands in rows:
        if len(commands) == 1:
            what = Text.assemble((commands[0].name, "bold"), f" — {commands[0].help}")
        else:
            what = Text(" / ".join(command.name for command in commands), style="bold")
        table.add_row(key_label(key), what)
    return table


def bullets(items: Iterable[str]) -> Table:
    """A list whose lines wrap under their text, not under the bullet."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for item in items:
        table.add_row("•", item)
    return table


def sections() -> list[tuple[str, Table]]:
    from coach.app import CoachApp
    from screens.meeting import MeetingScreen
    from screens.wrap_up import WrapUpScreen

    in_meeting = key_rows(MeetingScreen.ACTIONS)
    return [
        ("Keys in a meeting", key_table(in_meeting)),
        ("At the wrap-up", key_table(key_rows(WrapUpScreen.ACTIONS, leave_out=[key for key, _ in in_meeting]))),
        ("Anywhere", key_table(key_rows([*CoachApp.ACTIONS, PALETTE_ROW]))),
    ]


def phase_rows(template: Template) -> Table:
    """The template's phases, each with its length and what it is for."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for i, phase in enumerate(template.phases, 1):
        what = Text.assemble((one_line(phase.title), "bold"), f" ({phase.minutes:g} min)")
        if phase.purpose:
            what.append(f" — {one_line(phase.purpose)}")
        table.add_row(f"{i}.", what)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys, flow, the phases of the meeting and tips, over whatever screen is open."""

    CSS_PATH = "help.tcss"
    AUTO_FOCUS = "#help-box"
    BINDINGS = [
        Binding("escape,f1,q", "close", "Close", id="help.close"),
        Binding("ctrl+q", "app.quit", "Quit", id="help.quit"),
    ]

    def __init__(self, template: Template | None = None, tips: Sequence[str] = ()) -> None:
        super().__init__()
        self.template = template
        self.tips = tips

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("coach · help", classes="title")
            yield Static(FLOW, classes="paragraph")
            for heading, table in sections():
                yield Static(heading, classes="heading")
                yield Static(table, classes="paragraph")
            if self.template is not None:
                yield Static(line(f"The phases of “{self.template.title}”"), classes="heading")
                yield Static(phase_rows(self.template), classes="paragraph")
            if self.tips:
                yield Static("Tips for rapport", classes="heading")
                yield Static(bullets(one_line(tip) for tip in self.tips), classes="paragraph")
            yield Static("Esc closes this help.")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)
