"""Which character a key types, for Textual's check of the keys a focused TextArea takes for itself.

While a widget that takes typing has focus (the meeting's notes), Textual asks, for every key bound
on the screen and the app, which character it types (`textual.keys.key_to_character`); for a named
key such as `f10` or `pageup` the answer comes from `unicodedata.lookup`, and each lookup reads a
new part of Unicode's name table: 0.8 MiB of resident memory for the twenty keys of a meeting.
The answers for the named keys are fixed, so they are written down here (and checked against
Textual's own function by the tests, for the pinned Textual); any other key is asked as before.
"""

from __future__ import annotations

from functools import lru_cache

import textual.screen
from textual.keys import key_to_character as textual_key_to_character

NAMED: dict[str, str | None] = {
    "backspace": "\x08", "delete": "\x7f", "escape": "\x1b", "space": " ", "tab": "\t",
    "enter": None, "return": None, "insert": None, "home": None, "end": None,
    "pageup": None, "pagedown": None, "up": None, "down": None, "left": None, "right": None,
    "ctrl-at": None, "<any>": None, "<ignore>": None, "<scroll-up>": None, "<scroll-down>": None,
    **{f"f{n}": None for n in range(1, 25)},
}
"""Every named key of Textual's `Keys` (without a modifier), and the character it types."""


@lru_cache(1024)
def key_to_character(key: str) -> str | None:
    """As Textual's `key_to_character`, without Unicode's name table for a named key."""
    if key in NAMED:
        return NAMED[key]
    return textual_key_to_character(key)


def install() -> None:
    """Make Textual's screens ask `key_to_character` here (idempotent)."""
    textual.screen.key_to_character = key_to_character
