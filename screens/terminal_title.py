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
        self._saved = False  # the terminal's own title is kept on its title stack

    def show(self, text: str) -> None:
        if text == self._shown:
            return
        self._shown = text
        if not self._saved:  # xterm's "push title" (CSI 22;0 t): terminals without a stack ignore it
            self._saved = self._write("\x1b[22;0t")
        self._write(f"\x1b]2;{window_title(text)}\x07")

    def restore(self) -> None:
        """Give the terminal back the title it had before coach (CSI 23;0 t, "pop title")."""
        if self._saved and self._write("\x1b[23;0t"):
            self._saved, self._shown = False, ""

    def _write(self, sequence: str) -> bool:
        driver = self._app._driver
        if driver is None or self._app.is_headless:
            return False
        driver.write(sequence)
        return True
