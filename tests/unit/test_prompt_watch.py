"""Edited deck files are picked up when cards are drawn, no more than every few seconds."""

from __future__ import annotations

import os
from pathlib import Path

from coach.clock import FakeClock
from coach.prompt_watch import PromptWatch
from coach.prompts import load_library

DECK = """\
schema = 1
id = "mine"
title = "Mine"

[[cards]]
id = "one"
text = "What made you smile?"
"""


def rewrite(path: Path, text: str) -> None:
    """Rewrite a file so that its modification time surely moves."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def test_an_edit_is_seen_at_the_next_look_and_not_before(config_root: Path, clock: FakeClock):
    deck = config_root / "decks" / "mine.toml"
    deck.write_text(DECK, encoding="utf-8")
    watch = PromptWatch(load_library(), clock.monotonic, every=2.0)
    assert watch.check() is None, "nothing changed yet"

    rewrite(deck, DECK.replace("smile", "laugh"))
    clock.advance(1.5)
    assert watch.check() is None, "too soon to look again"
    clock.advance(0.5)
    reloaded = watch.check()
    assert reloaded is not None and reloaded.changed == ["mine"] and reloaded.problems == []
    assert watch.library is reloaded.library
    assert watch.library.decks["mine"].cards[0].text == "What made you laugh?"


def test_a_broken_edit_is_reported_once_and_the_last_good_deck_stays(config_root: Path, clock: FakeClock):
    deck = config_root / "decks" / "mine.toml"
    deck.write_text(DECK, encoding="utf-8")
    watch = PromptWatch(load_library(), clock.monotonic, every=2.0)
    rewrite(deck, DECK.replace('text = "What made you smile?"', 'text = "unclosed'))
    reloaded = watch.check(force=True)
    assert reloaded is not None and reloaded.changed == []
    [problem] = reloaded.problems
    assert str(problem).startswith(f"{deck}:")
    assert watch.library.decks["mine"].cards[0].text == "What made you smile?"

    (config_root / "decks" / "other.toml").write_text(DECK.replace('"mine"', '"other"'), encoding="utf-8")
    again = watch.check(force=True)
    assert again is not None and again.changed == ["other"]
    assert again.problems == [], "the same broken file is not reported twice"


def test_force_looks_at_once(config_root: Path, clock: FakeClock):
    watch = PromptWatch(load_library(), clock.monotonic, every=2.0)
    assert watch.check() is None
    (config_root / "decks" / "mine.toml").write_text(DECK, encoding="utf-8")
    assert watch.check() is None
    reloaded = watch.check(force=True)
    assert reloaded is not None and reloaded.changed == ["mine"]


TEMPLATE = """\
schema = 1
id = "retro"
title = "Retro"

[[phases]]
id = "went-well"
title = "What went well"
minutes = 5
decks = ["chit-chat"]
"""


def test_a_new_template_is_picked_up_and_a_broken_edit_keeps_the_last_good_one(config_root: Path, clock: FakeClock):
    watch = PromptWatch(load_library(), clock.monotonic, every=2.0)
    template = config_root / "templates" / "retro.toml"
    template.write_text(TEMPLATE, encoding="utf-8")
    reloaded = watch.check(force=True)
    assert reloaded is not None and reloaded.changed == ["retro"] and reloaded.problems == []
    assert watch.library.templates["retro"].title == "Retro"

    rewrite(template, TEMPLATE.replace('title = "Retro"', "title = Retro").replace("minutes = 5", "minutes = 5 min"))
    reloaded = watch.check(force=True)
    assert reloaded is not None
    assert [(p.line, p.col) for p in reloaded.problems] == [(3, 9), (8, 13)], "every problem, each at its place"
    assert watch.library.templates["retro"].phases[0].minutes == 5, "the last good version stays"
    assert watch.library.refused == {template}
    assert watch.library.problems_by_file() == {template: reloaded.problems}
    assert watch.library.kind_of_file(template) == "templates"
    assert watch.library.kind_of_file(config_root / "decks" / "x.toml") == "decks"
    assert watch.library.kind_of_file(config_root / "x.toml") is None
