"""One command-palette provider for every screen.

A screen lists its commands once, as `PALETTE = [(name, action, help), ...]`; the
provider offers those whose action the screen currently allows (`check_action`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenCommands(Provider):
    """Commands of the screen the palette was opened from."""

    def _available(self) -> Iterator[tuple[str, str, str]]:
        screen = self.screen
        for name, action, help_text in getattr(screen, "PALETTE", ()):
            if screen.check_action(action, ()) is True:
                yield name, action, help_text

    async def discover(self) -> Hits:
        for name, action, help_text in self._available():
            yield DiscoveryHit(name, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._available():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), partial(self.screen.run_action, action),
                          help=help_text)
