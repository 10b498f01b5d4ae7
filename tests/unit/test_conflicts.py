"""Conflict copies: told by their names (`coach.conflicts`), never read as partners of their own, and
merged or kept by `coach.conflict_fix.tidy`."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach import partners, summaries
from coach.conflict_fix import Merged, Restored, SetAside, move_to_conflicts, tidy
from coach.conflicts import (
    DROPBOX,
    ICLOUD,
    NEXTCLOUD,
    OWNCLOUD,
    SYNCTHING,
    CopyName,
    copy_name,
    find_copies,
    git_marker_line,
)
from coach.history import load_headers
from coach.model import Capture, CaptureKind, PhaseRecord, Summary, notes_of
from coach.store import partners_dir, slugify

EXAMPLES = settings(max_examples=int(os.environ.get("COACH_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SLUG = "ada-lovelace-1a2b3c4d"


@pytest.mark.parametrize(("name", "engine", "device"), [
    (f"{SLUG}.sync-conflict-20261130-141503-ABCDEF7.toml", SYNCTHING, "ABCDEF7"),
    (f"{SLUG}.sync-conflict-20261130-141503.toml", SYNCTHING, ""),  # before device ids
    (f"{SLUG} (Laptop's conflicted copy 2026-11-30).toml", DROPBOX, "Laptop"),
    (f"{SLUG} (Ada Lovelace’s conflicted copy 2026-11-30).toml", DROPBOX, "Ada Lovelace"),
    (f"{SLUG} (conflicted copy 2026-11-30).toml", DROPBOX, ""),
    (f"{SLUG} (Laptop's conflicted copy 2026-11-30 (1)).toml", DROPBOX, "Laptop"),
    (f"{SLUG} (Laptop's Conflicted Copy 2026-11-30).toml", DROPBOX, "Laptop"),
    (f"{SLUG} (conflicted copy 2026-11-30 141503).toml", NEXTCLOUD, ""),
    (f"{SLUG}_conflict-20261130-141503.toml", OWNCLOUD, ""),
    ("2026-11-28-0249-ada-lovelace-1a2b3c4d-aaaaaa (conflicted copy 2026-11-30 141503).md", NEXTCLOUD, ""),
])
def test_each_engines_copy_is_told_with_its_original(name: str, engine: str, device: str) -> None:
    found = copy_name(name)
    assert found is not None and (found.engine, found.device) == (engine, device)
    assert found.original in (f"{SLUG}.toml", "2026-11-28-0249-ada-lovelace-1a2b3c4d-aaaaaa.md")


@pytest.mark.parametrize("name", [
    f"{SLUG}.toml", "ada-lovelace-2.toml", f"{SLUG}-2.toml",  # coach's own names: a second Ada's file
    f"{SLUG}.sync-conflict-2026113-141503-ABCDEF7.toml",  # a digit short
    f"{SLUG}.sync-conflict-20261130-141503-abcdef7.toml",  # device ids are upper case
    f"{SLUG}.sync-conflict-20261130-141503-ABCDEF7",  # no suffix
    f"{SLUG} (conflicted copy).toml", f"{SLUG} (conflicted copy 2026-11-30 1415).toml",
    f"{SLUG} conflicted copy 2026-11-30.toml", f"{SLUG}(conflicted copy 2026-11-30).toml",
    f"{SLUG}_conflict-20261130.toml", f"{SLUG} 1.toml", f"{SLUG} 02.toml",
])
def test_near_misses_are_not_copies(name: str) -> None:
    assert copy_name(name, beside={f"{SLUG}.toml", "ada-lovelace.toml"}) is None


def test_icloud_copies_only_beside_their_original(tmp_path: Path) -> None:
    assert copy_name(f"{SLUG} 2.toml") is None  # a name may end in a number
    found = copy_name(f"{SLUG} 2.toml", beside={f"{SLUG}.toml"})
    assert found is not None and (found.original, found.engine) == (f"{SLUG}.toml", ICLOUD)
    assert copy_name("Zoë 12.toml", beside={"Zoë.toml"}) == CopyName("Zoë.toml", ICLOUD)
    for name in (f"{SLUG}.toml", f"{SLUG} 2.toml", "bob 3.toml", ".ada.toml.tmp 2.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [(c.path.name, c.original.name) for c in find_copies(tmp_path)] == [(f"{SLUG} 2.toml", f"{SLUG}.toml")]


def test_copies_are_found_below_in_sessions_and_dot_files_are_not(tmp_path: Path) -> None:
    year = tmp_path / "2026" / "archive"
    year.mkdir(parents=True)
    for name in ("m (conflicted copy 2026-11-30).toml", "m (conflicted copy 2026-11-30).md", ".m (conflicted copy "
                 "2026-11-30).toml", "m (conflicted copy 2026-11-30).txt"):
        (year / name).write_text("", encoding="utf-8")
    found = find_copies(tmp_path, (".toml", ".md"), below=True)
    assert [c.path.name for c in found] == ["m (conflicted copy 2026-11-30).md", "m (conflicted copy 2026-11-30).toml"]
    assert not find_copies(tmp_path)  # only where asked
    assert not find_copies(tmp_path / "missing")


def test_git_markers_are_found_at_line_starts_in_order() -> None:
    text = 'schema = 1\nname = "Ada"\n<<<<<<< HEAD\na = 1\n=======\na = 2\n>>>>>>> desktop\n'
    assert git_marker_line(text) == 3
    assert git_marker_line(text.replace("\n", "\r\n")) == 3
    assert git_marker_line('notes = """\nTitle\n=======\n"""\n') is None  # a heading's underline in notes
    assert git_marker_line(" <<<<<<< HEAD\n=======\n>>>>>>> x\n") is None
    assert git_marker_line(">>>>>>> x\n=======\n<<<<<<< HEAD\n") is None


@given(st.text(max_size=200))
@EXAMPLES
def test_any_text_gives_a_line_or_none(text: str) -> None:
    line = git_marker_line(text)
    assert line is None or 1 <= line <= text.count("\n") + 1


# -- tidy --------------------------------------------------------------------------------------
def meet(facts: list[str], suffix: str, days_ago: int = 3) -> Summary:
    started = (datetime.now().astimezone() - timedelta(days=days_ago)).replace(microsecond=0)
    summary = Summary(id=f"{started:%Y-%m-%d-%H%M}-{slugify('Ada Lovelace')}-{suffix}", partner="Ada Lovelace",
                      started=started, ended=started + timedelta(minutes=30),
                      phases=[PhaseRecord(id="a", title="A", planned_seconds=60.0, actual_seconds=60.0)],
                      **notes_of([Capture(CaptureKind.FACT, text) for text in facts]))
    summaries.save(summary)
    partners.remember_meeting(summary)
    return summary


def partner_file() -> Path:
    return partners.partner_path("Ada Lovelace")


def test_a_copy_is_merged_moved_aside_and_never_a_partner_of_its_own(coach_dirs) -> None:
    meet(["has a cat"], "aaaaaa")
    path = partner_file()
    copy = path.with_name(f"{path.stem} (conflicted copy 2026-11-30 141503).toml")
    shutil.copy2(path, copy)
    meet(["moving to Lisbon"], "bbbbbb", days_ago=2)  # this device's meeting after the other one copied
    path.rename(path.with_suffix(".keep"))
    shutil.copy2(copy, path)
    path.with_suffix(".keep").rename(copy)  # the copy holds the later meeting, the file the earlier one
    known, problems = partners.known_partners()
    assert [p.name for p in known] == ["Ada Lovelace"] and not problems
    assert [p for p, _r in partners.records_in(partners_dir())] == [path]
    (data := coach_dirs[1] / "conflicts").mkdir()
    (data / copy.name).write_text("taken", encoding="utf-8")

    tidied = tidy()
    assert not tidied.problems
    (merged,) = tidied.done
    assert isinstance(merged, Merged) and merged.moved_to == (data / f"{copy.stem}-2.toml",)
    assert merged.said() == "Merged 1 conflict copy of Ada Lovelace's file (from Nextcloud); the copy is in conflicts/"
    assert [f.text for f in partners.load_record("Ada Lovelace").facts] == ["has a cat", "moving to Lisbon"]
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    assert (data / copy.name).read_text(encoding="utf-8") == "taken"  # never over another
    assert oct(os.stat(merged.moved_to[0]).st_mode & 0o777) == "0o600"
    assert tidy().done == []  # run again: nothing to do


def test_several_copies_without_their_file_one_is_put_in_place_the_others_merged(coach_dirs) -> None:
    meet(["has a cat"], "aaaaaa")
    path = partner_file()
    first = path.with_name(f"{path.stem}.sync-conflict-20261130-141503-ABCDEF7.toml")
    second = path.with_name(f"{path.stem} (conflicted copy 2026-11-30).toml")
    shutil.copy2(path, second)
    meet(["moving to Lisbon"], "bbbbbb", days_ago=2)
    path.rename(first)
    tidied = tidy()
    assert [type(d) for d in tidied.done] == [Restored, Merged]
    assert tidied.done[0].said() == ("Ada Lovelace's file was only in a conflict copy (from Dropbox): it is in its "
                                     "place again")
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert len(partners.load_record("Ada Lovelace").facts) == 2


def test_a_broken_copy_is_reported_at_its_line_and_stays(coach_dirs) -> None:
    meet(["has a cat"], "aaaaaa")
    path = partner_file()
    copy = path.with_name(f"{path.stem} 2.toml")
    copy.write_text(path.read_text(encoding="utf-8") + "\n[[facts]]\ntext = 3\n", encoding="utf-8")
    before = path.read_bytes()
    tidied = tidy()
    assert not tidied.done and path.read_bytes() == before and copy.exists()
    (problem,) = tidied.problems
    assert problem.path == copy and problem.line == copy.read_text(encoding="utf-8").count("\n")  # `text = 3`
    assert "`text` must be text" in str(problem)


def test_a_partner_file_with_git_markers_is_left_alone_with_its_copies(coach_dirs) -> None:
    meet(["has a cat"], "aaaaaa")
    path = partner_file()
    copy = path.with_name(f"{path.stem} 2.toml")
    shutil.copy2(path, copy)
    path.write_text(path.read_text(encoding="utf-8") + "<<<<<<< HEAD\n=======\n>>>>>>> other\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in path.parent.iterdir()}
    tidied = tidy()
    (problem,) = tidied.problems
    assert (problem.path, problem.line) == (path, path.read_text(encoding="utf-8").count("\n") - 2)
    assert "git conflict markers" in problem.message
    assert not tidied.done and {p: p.read_bytes() for p in path.parent.iterdir()} == before


def test_a_summarys_copy_the_same_goes_aside_another_version_is_kept_and_listed(coach_dirs) -> None:
    summary = meet(["has a cat"], "aaaaaa")
    toml = summaries.summary_path(summary)
    same = toml.with_name(f"{toml.stem} (conflicted copy 2026-11-30).toml")
    shutil.copy2(toml, same)
    shutil.copy2(toml.with_suffix(".md"), same.with_suffix(".md"))
    other = toml.with_name(f"{toml.stem} 2.toml")
    other.write_text(toml.read_text(encoding="utf-8").replace('reflection = ""', 'reflection = "x"'), encoding="utf-8")
    assert [h.id for h in load_headers()[0]] == [summary.id]  # before: one meeting, its copies named
    tidied = tidy()
    assert not tidied.problems
    kept = toml.with_name(f"{toml.stem}-conflict-1.toml")
    assert sorted(p.name for p in toml.parent.iterdir()) == sorted([toml.name, toml.with_suffix(".md").name,
                                                                    kept.name, kept.with_suffix(".md").name])
    assert sum(isinstance(d, SetAside) for d in tidied.done) == 2
    headers, problems = load_headers()
    assert sorted(h.id for h in headers) == [summary.id, kept.stem] and not problems


def test_a_file_in_the_way_gets_a_number(coach_dirs, tmp_path: Path) -> None:
    for n in range(3):
        (tmp_path / "x.toml").write_text(str(n), encoding="utf-8")
        move_to_conflicts(tmp_path / "x.toml")
    folder = coach_dirs[1] / "conflicts"
    assert {p.name: p.read_text() for p in folder.iterdir()} == {"x.toml": "0", "x-2.toml": "1", "x-3.toml": "2"}


@given(st.binary(max_size=300))
@EXAMPLES
def test_any_bytes_in_a_copy_merge_or_say_where_they_are_wrong(coach_dirs, data: bytes) -> None:
    folder = partners_dir()
    shutil.rmtree(coach_dirs[1], ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / f"{SLUG}.toml").write_text('schema = 1\nname = "Ada Lovelace"\n', encoding="utf-8")
    copy = folder / f"{SLUG} (conflicted copy 2026-11-30).toml"
    copy.write_bytes(data)
    tidied = tidy()
    if tidied.done:
        assert not copy.exists() and not tidied.problems
    else:
        assert copy.read_bytes() == data and tidied.problems
        assert all(p.path == copy and p.line >= 1 and p.col >= 1 for p in tidied.problems)


def test_a_summary_only_in_a_copy_is_put_back(coach_dirs) -> None:
    summary = meet(["has a cat"], "aaaaaa")
    toml = summaries.summary_path(summary)
    copy = toml.with_name(f"{toml.stem}.sync-conflict-20261130-141503.toml")
    toml.rename(copy)
    (restored,) = tidy().done
    assert isinstance(restored, Restored) and toml.exists() and not copy.exists()
    assert restored.said() == (f"The summary of the meeting with Ada Lovelace on {summary.started:%Y-%m-%d} was only "
                               "in a conflict copy (from Syncthing): it is in its place again")
