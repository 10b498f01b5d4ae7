"""Loading decks and templates: the built-ins, the user's overrides, and problems with a place."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from coach.library import DEFAULT_TEMPLATE
from coach.model import Card, Deck, Template
from coach.problems import Problem, ProblemsError, did_you_mean, locate
from coach.prompts import builtin_dir, check_deck, check_template, load_library

PROBLEM_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")

GOOD_DECK = """\
schema = 1
id = "mine"
title = "Mine"

[[cards]]
text = "What are you reading?"
tags = ["ask"]
"""

GOOD_TEMPLATE = """\
schema = 1
id = "quick"
title = "Quick"

[[phases]]
id = "chat"
title = "Chat"
minutes = 0.05
decks = ["chit-chat", "mine"]
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_of(check: Callable[[Path], tuple[object, list[Problem]]], path: Path) -> list[Problem]:
    """Every problem `check_deck` or `check_template` finds in a file it refuses."""
    item, problems = check(path)
    assert item is None, problems
    return problems


def only_problem(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


# -- the built-ins ------------------------------------------------------------------------
def test_builtins_load_without_problems(tmp_path: Path) -> None:
    library = load_library(tmp_path / "nothing-here")
    assert library.problems == []
    assert {"standard", "first-meeting"} <= set(library.templates)
    assert {"chit-chat", "goals", "commitments"} <= set(library.decks)
    assert all(item.builtin for item in [*library.decks.values(), *library.templates.values()])
    assert all(item.path is not None and item.path.is_relative_to(builtin_dir())
               for item in [*library.decks.values(), *library.templates.values()])


@pytest.mark.parametrize("deck_id", ["chit-chat", "goals", "commitments"])
def test_builtin_decks_have_at_least_fifteen_cards_with_text(tmp_path: Path, deck_id: str) -> None:
    deck = load_library(tmp_path).decks[deck_id]
    assert len(deck.cards) >= 15
    assert all(card.text.strip() and card.deck == deck_id for card in deck.cards)
    keys = [card.id for card in deck.cards]
    assert len(set(keys)) == len(keys)


def test_chit_chat_both_asks_and_shares(tmp_path: Path) -> None:
    tags = {tag for card in load_library(tmp_path).decks["chit-chat"].cards for tag in card.tags}
    assert {"ask", "share"} <= tags


def test_standard_is_the_default_thirty_minute_template(tmp_path: Path) -> None:
    library = load_library(tmp_path)
    standard = library.templates[DEFAULT_TEMPLATE]
    assert DEFAULT_TEMPLATE == standard.id == "standard"
    assert standard.planned_seconds == 30 * 60
    assert standard.phases[0].id == "chit-chat"
    assert standard.phases[0].decks == ("chit-chat",)


def test_first_meeting_is_longer_and_opens_with_introductions(tmp_path: Path) -> None:
    library = load_library(tmp_path)
    first = library.templates["first-meeting"]
    assert first.planned_seconds > library.templates["standard"].planned_seconds
    assert "first-meeting" in first.phases[0].decks and first.phases[0].id == "introductions"


def test_builtin_templates_name_only_decks_that_exist(tmp_path: Path) -> None:
    library = load_library(tmp_path)
    for template in library.templates.values():
        for phase in template.phases:
            assert phase.minutes > 0
            assert set(phase.decks) <= set(library.decks), (template.id, phase.id)


# -- the user's own files -----------------------------------------------------------------
def test_user_files_are_found_through_the_config_dir(config_root: Path) -> None:
    write(config_root / "decks", "mine.toml", GOOD_DECK)
    write(config_root / "templates", "quick.toml", GOOD_TEMPLATE)
    library = load_library()
    assert library.problems == []
    assert library.decks["mine"] == Deck("mine", "Mine", (Card("What are you reading?", tags=("ask",), deck="mine"),),
                                         path=config_root / "decks" / "mine.toml", builtin=False)
    quick = library.templates["quick"]
    assert (quick.builtin, quick.planned_seconds) == (False, pytest.approx(3.0))
    assert "standard" in library.templates


def test_a_user_deck_with_a_builtin_id_overrides_it(config_root: Path) -> None:
    path = write(config_root / "decks", "my-warmup.toml", GOOD_DECK.replace('"mine"', '"chit-chat"'))
    library = load_library(config_root)
    deck = library.decks["chit-chat"]
    assert (deck.path, deck.builtin) == (path, False)
    assert [card.text for card in deck.cards] == ["What are you reading?"]
    assert len(library.decks["goals"].cards) >= 15


def test_a_user_template_with_a_builtin_id_overrides_it(config_root: Path) -> None:
    write(config_root / "templates", "standard.toml", GOOD_TEMPLATE.replace('"quick"', '"standard"')
          .replace('"mine"', '"goals"'))
    library = load_library(config_root)
    assert library.problems == []
    assert library.templates[DEFAULT_TEMPLATE].planned_seconds == pytest.approx(3.0)
    assert library.templates[DEFAULT_TEMPLATE].builtin is False
    assert library.templates["first-meeting"].builtin is True


def test_a_broken_user_override_leaves_the_builtin_in_place(config_root: Path) -> None:
    write(config_root / "decks", "chit-chat.toml", 'schema = 1\nid = "chit-chat"\ntitle = \n')
    library = load_library(config_root)
    assert library.decks["chit-chat"].builtin is True
    assert [str(p) for p in library.problems] == [f"{config_root / 'decks' / 'chit-chat.toml'}:3:9: "
                                                  "TOML syntax: invalid value"]


# -- broken TOML --------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "line", "col"), [
    ('schema = 1\nid = "x"\ntitle = "X"\n\n[[cards]]\ntext = "unclosed\n', 6, 17),
    ('schema = 1\nid = "x"\ntitle = = "X"\n', 3, 9),
    ('schema = 1\nid = "x"\nid = "y"\n', 3, 9),
    ('schema = 1\nid = "x"\ntitle = "X"\n[[cards]]\ntext = "hi" x\n', 5, 13),
    ('schema = 1\n[[cards]\n', 2, 8),
    ('schema = 1\nid = "x"\nnotes = """never closed\nstill going', 4, 12),  # "at end of document"
])
def test_a_broken_toml_file_is_reported_at_its_line_and_column(config_root: Path, text: str, line: int,
                                                               col: int) -> None:
    path = write(config_root / "decks", "broken.toml", text)
    problem = only_problem(problems_of(check_deck, path))
    assert (problem.path, problem.line, problem.col) == (path, line, col)
    found = PROBLEM_LINE.match(str(problem))
    assert found is not None
    assert (found["path"], found["line"], found["col"]) == (str(path), str(line), str(col))
    assert found["message"].startswith("TOML syntax: ")
    assert "(at " not in found["message"]


