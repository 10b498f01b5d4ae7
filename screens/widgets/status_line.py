"""One line where a meeting says what just happened: a capture kept, time running out.

It covers nothing (unlike a toast): the meeting shows it in the timer block, where it otherwise
shows the state of the phase; the wrap-up shows it above the footer. A word stays until another
replaces it or its time is up; the time is read from the clock the screen hands in, so a test
moves it with a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.widgets import Static

from screens.safe import line

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True)
class Said:
    """A word on the status line and, when it holds something private, what the curtain shows."""

    text: str
    hidden: str | None
    severity: Severity
    until: float  # monotonic seconds


class StatusLine(Static):
    """Shows the last word said until `until`, then its resting text (it may be empty)."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, rest: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self._rest = rest
        self._said: Said | None = None
        self._private = False
        self._shown: str | None = None

    @property
    def said(self) -> Said | None:
        return self._said

    @property
    def text(self) -> str:
        """What the line shows now."""
        if self._said is None:
            return self._rest
        if self._private and self._said.hidden is not None:
            return self._said.hidden
        return self._said.text

    def rest(self, text: str) -> None:
        """What shows when nothing is being said (the meeting: the phase's state)."""
        self._rest = text
        self._draw()

    def say(self, text: str, now: float, seconds: float, *, hidden: str | None = None,
            severity: Severity = "information") -> None:
        """Show `text` until `now + seconds`; behind the privacy curtain show `hidden` instead."""
        self._said = Said(text, hidden, severity, now + seconds)
        self._draw()

    def expire(self, now: float) -> bool:
        """Take back a word whose time is up; True when nothing is being said any more."""
        if self._said is not None and now >= self._said.until:
            self._said = None
            self._draw()
        return self._said is None

    def clear(self) -> None:
        """Take back the word being said, whatever its time: its resting text shows at once."""
        if self._said is not None:
            self._said = None
            self._draw()

    def curtain(self, private: bool) -> None:
        """The privacy curtain went up or down: a private word switches at once."""
        self._private = private
        self._draw()

    def _draw(self) -> None:
        severity = self._said.severity if self._said is not None else None
        self.set_class(self._said is not None, "-said")
        self.set_class(severity == "warning", "-warning")
        self.set_class(severity == "error", "-error")
        text = self.text
        if text != self._shown:  # an update lays the screen out again
            self._shown = text
            self.update(line(text))
