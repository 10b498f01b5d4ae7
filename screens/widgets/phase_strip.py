"""The strip of all phases, with the current one marked and each phase's length as planned now."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from coach.meeting_view import StripItem, StripState
from coach.text import one_line
from coach.timefmt import duration

MARKS = {StripState.DONE: "✓ ", StripState.CURRENT: "▶ ", StripState.NEXT: ""}
STYLES = {StripState.DONE: "dim", StripState.CURRENT: "bold reverse", StripState.NEXT: ""}
SHORTENED = "↓"
"""After a phase's length: a rebalance shortened it."""


def length(item: StripItem) -> str:
    """`15′` for whole minutes, else `0:48`; `12′↓` when a rebalance shortened the phase."""
    seconds = round(item.allowed)
    text = f"{seconds // 60}′" if seconds % 60 == 0 and seconds else duration(seconds)
    return text + (SHORTENED if item.rebalanced else "")


class PhaseStrip(Static):
    """`✓ Chit-chat 5′ │ ▶ Goals 15′ │ Commitments 8′↓` — one line, shortened to fit."""

    _items: tuple[StripItem, ...] = ()

    def show(self, items: tuple[StripItem, ...]) -> None:
        self._items = items
        self.update(self._render_items(items, self.size.width or 80))

    def on_resize(self) -> None:
        if self._items:
            self.update(self._render_items(self._items, self.size.width))

    @staticmethod
    def _render_items(items: tuple[StripItem, ...], width: int) -> Text:
        def build(limit: int | None) -> Text:
            text = Text()
            for i, item in enumerate(items):
                if i:
                    text.append(" │ ", style="dim")
                title = one_line(item.title)  # shortened after it is made safe, never before
                title = title if limit is None or len(title) <= limit else title[: limit - 1] + "…"
                text.append(f"{MARKS[item.state]}{title} {length(item)}", style=STYLES[item.state])
            return text

        for limit in (None, 14, 10, 7, 4):
            text = build(limit)
            if text.cell_len <= width:
                return text
        return build(3)
