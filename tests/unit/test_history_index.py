"""The history index: an SQLite database in the cache folder, derived from the summaries, that
only ever costs time when it is missing, damaged, of another version, or cannot be written."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from coach import history_build, history_index, summaries
from coach.history import load_headers, open_history
from coach.history_index import INDEX_VERSION, index_path
from coach.history_query import Query, parse_query
from coach.store import sessions_dir
from tests.unit.test_history import START, a_summary, aged, save, write_file


def search_terms(typed: str, typing: bool = False) -> tuple:
    """What a search looks for in `typed`: the words of the History filter and of `--grep`."""
    return parse_query(typed, typing)[0].words



@pytest.fixture(autouse=True)
def new_process() -> Iterator[None]:
    """Each load below starts as a new process does, unless a test says otherwise."""
    history_build._memos.clear()
    yield
    history_build._memos.clear()


def fresh() -> tuple[list, list]:
    """What a new `coach` process lists."""
    history_build._memos.clear()
    return load_headers()


def the_index() -> Path:
    return index_path(sessions_dir())


def rows() -> dict[str, tuple]:
    with sqlite3.connect(the_index()) as db:
        return {rel: rest for rel, *rest in db.execute("SELECT rel, size, mtime, head IS NOT NULL FROM files")}


def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The summary files read from now on (instead of taken from the index)."""
    seen: list[Path] = []
    real = history_build.read_header
    monkeypatch.setattr(history_build, "read_header", lambda path: seen.append(path) or real(path))
    return seen


def test_the_index_lives_in_the_cache_folder_private_and_versioned(coach_dirs: tuple[Path, Path],
                                                                  tmp_path: Path) -> None:
    save()
    load_headers()
    assert the_index().parent == tmp_path / "cache"
    assert oct(the_index().stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "cache").stat().st_mode & 0o777) == "0o700"
    with sqlite3.connect(the_index()) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
    data = coach_dirs[1]
    assert sorted(p.relative_to(data).as_posix() for p in data.rglob("*")) == [
        "sessions", "sessions/2026", f"sessions/2026/{a_summary().id}.md", f"sessions/2026/{a_summary().id}.toml"]


def test_headers_and_problems_come_from_the_index(coach_dirs: tuple[Path, Path], monkeypatch) -> None:
    save()
    write_file(sessions(coach_dirs) / "2026" / "2026-01-06-0900-broken-1234.toml", "schema = 1\nid =\n")
    first = load_headers()
    seen = reads(monkeypatch)
    assert fresh() == first
    assert seen == []


def test_a_process_trusts_what_it_read_last_while_the_files_stay_as_they_were(coach_dirs: tuple[Path, Path],
                                                                             monkeypatch) -> None:
    path = save()
    first = load_headers()

    def never(*_args: object) -> None:
        raise AssertionError("the index was read again")

    with monkeypatch.context() as patched:
        patched.setattr(history_index.Index, "rows", never)
        assert load_headers() == first  # a second look in one process: the files are checked, not the index
    other = save(started=START + timedelta(days=1))
    seen = reads(monkeypatch)
    assert [h.path for h in load_headers()[0]] == [other, path]
    assert seen == [other]


def test_a_changed_file_is_read_again(coach_dirs: tuple[Path, Path]) -> None:
    path = save(rating=2)
    assert fresh()[0][0].rating == 2
    stamp = path.stat().st_mtime
    path.write_text(path.read_text().replace("rating = 2", "rating = 5"), encoding="utf-8")
    os.utime(path, (stamp + 1, stamp + 1))  # same size: the time tells
    assert fresh()[0][0].rating == 5
    assert load_headers()[0][0].rating == 5


def test_a_broken_file_mended_is_read_again(coach_dirs: tuple[Path, Path]) -> None:
    good = a_summary()
    path = write_file(sessions(coach_dirs) / "2026" / f"{good.id}.toml", "schema = 1\nid =\n")
    headers, problems = fresh()
    assert headers == [] and str(problems[0]).startswith(f"{path}:2:")
    from coach import records

    write_file(path, records.encode(good))
    headers, problems = fresh()
    assert [h.id for h in headers] == [good.id] and problems == []


