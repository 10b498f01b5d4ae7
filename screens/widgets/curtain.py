"""The marker that says the privacy curtain is on (shown only then, by the app's CSS)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Static

PRIVACY_KEY = Binding("f2", "app.toggle_privacy", "Privacy", show=False)
"""F2 in a dialog: Textual 8.2.8 passes no key of the app's past a modal screen, and the curtain
must go up (or down) while a dialog is open too."""


class CurtainMarker(Static):
    """`● Privacy curtain on`: notes, memory, ratings and commitments are hidden."""

    DEFAULT_CSS = """
    CurtainMarker {
        display: none;
        height: 1;
        width: 100%;
        background: $warning 30%;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        # short enough for 60 columns
        super().__init__("● Curtain on: notes and memory hidden · F2 lifts it", classes="curtain-marker")
