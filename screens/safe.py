"""Data on screen as text, never as markup or control codes.

Names, notes, facts and cards come from files and keyboards: a `[b]` in a name is shown as
typed, and an escape sequence as `␛[…` instead of reaching the terminal. Widgets that read a
plain `str` as markup (Label, Static, notifications, border titles, options) get `Content`
made here; Rich `Text` built by a screen takes `visible` / `one_line` text.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content

from coach.text import one_line, visible

__all__ = ["fit", "fit_with_suffix", "line", "one_line", "plain", "visible"]


def plain(text: str) -> Content:
    """Data as it is, lines and all, with control characters shown as stand-ins."""
    return Content(visible(text))


def line(text: str) -> Content:
    """Data on one line (titles, labels, table cells)."""
    return Content(one_line(text))


def cut_to(text: str, width: int) -> str:
    """`text` in at most `width` cells, cut with an ellipsis when longer (a wide character that
    does not fit whole is left out, not halved, and no blank is left before the ellipsis)."""
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    return set_cell_size(text, width - 1).rstrip(" ") + "…"


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis when longer, padded when shorter."""
    return set_cell_size(cut_to(text, width), width) if width > 0 else ""


def fit_with_suffix(text: str, suffix: str, width: int) -> str:
    """`text` and `suffix` in `width` cells, `text` cut first: `A long phase tit… · 2/4`."""
    if cell_len(text) + cell_len(suffix) <= width or width <= cell_len(suffix) + 1:
        return fit(text + suffix, width)
    return fit(cut_to(text, width - cell_len(suffix)) + suffix, width)