def test_a_deleted_file_leaves_the_listing_and_the_index(coach_dirs: tuple[Path, Path]) -> None:
    gone, stays = save(), save(started=START + timedelta(days=1))
    fresh()
    gone.unlink()
    assert [h.path for h in fresh()[0]] == [stays]
    assert list(rows()) == [f"2026/{stays.name}"]
    assert open_history().select(Query(grep=search_terms("lisbon"))) != []


def test_deleting_the_cache_folder_loses_nothing(coach_dirs: tuple[Path, Path], tmp_path: Path) -> None:
    save(), save(started=START + timedelta(days=1))
    before = fresh()
    import shutil

    shutil.rmtree(tmp_path / "cache")
    assert fresh() == before
    assert the_index().is_file()


GARBAGE = {
    "empty": b"",
    "text": b"not a database at all\n",
    "zeros": b"\0" * 8192,
    "a sqlite header and nothing else": b"SQLite format 3\0" + b"\xff" * 84,
}


@pytest.mark.parametrize("garbage", GARBAGE.values(), ids=GARBAGE.keys())
def test_a_corrupt_index_is_rebuilt_silently(coach_dirs: tuple[Path, Path], garbage: bytes) -> None:
    save()
    before = fresh()
    the_index().write_bytes(garbage)
    assert fresh() == before
    with sqlite3.connect(the_index()) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_a_truncated_index_is_rebuilt_or_still_right(coach_dirs: tuple[Path, Path], keep: float) -> None:
    for day in range(40):
        save(started=START + timedelta(days=day))
    before = fresh()
    raw = the_index().read_bytes()
    the_index().write_bytes(raw[:int(len(raw) * keep)])
    assert fresh() == before
    assert len(open_history().select(Query(grep=search_terms("lisbon")))) == 40


def test_a_damaged_row_is_read_again_from_its_file(coach_dirs: tuple[Path, Path], monkeypatch) -> None:
    path = save(rating=3)
    before = fresh()
    with sqlite3.connect(the_index()) as db:
        (head,) = db.execute("SELECT head FROM files").fetchone()
        db.execute("UPDATE files SET head = ?", (head.replace(b"\x03", b"\x05", 1),))  # rating 3 → 5, say
    seen = reads(monkeypatch)
    assert fresh() == before
    assert seen == [path]


def test_an_index_of_another_version_is_rebuilt(coach_dirs: tuple[Path, Path], monkeypatch) -> None:
    save()
    before = fresh()
    with sqlite3.connect(the_index()) as db:
        db.execute(f"PRAGMA user_version = {INDEX_VERSION + 1}")
    seen = reads(monkeypatch)
    assert fresh() == before
    assert len(seen) == 1
    monkeypatch.setattr(history_index, "INDEX_VERSION", INDEX_VERSION + 7)  # a newer coach
    monkeypatch.setattr(history_index, "_SCHEMA", (*history_index._SCHEMA[:-1],
                                                   f"PRAGMA user_version = {INDEX_VERSION + 7}"))
    assert fresh() == before
    assert len(seen) == 2
    with sqlite3.connect(the_index()) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION + 7


@pytest.mark.parametrize("what", ["folder", "pipe", "pipe beside it", "link to nowhere"])
def test_something_else_where_the_index_goes_costs_only_time(coach_dirs: tuple[Path, Path], what: str) -> None:
    save()
    expected = fresh()
    grep_before = len(open_history().select(Query(grep=search_terms("lisbon"))))
    history_index.discard(the_index())
    if what == "folder":
        the_index().mkdir()
    elif what == "pipe":
        os.mkfifo(the_index())
    elif what == "pipe beside it":
        os.mkfifo(f"{the_index()}-wal")
    else:
        the_index().symlink_to(the_index().with_name("elsewhere") / "x")
    assert fresh() == expected  # a pipe would make SQLite wait forever: it is never opened
    assert len(open_history().select(Query(grep=search_terms("lisbon")))) == grep_before


