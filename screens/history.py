"""History: past meetings, newest first, filtered as you type, the chosen one's summary beside them,
and how the relationship goes when the filter comes down to one partner."""

from __future__ import annotations

import asyncio
import contextlib
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Label, Markdown, Static
from textual.worker import get_current_worker

from coach.history import (
    MeetingHeader,
    Query,
    filter_headers,
    load_headers,
    parse_query,
    summary_markdown,
)
from coach.problems import Problem, ProblemsError
from coach.store import normalize_name
from coach.text import md_inline
from coach.trends import trends, trends_report
from screens.commands import Command, CommandScreen, bindings
from screens.safe import line, one_line, plain

if TYPE_CHECKING:
    from coach.app import CoachApp

WIDE = 110
"""From this many columns, the summary sits beside the table instead of below it."""
FIRST_ROWS = 60
"""Rows put in the table at once: a screenful and more."""
WINDOW = 400
"""Rows the table holds ahead of need; more follow as the cursor or the scrolling nears the end.
(A DataTable row costs memory and collector time: thousands at once make the screen stutter.)"""
LOOKAHEAD = 80
BATCH = 100
"""Rows added between two pauses: small enough that a key pressed meanwhile is answered at once."""
BATCH_PAUSE = 0.01
FIRST_PAINT_WAIT = 0.5
SHOW_DELAY = 0.12
"""Seconds a row stays highlighted before its summary is shown (so scrolling stays smooth)."""
SHOW_DELAY_TYPING = 0.4
"""The same while the filter is typed: rendering a summary takes longer than a keystroke."""
COLUMNS = [("Date", "date", 16), ("Partner", "partner", 18), ("Min", "minutes", 4), ("Rating", "rating", 6),
           ("Goals", "goals", 5), ("Commits", "commitments", 7)]


