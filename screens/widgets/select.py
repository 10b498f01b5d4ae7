"""coach's drop-down: Textual's Select, quiet when coach is closing as it mounts.

Textual's Select fills in its current value when it is mounted. When coach is told to close at
that moment (a SIGTERM as prep opens), its parts are taken down first, and the Select's mount
then looked for a label that was gone: a traceback on the way out and exit status 1. Once the
app is leaving, or the Select is being taken down, there is nothing to fill in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.css.query import NoMatches
from textual.widgets import Select as TextualSelect

if TYPE_CHECKING:
    from coach.app import CoachApp


class Select(TextualSelect[str]):
    """A Select whose mount does nothing once coach is leaving or the Select is going."""

    app: CoachApp

    def _on_mount(self, event: events.Mount) -> None:
        try:
            super()._on_mount(event)
        except NoMatches:
            if not (self.app.leaving or self._closing or self._pruning or not self.is_attached):
                raise
