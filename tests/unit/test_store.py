"""Paths, atomic private writes, TOML output and safe slugs for the names users type."""

from __future__ import annotations

import os
import tomllib
import unicodedata
from pathlib import Path

import pytest

from coach import store
from coach.store import dump_toml, ensure_dir, normalize_name, slugify, write_atomic


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


# -- paths --------------------------------------------------------------------------------
def test_paths_follow_the_environment_at_call_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_CONFIG_DIR", str(tmp_path / "one" / "config"))
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "one" / "data"))
    assert store.config_dir() == tmp_path / "one" / "config"
    assert store.data_dir() == tmp_path / "one" / "data"
    monkeypatch.setenv("COACH_CONFIG_DIR", str(tmp_path / "two" / "config"))
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "two" / "data"))
    assert store.config_dir() == tmp_path / "two" / "config"
    assert store.data_dir() == tmp_path / "two" / "data"
    assert store.sessions_dir() == tmp_path / "two" / "data" / "sessions"
    assert store.partners_dir() == tmp_path / "two" / "data" / "partners"


def test_paths_expand_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("COACH_DATA_DIR", "~/synced/coach")
    assert store.data_dir() == tmp_path / "synced" / "coach"


def test_without_overrides_the_paths_come_from_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("COACH_CONFIG_DIR", raising=False)
    monkeypatch.delenv("COACH_DATA_DIR", raising=False)
    assert store.config_dir() == platformdirs.user_config_path("coach")
    assert store.data_dir() == platformdirs.user_data_path("coach")


def test_nothing_is_created_just_by_asking_for_a_path(data_root: Path) -> None:
    store.sessions_dir()
    store.partners_dir()
    assert not data_root.exists()


# -- folders and atomic writes ------------------------------------------------------------
def test_ensure_dir_makes_private_folders_even_with_umask_zero(tmp_path: Path, umask_zero: None) -> None:
    target = tmp_path / "a" / "b" / "c"
    before = mode_of(tmp_path)
    assert ensure_dir(target) == target
    for folder in (tmp_path / "a", tmp_path / "a" / "b", target):
        assert folder.is_dir()
        assert mode_of(folder) == 0o700
    assert mode_of(tmp_path) == before  # folders it did not create are left alone
    assert ensure_dir(target) == target


def test_write_atomic_writes_a_private_file_and_no_temp_file(tmp_path: Path, umask_zero: None) -> None:
    path = tmp_path / "data" / "partners" / "ada.toml"
    write_atomic(path, "schema = 1\nname = \"Zoë\"\n")
    assert path.read_text(encoding="utf-8") == "schema = 1\nname = \"Zoë\"\n"
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700
    assert mode_of(path.parent.parent) == 0o700
    assert os.listdir(path.parent) == ["ada.toml"]


def test_write_atomic_replaces_an_old_file_and_keeps_it_private(tmp_path: Path, umask_zero: None) -> None:
    path = tmp_path / "note.txt"
    path.write_text("old")
    path.chmod(0o644)
    write_atomic(path, "new")
    assert path.read_text() == "new"
    assert mode_of(path) == 0o600
    assert os.listdir(tmp_path) == ["note.txt"]


def test_a_failing_rename_leaves_the_old_file_intact_and_no_temp_file(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "summary.toml"
    write_atomic(path, "old = true\n")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(path, "new = true\n")
    assert path.read_text() == "old = true\n"
    assert os.listdir(tmp_path) == ["summary.toml"]


def test_a_failing_first_write_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src: object, dst: object) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "new.toml", "x = 1\n")
    assert os.listdir(tmp_path) == []


