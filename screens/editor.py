"""Editing a deck or template in the user's editor: the terminal is handed over, then back."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from textual.app import App, SuspendNotSupported

from coach.authoring import AuthoringError, editable_copy, ready_editor, run_editor


def edit_prompt_file(app: App[Any], noun: Literal["decks", "templates"], item_id: str, source: Path | None,
                     builtin: bool) -> int:
    """Open the file in $VISUAL / $EDITOR (a built-in is copied into the config dir first) and
    return the editor's exit status. AuthoringError or OSError when it cannot be edited; the
    terminal is never left suspended."""
    command = ready_editor()  # before the screen is handed over: a missing editor is said here
    path = editable_copy(noun, item_id, source, builtin)
    failure: AuthoringError | None = None
    status = 0
    try:
        with app.suspend():
            try:
                status = run_editor(path, command)
            except AuthoringError as error:
                failure = error
    except SuspendNotSupported:
        status = run_editor(path, command)
    if failure is not None:
        raise failure
    return status
