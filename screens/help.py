"""Help: the keys, the flow of a meeting, and a few rapport tips."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# coach

**The flow:** pick a partner → prep → chit-chat → goals → commitments → wrap-up → saved.
Phases never end on their own: when the time is up the clock turns to overtime and you
decide when to move on.

## Keys in a meeting

| key | what it does |
| --- | --- |
| `ctrl+n` / `ctrl+b` | next / previous card |
| `ctrl+f` | next phase (after the last one: wrap-up) |
| `ctrl+t` | pause or resume the timer |
| `ctrl+l` | add a minute to this phase |
| `F8` | rebalance: shorten the phases to come so the meeting ends on time |
| `ctrl+r` | remember something about them |
| `ctrl+g` | add a goal |
| `ctrl+o` | add a commitment (who, what, by when) |
| `F10` | end the meeting early |
| `ctrl+s` | save the summary (wrap-up) |
| `ctrl+p` | every command, by name |
| `F1` | this help |
| `F2` | privacy curtain: hide notes and memory while you share your screen |
| `ctrl+q` | quit |

Whatever you type while a phase runs goes into that phase's notes.

## Tips for rapport

- Open with real chit-chat, and give as much as you ask: share a bit of your own week.
- Write down the small things they tell you. Asking about them next time shows you listened.
- Agree on goals early and say them out loud; clarity makes trust easier.
- Promise less, deliver all of it. A kept small promise beats a broken big one.
- Keep the camera on, light on your face, and look at the lens now and then.
- Say what you think, plainly and kindly. Being yourself is more convincing than polish.
- Early meetings can feel stiff. That is normal; trust grows meeting by meeting.

Press `Esc` to close.
"""


class HelpScreen(ModalScreen[None]):
    """Keys, flow and tips, over whatever screen is open."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,f1,q", "close", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Markdown(HELP)

    def action_close(self) -> None:
        self.dismiss(None)