BUILTIN_DECKS = {"chit-chat", "goals", "commitments", "first-meeting", "rapport-tips", "check-in", "deep-dive",
                 "goals-review", "closing", "whats-next", "staying-in-touch"}
BUILTIN_TEMPLATES = {"standard", "first-meeting", "check-in", "deep-dive", "goals-review", "closing"}


def test_the_library_still_loads_everything_else_beside_a_broken_file(config_root: Path) -> None:
    broken = write(config_root / "decks", "broken.toml", 'schema = 1\nid = "x"\ntitle = "X"\n\n[[cards]]\ntext = "hi\n')
    write(config_root / "decks", "mine.toml", GOOD_DECK)
    write(config_root / "templates", "quick.toml", GOOD_TEMPLATE)
    library = load_library(config_root)
    assert [str(p) for p in library.problems] == [f"{broken}:6:11: TOML syntax: illegal character '\\n'"]
    assert BUILTIN_DECKS | {"mine"} == set(library.decks)
    assert BUILTIN_TEMPLATES | {"quick"} == set(library.templates)


def test_a_file_that_is_not_utf8_is_reported_where_the_bad_byte_is(config_root: Path) -> None:
    path = write(config_root / "decks", "latin1.toml", b'schema = 1\nid = "latin"\ntitle = "caf\xe9"\n')
    assert str(only_problem(problems_of(check_deck, path))) == f"{path}:3:13: not UTF-8 text"
    write(config_root / "decks", "mine.toml", GOOD_DECK)
    library = load_library(config_root)
    assert [str(p) for p in library.problems] == [f"{path}:3:13: not UTF-8 text"]
    assert "mine" in library.decks


def test_a_file_that_cannot_be_read_is_a_problem_not_a_crash(config_root: Path) -> None:
    folder = config_root / "decks" / "folder.toml"
    folder.mkdir()
    problem = only_problem(problems_of(check_deck, folder))
    assert (problem.path, problem.line, problem.col) == (folder, 1, 1)
    assert problem.message.startswith("cannot read")
    assert [p.path for p in load_library(config_root).problems] == [folder]


