"""Writing and checking decks, templates and settings: warnings, duplicates, odd files,
reloading after an edit, config.toml, and the starter files and editor behind `new` / `edit`."""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from pathlib import Path

import pytest

from coach.authoring import AuthoringError, check_id, editable_copy, editor_command, new_file, run_editor
from coach.config import KEYS, Config, load_config, save_setting, starter_text
from coach.problems import Problem, ProblemsError
from coach.prompts import (
    MAX_MINUTES,
    builtin_dir,
    check_deck,
    check_template,
    load_library,
    reload_library,
)

DECK = """\
schema = 1
id = "mine"
title = "Mine"

[[cards]]
text = "What are you reading?"
"""

TEMPLATE = """\
schema = 1
id = "quick"
title = "Quick"

[[phases]]
id = "chat"
title = "Chat"
minutes = 5
decks = ["mine"]
"""

EMPTY_DECK = "the file is empty: a deck needs `schema = 1`, `id`, `title` and its [[cards]]"
EMPTY_TEMPLATE = "the file is empty: a template needs `schema = 1`, `id`, `title` and its [[phases]]"

root_reads_anything = pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file whatever its mode")


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def symlink_loop(folder: Path, name: str = "loop.toml") -> Path:
    """`name` -> `other-name` -> `name`: reading either never ends."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"other-{name}").symlink_to(folder / name)
    (folder / name).symlink_to(folder / f"other-{name}")
    return folder / name


# -- unknown keys: warnings with a suggestion, at the key's line ---------------------------
UNKNOWN_KEY_CASES = {
    "top-level typo": (
        'schema = 1\nid = "mine"\ntitle = "Mine"\n  descripton = "typo"\n\n[[cards]]\ntext = "Hi"\n',
        check_deck, 4, 3, "unknown key `descripton`; did you mean `description`?"),
    "card typo": (
        'schema = 1\nid = "mine"\ntitle = "Mine"\n\n[[cards]]\ntext = "Hi"\n\n[[cards]]\ntext = "Yo"\ntgas = ["a"]\n',
        check_deck, 10, 1, "[[cards]] #2: unknown key `tgas`; did you mean `tags`?"),
    "card key with no near match": (
        'schema = 1\nid = "mine"\ntitle = "Mine"\n\n[[cards]]\ntext = "Hi"\n\tcolour = "red"\n',
        check_deck, 7, 2, "[[cards]] #1: unknown key `colour` (known keys: text, id, tip, tags, deal)"),
    "template top-level typo": (
        'schema = 1\nid = "quick"\ntitle = "Quick"\nphase = 3\n\n[[phases]]\nid = "a"\ntitle = "A"\nminutes = 5\n',
        check_template, 4, 1, "unknown key `phase`; did you mean `phases`?"),
    "phase typo": (
        'schema = 1\nid = "quick"\ntitle = "Quick"\n\n[[phases]]\nid = "a"\ntitle = "A"\nminutes = 5\n'
        'deck = ["goals"]\n',
        check_template, 9, 1, "[[phases]] #1: unknown key `deck`; did you mean `decks`?"),
    "quoted phase key": (
        'schema = 1\nid = "quick"\ntitle = "Quick"\n\n[[phases]]\nid = "a"\ntitle = "A"\n"minuts" = 5\nminutes = 5\n',
        check_template, 8, 1, "[[phases]] #1: unknown key `minuts`; did you mean `minutes`?"),
}


@pytest.mark.parametrize(("text", "check", "line", "col", "message"), UNKNOWN_KEY_CASES.values(),
                         ids=UNKNOWN_KEY_CASES.keys())
def test_an_unknown_key_is_a_warning_at_its_line_with_a_suggestion(tmp_path: Path, text: str, check, line: int,
                                                                   col: int, message: str) -> None:
    path = write(tmp_path / "file.toml", text)

    item, problems = check(path)

    assert item is not None  # a warning does not stop the file from loading
    assert problems == [Problem(path, line, col, message, warning=True)]
    assert str(problems[0]) == f"{path}:{line}:{col}: warning: {message}"


def test_the_same_unknown_key_in_two_cards_is_reported_at_each_card(tmp_path: Path) -> None:
    path = write(tmp_path / "deck.toml", DECK + 'color = "red"\n\n[[cards]]\ntext = "More?"\ncolor = "blue"\n')

    _deck, problems = check_deck(path)

    assert [(p.line, p.col, p.warning) for p in problems] == [(7, 1, True), (11, 1, True)]
    assert [p.message.split(":")[0] for p in problems] == ["[[cards]] #1", "[[cards]] #2"]


def test_warnings_load_the_deck_and_are_kept_apart_from_errors(config_root: Path) -> None:
    path = write(config_root / "decks" / "mine.toml", DECK + "colour = 'red'\n")

    deck, problems = check_deck(path)
    assert deck is not None and [card.text for card in deck.cards] == ["What are you reading?"]
    assert [(p.line, p.warning) for p in problems] == [(7, True)]
    library = load_library(config_root)
    assert "mine" in library.decks
    assert [(p.path, p.line, p.warning) for p in library.problems] == [(path, 7, True)]
    assert library.errors == []


def test_warnings_come_with_the_errors_of_the_same_file(tmp_path: Path) -> None:
    path = write(tmp_path / "deck.toml", 'schema = 1\nid = "mine"\ntitel = "Mine"\n\n[[cards]]\ntext = ""\n')

    deck, problems = check_deck(path)

    assert deck is None
    assert [str(p) for p in problems] == [
        f"{path}:1:1: missing required key `title`",
        f"{path}:3:1: warning: unknown key `titel`; did you mean `title`?",
        f"{path}:6:1: [[cards]] #1: `text` is empty",
    ]


def test_an_unknown_table_is_reported_at_its_header(tmp_path: Path) -> None:
    path = write(tmp_path / "deck.toml", 'schema = 1\nid = "d"\ntitle = "D"\n\n[[card]]\ntext = "x"\n\n'
                 '[meta]\nauthor = "me"\n')

    _deck, problems = check_deck(path)

    warnings = [(p.line, p.col, p.message) for p in problems if p.warning]
    assert warnings == [
        (5, 1, "unknown key `card`; did you mean `cards`?"),
        (8, 1, "unknown key `meta` (known keys: schema, id, title, description, kind, cards)"),
    ]


# -- duplicate ids --------------------------------------------------------------------------
@pytest.mark.parametrize(("noun", "text"), [("decks", DECK), ("templates", TEMPLATE)])
def test_two_user_files_with_one_id_name_both_paths(config_root: Path, noun: str, text: str) -> None:
    first = write(config_root / noun / "a.toml", text)
    second = write(config_root / noun / "b.toml", "# a copy\n" + text.replace('title = "', 'title = "Copy of '))
    if noun == "templates":
        write(config_root / "decks" / "mine.toml", DECK)

    library = load_library(config_root)

    items = library.decks if noun == "decks" else library.templates
    item_id = "mine" if noun == "decks" else "quick"
    assert items[item_id].path == first
    assert [str(p) for p in library.problems] == [
        f"{second}:3:1: id {item_id!r} is also used by {first}; this file is skipped"]


def test_a_user_file_sharing_an_id_with_a_builtin_is_an_override_not_a_duplicate(config_root: Path) -> None:
    write(config_root / "decks" / "goals.toml", DECK.replace('"mine"', '"goals"'))

    library = load_library(config_root)

    assert library.problems == []
    assert library.decks["goals"].builtin is False


def test_a_duplicate_card_id_is_reported_at_the_second_card(tmp_path: Path) -> None:
    path = write(tmp_path / "deck.toml", 'schema = 1\nid = "d"\ntitle = "D"\n\n'
                 '[[cards]]\nid = "a"\ntext = "1"\n\n'
                 '[[cards]]\nid = "b"\ntext = "2"\n\n'
                 '[[cards]]\ntext = "3"\n  id = "a"\n')

    deck, problems = check_deck(path)

    assert deck is None
    assert [str(p) for p in problems] == [f"{path}:15:3: [[cards]] #3: `id` 'a' is already used by #1"]


def test_cards_without_ids_are_not_duplicates(tmp_path: Path) -> None:
    path = write(tmp_path / "deck.toml", DECK + '\n[[cards]]\ntext = "Again"\n\n[[cards]]\nid = ""\ntext = "x"\n')

    deck, problems = check_deck(path)

    assert deck is not None
    assert problems == []


def test_a_duplicate_phase_id_is_reported_at_the_second_phase(tmp_path: Path) -> None:
    path = write(tmp_path / "template.toml", TEMPLATE + '\n[[phases]]\nid = "wrap"\ntitle = "Wrap"\nminutes = 1\n'
                 '\n[[phases]]\ntitle = "Chat again"\nid = "chat"\nminutes = 1\n')

    template, problems = check_template(path)

    assert template is None
    assert [str(p) for p in problems] == [f"{path}:18:1: [[phases]] #3: `id` 'chat' is already used by #1"]


# -- files that cannot be used --------------------------------------------------------------
@pytest.mark.parametrize("content", ["", "\n\n   \n", b"\xef\xbb\xbf"], ids=["empty", "blank lines", "only a BOM"])
@pytest.mark.parametrize(("check", "message"), [(check_deck, EMPTY_DECK), (check_template, EMPTY_TEMPLATE)],
                         ids=["deck", "template"])
def test_an_empty_file_gets_one_clear_message(tmp_path: Path, content: str | bytes, check, message: str) -> None:
    path = write(tmp_path / "empty.toml", content)

    assert check(path) == (None, [Problem(path, 1, 1, message)])


def test_an_empty_user_file_is_reported_and_everything_else_loads(config_root: Path) -> None:
    deck = write(config_root / "decks" / "empty.toml", "")
    template = write(config_root / "templates" / "empty.toml", "")
    write(config_root / "decks" / "mine.toml", DECK)

    library = load_library(config_root)

    assert [str(p) for p in library.problems] == [f"{deck}:1:1: {EMPTY_DECK}", f"{template}:1:1: {EMPTY_TEMPLATE}"]
    assert {"mine", "chit-chat", "goals", "commitments"} <= set(library.decks)
    assert {"standard", "first-meeting"} <= set(library.templates)


def test_a_directory_named_like_a_template_is_reported_not_loaded(config_root: Path) -> None:
    folder = config_root / "templates" / "folder.toml"
    folder.mkdir()

    library = load_library(config_root)

    assert [(p.path, p.line, p.col, p.message) for p in library.problems] == [
        (folder, 1, 1, "cannot read: Is a directory")]
    assert {"standard", "first-meeting"} <= set(library.templates)


def test_a_symlink_loop_is_reported_not_followed_forever(config_root: Path) -> None:
    loop = symlink_loop(config_root / "decks")
    write(config_root / "decks" / "mine.toml", DECK)

    deck, problems = check_deck(loop)
    library = load_library(config_root)

    assert deck is None
    assert [(p.path, p.line, p.col) for p in problems] == [(loop, 1, 1)]
    assert problems[0].message == "cannot read: Too many levels of symbolic links"
    assert sorted(p.path.name for p in library.problems) == ["loop.toml", "other-loop.toml"]
    assert all(p.message.startswith("cannot read") for p in library.problems)
    assert "mine" in library.decks
    assert library.changed() is False


@root_reads_anything
def test_an_unreadable_file_is_reported_and_the_rest_loads(config_root: Path) -> None:
    locked = write(config_root / "decks" / "locked.toml", DECK.replace('"mine"', '"locked"'))
    write(config_root / "decks" / "mine.toml", DECK)
    locked.chmod(0)
    try:
        deck, problems = check_deck(locked)
        library = load_library(config_root)
    finally:
        locked.chmod(0o600)

    assert deck is None
    assert [str(p) for p in problems] == [f"{locked}:1:1: cannot read: Permission denied"]
    assert [p.path for p in library.problems] == [locked]
    assert "mine" in library.decks and "locked" not in library.decks


# -- the reserved deck id -------------------------------------------------------------------
def test_the_memory_deck_id_is_reserved(config_root: Path) -> None:
    path = write(config_root / "decks" / "memory.toml", DECK.replace('id = "mine"', '  id = "memory"'))

    deck, problems = check_deck(path)
    library = load_library(config_root)

    assert deck is None
    assert [(p.line, p.col, p.warning) for p in problems] == [(2, 3, False)]
    assert problems[0].message.startswith("the id `memory` is reserved")
    assert "memory" not in library.decks
    assert [p.path for p in library.errors] == [path]


def test_memory_is_only_reserved_for_decks(tmp_path: Path) -> None:
    path = write(tmp_path / "memory.toml", TEMPLATE.replace('"quick"', '"memory"'))

    template, problems = check_template(path)

    assert template is not None and template.id == "memory"
    assert problems == []


def test_max_minutes_is_ten_hours_and_allowed_exactly(tmp_path: Path) -> None:
    path = write(tmp_path / "long.toml", TEMPLATE.replace("minutes = 5", f"minutes = {MAX_MINUTES}"))

    template, problems = check_template(path)

    assert MAX_MINUTES == 600
    assert problems == []
    assert template is not None and template.planned_seconds == 600 * 60


# -- reloading after an edit ----------------------------------------------------------------
def test_a_broken_edit_keeps_the_last_good_deck_and_a_good_edit_replaces_it(config_root: Path) -> None:
    path = write(config_root / "decks" / "mine.toml", DECK)
    old = load_library(config_root)

    write(path, DECK.replace('text = "What are you reading?"', 'text = "half saved'))
    broken = reload_library(old, config_root)

    assert [card.text for card in broken.decks["mine"].cards] == ["What are you reading?"]
    assert [(p.path, p.line) for p in broken.errors] == [(path, 6)]

    write(path, DECK.replace("What are you reading?", "What are you cooking?"))
    fixed = reload_library(broken, config_root)

    assert [card.text for card in fixed.decks["mine"].cards] == ["What are you cooking?"]
    assert fixed.problems == []


def test_a_semantically_broken_edit_keeps_the_last_good_template(config_root: Path) -> None:
    write(config_root / "decks" / "mine.toml", DECK)
    path = write(config_root / "templates" / "quick.toml", TEMPLATE)
    old = load_library(config_root)

    write(path, TEMPLATE.replace("minutes = 5", "minutes = 0"))
    new = reload_library(old, config_root)

    assert new.templates["quick"] == old.templates["quick"]
    assert [(p.path, p.line, p.col) for p in new.errors] == [(path, 8, 1)]


def test_a_deleted_file_is_gone_after_a_reload_and_a_new_one_appears(config_root: Path) -> None:
    path = write(config_root / "decks" / "mine.toml", DECK)
    old = load_library(config_root)

    path.unlink()
    write(config_root / "decks" / "yours.toml", DECK.replace('"mine"', '"yours"'))
    new = reload_library(old, config_root)

    assert "mine" not in new.decks
    assert "yours" in new.decks


def test_a_broken_edit_of_a_user_override_keeps_the_users_version(config_root: Path) -> None:
    path = write(config_root / "decks" / "goals.toml", DECK.replace('"mine"', '"goals"'))
    old = load_library(config_root)

    write(path, 'schema = 1\nid = "goals"\ntitle = "half saved\n')
    new = reload_library(old, config_root)

    assert new.decks["goals"] == old.decks["goals"]
    assert new.decks["goals"].builtin is False


def test_a_kept_deck_is_not_reported_missing_from_the_templates_using_it(config_root: Path) -> None:
    deck = write(config_root / "decks" / "mine.toml", DECK)
    write(config_root / "templates" / "quick.toml", TEMPLATE)
    old = load_library(config_root)

    write(deck, DECK + "text = \n")
    new = reload_library(old, config_root)

    assert "mine" in new.decks
    assert [p.path for p in new.errors] == [deck]


# -- noticing that files changed ------------------------------------------------------------
def test_a_fresh_library_has_not_changed(config_root: Path) -> None:
    write(config_root / "decks" / "mine.toml", DECK)

    assert load_library(config_root).changed() is False


def test_touching_a_file_is_a_change(config_root: Path) -> None:
    path = write(config_root / "decks" / "mine.toml", DECK)
    library = load_library(config_root)
    info = path.stat()

    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))

    assert library.changed() is True
    assert library.stamps[path] == (info.st_mtime_ns, info.st_size)
    assert reload_library(library, config_root).changed() is False


def test_a_same_time_edit_of_another_size_is_a_change(config_root: Path) -> None:
    path = write(config_root / "decks" / "mine.toml", DECK)
    library = load_library(config_root)
    info = path.stat()

    path.write_text(DECK + "\n", encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))

    assert library.changed() is True


@pytest.mark.parametrize("noun", ["decks", "templates"])
def test_adding_a_file_is_a_change_even_to_a_folder_that_did_not_exist(tmp_path: Path, noun: str) -> None:
    root = tmp_path / "config"
    library = load_library(root)

    write(root / noun / "new.toml", DECK if noun == "decks" else TEMPLATE)

    assert library.changed() is True


def test_removing_a_file_is_a_change(config_root: Path) -> None:
    path = write(config_root / "templates" / "quick.toml", TEMPLATE)
    library = load_library(config_root)

    path.unlink()

    assert library.changed() is True


def test_other_files_in_the_folder_are_not_a_change(config_root: Path) -> None:
    write(config_root / "decks" / "mine.toml", DECK)
    library = load_library(config_root)

    write(config_root / "decks" / "notes.txt", "not a deck")
    write(config_root / "decks" / ".mine.toml.swp", "editor swap file")

    assert library.changed() is False


def test_the_builtins_are_watched_too(tmp_path: Path) -> None:
    library = load_library(tmp_path / "config")

    assert {builtin_dir() / "decks", builtin_dir() / "templates"} <= set(library.folders)
    assert builtin_dir() / "decks" / "goals.toml" in library.stamps


# -- config.toml ----------------------------------------------------------------------------
def test_without_a_config_file_coach_uses_its_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "config.toml") == (Config(), [])
    assert Config() == Config(default_template="standard", theme="textual-dark", warn_percent=20.0,
                              warn_max_seconds=120.0, sound=False)


def test_an_empty_config_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_config(write(tmp_path / "config.toml", "")) == (Config(), [])


def test_every_key_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'schema = 1\ndefault_template = "first-meeting"\ntheme = "nord"\n'
                 "warn_percent = 10\nwarn_max_seconds = 90.5\nsound = true\n")

    config, problems = load_config(path)

    assert problems == []
    assert config == Config(default_template="first-meeting", theme="nord", warn_percent=10.0,
                            warn_max_seconds=90.5, sound=True)
    assert isinstance(config.warn_percent, float)


def test_the_starter_config_reads_back_as_the_defaults(tmp_path: Path) -> None:
    text = starter_text()

    assert load_config(write(tmp_path / "config.toml", text)) == (Config(), [])
    assert all(f"\n{key} = " in text for key in KEYS)


CONFIG_TYPE_CASES = {
    "template a number": ("default_template = 5", "`default_template` must be text, not 5; using 'standard'"),
    "template blank": ('default_template = "  "', "`default_template` must be text, not '  '; using 'standard'"),
    "theme a list": ('theme = ["nord"]', "`theme` must be text, not ['nord']; using 'textual-dark'"),
    "percent text": ('warn_percent = "20"', "`warn_percent` must be a number from 1 to 90, not '20'; using 20.0"),
    "percent boolean": ("warn_percent = true", "`warn_percent` must be a number from 1 to 90, not True; using 20.0"),
    "seconds a table": ("warn_max_seconds = {a = 1}",
                        "`warn_max_seconds` must be a number from 0 to 3600, not {'a': 1}; using 120.0"),
    "sound text": ('sound = "yes"', "`sound` must be true or false, not 'yes'; using False"),
    "sound a number": ("sound = 1", "`sound` must be true or false, not 1; using False"),
}


@pytest.mark.parametrize(("line", "message"), CONFIG_TYPE_CASES.values(), ids=CONFIG_TYPE_CASES.keys())
def test_a_config_key_of_the_wrong_type_is_reported_at_its_line_and_the_default_kept(tmp_path: Path, line: str,
                                                                                      message: str) -> None:
    path = write(tmp_path / "config.toml", f"# my settings\nschema = 1\n  {line}\n")

    config, problems = load_config(path)

    assert config == Config()
    assert [str(p) for p in problems] == [f"{path}:3:3: {message}"]


def test_a_bad_key_keeps_the_good_ones_beside_it(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'theme = "nord"\nwarn_percent = 200\nsound = true\n')

    config, problems = load_config(path)

    assert config == Config(theme="nord", sound=True)
    assert [(p.line, p.col) for p in problems] == [(2, 1)]


@pytest.mark.parametrize(("key", "value", "ok"), [
    ("warn_percent", "1", True), ("warn_percent", "90", True), ("warn_percent", "12.5", True),
    ("warn_percent", "0.5", False), ("warn_percent", "0", False), ("warn_percent", "90.5", False),
    ("warn_percent", "-20", False), ("warn_percent", "nan", False), ("warn_percent", "inf", False),
    ("warn_max_seconds", "0", True), ("warn_max_seconds", "3600", True), ("warn_max_seconds", "0.5", True),
    ("warn_max_seconds", "-1", False), ("warn_max_seconds", "3600.5", False), ("warn_max_seconds", "inf", False),
    ("warn_max_seconds", "nan", False),
])
def test_timer_warning_settings_have_ranges(tmp_path: Path, key: str, value: str, ok: bool) -> None:
    path = write(tmp_path / "config.toml", f"sound = false\n{key} = {value}\n")

    config, problems = load_config(path)

    if ok:
        assert problems == []
        assert getattr(config, key) == float(value)
    else:
        limits = "from 1 to 90" if key == "warn_percent" else "from 0 to 3600"
        assert [(p.line, p.col, p.warning) for p in problems] == [(2, 1, False)]
        assert f"`{key}` must be a number {limits}" in problems[0].message
        assert getattr(config, key) == getattr(Config(), key)


@pytest.mark.parametrize(("line", "message"), [
    ('them = "nord"', "unknown key `them`; did you mean `theme`?"),
    ("warn_percentage = 10", "unknown key `warn_percentage`; did you mean `warn_percent`?"),
    ("volume = 3", f"unknown key `volume` (known keys: {', '.join(KEYS)})"),
])
def test_an_unknown_config_key_is_a_warning_with_a_suggestion(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path / "config.toml", f'theme = "nord"\n\n{line}\n')

    config, problems = load_config(path)

    assert config == Config(theme="nord")
    assert problems == [Problem(path, 3, 1, message, warning=True)]


THEMES = ("textual-dark", "textual-light", "nord", "gruvbox")


def test_an_unknown_theme_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'sound = true\ntheme = "nrod"\n')

    config, problems = load_config(path, themes=THEMES)

    assert config == Config(sound=True)
    assert [str(p) for p in problems] == [f"{path}:2:1: unknown theme 'nrod'; did you mean 'nord'?; using "
                                          "'textual-dark'"]


def test_an_unknown_theme_with_no_near_name_lists_the_themes(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'theme = "zzzzzz"\n')

    _config, [problem] = load_config(path, themes=THEMES)

    assert not problem.warning
    assert problem.message.startswith(f"unknown theme 'zzzzzz' (themes: {', '.join(sorted(THEMES))})")


def test_without_the_apps_themes_any_theme_name_is_taken(tmp_path: Path) -> None:
    """`coach config check` runs without Textual: the app checks the name against its themes."""
    path = write(tmp_path / "config.toml", 'theme = "my-own"\n')

    assert load_config(path) == (Config(theme="my-own"), [])


def test_a_config_toml_syntax_error_is_reported_where_it_is(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "sound = true\ntheme = \n")

    assert load_config(path) == (Config(), [Problem(path, 2, 9, "TOML syntax: invalid value")])


def test_an_unknown_config_schema_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'theme = "nord"\nschema = 2\n')

    config, problems = load_config(path)

    assert config == Config(theme="nord")
    assert [str(p) for p in problems] == [f"{path}:2:1: unknown schema 2: this coach reads schema 1"]


def test_a_config_that_is_not_utf8_or_a_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    latin = write(tmp_path / "latin" / "config.toml", b'theme = "caf\xe9"\n')
    folder = tmp_path / "folder" / "config.toml"
    folder.mkdir(parents=True)

    assert load_config(latin) == (Config(), [Problem(latin, 1, 13, "not UTF-8 text")])
    assert load_config(folder) == (Config(), [Problem(folder, 1, 1, "cannot read: Is a directory")])


def test_a_config_symlink_loop_is_reported(tmp_path: Path) -> None:
    loop = symlink_loop(tmp_path, "config.toml")

    config, problems = load_config(loop)

    assert config == Config()
    assert [(p.path, p.line, p.col) for p in problems] == [(loop, 1, 1)]
    assert "symbolic links" in problems[0].message


@root_reads_anything
def test_an_unreadable_config_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'theme = "nord"\n')
    path.chmod(0)
    try:
        result = load_config(path)
    finally:
        path.chmod(0o600)

    assert result == (Config(), [Problem(path, 1, 1, "cannot read: Permission denied")])


HAND_WRITTEN = """\
# my coach settings
schema = 1

