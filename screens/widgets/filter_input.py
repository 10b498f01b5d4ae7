"""A filter line above a list: typing filters; ↓, Enter and Escape go down to the list."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class FilterInput(Input):
    """An Input whose screen has a `to_list` action (↓ and Enter) and a `leave_filter` one (Escape)."""

    BINDINGS = [
        Binding("down", "screen.to_list", "To the list", show=False),
        Binding("escape", "screen.leave_filter", "To the list", show=False),
    ]
