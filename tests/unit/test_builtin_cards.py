"""The built-in library as content: no two cards say nearly the same thing, ids are unique, and
every built-in file passes the checker that `coach decks check` runs."""

from __future__ import annotations

import re
import subprocess
import sys
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path

from coach.model import Deal, DeckKind
from coach.prompts import builtin_dir, load_library

NEAR = 0.75
"""Two cards whose texts are this alike (difflib's ratio, case and punctuation aside) say the same."""


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def test_no_two_builtin_cards_are_near_duplicates(tmp_path: Path) -> None:
    cards = [(deck.id, card) for deck in load_library(tmp_path / "none").decks.values() for card in deck.cards]
    texts = [(f"{deck}:{card.id}", _plain(card.text)) for deck, card in cards]
    alike = []
    for (a, x), (b, y) in combinations(texts, 2):
        matcher = SequenceMatcher(None, x, y, autojunk=False)
        if matcher.real_quick_ratio() >= NEAR and matcher.quick_ratio() >= NEAR and matcher.ratio() >= NEAR:
            alike.append(f"{a} ~ {b} ({matcher.ratio():.2f})")
    assert not alike, "\n".join(alike)


def test_card_ids_are_unique_in_each_builtin_deck(tmp_path: Path) -> None:
    for deck in load_library(tmp_path / "none").decks.values():
        ids = [card.id for card in deck.cards if card.id]
        assert len(ids) == len(set(ids)), deck.id
        assert len(ids) == len(deck.cards), f"{deck.id}: every built-in card has an id (its seen-key stays put)"


def test_every_builtin_file_passes_the_checkers() -> None:
    decks = sorted((builtin_dir() / "decks").glob("*.toml"))
    templates = sorted((builtin_dir() / "templates").glob("*.toml"))
    for command, files in (("decks", decks), ("templates", templates)):
        result = subprocess.run([sys.executable, "-m", "coach", command, "check", *map(str, files)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `(?P<id>[a-z0-9-]+)` \| (?P<count>\d+) \|", re.MULTILINE)


def _table(text: str, heading: str) -> dict[str, int]:
    """The `| `id` | N |` rows of the README table whose heading row starts with `heading`."""
    start = text.index(f"| {heading} |")
    end = text.find("\n\n", start)
    return {m["id"]: int(m["count"]) for m in ROW.finditer(text[start:end])}


def test_the_readme_lists_every_builtin_deck_and_template_with_its_count(tmp_path: Path) -> None:
    """The README's tables of templates (minutes) and decks (cards or tips) match the library."""
    library = load_library(tmp_path / "none")
    text = README.read_text(encoding="utf-8")
    assert _table(text, "template") == {t.id: round(t.planned_seconds / 60) for t in library.templates.values()}
    assert _table(text, "deck") == {deck.id: len(deck.cards) for deck in library.decks.values()}
    for deck_id, once in re.findall(r"^\| `([a-z-]+)` \| \d+ \|.*\((\d+) asked once\)", text, re.MULTILINE):
        assert sum(card.deal is Deal.ONCE for card in library.decks[deck_id].cards) == int(once), deck_id
    cards = sum(len(deck.cards) for deck in library.decks.values() if deck.kind is DeckKind.CARDS)
    assert f"{cards}\ncards in" in text or f"{cards} cards in" in text


def test_the_builtin_library_is_as_big_as_promised(tmp_path: Path) -> None:
    decks = load_library(tmp_path / "none").decks
    assert sum(len(deck.cards) for deck in decks.values()) >= 160
    wanted = {"chit-chat": 40, "goals": 30, "commitments": 25, "first-meeting": 20, "rapport-tips": 20}
    assert {deck_id: len(decks[deck_id].cards) >= least for deck_id, least in wanted.items()} == dict.fromkeys(
        wanted, True)
    chat = decks["chit-chat"].cards
    assert sum("ask" in c.tags for c in chat) >= 15 and sum("share" in c.tags for c in chat) >= 15