def test_a_cache_folder_that_cannot_be_made_costs_only_time(coach_dirs: tuple[Path, Path], tmp_path: Path,
                                                           monkeypatch) -> None:
    save()
    expected = fresh()
    (tmp_path / "not a folder").write_text("x", encoding="utf-8")
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "not a folder" / "cache"))
    assert fresh() == expected
    found = open_history()
    assert found.index is not None and found.index.path is None, "kept in memory for this run"
    assert len(found.select(Query(grep=search_terms("marathon")))) == 1


def test_an_index_that_cannot_be_written_is_kept_in_memory(coach_dirs: tuple[Path, Path], monkeypatch) -> None:
    save()
    expected = fresh()
    later = save(started=START + timedelta(days=3))

    def refuse(self: history_index.Index, *_args: object) -> dict:
        if self.path is not None:
            raise history_index.CannotKeep("attempt to write a readonly database")
        return real(self, *_args)

    real = history_index.Index.write
    monkeypatch.setattr(history_index.Index, "write", refuse)
    found = open_history()
    assert [h.path for h in found.headers] == [later, expected[0][0].path]
    assert len(found.select(Query(grep=search_terms("marathon")))) == 2


def test_a_file_changed_a_moment_ago_is_read_again_next_time(coach_dirs: tuple[Path, Path], monkeypatch) -> None:
    fresh_file = summaries.save(a_summary()).toml_path  # written just now: a second edit could keep its size and time
    assert [h.path for h in fresh()[0]] == [fresh_file]
    seen = reads(monkeypatch)
    fresh()
    assert seen == [fresh_file]
    aged(fresh_file)
    fresh()
    fresh()
    assert seen == [fresh_file, fresh_file], "once settled, it is taken from the index"


def test_times_without_an_offset_are_read_again_in_another_time_zone(coach_dirs: tuple[Path, Path],
                                                                    monkeypatch) -> None:
    aware = save()
    naive = write_file(sessions(coach_dirs) / "2026" / "2026-03-06-1000-ada.toml",
                       aware.read_text().replace("2026-01-05 14:00:00+00:00", "2026-03-06 10:00:00")
                       .replace("2026-01-05 14:31:00+00:00", "2026-03-06 10:30:00")
                       .replace(a_summary().id, "2026-03-06-1000-ada"))
    assert len(fresh()[0]) == 2
    seen = reads(monkeypatch)
    monkeypatch.setattr(history_build, "zone", lambda: "somewhere else")
    assert len(fresh()[0]) == 2
    assert seen == [naive], "only the summary whose times depend on the zone"


