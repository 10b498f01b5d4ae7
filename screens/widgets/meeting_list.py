"""A list of meetings that draws only the rows on screen: thousands cost no more than a screenful.

A line-API widget (a `ScrollView` with `render_line`): a header line that stays put, then one line a
meeting, or two when a search found words in it (the second shows them, the matches highlighted).
Names and snippets come from files: they are drawn as text with styles, never read as markup, and
with control characters as stand-ins.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coach.history import MeetingHeader
from coach.history_snippet import END, MARK
from coach.text import one_line

HEADINGS = ["Date", "Partner", "Min", "Rating", "Goals", "Commits"]
WIDTHS = [16, 0, 4, 6, 5, 7]
"""Of each column; the partner's name takes the width left, within NAME_WIDTH."""
NAME_WIDTH = (8, 28)
LAYOUTS = [(WIDTHS, 16), ([10, *WIDTHS[1:]], 12), ([10, *WIDTHS[1:4]], 0)]
"""The columns, narrower and narrower: the first whose partner column gets at least so many cells is
shown. Then the time of day goes (the date stays), then the goals and commitments columns."""
GAP = 2


def layout(width: int) -> list[int]:
    """The width of each column shown in `width` cells (the partner's name takes what is left)."""
    for widths, least in LAYOUTS:
        name = width - sum(widths) - GAP * (len(widths) - 1) - 1
        if name >= least:
            break
    return [widths[0], max(NAME_WIDTH[0], min(NAME_WIDTH[1], name)), *widths[2:]]

Snippets = Callable[[list[MeetingHeader]], dict[str, str]]
"""Given the meetings on screen, the words found in each (by file), the matches between MARK and END."""


def cells(h: MeetingHeader, private: bool = False) -> list[str]:
    """A meeting's row, as text (behind the privacy curtain, the rating is not shown)."""
    rating = "•" if private else f"{h.rating}/5" if h.rating is not None else "–"
    return [f"{h.started:%Y-%m-%d %H:%M}", one_line(h.partner), f"{round(h.minutes)}", rating, f"{h.goals}",
            f"{h.commitments}"]


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """(text, is a match) pieces of a snippet, each on one line and safe to show."""
    parts = []
    for n, chunk in enumerate(snippet.split(MARK)):
        matched, _, rest = chunk.partition(END) if n else ("", "", chunk)
        parts += [(one_line(matched), True)] if matched else []
        parts += [(one_line(rest), False)] if rest else []
    return parts


