"""Deck and template files edited while coach runs are picked up, without a polling timer:
whoever is about to use them asks, and the files are looked at no more than every few seconds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from coach.problems import Problem
from coach.prompts import Library, reload_library

RELOAD_EVERY = 2.0
"""Seconds between two looks at the prompt files' modification times."""


@dataclass(frozen=True)
class Reloaded:
    """The library after an edit: what is new among its problems, and which ids changed."""

    library: Library
    problems: list[Problem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


class PromptWatch:
    """Holds the library in use and reloads it when its files changed; a broken edit keeps the
    last good version of that deck or template."""

    def __init__(self, library: Library, monotonic: Callable[[], float], every: float = RELOAD_EVERY,
                 reload: Callable[[Library], Library] = reload_library) -> None:
        self.library = library
        self.every = every
        self._monotonic = monotonic
        self._reload = reload
        self._looked = float("-inf")

    def check(self, force: bool = False) -> Reloaded | None:
        """Reload if the files changed; None when it is too soon to look again (unless `force`),
        or nothing changed."""
        now = self._monotonic()
        if not force and now - self._looked < self.every:
            return None
        self._looked = now
        if not self.library.changed():
            return None
        old, new = self.library, self._reload(self.library)
        self.library = new
        known = {str(p) for p in old.problems}
        changed = sorted([*_changed(old.decks, new.decks), *_changed(old.templates, new.templates)])
        return Reloaded(new, [p for p in new.problems if str(p) not in known], changed)


def _changed(old: dict, new: dict) -> list[str]:
    return [item_id for item_id, item in new.items() if old.get(item_id) != item]
