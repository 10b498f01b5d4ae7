"""The characters of named keys, written down so that a meeting need not read Unicode's name table."""

from __future__ import annotations

import textual.keys
import textual.screen
from hypothesis import given
from hypothesis import strategies as st
from textual.keys import Keys

from screens import keys


def named_keys() -> set[str]:
    return {key.value for key in Keys if "+" not in key.value and len(key.value) > 1} | {f"f{n}" for n in range(1, 25)}


def test_every_named_key_of_textual_is_written_down_with_textuals_answer():
    assert named_keys() <= set(keys.NAMED), "a Textual upgrade added named keys: add them to screens.keys.NAMED"
    for key, character in keys.NAMED.items():
        assert textual.keys.key_to_character.__wrapped__(key) == character, key


@given(st.one_of(st.sampled_from(sorted(keys.NAMED) + list(textual.keys.KEY_TO_UNICODE_NAME)),
                 st.text(max_size=12), st.from_regex(r"(ctrl|shift|alt)\+[a-z0-9_]{1,10}", fullmatch=True)))
def test_any_key_gets_the_same_character_as_textual_gives(key):
    assert keys.key_to_character(key) == textual.keys.key_to_character.__wrapped__(key)


def test_the_app_puts_it_in_place_of_textuals_for_its_screens():
    from coach.app import CoachApp

    CoachApp()
    assert textual.screen.key_to_character is keys.key_to_character