class MeetingList(ScrollView, can_focus=True):
    """Meetings, newest first or best match first, with a cursor; Enter picks one."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,ctrl+home", "jump(0)", "First", show=False),
        Binding("end,ctrl+end", "jump(-1)", "Last", show=False),
        Binding("enter", "pick", "Read", show=False),
    ]
    COMPONENT_CLASSES = {"meeting-list--header", "meeting-list--cursor", "meeting-list--even",
                         "meeting-list--snippet", "meeting-list--match"}
    DEFAULT_CSS = """
    MeetingList {
        background: $surface;
        color: $foreground;
        & > .meeting-list--header { text-style: bold; background: $panel; color: $foreground; }
        & > .meeting-list--even { background: $surface-lighten-1 50%; }
        &:dark > .meeting-list--even { background: $surface-darken-1 40%; }
        & > .meeting-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .meeting-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .meeting-list--snippet { color: $text-muted; }
        & > .meeting-list--match { color: $accent; text-style: bold underline; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to another meeting (None: the list is empty)."""

        def __init__(self, meetings: MeetingList, meeting: MeetingHeader | None) -> None:
            super().__init__()
            self.meetings, self.meeting = meetings, meeting

        @property
        def control(self) -> MeetingList:
            return self.meetings

    class Picked(Highlighted):
        """Enter (or a double click) on a meeting."""

        meeting: MeetingHeader

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[MeetingHeader] = []
        self.snippet_source: Snippets | None = None  # set while a search found words in what was said
        self.private = False
        self._snippets: dict[str, str] = {}
        self._looked_up: set[str] = set()

    # -- what it shows ----------------------------------------------------------------------------
    def show(self, rows: list[MeetingHeader], snippets: Snippets | None = None, keep: bool = False) -> None:
        """Show `rows`, the cursor on the first; when `keep`, on the meeting it was on (if still there)
        — unless that was the first row: the top stays the top, so a meeting synced in meanwhile is the
        one highlighted and shown, not the one below it."""
        current = self.highlighted if keep and self.cursor > 0 else None
        self.rows = rows
        self.snippet_source = snippets
        self._snippets, self._looked_up = {}, set()
        at = next((n for n, h in enumerate(rows) if h.file == current.file), 0) if current is not None else 0
        self._resize()
        self.cursor = min(at, max(0, len(rows) - 1))
        if at == 0:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def set_private(self, private: bool) -> None:
        self.private = private
        self._resize()
        self._keep_cursor_in_view()
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def highlighted(self) -> MeetingHeader | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    @property
    def row_height(self) -> int:
        return 2 if self.snippet_source is not None and not self.private else 1

    def snippet(self, h: MeetingHeader) -> str | None:
        """The words found in `h` (as fetched for the screen), or None."""
        return self._snippets.get(h.file)

    def _resize(self) -> None:
        height = 1 + len(self.rows) * self.row_height
        if height != self.virtual_size.height:  # the list is as tall as its rows, up to what its CSS allows
            self.clear_cached_dimensions()
            self.refresh(layout=True)
        self.virtual_size = Size(self.scrollable_content_region.width, height)

    def on_resize(self, _event: events.Resize) -> None:
        self._resize()

    # -- moving -----------------------------------------------------------------------------------
    def watch_cursor(self, _old: int, _new: int) -> None:
        self._keep_cursor_in_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.highlighted))

    def _keep_cursor_in_view(self) -> None:
        height, seen = self.row_height, max(1, self.scrollable_content_region.height - 1)
        top, bottom = self.cursor * height, self.cursor * height + height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif bottom > self.scroll_y + seen:
            self.scroll_to(y=bottom - seen, animate=False, immediate=True)

    def _move(self, to: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, to))

    def action_cursor(self, step: int) -> None:
        if step < 0 and self.cursor == 0:
            self.screen.focus_previous()  # up from the first meeting: back to what is above (the filter)
        else:
            self._move(self.cursor + step)

    def action_page(self, direction: int) -> None:
        page = max(1, (self.scrollable_content_region.height - 1) // self.row_height)
        self._move(self.cursor + direction * page)

    def action_jump(self, where: int) -> None:
        self._move(where if where >= 0 else len(self.rows) - 1)

    def action_pick(self) -> None:
        if (chosen := self.highlighted) is not None:
            self.post_message(self.Picked(self, chosen))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            row = (int(self.scroll_y) + event.y - 1) // self.row_height
            if 0 <= row < len(self.rows):
                self.cursor = row
                if event.chain > 1:
                    self.action_pick()

    # -- drawing ----------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._line(HEADINGS, width, base + self.get_component_rich_style("meeting-list--header"))
        line = int(self.scroll_y) + y - 1
        row, part = divmod(line, self.row_height)
        if row >= len(self.rows):
            return Strip.blank(width, base)
        h = self.rows[row]
        style = base
        if row % 2:
            style += self.get_component_rich_style("meeting-list--even")
        if row == self.cursor:
            style += self.get_component_rich_style("meeting-list--cursor")
        if part == 0:
            return self._line(cells(h, self.private), width, style)
        return self._snippet_line(h, width, style)

    def _line(self, texts: list[str], width: int, style: Style) -> Strip:
        out = []
        for n, (text, w) in enumerate(zip(texts, layout(width), strict=False)):
            if n == 0:
                text = text[:w]  # the date without its time
            elif cell_len(text) > w:
                text = set_cell_size(text, w - 1) + "…"
            pad = " " * (w - cell_len(text))
            out.append(text + pad if n < 2 else pad + text)  # numbers to the right
        return Strip([Segment(" " + (" " * GAP).join(out), style)]).crop_extend(0, width, style)

    def _snippet_line(self, h: MeetingHeader, width: int, style: Style) -> Strip:
        snippet = self._snippet_for(h)
        if not snippet:
            return Strip.blank(width, style)
        muted = style + self.get_component_rich_style("meeting-list--snippet")
        match = style + self.get_component_rich_style("meeting-list--match")
        segments = [Segment("    ", style)] + [Segment(text, match if hit else muted)
                                               for text, hit in snippet_parts(snippet)]
        strip = Strip(segments)
        if strip.cell_length > width:  # cut short, and says so
            strip = Strip([*strip.crop(0, width - 1), Segment("…", muted)])
        return strip.crop_extend(0, width, style)

    def _snippet_for(self, h: MeetingHeader) -> str | None:
        """Snippets are looked up for the whole screenful at once, the first time one is drawn."""
        if h.file not in self._looked_up and self.snippet_source is not None:
            first = int(self.scroll_y) // self.row_height
            shown = self.rows[first:first + self.scrollable_content_region.height // self.row_height + 2]
            wanted = [each for each in shown if each.file not in self._looked_up] or [h]
            self._snippets.update(self.snippet_source(wanted))
            self._looked_up.update(each.file for each in wanted)
        return self._snippets.get(h.file)
