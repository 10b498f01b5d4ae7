"""Help: the keys, the flow of a meeting, and a few rapport tips.

The key tables are made from the screens' own `ACTIONS`, so they list exactly the keys that work.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from screens.commands import Action, Command, key_label
from screens.widgets.key_bar import KeyBar

FLOW = ("[b]The flow:[/b] pick a partner → prep → chit-chat → goals → commitments → wrap-up → saved. "
        "Phases never end on their own: when the time is up the clock turns to overtime and you decide "
        "when to move on. Whatever you type while a phase runs goes into that phase's notes.")

TIPS = (
    "Open with real chit-chat, and give as much as you ask: share a bit of your own week.",
    "Write down the small things they tell you. Asking about them next time shows you listened.",
    "Agree on goals early and say them out loud; clarity makes trust easier.",
    "Promise less, deliver all of it. A kept small promise beats a broken big one.",
    "Keep the camera on, light on your face, and look at the lens now and then.",
    "Say what you think, plainly and kindly. Being yourself is more convincing than polish.",
    "Early meetings can feel stiff. That is normal; trust grows meeting by meeting.",
)

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


class HelpScreen(ModalScreen[None]):
    """Keys, flow and tips, over whatever screen is open."""

    CSS_PATH = "help.tcss"
    AUTO_FOCUS = "#help-box"
    BINDINGS = [
        Binding("escape,f1,q", "close", "Close", id="help.close"),
        Binding("ctrl+q", "app.quit", "Quit", id="help.quit"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("coach · help", classes="title")
            yield Static(FLOW, classes="paragraph")
            for heading, table in sections():
                yield Static(heading, classes="heading")
                yield Static(table, classes="paragraph")
            yield Static("Tips for rapport", classes="heading")
            yield Static(bullets(TIPS), classes="paragraph")
            yield Static("Esc closes this help.")
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)