def row_cells(h: MeetingHeader, private: bool = False) -> tuple[str | Text, ...]:
    """Plain strings, not Text: thousands of rows of Text objects make every garbage collection slow.
    (A table reads a string cell as markup, so a name with `[` or `\\` is given as Text, as typed.)

    Behind the privacy curtain the rating is not shown.
    """
    rating = "•" if private else f"{h.rating}/5" if h.rating is not None else "–"
    name = one_line(h.partner)
    return (f"{h.started:%Y-%m-%d %H:%M}", Text(name) if "[" in name or "\\" in name else name,
            f"{round(h.minutes):>3}", f"{rating:^6}", f"{h.goals:>4}", f"{h.commitments:>4}")


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
                "Type a name or words; partner:NAME since:YYYY-MM-DD until:YYYY-MM-DD", key="slash",
                footer="Filter", id="history.filter"),
        Binding("down", "to_table", "Meetings", show=False),
    ]
    BINDINGS = bindings(ACTIONS)

    def __init__(self, partner: str | None = None) -> None:
        super().__init__()
        self.partner = normalize_name(partner) if partner else None
        self.headers: list[MeetingHeader] = []
        self.shown: list[MeetingHeader] = []
        self.by_key: dict[str, MeetingHeader] = {}
        self.query_now = Query()
        self.complaints: list[str] = []
        self.texts_loaded = False
        self.loaded = False  # every row of the current filter is in the table
        self._generation = 0
        self._in_table: list[str] = []  # the keys of the table's rows, in order
        self._rows: list[MeetingHeader] = []  # what the table shows, or will as it is scrolled
        self._target = 0  # how many of them the table is to hold for now
        self._show_timer: Timer | None = None
        self._showing: str | None = None

    def compose(self) -> ComposeResult:
        start = f'partner:"{self.partner}" ' if self.partner else ""
        with Horizontal(id="history-top"):
            yield Label("History", id="history-title")
            yield Input(start, placeholder="Filter: name or words · partner:NAME · since:YYYY-MM-DD · until:…",
                        id="filter", compact=True, select_on_focus=False)
        yield Static("Loading meetings…", id="history-status")
        with Container(id="history-body"):
            table: DataTable = DataTable(id="meetings", cursor_type="row", zebra_stripes=True)
            for label, key, width in COLUMNS:
                table.add_column(label, key=key, width=width)
            yield table
            with VerticalScroll(id="history-detail", classes="private"):
                yield Static(id="trends")
                yield Markdown(id="summary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.app.set_window_title("coach · history")
        self._fit(self.app.size.width)
        self.query_one("#trends", Static).display = False
        self.watch(self.query_one("#meetings", DataTable), "scroll_y", self._scrolled, init=False)
        self.watch(self.app, "privacy", self.privacy_changed, init=False)
        self.load()

    def _scrolled(self, _y: float) -> None:
        if self._rows:
            self._want_more()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.query_one("#history-body").set_class(width >= WIDE, "-wide")

    # -- loading: a worker, so the screen answers while thousands of summaries are read --------
    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def load(self) -> None:
        worker = get_current_worker()

        def early(headers: list[MeetingHeader]) -> None:
            if not worker.is_cancelled:  # the screen may have been closed meanwhile
                self.app.call_from_thread(self._headers_loaded, headers)

        _headers, problems = load_headers(with_text=True, early=early)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._texts_loaded, problems)

    async def _headers_loaded(self, headers: list[MeetingHeader]) -> None:
        if not self.is_attached:
            return
        first = not self.headers
        self.headers = headers
        self.by_key = {h.file: h for h in headers}
        self.apply_filter(self.query_one("#filter", Input).value)
        if first:  # the worker waits until the first rows are on screen before it reads on
            painted = asyncio.Event()
            self.call_after_refresh(painted.set)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(painted.wait(), FIRST_PAINT_WAIT)

    def _texts_loaded(self, problems: list[Problem]) -> None:
        if not self.is_attached:
            return
        self.texts_loaded = True
        if problems:
            lines = [str(p) for p in problems[:6]] + ([f"… and {len(problems) - 6} more"] if len(problems) > 6 else [])
            self.notify("\n".join(lines), title=f"Skipped {len(problems)} file{'s' if len(problems) > 1 else ''}",
                        severity="warning", timeout=12)
        if self.query_now.words:
            self.apply_filter(self.query_one("#filter", Input).value)  # the words can now match notes
        else:
            self._status()

    # -- filtering -------------------------------------------------------------------------------
    @on(Input.Changed, "#filter")
    def _typed(self, event: Input.Changed) -> None:
        if self.headers or self.texts_loaded:
            self.apply_filter(event.value)

    def apply_filter(self, typed: str) -> None:
        self.query_now, self.complaints = parse_query(typed)
        self.shown = filter_headers(self.headers, self.query_now)
        self._fill(self.shown)
        self._status()
        self._trends()

    def _fill(self, rows: list[MeetingHeader]) -> None:
        """A screenful of rows now, more in batches up to WINDOW. Rows already in the table stay when
        the new list begins with them (as when the full list follows the first few)."""
        self._generation += 1
        keys = self._in_table
        if not (len(rows) >= len(keys) and all(h.file == key for h, key in zip(rows, keys, strict=False))):
            self.query_one("#meetings", DataTable).clear()
            self._in_table = []
        self._rows = rows
        self._target = max(len(self._in_table), min(len(rows), WINDOW))
        self.loaded = False
        self._add_rows(self._generation, FIRST_ROWS)
        self._show_soon()

    def _add_rows(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return  # the filter changed meanwhile
        table = self.query_one("#meetings", DataTable)
        start = len(self._in_table)
        private = self.app.has_class("-privacy")
        for h in self._rows[start:min(self._target, start + count)]:
            table.add_row(*row_cells(h, private), key=h.file)
            self._in_table.append(h.file)
        if len(self._in_table) < self._target:
            # A timer, not call_after_refresh: the table measures new rows when the app is idle,
            # and a pause between batches lets it measure a few at a time.
            self.set_timer(BATCH_PAUSE, partial(self._add_rows, generation, BATCH))
        else:
            self.loaded = True
            self._status()

    def _want_more(self) -> None:
        """Near the end of the rows in the table: put in the next WINDOW (if there are more)."""
        table = self.query_one("#meetings", DataTable)
        near = (table.cursor_row >= len(self._in_table) - LOOKAHEAD
                or table.max_scroll_y - table.scroll_y < LOOKAHEAD)
        if near and self._target < len(self._rows):
            self._target = min(len(self._rows), self._target + WINDOW)
            if self.loaded:
                self.loaded = False
                self._add_rows(self._generation, BATCH)

    def _status(self) -> None:
        total, shown = len(self.headers), len(self.shown)
        if not self.headers:
            text = "No meetings yet. Each meeting you save shows up here." if self.texts_loaded else "Loading…"
        elif shown == total:
            text = f"{total} meeting{'s' if total != 1 else ''}, newest first"
        elif shown == 0:
            text = f"No meeting matches, of {total}. Esc goes back; clear the filter to see them all."
        else:
            text = f"{shown} of {total} meetings"
        if len(self._in_table) < shown and self.loaded:
            text += " · more as you scroll"
        if self.query_now.words and not self.texts_loaded:
            text += " · searching names only until the notes are loaded"
        if self.complaints:
            text += " · " + "; ".join(self.complaints)
        self.query_one("#history-status", Static).update(line(text))

    def _trends(self) -> None:
        """How the relationship goes, when the meetings shown are all with one partner."""
        panel = self.query_one("#trends", Static)
        names = {h.partner for h in self.shown}
        if len(names) == 1:
            name = next(iter(names))
            mine = [h for h in self.headers if h.partner == name]
        elif not self.shown and self.partner and self.query_now.partner_part == self.partner.casefold():
            mine = []
        else:
            panel.display = False
            return
        report = trends_report(trends(mine, self.app.clock.wall().date()))
        panel.update(plain("\n".join(report)))
        panel.display = True

    # -- the chosen meeting ----------------------------------------------------------------------
    @property
    def selected(self) -> MeetingHeader | None:
        table = self.query_one("#meetings", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.by_key.get(key or "")

    @on(DataTable.RowHighlighted, "#meetings")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_soon()
        self._want_more()

    @on(DataTable.RowSelected, "#meetings")
    def _chosen(self, _event: DataTable.RowSelected) -> None:
        self.show_selected()

    def _show_soon(self) -> None:
        if self._show_timer is not None:
            self._show_timer.stop()
        typing = isinstance(self.focused, Input)
        self._show_timer = self.set_timer(SHOW_DELAY_TYPING if typing else SHOW_DELAY, self.show_selected)

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
    def privacy_changed(self) -> None:
        """The curtain went up or down: redraw the rows (ratings hide behind it)."""
        self.query_one("#meetings", DataTable).clear()
        self._in_table = []
        self.apply_filter(self.query_one("#filter", Input).value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "prep":
            return None if self.selected is None or self.app.meeting is not None else True
        if action == "copy_follow_up":
            return None if self.selected is None else True
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_to_table(self) -> None:
        self.query_one("#meetings", DataTable).focus()

    @on(Input.Submitted, "#filter")
    def _submitted(self) -> None:
        self.action_to_table()

    def action_prep(self) -> None:
        chosen = self.selected
        if chosen is None:
            return
        self.app.pop_screen()
        self.app.open_prep(chosen.partner)

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
        text = summary.follow_up.strip() or follow_up_text(summary.partner, summary.captures)
        self.app.copy_to_clipboard(text)
        self.notify(f"Follow-up to {summary.partner} copied to the clipboard.", timeout=3)