def test_text_that_cannot_be_encoded_leaves_the_old_file_intact(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    write_atomic(path, "kept\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(path, "a lone surrogate \ud800")
    assert path.read_text() == "kept\n"
    assert os.listdir(tmp_path) == ["notes.md"]


# -- TOML output --------------------------------------------------------------------------
def test_dump_toml_writes_lists_of_tables_as_blocks_and_round_trips() -> None:
    doc = {
        "schema": 1,
        "notes": 'line one\nsays "hi" and C:\\path\n',
        "empty": [],
        "tags": ["a", "b"],
        "phases": [{"id": "chat", "seconds": 300.0}, {"id": "goals", "seconds": 900.0}],
    }
    text = dump_toml(doc)
    assert text.count("[[phases]]") == 2
    assert "{" not in text  # no inline tables
    assert "line one\n" in text  # multi-line text stays multi-line
    assert text.index("schema") < text.index("[[phases]]")
    assert tomllib.loads(text) == doc


# -- names and slugs ----------------------------------------------------------------------
@pytest.mark.parametrize(("typed", "stored"), [
    ("  Ada \u00a0 \u3000Lovelace ", "Ada Lovelace"),
    ("Zoe\u0308", "Zoë"),
    ("a\u200db", "a\u200db"),  # a zero-width joiner is kept: it is part of how the name looks
    ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),
    ("李雷", "李雷"),
    ("Zoë O'Brien", "Zoë O'Brien"),
    ("", ""),
])
def test_normalize_name(typed: str, stored: str) -> None:
    assert normalize_name(typed) == stored
    assert normalize_name(stored) == stored


HOSTILE = ["../../x", "/", "..", ".", "CON", "a\x00b", "x" * 300, "\u202eabc", "😀", "Zoë O'Brien", "李雷",
           "", " ", "\\\\server\\share", "C:\\Windows", "NUL.txt", ".hidden", "-rf", "℀", "／etc／passwd", "．．"]


@pytest.mark.parametrize("name", HOSTILE, ids=[repr(n)[:20] for n in HOSTILE])
def test_slugs_of_hostile_names_are_safe_file_names(tmp_path: Path, name: str) -> None:
    slug = slugify(name)
    assert "/" not in slug and "\\" not in slug and "\x00" not in slug
    assert not slug.startswith((".", "-"))
    assert 0 < len(slug) <= 64
    assert all(unicodedata.category(ch)[0] != "C" for ch in slug)
    assert slug == slugify(name)  # stable from one run to the next
    path = tmp_path / f"{slug}.toml"
    path.write_text("x")
    assert path.resolve().parent == tmp_path.resolve()


def test_slugs_keep_a_readable_part() -> None:
    assert slugify("Zoë O'Brien").startswith("zoe-o-brien-")
    assert slugify("李雷").startswith("李雷-")
    assert slugify("../../x").startswith("x-")
    assert slugify("..").startswith("partner-")
    assert slugify("x" * 300).startswith("x" * 24 + "-")


def test_distinct_names_give_distinct_slugs() -> None:
    names = ["Zoe", "Zoë", "zoe", "ZOE", "Zoe O'Brien", "Zoë O'Brien", "zoe o brien", "Zoe-O-Brien", "李雷", "李",
             "..", ".", "/", "", "😀", "😃", "CON", "con", "x" * 300, "x" * 301, "abc", "ab"]
    assert len({normalize_name(n) for n in names}) == len(names)
    assert len({slugify(n) for n in names}) == len(names)
    assert len({slugify(n).casefold() for n in names}) == len(names)  # also on case-insensitive disks


NAMES_THAT_LOOK_DIFFERENT = [
    ("Ada\nLovelace", "AdaLovelace"), ("Ada\nLovelace", "Ada Lovelace"), ("a\x00b", "ab"),
    ("Ada\u200bLovelace", "AdaLovelace"), ("👨\u200d👩\u200d👧", "👨👩👧"), ("\u202eabc", "abc"),
    ("Ada\tLovelace", "Ada Lovelace"),
]


@pytest.mark.parametrize(("one", "other"), NAMES_THAT_LOOK_DIFFERENT)
def test_names_that_differ_by_an_invisible_or_control_character_never_share_a_file(one: str, other: str) -> None:
    assert normalize_name(one) != normalize_name(other)
    assert slugify(one) != slugify(other)


def test_names_that_are_stored_the_same_share_a_slug() -> None:
    assert slugify("Zoe\u0308") == slugify("Zoë")
    assert slugify("  Ada   Lovelace ") == slugify("Ada Lovelace")


@pytest.mark.parametrize("rows", [1, 2])
def test_dump_toml_round_trips_tables_inside_rows(rows: int) -> None:
    doc = {"schema": 1, "facts": [{"text": f"fact {i}", "source": {"meeting": f"m{i}"}} for i in range(rows)]}
    assert tomllib.loads(dump_toml(doc)) == doc


def test_a_write_goes_through_a_link_and_never_replaces_a_device_or_a_folder(tmp_path: Path) -> None:
    from coach.store import write_atomic

    target = tmp_path / "dotfiles" / "config.toml"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"
    for refused in (Path("/dev/null"), tmp_path):
        with pytest.raises(OSError) as caught:
            write_atomic(refused, "x")
        assert "regular file" in str(caught.value) or "directory" in str(caught.value)
    assert Path("/dev/null").is_char_device()


def test_names_with_line_or_paragraph_separators_are_refused() -> None:
    from coach.text import name_problem

    assert name_problem("Ada\u2028Lovelace") == "a name cannot contain control characters (a line break)"
    assert name_problem("Ada\u2029Lovelace") == "a name cannot contain control characters (a paragraph break)"
    assert name_problem("Ada\u200dLovelace") is None


def test_bidirectional_overrides_in_text_are_shown_not_obeyed() -> None:
    from coach.text import json_safe, visible

    assert visible("abc\u202edef\u2066x\u2069") == "abc\ufffddef\ufffdx\ufffd"
    assert json_safe('"abc\u202edef"') == '"abc\\u202edef"'
    assert "\u202e" not in dump_toml({"notes": "abc\u202edef"})
    assert tomllib.loads(dump_toml({"notes": "abc\u202edef"}))["notes"] == "abc\u202edef"


def test_plural_reads_right() -> None:
    from coach.text import plural

    assert [plural(n, "item") for n in (0, 1, 2)] == ["0 items", "1 item", "2 items"]
    assert plural(1, "captured item") == "1 captured item"
    assert plural(1250, "meeting") == "1,250 meetings"
    assert plural(1.0, "minute") == "1 minute" and plural(1.5, "minute") == "1.5 minutes"
    assert plural(2, "person", "people") == "2 people"
