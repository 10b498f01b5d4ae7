"""Review of earlier commitments: every one still open from earlier meetings, with what was answered
for it in this meeting — done, still open, dropped, or not yet — one key each, changeable until the
summary is saved. Behind the privacy curtain the commitments' texts are hidden (who promised them,
and when, stay)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static

from coach.meeting import Meeting
from coach.model import Commitment, Owner, Status
from coach.text import one_line
from coach.timefmt import short_date
from screens.follow import follow
from screens.messages import MeetingChanged
from screens.widgets.curtain import PRIVACY_KEY
from screens.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from coach.app import CoachApp

WHO = {Owner.ME: "You promised", Owner.THEM: "They promised", Owner.BOTH: "You both promised"}
SHORT_WHO = {Owner.ME: "You", Owner.THEM: "They", Owner.BOTH: "Both"}
ANSWERS = {None: ("not yet", "dim"), Status.DONE: ("done", "green"), Status.OPEN: ("still open", "yellow"),
           Status.DROPPED: ("dropped", "red")}
ANSWER_WIDTH = max(len(word) for word, _style in ANSWERS.values())


class ReviewScreen(ModalScreen[None]):
    """The open commitments from earlier meetings, each with this meeting's answer; one key each.

    Opened by the meeting itself when the review phase starts (`only_pending`), it asks about the
    unanswered ones and closes after the last; opened with F6, it lists them all and stays open.
    """

    app: CoachApp
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("d", "mark('done')", "Done", id="review.done"),
        Binding("o", "mark('open')", "Still open", id="review.open"),
        Binding("x", "mark('dropped')", "Dropped", id="review.dropped"),
        Binding("n", "clear", "Not yet", id="review.clear"),
        Binding("escape", "close", "Close", id="review.close"),
        Binding("j", "move(1)", "Next", show=False),
        Binding("k", "move(-1)", "Previous", show=False),
        PRIVACY_KEY,
    ]

    def __init__(self, meeting: Meeting, today: date, only_pending: bool = False) -> None:
        super().__init__()
        self.meeting = meeting
        self.today = today
        self.only_pending = only_pending
        self.items: list[Commitment] = meeting.pending_reviews() if only_pending else list(meeting.to_review)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="review-box") as box:
            box.border_title = "Review commitments"
            yield Label("", id="review-count", classes="detail")
            yield OptionList(*[self._row(n) for n in range(len(self.items))], id="review-list")
            yield Static("", id="review-item")
            yield Label("An answer can change until the summary is saved.", id="review-keys", classes="detail")
        yield KeyBar()

    @property
    def options(self) -> OptionList:
        return self.query_one("#review-list", OptionList)

    @property
    def current(self) -> int:
        highlighted = self.options.highlighted
        return highlighted if highlighted is not None else 0

    def on_mount(self) -> None:
        if self.app.leaving or self not in self.app.screen_stack:
            return  # closed (or coach quit) as it opened: its parts are already going
        if not self.items:
            self.dismiss(None)
            return
        self.options.highlighted = 0
        self.options.focus()
        self.show()
        follow(self, "privacy", self._curtain, init=False)

    def _row(self, index: int) -> Table:
        """`done        You: send the paper…` on one line (the text hidden behind the curtain); the
        highlighted one is shown in full below the list."""
        item = self.items[index]
        word, style = ANSWERS[self.meeting.answer(item)]
        row = Table.grid(padding=(0, 2), expand=True)
        row.add_column(width=ANSWER_WIDTH, no_wrap=True)
        row.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        text = Text(f"{SHORT_WHO[item.owner]}: ", style="dim")
        text.append(f"commitment {index + 1} (hidden)" if self.app.privacy else one_line(item.text), style="")
        row.add_row(Text(word, style=style), text)
        return row

    def show(self) -> None:
        """The count, the rows' answers, and the highlighted commitment in full."""
        answered = sum(self.meeting.answer(item) is not None for item in self.items)
        self.query_one("#review-count", Label).update(
            f"{answered} of {len(self.items)} answered · open from earlier meetings")
        for index in range(len(self.items)):
            self.options.replace_option_prompt_at_index(index, self._row(index))
        item = self.items[self.current]
        text = Text()
        made = f" on {short_date(item.made)}" if item.made else ""
        text.append(f"{WHO[item.owner]}{made}:\n", style="dim")
        if self.app.privacy:
            text.append("(hidden behind the privacy curtain: F2 lifts it)", style="dim")
        else:
            text.append(one_line(item.text), style="bold")
        if item.due:
            late = item.overdue(self.today)
            text.append(f"\nDue {short_date(item.due, self.today)}" + (" — overdue" if late else ""),
                        style="bold yellow" if late else "dim")
        self.query_one("#review-item", Static).update(text)

    def _curtain(self) -> None:
        self.show()

    @on(OptionList.OptionHighlighted, "#review-list")
    def _moved(self) -> None:
        self.show()

    @on(OptionList.OptionSelected, "#review-list")
    def _entered(self) -> None:
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        (self.options.action_cursor_down if step > 0 else self.options.action_cursor_up)()

    def action_mark(self, status: str) -> None:
        self.meeting.review(self.items[self.current], Status(status))
        self._answered()

    def action_clear(self) -> None:
        self.meeting.unreview(self.items[self.current])
        self._answered()

    def _answered(self) -> None:
        """The draft keeps the answer; the cursor goes on to the next commitment (the automatic
        review: to the next unanswered one, and closes after the last)."""
        self.app.post_message(MeetingChanged())
        if self.only_pending:
            later = [i for i in range(len(self.items)) if self.meeting.answer(self.items[i]) is None]
            if not later:
                self.dismiss(None)
                return
            self.options.highlighted = next((i for i in later if i > self.current), later[0])
        elif self.current + 1 < len(self.items):
            self.options.highlighted = self.current + 1
        self.show()

    def action_close(self) -> None:
        self.dismiss(None)