# -- semantic problems point at the offending key or table --------------------------------
DECK_CASES = {
    "missing text": ('schema = 1\nid = "d"\ntitle = "D"\n\n[[cards]]\ntext = "ok"\n\n[[cards]]\ntip = "no text"\n',
                     8, 1, "[[cards]] #2: missing required key `text`"),
    "empty text": ('schema = 1\nid = "d"\ntitle = "D"\n\n[[cards]]\n  text = "   "\n', 6, 3,
                   "[[cards]] #1: `text` is empty"),
    "text not text": ('schema = 1\nid = "d"\ntitle = "D"\n[[cards]]\ntext = 42\n', 5, 1,
                      "[[cards]] #1: `text` must be text, not a whole number"),
    "tags not a list": ('schema = 1\nid = "d"\ntitle = "D"\n[[cards]]\ntext = "t"\ntags = "ask"\n', 6, 1,
                        "[[cards]] #1: `tags` must be a list of text"),
    "wrong schema": ('# my deck\nschema = 2\nid = "d"\ntitle = "D"\n[[cards]]\ntext = "t"\n', 2, 1,
                     "unknown schema 2: this coach reads schema 1"),
    "missing schema": ('id = "d"\ntitle = "D"\n[[cards]]\ntext = "t"\n', 1, 1, "missing `schema = 1`"),
    "missing id": ('schema = 1\ntitle = "D"\n[[cards]]\ntext = "t"\n', 1, 1, "missing required key `id`"),
    "empty id": ('schema = 1\ntitle = "D"\nid = ""\n[[cards]]\ntext = "t"\n', 3, 1, "`id` is empty"),
    "no cards": ('schema = 1\nid = "d"\ntitle = "D"\n', 1, 1, "missing `[[cards]]` tables"),
    "cards not tables": ('schema = 1\nid = "d"\ntitle = "D"\ncards = ["a"]\n', 4, 1,
                         "`cards` must be a list of `[[cards]]` tables"),
}


@pytest.mark.parametrize(("text", "line", "col", "message"), DECK_CASES.values(), ids=DECK_CASES.keys())
def test_deck_problems_point_at_their_line(tmp_path: Path, text: str, line: int, col: int, message: str) -> None:
    path = write(tmp_path, "deck.toml", text)
    assert str(only_problem(problems_of(check_deck, path))) == f"{path}:{line}:{col}: {message}"


TEMPLATE_HEAD = 'schema = 1\nid = "t"\ntitle = "T"\n\n[[phases]]\nid = "a"\ntitle = "A"\nminutes = 5\n\n[[phases]]\n'
MINUTES = "[[phases]] #2: `minutes` must be a number above 0 and at most 600, not "
TEMPLATE_CASES = {
    "zero minutes": ('id = "b"\ntitle = "B"\nminutes = 0\n', 13, 1, MINUTES + "0"),
    "negative minutes": ('id = "b"\ntitle = "B"\nminutes = -1.5\n', 13, 1, MINUTES + "-1.5"),
    "minutes as text": ('id = "b"\ntitle = "B"\n  minutes = "five"\n', 13, 3, MINUTES + "'five'"),
    "minutes as a boolean": ('id = "b"\ntitle = "B"\nminutes = true\n', 13, 1, MINUTES + "True"),
    "too many minutes": ('id = "b"\ntitle = "B"\nminutes = 601\n', 13, 1, MINUTES + "601"),
    "missing minutes": ('id = "b"\ntitle = "B"\n', 10, 1, "[[phases]] #2: missing required key `minutes`"),
    "missing phase id": ('title = "B"\nminutes = 1\n', 10, 1, "[[phases]] #2: missing required key `id`"),
    "decks not a list": ('id = "b"\ntitle = "B"\nminutes = 1\ndecks = "goals"\n', 14, 1,
                         "[[phases]] #2: `decks` must be a list of deck ids"),
}


@pytest.mark.parametrize(("tail", "line", "col", "message"), TEMPLATE_CASES.values(), ids=TEMPLATE_CASES.keys())
def test_template_problems_point_at_their_line(tmp_path: Path, tail: str, line: int, col: int, message: str) -> None:
    path = write(tmp_path, "template.toml", TEMPLATE_HEAD + tail)
    assert str(only_problem(problems_of(check_template, path))) == f"{path}:{line}:{col}: {message}"


def test_every_problem_in_a_file_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "deck.toml", 'schema = 3\ntitle = ""\n[[cards]]\ntip = "t"\n[[cards]]\ntext = ""\n')
    problems = problems_of(check_deck, path)
    assert [(p.line, p.message) for p in problems] == [
        (1, "unknown schema 3: this coach reads schema 1"),
        (1, "missing required key `id`"),
        (2, "`title` is empty"),
        (3, "[[cards]] #1: missing required key `text`"),
        (6, "[[cards]] #2: `text` is empty"),
    ]
    assert str(ProblemsError(problems)).splitlines() == [str(p) for p in problems]


