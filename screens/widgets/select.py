"""coach's drop-down: Textual's Select, quiet when coach is closing as it mounts.

Textual's Select fills in its list and its current value when it is mounted. When coach is told to
close at that moment (ctrl+q or a SIGTERM as prep opens), its parts are taken down first, and the
Select looked for its list, gone already: a traceback on the way out and exit status 1. Once the
app is leaving, or the Select is being taken down, there is nothing to fill in.

Textual calls the mount handler of every class of a widget, its own too: wrapping `_on_mount`
caught the first call and not the second, so the two steps that look for the list are wrapped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.css.query import NoMatches
from textual.widgets import Select as TextualSelect
from textual.widgets._select import NoSelection

if TYPE_CHECKING:
    from coach.app import CoachApp


class Select(TextualSelect[str]):
    """A Select that fills in nothing once coach is leaving or the Select is going."""

    app: CoachApp

    def _going(self) -> bool:
        return self.app.leaving or self._closing or self._pruning or not self.is_attached

    def _setup_options_renderables(self) -> None:
        try:
            super()._setup_options_renderables()
        except NoMatches:
            if not self._going():
                raise

    def _watch_value(self, value: str | NoSelection) -> None:
        try:
            super()._watch_value(value)
        except NoMatches:
            if not self._going():
                raise