"theme" = "nord"   # quoted key, and a comment after the value
sound = true # keep the bell

# numbers
warn_percent = 25
"""


def test_saving_a_setting_keeps_every_comment_key_and_quote(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", HAND_WRITTEN)

    save_setting("theme", "gruvbox", path)

    text = path.read_text(encoding="utf-8")
    assert text == HAND_WRITTEN.replace('"nord"', '"gruvbox"')
    assert load_config(path) == (Config(theme="gruvbox", sound=True, warn_percent=25.0), [])
    assert mode_of(path) == 0o600


def test_saving_a_new_key_adds_it_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "# mine\nsound = true  # loud\n\n[extras]\nx = 1\n")

    save_setting("theme", "nord", path)

    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc == {"sound": True, "theme": "nord", "extras": {"x": 1}}
    assert "# mine" in path.read_text(encoding="utf-8") and "# loud" in path.read_text(encoding="utf-8")


def test_saving_into_a_broken_config_changes_nothing_and_says_where(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "sound = true\ntheme = \n")

    with pytest.raises(ProblemsError) as caught:
        save_setting("theme", "nord", path)

    assert path.read_text(encoding="utf-8") == "sound = true\ntheme = \n"
    assert [(p.line, p.col) for p in caught.value.problems] == [(2, 9)]


def test_saving_without_a_config_writes_a_small_one(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"

    save_setting("theme", "nord", path)

    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"schema": 1, "theme": "nord"}


# -- starter files ----------------------------------------------------------------------------
@pytest.mark.parametrize(("noun", "check"), [("decks", check_deck), ("templates", check_template)])
def test_a_new_file_is_a_starter_that_passes_its_own_check(config_root: Path, noun: str, check) -> None:
    path = new_file(noun, "my-questions")

    item, problems = check(path)

    assert path == config_root / noun / "my-questions.toml"
    assert problems == []
    assert item is not None
    assert (item.id, item.title) == ("my-questions", "My questions")
    assert f"coach {noun} check {path}" in path.read_text(encoding="utf-8")
    library = load_library(config_root)
    assert library.problems == []
    assert "my-questions" in (library.decks if noun == "decks" else library.templates)


@pytest.mark.usefixtures("umask_zero")
def test_a_new_file_is_private_in_a_private_folder(tmp_path: Path) -> None:
    path = new_file("decks", "mine")

    assert path == tmp_path / "config" / "decks" / "mine.toml"
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700
    assert mode_of(path.parent.parent) == 0o700


def test_new_file_never_overwrites(config_root: Path) -> None:
    path = write(config_root / "templates" / "mine.toml", "# my own words\n")

    with pytest.raises(AuthoringError) as error:
        new_file("templates", "mine")

    assert error.value.usage is False
    assert str(error.value) == f"{path} already exists; edit it with `coach templates edit mine`"
    assert path.read_text(encoding="utf-8") == "# my own words\n"


@pytest.mark.parametrize("name", ["", "Mine", "my questions", "../escape", "a/b", "-dash-first", "zoë",
                                  "under_score", ".hidden", "x" * 65, "mine.toml"])
def test_a_name_that_is_not_an_id_is_a_usage_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(AuthoringError) as error:
        new_file("decks", name)

    assert error.value.usage is True
    assert "not a usable id" in str(error.value)
    assert not (tmp_path / "config").exists()


@pytest.mark.parametrize("name", ["a", "2024-goals", "x" * 64, "ends-with-dash-"])
def test_ids_of_lower_case_letters_digits_and_dashes_are_accepted(name: str) -> None:
    assert check_id(name) == name


def test_a_name_ending_in_a_newline_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AuthoringError):
        check_id("mine\n")


# -- editable copies and the editor -------------------------------------------------------
def test_a_builtin_is_copied_once_and_the_users_copy_is_returned_after(tmp_path: Path) -> None:
    builtin = builtin_dir() / "decks" / "goals.toml"
    original = builtin.read_bytes()

    path = editable_copy("decks", "goals", builtin)

    assert path == tmp_path / "config" / "decks" / "goals.toml"
    assert path.read_bytes() == original
    assert mode_of(path) == 0o600
    write(path, "# my edit\n")
    assert editable_copy("decks", "goals", builtin) == path
    assert path.read_text(encoding="utf-8") == "# my edit\n"
    assert builtin.read_bytes() == original


def test_a_users_own_file_is_edited_where_it_is(config_root: Path) -> None:
    path = write(config_root / "templates" / "quick.toml", TEMPLATE)

    assert editable_copy("templates", "quick", path) == path
    assert editable_copy("templates", "quick", None) == path
    assert sorted(p.name for p in (config_root / "templates").iterdir()) == ["quick.toml"]


def test_editing_something_that_does_not_exist_points_at_new(tmp_path: Path) -> None:
    with pytest.raises(AuthoringError) as error:
        editable_copy("templates", "nope", None)

    assert error.value.usage is False
    assert str(error.value) == "there is no template 'nope'; create it with `coach templates new nope`"
    assert not (tmp_path / "config" / "templates" / "nope.toml").exists()


@pytest.mark.parametrize(("visual", "editor", "command"), [
    ("vim", "nano", ["vim"]),
    ("", "code --wait --new-window", ["code", "--wait", "--new-window"]),
    ("   ", "nano -w", ["nano", "-w"]),
    (None, "'/opt/my editor/bin/ed' +1", ["/opt/my editor/bin/ed", "+1"]),
    ('emacsclient -a ""', None, ["emacsclient", "-a", ""]),
])
def test_the_editor_is_visual_then_editor_split_like_a_shell(monkeypatch: pytest.MonkeyPatch, visual: str | None,
                                                            editor: str | None, command: list[str]) -> None:
    for name, value in (("VISUAL", visual), ("EDITOR", editor)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)

    assert editor_command() == command


def test_without_visual_or_editor_an_installed_editor_is_used(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    vi = write(bin_dir / "vi", "#!/bin/sh\n")
    vi.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", str(bin_dir))

    assert editor_command() == [str(vi)]

    vi.unlink()
    with pytest.raises(AuthoringError, match=r"no editor found: set \$EDITOR"):
        editor_command()


def test_run_editor_passes_the_path_last_and_returns_the_editors_status(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    record = tmp_path / "argv.txt"
    script = write(tmp_path / "editor.py", f"import sys\nopen({str(record)!r}, 'w').write('|'.join(sys.argv[1:]))\n"
                   "sys.exit(3)\n")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script} --flag")
    target = tmp_path / "deck.toml"

    assert run_editor(target) == 3
    assert record.read_text() == f"--flag|{target}"


def test_an_editor_that_cannot_start_is_an_authoring_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))

    with pytest.raises(AuthoringError) as error:
        run_editor(tmp_path / "deck.toml")

    assert str(error.value).startswith(f"could not start the editor {str(tmp_path / 'no-such-editor')!r}: ")
    assert error.value.usage is False


@pytest.mark.parametrize("value", ["code --wait 'my file", '"unterminated'])
def test_an_editor_setting_with_an_open_quote_is_an_authoring_error(tmp_path: Path, monkeypatch, value) -> None:
    monkeypatch.setenv("VISUAL", value)

    with pytest.raises(AuthoringError) as error:
        run_editor(tmp_path / "deck.toml")

    assert "$VISUAL cannot be read as a command (No closing quotation)" in str(error.value)



def test_saving_a_setting_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xef\xbb\xbf# mine\ntheme = 'nord'\n")

    save_setting("theme", "gruvbox", path)

    assert path.read_bytes() == b"\xef\xbb\xbf# mine\ntheme = 'gruvbox'\n"


def test_a_new_deck_may_not_take_the_reserved_memory_id(config_root: Path) -> None:
    with pytest.raises(AuthoringError) as caught:
        new_file("decks", "memory")
    assert caught.value.usage and "reserved" in str(caught.value)
    assert not (config_root / "decks" / "memory.toml").exists()