def test_a_semantically_broken_user_file_is_skipped_and_reported(config_root: Path) -> None:
    path = write(config_root / "templates", "bad.toml", TEMPLATE_HEAD + 'id = "b"\ntitle = "B"\nminutes = 0\n')
    library = load_library(config_root)
    assert "t" not in library.templates
    assert [(p.path, p.line) for p in library.problems] == [(path, 13)]
    assert {"standard", "first-meeting"} <= set(library.templates)


def test_a_template_naming_a_missing_deck_is_reported_but_kept(config_root: Path) -> None:
    path = write(config_root / "templates", "quick.toml", GOOD_TEMPLATE.replace('"mine"', '"nope"'))
    library = load_library(config_root)
    assert "quick" in library.templates
    assert library.templates["quick"].phases[0].decks == ("chit-chat", "nope")
    assert [str(p) for p in library.problems] == [
        f"{path}:9:1: phase `chat` names deck `nope`, which does not exist; its cards are left out"]


def test_a_deck_of_the_user_can_feed_a_template_of_the_user(config_root: Path) -> None:
    write(config_root / "decks", "mine.toml", GOOD_DECK)
    write(config_root / "templates", "quick.toml", GOOD_TEMPLATE)
    library = load_library(config_root)
    assert library.problems == []
    assert isinstance(library.templates["quick"], Template)


def test_parsed_cards_keep_id_tip_and_tags(tmp_path: Path) -> None:
    path = write(tmp_path, "deck.toml", 'schema = 1\nid = "d"\ntitle = "D"\ndescription = "About"\n'
                 '[[cards]]\nid = "one"\ntext = "  Hello?  "\ntip = "Listen."\ntags = ["ask", "share"]\n')
    deck, problems = check_deck(path, builtin=True)
    assert problems == []
    assert deck == Deck("d", "D", (Card("Hello?", "one", "Listen.", ("ask", "share"), "d"),), "About", path, True)


# -- locate and Problem -------------------------------------------------------------------
def test_locate_finds_keys_at_the_top_and_inside_the_nth_table() -> None:
    text = 'schema = 1\n  id = "x"\n\n[[cards]]\ntext = "a"\n\n[[cards]]\ntip = "b"\n\ttext = "c"\n'
    assert locate(text, key="id") == (2, 3)
    assert locate(text, "cards", 0) == (4, 1)
    assert locate(text, "cards", 1, "text") == (9, 2)
    assert locate(text, "cards", 1, "missing") == (7, 1)
    assert locate(text, "cards", 5, "text") == (1, 1)
    assert locate(text, key="text") == (1, 1)  # top-level keys stop at the first table


def test_a_problem_reads_like_a_compiler_message() -> None:
    assert str(Problem(Path("a/b.toml"), 3, 7, "bad")) == "a/b.toml:3:7: bad"
    assert str(Problem(Path("b.toml"), 1, 1, "odd", warning=True)) == "b.toml:1:1: warning: odd"


# -- byte-order marks ---------------------------------------------------------------------
def test_a_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.toml", b"\xef\xbb\xbf" + GOOD_DECK.encode("utf-8"))
    deck, problems = check_deck(path)
    assert problems == [] and deck is not None
    assert [card.text for card in deck.cards] == ["What are you reading?"]


def test_problems_in_a_file_with_a_byte_order_mark_point_at_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.toml", b'\xef\xbb\xbfschema = 1\nid = "d"\ntitle = "D"\n[[cards]]\ntext = ""\n')
    assert str(only_problem(problems_of(check_deck, path))) == f"{path}:5:1: [[cards]] #1: `text` is empty"


def test_a_bad_byte_after_a_byte_order_mark_is_reported_where_it_is(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.toml", b'\xef\xbb\xbfschema = 1\nid = "caf\xe9"\n')
    assert str(only_problem(problems_of(check_deck, path))) == f"{path}:2:10: not UTF-8 text"


def test_did_you_mean_offers_the_closest_known_word_or_lists_them_all() -> None:
    assert did_you_mean("descripton", ["id", "description"], "known keys") == "; did you mean `description`?"
    assert did_you_mean("nrod", ["nord", "gruvbox"], "themes", quote=True) == "; did you mean 'nord'?"
    assert did_you_mean("colour", ["id", "text"], "known keys") == " (known keys: id, text)"
