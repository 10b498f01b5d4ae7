"""Writing decks and templates: commented starter files, and editing in the user's editor."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

from coach.cards import MEMORY_DECK
from coach.store import config_dir, ensure_dir, write_atomic

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")

STARTER_DECK = '''# A coach deck. Check it with `coach decks check {path}`.
# Format: schema = 1, id, title, optional description, then one [[cards]] table per card.
schema = 1
id = "{id}"
title = "{title}"
description = "When to use these cards."

[[cards]]
id = "first-question"      # optional: keeps the card's identity when you edit its text
text = "Write your first question here."
tip = "An optional hint, shown under the card."

[[cards]]
id = "share-something"
text = "A card can also prompt you to share something of your own."
tags = ["share"]          # optional labels
'''

STARTER_TEMPLATE = '''# A coach meeting template. Check it with `coach templates check {path}`.
# Format: schema = 1, id, title, optional description, then one [[phases]] table per timed phase.
schema = 1
id = "{id}"
title = "{title}"
description = "What this meeting is for."

[[phases]]
id = "chit-chat"
title = "Chit-chat"
minutes = 5               # a number above 0, at most 600; fractions allowed (0.5 = 30 s)
decks = ["chit-chat"]     # ids of the decks whose cards this phase shows

[[phases]]
id = "goals"
title = "Goals"
minutes = 15
decks = ["goals"]

[[phases]]
id = "commitments"
title = "Commitments"
minutes = 10
decks = ["commitments"]
'''


class AuthoringError(Exception):
    """A request that cannot be carried out; the message says why (usage errors exit 2)."""

    def __init__(self, message: str, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


def check_id(name: str) -> str:
    """The id a NAME stands for: lower-case letters, digits and dashes."""
    if not ID_PATTERN.fullmatch(name):
        raise AuthoringError(f"{name!r} is not a usable id: use lower-case letters, digits and dashes "
                             "(e.g. my-questions)", usage=True)
    return name


def user_path(noun: str, item_id: str) -> Path:
    return config_dir() / noun / f"{item_id}.toml"


def new_file(noun: str, name: str) -> Path:
    """Write a commented starter deck or template into the config dir; never overwrite."""
    item_id = check_id(name)
    if noun == "decks" and item_id == MEMORY_DECK:
        raise AuthoringError(f"the id {item_id!r} is reserved for the cards coach makes from what you remember; "
                             "pick another", usage=True)
    path = user_path(noun, item_id)
    if path.exists():
        raise AuthoringError(f"{path} already exists; edit it with `coach {noun} edit {item_id}`")
    title = item_id.replace("-", " ").capitalize()
    starter = STARTER_DECK if noun == "decks" else STARTER_TEMPLATE
    write_atomic(path, starter.format(id=item_id, title=title, path=path))
    return path


def editable_copy(noun: str, item_id: str, source: Path | None, builtin: bool = True) -> Path:
    """The user's own file for `item_id`; a built-in is copied into the config dir first."""
    if source is not None and not builtin:
        return source  # the user's own file, wherever it is and whatever it is called
    path = user_path(noun, item_id)
    if path.exists():
        return path
    if source is None:
        raise AuthoringError(f"there is no {noun[:-1]} {item_id!r}; create it with `coach {noun} new {item_id}`")
    if source.resolve() != path.resolve():
        ensure_dir(path.parent)
        write_atomic(path, source.read_text(encoding="utf-8"))
    return path


def editor_command() -> list[str]:
    """$VISUAL, then $EDITOR, then a common editor that is installed."""
    for variable in ("VISUAL", "EDITOR"):
        if value := os.environ.get(variable, "").strip():
            try:
                return shlex.split(value)
            except ValueError as error:  # an unbalanced quote
                raise AuthoringError(f"${variable} cannot be read as a command ({error}): {value!r}") from None
    for fallback in ("nano", "vi"):
        if found := shutil.which(fallback):
            return [found]
    raise AuthoringError("no editor found: set $EDITOR (for example `export EDITOR=nano`)")


def ready_editor() -> list[str]:
    """The editor's command line, once it is known to exist (AuthoringError when it does not)."""
    command = editor_command()
    if not command or shutil.which(command[0]) is None:
        name = command[0] if command else ""
        raise AuthoringError(f"could not start the editor {name!r}: it is not a program that can be run here "
                             "(set $VISUAL or $EDITOR to an editor that is installed)")
    return command


def run_editor(path: Path, command: list[str] | None = None) -> int:
    """Open `path` in the user's editor and wait for it to close."""
    command = command or ready_editor()
    try:
        return subprocess.call([*command, str(path)])
    except OSError as error:
        raise AuthoringError(f"could not start the editor {command[0]!r}: {error.strerror or error}") from None