def test_two_builds_at_once_in_one_process(coach_dirs: tuple[Path, Path], monkeypatch) -> None:
    for day in range(30):
        save(started=START + timedelta(days=day))
    seen = reads(monkeypatch)
    results: list[tuple] = []
    threads = [threading.Thread(target=lambda: results.append(load_headers())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and all(r == results[0] for r in results)
    assert len(seen) == 30, "one builds, the others wait for it"
    assert len(rows()) == 30
    assert fresh() == results[0]


def test_two_connections_at_once_never_say_locked(coach_dirs: tuple[Path, Path]) -> None:
    for day in range(5):
        save(started=START + timedelta(days=day))
    before = fresh()
    other = sqlite3.connect(the_index(), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another coach is writing a batch…
        other.execute("UPDATE files SET read_at = read_at")
        reader = open_history()  # …and a listing still reads (WAL)
        assert reader.headers == before[0]
        assert len(reader.select(Query(grep=search_terms("lisbon")))) == 5
        reader.close()
    finally:
        other.execute("COMMIT")
        other.close()


def test_the_old_cache_in_the_data_folder_goes(coach_dirs: tuple[Path, Path]) -> None:
    save()
    old = coach_dirs[1] / "cache"
    old.mkdir()
    for name in ("summaries.json", "summaries-text.jsonl", ".summaries.json.abc123.tmp"):
        (old / name).write_text("{}", encoding="utf-8")
    load_headers()
    assert not old.exists()
    old.mkdir()
    (old / "summaries.json").write_text("{}", encoding="utf-8")
    (old / "mine.txt").write_text("a file the user put here", encoding="utf-8")
    load_headers()
    assert [p.name for p in old.iterdir()] == ["mine.txt"], "only coach's own files go"


def test_an_in_memory_index_is_never_remembered(coach_dirs: tuple[Path, Path], tmp_path: Path, monkeypatch) -> None:
    save()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "file"))
    load_headers()
    assert history_build._memos == {}


def test_index_files_are_private(coach_dirs: tuple[Path, Path], umask_zero: None) -> None:
    save()
    found = open_history()  # open: -wal and -shm are there
    for each in the_index().parent.iterdir():
        assert stat.S_IMODE(each.stat().st_mode) & 0o077 == 0, each
    found.close()


def sessions(coach_dirs: tuple[Path, Path]) -> Path:
    return coach_dirs[1] / "sessions"


def test_many_files_are_read_by_several_processes(coach_dirs: tuple[Path, Path], monkeypatch) -> None:
    from coach import records

    folder = sessions(coach_dirs) / "2025"
    folder.mkdir(parents=True)
    for n in range(60):
        summary = a_summary(started=START - timedelta(days=n + 1), notes=f"meeting number {n}")
        (folder / f"{summary.id}.toml").write_text(records.encode(summary), encoding="utf-8")
        aged(folder / f"{summary.id}.toml")
    broken = write_file(folder / "2025-01-01-0000-broken.toml", "schema = 1\nid =\n")
    monkeypatch.setattr(history_build, "SHARED_FROM", 10)
    monkeypatch.setattr(history_build, "_workers", lambda: 2)
    monkeypatch.setattr(history_build, "FIRST_BATCH", 5)
    monkeypatch.setattr(history_build, "BATCH", 20)
    updates: list[tuple[int, int]] = []
    t0 = time.monotonic()
    found = open_history(progress=lambda p: updates.append((p.done, p.total)))
    assert time.monotonic() - t0 < 60
    assert len(found.headers) == 60 and [str(p.path) for p in found.problems] == [str(broken)]
    assert updates[0] == (0, 61) and updates[1][0] == 5, "newest first, a few at once"
    assert len(found.select(Query(grep=search_terms('"number 42"')))) == 1
    found.close()
    history_build._memos.clear()
    assert load_headers() == (found.headers, found.problems)


def test_only_the_command_line_reads_a_first_build_in_other_processes(coach_dirs: tuple[Path, Path],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The app builds in a thread with stdout and stderr taken over by Textual, where starting
    processes crashed or hung: only `coach history` and friends may start them (and when they
    cannot, the files are read in this process)."""
    pools: list[int] = []

    def no_pool(workers: int, **_options: object) -> None:
        pools.append(workers)
        raise OSError("no processes here")

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)  # history_build imports it when used
    monkeypatch.setattr(history_build, "SHARED_FROM", 3)
    monkeypatch.setattr(history_build, "_workers", lambda: 2)
    monkeypatch.setattr(history_build, "_has_stderr", lambda: True)
    monkeypatch.setattr(history_build, "_processes_allowed", [False])
    for day in range(5):
        save(started=START + timedelta(days=day))
    assert len(fresh()[0]) == 5 and pools == [], "the app's way: never another process"
    the_index().unlink()
    history_build.allow_processes()
    assert len(fresh()[0]) == 5 and pools == [2], "the command line's way, read here when processes fail"


def test_a_copy_listed_once_is_not_counted_as_a_skipped_file(coach_dirs: tuple[Path, Path]) -> None:
    from coach.history import skipped_files

    original = save()
    copy = sessions_dir() / "archive" / "deeper" / original.name
    copy.parent.mkdir(parents=True)
    copy.write_bytes(original.read_bytes())
    write_file(sessions_dir() / "2026" / "broken.toml", "rating = [\n")
    headers, problems = fresh()
    assert len(headers) == 1 and len(problems) == 2
    assert skipped_files(problems) == 1
