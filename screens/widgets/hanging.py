"""Text whose long lines wrap under their own start: a list item's second line lines up with its
first word, not with the edge of the pane.

Rich wraps a line back to column 0. `Hanging` holds rows of (indent, marker, text) and wraps each
one at the width it is given, the following lines indented by the indent and the marker's width.
Rows are Rich `Text` (made by the screens from `visible` / `one_line` text), never markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import StyleType
from rich.text import Text
from textual.app import RenderResult
from textual.widgets import Static


@dataclass
class Row:
    text: Text
    indent: int = 0
    marker: Text = field(default_factory=Text)

    @property
    def hang(self) -> int:
        return self.indent + self.marker.cell_len


class Hanging:
    """Rows of text, each wrapping under where its text starts."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, text: str | Text, style: StyleType = "", indent: int = 0, marker: str | Text = "",
            marker_style: StyleType | None = None) -> Hanging:
        """A row: `marker` (a bullet, a number) after `indent` spaces, then `text`; the lines it
        wraps onto start under `text`. Line breaks in `text` start new rows at the same place."""
        body = text if isinstance(text, Text) else Text(text, style=style)
        if not isinstance(marker, Text):
            marker = Text(marker, style=style if marker_style is None else marker_style)
        for n, part in enumerate(body.split("\n", allow_blank=True) if body.plain else [body]):
            self.rows.append(Row(part, indent, marker if n == 0 else Text(" " * marker.cell_len)))
        return self

    def blank(self) -> Hanging:
        self.rows.append(Row(Text()))
        return self

    def __str__(self) -> str:
        """The text as it reads unwrapped (what a test looks for)."""
        return "\n".join(" " * row.indent + row.marker.plain + row.text.plain for row in self.rows)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        width = options.max_width
        for row in self.rows:
            hang = min(row.hang, max(0, width - 8))  # a narrow pane keeps room for the text itself
            lines = row.text.wrap(console, max(1, width - hang), overflow="fold") if row.text else [Text()]
            for n, line in enumerate(lines):
                if n == 0:
                    head = Text(" " * row.indent) + row.marker
                    head.truncate(hang)
                    head.pad_right(hang - head.cell_len)
                else:
                    head = Text(" " * hang)
                yield from (head + line).render(console)
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((row.hang + row.text.cell_len for row in self.rows), default=0)
        return Measurement(min(widest, 8), min(widest, options.max_width))



class HangingStatic(Static):
    """A Static for a `Hanging`: `render()` gives the `Hanging` back, whose `str` is its text."""

    def render(self) -> RenderResult:
        content = self.content
        return content if isinstance(content, Hanging) else super().render()
