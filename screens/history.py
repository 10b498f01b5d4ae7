"""History: past meetings, newest first, searched as you type (best match first, with the words
found), the chosen one's summary beside them, and how the relationship goes when the filter comes
down to one partner."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Container, Horizontal, VerticalScroll
from textual.events import DescendantBlur, DescendantFocus, Resize
from textual.timer import Timer
from textual.widgets import Input, Label, Markdown, Static
from textual.worker import get_current_worker

from coach.history import History, MeetingHeader, open_history, summary_markdown
from coach.history_build import Progress
from coach.history_query import Query, filter_headers, names_match, parse_query
from coach.model import PartnerRecord
from coach.outcome import Outcome
from coach.partners import load_record
from coach.problems import ProblemsError
from coach.store import normalize_name
from coach.text import md_inline, plural
from coach.trends import trends, trends_report
from screens.commands import Command, CommandScreen, bindings
from screens.follow import follow
from screens.messages import OpenPrep
from screens.safe import line, plain
from screens.widgets.filter_input import FilterInput
from screens.widgets.key_bar import KeyBar
from screens.widgets.meeting_list import MeetingList

if TYPE_CHECKING:
    from coach.app import CoachApp

WIDE = 110
"""From this many columns, the summary sits beside the list instead of below it."""
SHOW_DELAY = 0.12
"""Seconds a row stays highlighted before its summary is shown (so scrolling stays smooth)."""
SHOW_DELAY_TYPING = 0.4
"""The same while the filter is typed: rendering a summary takes longer than a keystroke."""


class HistoryScreen(CommandScreen):
    """Every saved meeting; pick one to read its summary, prep the next one or copy its follow-up."""

    app: CoachApp
    CSS_PATH = "history.tcss"
    AUTO_FOCUS = "#filter"
    ACTIONS = [
        Command("Close history", "back", "Back to where you were", key="escape", footer="Back", id="history.back"),
        Command("Prep with this partner", "prep", "Open the prep screen for the selected meeting's partner",
                key="p", footer="Prep", id="history.prep"),
        Command("Copy follow-up", "copy_follow_up", "Copy the selected meeting's follow-up message to the clipboard",
                key="c", footer="Copy follow-up", id="history.copy"),
        Command("Filter meetings", "focus_filter",
                'Words, "a phrase", prefix*; partner:NAME since:YYYY-MM-DD until:YYYY-MM-DD', key="slash",
                footer="Filter", id="history.filter"),
    ]
    BINDINGS = bindings(ACTIONS)

    def __init__(self, partner: str | None = None, *, show_after: float = SHOW_DELAY,
                 show_after_typing: float = SHOW_DELAY_TYPING) -> None:
        super().__init__()
        self.show_after, self.show_after_typing = show_after, show_after_typing
        self.partner = normalize_name(partner) if partner else None
        self.history: History | None = None  # once the index is up to date
        self.headers: list[MeetingHeader] = []  # every meeting, newest first (those read so far, while indexing)
        self.shown: list[MeetingHeader] = []
        self.progress: Progress | None = None
        self.query_now = Query()
        self.complaints: list[str] = []
        self._show_timer: Timer | None = None
        self._showing: str | None = None
        self._records: dict[str, PartnerRecord | None] = {}

    @property
    def loaded(self) -> bool:
        """The index is up to date: every meeting is listed, and words are searched in what was said."""
        return self.history is not None

    def compose(self) -> ComposeResult:
        start = f'partner:"{self.partner}" ' if self.partner else ""
        with Horizontal(id="history-top"):
            yield Label("History", id="history-title")
            yield FilterInput(start, placeholder='Search: words, "a phrase", prefix* · partner:NAME · since:YYYY-MM-DD',
                              id="filter", compact=True, select_on_focus=False)
        with Horizontal(id="history-info"):
            yield Static("Loading meetings…", id="history-status")
            yield Static(id="history-hint")
        yield Static(id="history-problem")
        with Container(id="history-body"):
            yield MeetingList(id="meetings")
            with VerticalScroll(id="history-detail", classes="private"):
                yield Static(id="trends")
                yield Markdown(id="summary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.say_title("coach · history")
        self._fit(self.app.size.width)
        self.query_one("#trends", Static).display = False
        self.query_one("#history-problem", Static).display = False
        follow(self, "privacy", self.privacy_changed)
        self.load()

    def on_unmount(self) -> None:
        if self.history is not None:
            self.history.close()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.query_one("#history-body").set_class(width >= WIDE, "-wide")

    # -- loading: a worker brings the index up to date while the screen answers ---------------------
    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self) -> None:
        worker = get_current_worker()

        def progress(update: Progress) -> None:
            if not worker.is_cancelled:  # the screen may have been closed meanwhile
                self.app.call_from_thread(self._progress, update)

        history = open_history(progress=progress, cancelled=lambda: worker.is_cancelled)
        if worker.is_cancelled:
            history.close()
        else:
            self.app.call_from_thread(self._loaded, history)

    def _progress(self, update: Progress) -> None:
        """A first build goes on: the meetings read so far (the newest first) are listed meanwhile."""
        if self.on_stack and self.history is None:
            self.progress = update
            self.headers = update.headers
            self.apply_filter(self.query_one("#filter", Input).value, keep=True)

    def _loaded(self, history: History) -> None:
        if not self.on_stack:
            history.close()
            return
        if self.history is not None:
            self.history.close()
        self.history, self.headers, self.progress = history, history.headers, None
        self.apply_filter(self.query_one("#filter", Input).value, keep=True)
        self.app.say_skipped(history.problems)

    # -- filtering -------------------------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def _typed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    def apply_filter(self, typed: str, keep: bool = False) -> None:
        """Show the meetings `typed` picks: from the index when it is up to date, else (while it is
        being built) by partner, dates and names only. The cursor goes to the first (the best match),
        or stays on its meeting when `keep` (more meetings came in)."""
        self.query_now, self.complaints = parse_query(typed)
        snippets = None
        if self.history is not None:
            rows = self.history.select(self.query_now, ranked=True)
            if self.history.broken:  # the index was damaged under the search: build it again
                self.history.close()
                self.history = None
                self.load()
            elif self.query_now.words:
                snippets = partial(self.history.snippets, self.query_now)
        else:
            rows = names_match(filter_headers(self.headers, self.query_now), self.query_now.words)
        self.shown = rows
        self.query_one(MeetingList).show(rows, snippets, keep=keep)
        self._status()
        self._trends()

    def _status(self) -> None:
        total, shown = len(self.headers), len(self.shown)
        if self.history is None and self.progress is not None and not self.progress.total:
            text = f"{plural(total, 'meeting')}, newest first · looking for changes…"
        elif self.history is None and self.progress is not None:
            text = f"Indexing {self.progress.done:,} of {plural(self.progress.total, 'meeting')}… newest first"
            if self.query_now.words:
                text += " · names only until then"
        elif self.history is None:
            text = "Loading meetings…"
        elif not self.headers:
            text = "No meetings yet. Each meeting you save shows up here."
        elif shown == 0:
            text = f"No meeting matches, of {total:,}: clear the filter to see them all."
        elif self.query_now.words:
            text = f"{shown:,} of {total:,} meetings, best match first"
        elif shown == total:
            text = f"{plural(total, 'meeting')}, newest first"
        else:
            text = f"{shown:,} of {total:,} meetings"
        self.query_one("#history-status", Static).update(line(text))
        problem = self.query_one("#history-problem", Static)
        problem.display = bool(self.complaints)
        problem.update(line("; ".join(self.complaints)))  # on a line of its own, wrapped: never cut off
        self._hint()

    def _hint(self) -> None:
        """How to get from the filter to the meetings (and back): the row keys act on the list."""
        in_filter = isinstance(self.focused, Input)
        hint = ("↓ Enter: to the list" if self.shown else "") if in_filter else "/ search · Enter read"
        self.query_one("#history-hint", Static).update(hint)

    def on_descendant_focus(self, _event: DescendantFocus) -> None:
        self._hint()

    def on_descendant_blur(self, _event: DescendantBlur) -> None:
        self._hint()

    def _trends(self) -> None:
        """How the relationship goes, when the meetings shown are all with one partner."""
        panel = self.query_one("#trends", Static)
        names = {h.partner for h in self.shown}
        if len(names) == 1:
            name = next(iter(names))
            mine = [h for h in self.headers if h.partner == name]
        elif not self.shown and self.partner and self.query_now.partner_part.casefold() == self.partner.casefold():
            mine = []
        else:
            panel.display = False
            return
        name = next(iter(names), self.partner or "")
        report = trends_report(trends(mine, self.app.clock.wall().date(), self._record(name)))
        panel.update(plain("\n".join(report)))
        panel.display = True

    def _record(self, name: str) -> PartnerRecord | None:
        """The partner's record, for the kept rate (read once a screen: one small file)."""
        if name not in self._records:
            try:
                self._records[name] = load_record(name) if name else None
            except (ProblemsError, OSError):
                self._records[name] = None
        return self._records[name]

    # -- the chosen meeting ----------------------------------------------------------------------
    @property
    def selected(self) -> MeetingHeader | None:
        return self.query_one(MeetingList).highlighted

    @on(MeetingList.Highlighted, "#meetings")
    def _highlighted(self) -> None:
        if self._show_timer is not None:
            self._show_timer.stop()
        typing = isinstance(self.focused, Input)
        delay = self.show_after_typing if typing else self.show_after
        if delay > 0:
            self._show_timer = self.set_timer(delay, self.show_selected)
        else:
            self.show_selected()

    @on(MeetingList.Picked, "#meetings")
    def _picked(self) -> None:
        self.show_selected()

    def show_selected(self) -> None:
        """Render the highlighted meeting's summary in the Markdown pane."""
        self._show_timer = None
        chosen = self.selected
        key = chosen.file if chosen else None
        if key == self._showing:
            return
        self._showing = key
        if chosen is None:
            text = "" if self.headers else "_No meetings yet._"
        else:
            try:
                text = summary_markdown(chosen.path)
            except ProblemsError as error:
                text = "Could not read this summary:\n\n" + "\n".join(f"- {md_inline(str(p))}" for p in error.problems)
        self.query_one("#summary", Markdown).update(text)
        self.refresh_bindings()

    # -- actions ---------------------------------------------------------------------------------
    def privacy_changed(self, private: bool) -> None:
        """The curtain went up or down: ratings and the words found hide behind it."""
        self.query_one(MeetingList).set_private(private)
        self.set_class(private, "-private")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "prep":  # not while a meeting runs: hidden, rather than shown and doing nothing
            return False if self.app.meeting is not None else None if self.selected is None else True
        if action == "copy_follow_up":
            return None if self.selected is None else True
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_to_list(self) -> None:
        self.query_one(MeetingList).focus()

    def action_leave_filter(self) -> None:
        """Escape in the filter: down to the meetings; with none to go to, back."""
        if self.shown:
            self.action_to_list()
        else:
            self.action_back()

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        self.action_to_list()

    def action_prep(self) -> None:
        chosen = self.selected
        if chosen is None:
            return
        self.app.pop_screen()
        self.app.post_message(OpenPrep(chosen.partner))

    def action_copy_follow_up(self) -> None:
        chosen = self.selected
        if chosen is None:
            return
        from coach import summaries
        from coach.follow_up import follow_up_text

        try:
            summary = summaries.load(chosen.path)
        except ProblemsError as error:
            self.notify("\n".join(map(str, error.problems)), title="Could not read the summary", severity="error")
            return
        text = summary.follow_up.strip() or follow_up_text(summary.partner, Outcome.of(summary), summary.started.date())
        self.app.copy_to_clipboard(text)
        self.notify(f"Follow-up to {summary.partner} copied to the clipboard.", timeout=3)
