"""Review of earlier commitments, one at a time: done, still open, or dropped. Behind the privacy
curtain the commitment's text is hidden (who promised it, and when, stay)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from coach.meeting import Meeting
from coach.model import Commitment, Owner, Status
from coach.text import one_line
from coach.timefmt import short_date
from screens.messages import MeetingChanged
from screens.widgets.curtain import PRIVACY_KEY
from screens.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from coach.app import CoachApp

WHO = {Owner.ME: "You promised", Owner.THEM: "They promised", Owner.BOTH: "You both promised"}


class ReviewScreen(ModalScreen[None]):
    """Walk through the open commitments from earlier meetings; one key each."""

    app: CoachApp
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("d", "mark('done')", "Done", id="review.done"),
        Binding("o", "mark('open')", "Still open", id="review.open"),
        Binding("x", "mark('dropped')", "Dropped", id="review.dropped"),
        Binding("escape", "later", "Later", id="review.later"),
        PRIVACY_KEY,
    ]

    def __init__(self, meeting: Meeting, today: date) -> None:
        super().__init__()
        self.meeting = meeting
        self.today = today
        self.queue: list[Commitment] = meeting.pending_reviews()
        self.total = len(self.queue)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="review-box"):
            yield Label("", id="review-count", classes="detail")
            yield Static("", id="review-item", classes="question")
            yield Label("d done · o still open (carry over) · x dropped · Esc later", classes="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_current()
        self.watch(self.app, "privacy", self.show_current, init=False)

    def show_current(self) -> None:
        if not self.queue:
            self.dismiss(None)
            return
        item = self.queue[0]
        box = self.query_one("#review-box")
        box.border_title = "Review commitments"
        position = self.total - len(self.queue) + 1
        self.query_one("#review-count", Label).update(f"{position} of {self.total} from earlier meetings")
        text = Text()
        made = f" on {short_date(item.made)}" if item.made else ""
        text.append(f"{WHO[item.owner]}{made}:\n", style="dim")
        if self.app.privacy:
            text.append("(hidden behind the privacy curtain: F2 lifts it)", style="dim")
        else:
            text.append(one_line(item.text), style="bold")
        if item.due:
            late = item.overdue(self.today)
            text.append(f"\nDue {short_date(item.due)}" + (" — overdue" if late else ""),
                        style="bold yellow" if late else "dim")
        self.query_one("#review-item", Static).update(text)

    def action_mark(self, status: str) -> None:
        if not self.queue:
            return
        self.meeting.review(self.queue.pop(0), Status(status))
        self.app.post_message(MeetingChanged())
        self.show_current()

    def action_later(self) -> None:
        self.dismiss(None)
