"""Data on screen as text, never as markup or control codes.

Names, notes, facts and cards come from files and keyboards: a `[b]` in a name is shown as
typed, and an escape sequence as `␛[…` instead of reaching the terminal. Widgets that read a
plain `str` as markup (Label, Static, notifications, border titles, options) get `Content`
made here; Rich `Text` built by a screen takes `visible` / `one_line` text.
"""

from __future__ import annotations

from textual.content import Content

from coach.text import one_line, visible

__all__ = ["line", "one_line", "plain", "visible"]


def plain(text: str) -> Content:
    """Data as it is, lines and all, with control characters shown as stand-ins."""
    return Content(visible(text))


def line(text: str) -> Content:
    """Data on one line (titles, labels, table cells)."""
    return Content(one_line(text))
