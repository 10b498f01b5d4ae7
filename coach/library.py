"""The library the app holds: every deck and template that loaded, and what went wrong with the
rest. Its own module, light on imports, so the app can start with an empty one and read the
files after the first frame (`coach.prompts` reads and checks them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from msgspec import Struct, field

if TYPE_CHECKING:
    from coach.model import Deck, Template
    from coach.problems import Problem

DEFAULT_TEMPLATE = "standard"
"""The template a meeting follows unless one is chosen (`--template`, the settings, prep)."""


class Library(Struct):
    """Every deck and template that loaded, and the problems with those that did not."""

    decks: dict[str, Deck] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    stamps: dict[Path, tuple[int, int]] = field(default_factory=dict)
    folders: list[Path] = field(default_factory=list)
    refused: set[Path] = field(default_factory=set)
    """Files that did not load as they are now (a deck or template from them may be a last good version)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    def problems_by_file(self) -> dict[Path, list[Problem]]:
        """The problems of each file that has any (warnings too), in the order found."""
        by_file: dict[Path, list[Problem]] = {}
        for problem in self.problems:
            by_file.setdefault(problem.path, []).append(problem)
        return by_file

    def kind_of_file(self, path: Path) -> Literal["decks", "templates"] | None:
        """Whether a file of a prompt folder holds a deck or a template (None: neither folder's)."""
        if path.parent in self.folders:
            if path.parent.name == "decks":
                return "decks"
            if path.parent.name == "templates":
                return "templates"
        return None

    def changed(self) -> bool:
        """True when a loaded file changed or a file came or went in a prompt folder."""
        current = {path for folder in self.folders for path in prompt_files(folder)}
        if current != set(self.stamps):
            return True
        return any(stamp(path) != old for path, old in self.stamps.items())


def prompt_files(folder: Path) -> list[Path]:
    """The `*.toml` files of a prompt folder, leaving out hidden ones (editor locks, swap files)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("."))


def stamp(path: Path) -> tuple[int, int]:
    """What tells that a file changed: its modification time and size (0, 0 when gone)."""
    try:
        info = path.stat()
    except OSError:
        return (0, 0)
    return (info.st_mtime_ns, info.st_size)
