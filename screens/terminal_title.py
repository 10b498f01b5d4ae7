"""The terminal's title bar: `Goals 04:12`, visible from the video call's task bar."""

from __future__ import annotations

from typing import Any

from textual.app import App

from coach.text import window_title


class TerminalTitle:
    """Sets the title with an OSC 2 sequence, only when it changes.

    Textual 8.2.8 has no public way to write to the terminal, so the sequence goes through the
    app's driver (as `App.copy_to_clipboard` does): the one place coach reaches into Textual's
    internals, kept here alone.
    """

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._shown = ""

    def show(self, text: str) -> None:
        if text == self._shown:
            return
        self._shown = text
        driver = self._app._driver
        if driver is not None and not self._app.is_headless:
            driver.write(f"\x1b]2;{window_title(text)}\x07")
