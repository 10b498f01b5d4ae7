"""The history index: one SQLite database in the cache folder, derived from the summaries.

One row per summary file (its header, or the problems that keep it from being read), checked
against the file's size and modification time, and an FTS5 table over each meeting's partner,
notes, reflection, facts, goals and commitments. The TOML summaries stay the only truth: an index
that is missing, of another version, corrupt or in the way is set aside and built again, and one
that cannot be kept on disk is kept in memory for the run. Nothing here ever reaches the user as
an error: a failure only costs the time to read the summaries again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from coach.digest import sha256_hex
from coach.store import cache_dir, data_dir, ensure_dir

INDEX_VERSION = 2  # 2: headers keep what each meeting settled (`MeetingHeader.settled`)
"""`PRAGMA user_version` of the index: bumped whenever what it keeps changes (it is then rebuilt)."""
BUSY_SECONDS = 5.0
"""How long a write waits for another coach's (a few hundred files at most) before giving up."""
COLUMNS = ("partner", "notes", "reflection", "facts", "goals", "commitments")

_SCHEMA = (
    """CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        rel TEXT NOT NULL UNIQUE,     -- the summary's path inside the sessions folder
        size INTEGER NOT NULL,        -- and its size and modification time (ns) when it was read
        mtime INTEGER NOT NULL,
        read_at INTEGER NOT NULL,     -- when it was read (ns): a change in the same instant is not trusted
        zone TEXT NOT NULL,           -- the time zone its times were read in, '' when they carry offsets
        head BLOB,                    -- its header (msgpack), or
        problems BLOB,                -- why it cannot be read: [[line, column, message], ...]
        checksum INTEGER NOT NULL     -- of all the above: a damaged row is read again from its file
    )""",
    f"""CREATE VIRTUAL TABLE texts USING fts5({", ".join(COLUMNS)},
        tokenize = 'unicode61 remove_diacritics 2')""",
    "CREATE TABLE made (token TEXT NOT NULL)",  # tells this index from one built again in its place
    "INSERT INTO made VALUES (lower(hex(randomblob(8))))",
    f"PRAGMA user_version = {INDEX_VERSION}",
)
_WRITE_FAILURES = {"SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_FULL", "SQLITE_BUSY", "SQLITE_LOCKED",
                   "SQLITE_PERM", "SQLITE_IOERR", "SQLITE_NOMEM"}
"""Errors that say the index cannot be kept where it is (rather than that it is damaged)."""
OLD_CACHES = ("summaries.json", "summaries-text.jsonl")
"""What earlier versions kept in `<data>/cache/` (and their temporary files, `.<name>.*.tmp`)."""


FAILURES = (sqlite3.Error, UnicodeDecodeError)
"""What using the index may raise (a damaged one can hold text that is not UTF-8, even in its errors)."""


class CannotKeep(Exception):
    """The index cannot be written where it is (read-only, full, locked…): keep it in memory."""


class Damaged(Exception):
    """The index is not one this coach wrote, or is damaged: set it aside and build it again."""


def classify(error: Exception) -> Exception:
    """CannotKeep or Damaged, as `error` (one of FAILURES) says."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if any(name == failure or name.startswith(f"{failure}_") for failure in _WRITE_FAILURES):
        return CannotKeep(str(error))
    return Damaged(str(error))


class Row(NamedTuple):
    id: int
    size: int
    mtime: int
    read_at: int
    zone: str
    head: bytes | None
    problems: bytes | None
    checksum: int


class Entry(NamedTuple):
    """What to keep of one summary file just read."""

    rel: str
    size: int
    mtime: int
    read_at: int
    zone: str
    head: bytes | None
    problems: bytes | None
    texts: tuple[str, ...] | None  # one per column of COLUMNS, when it reads


def checksum(row_id: int, rel: str, size: int, mtime: int, read_at: int, zone: str, payload: bytes) -> int:
    """Of a whole row: SQLite does not notice a byte changed in a value (a disk's fault, an edit)."""
    text = f"{row_id}\0{rel}\0{size}\0{mtime}\0{read_at}\0{zone}"
    return zlib.crc32(payload, zlib.crc32(text.encode("utf-8", "replace")))


def index_path(root: Path) -> Path:
    """The index of one sessions folder (several data folders on one device each have their own)."""
    digest = sha256_hex(os.fsencode(os.path.abspath(root)))[:16]
    return cache_dir() / f"history-{digest}.sqlite3"


class Index:
    """The database, on disk (`path`) or in memory (`path` is None)."""

    def __init__(self, db: sqlite3.Connection, path: Path | None) -> None:
        self.db = db
        self.path = path

    @classmethod
    def on_disk(cls, path: Path) -> Index:
        """The index at `path`, made if missing. CannotKeep or Damaged when it cannot be used."""
        try:
            ensure_dir(path.parent)
            for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
                with contextlib.suppress(FileNotFoundError):  # a pipe would make SQLite wait forever
                    if not stat.S_ISREG(os.stat(path.with_name(name)).st_mode):
                        raise CannotKeep(f"{path.with_name(name)}: not a regular file")
            if not os.path.lexists(path):
                with contextlib.suppress(FileExistsError):  # private from the start (SQLite gives -wal its mode)
                    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        except OSError as error:
            raise CannotKeep(str(error)) from None
        except FAILURES as error:
            raise classify(error) from None
        try:
            _prepare(db)
            db.execute("PRAGMA synchronous = NORMAL")  # a cache: a power cut may cost it, never the summaries
            db.execute("PRAGMA cache_size = -16000")  # KiB: a first build writes the text index faster
        except FAILURES as error:
            db.close()
            raise classify(error) from None
        except BaseException:
            db.close()
            raise
        return cls(db, path)

    @classmethod
    def in_memory(cls) -> Index:
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        for statement in _SCHEMA:
            db.execute(statement)
        return cls(db, None)

    def token(self) -> str:
        """Different for every index made (row ids mean something in one index only)."""
        if self.path is None:
            return f"memory-{id(self.db)}"
        try:
            (token,) = self.db.execute("SELECT token FROM made").fetchone()
        except (*FAILURES, TypeError, ValueError) as error:
            raise Damaged(str(error)) from None
        return str(token)

    def rows(self) -> dict[str, Row]:
        """Every file the index knows, by its path inside the sessions folder."""
        try:
            return {rel: Row(*rest) for rel, *rest in self.db.execute(
                "SELECT rel, id, size, mtime, read_at, zone, head, problems, checksum FROM files")}
        except FAILURES as error:
            raise classify(error) from None

    def write(self, entries: list[Entry], gone: Sequence[int] = ()) -> dict[str, int]:
        """Keep `entries` (in place of what was known of their files) and forget the rows `gone`, in
        one transaction; the id of each entry's row. CannotKeep or Damaged when it fails."""
        ids = {}
        try:
            with self._transaction():
                self.db.executemany("DELETE FROM files WHERE id = ?", [(i,) for i in gone])
                self.db.executemany("DELETE FROM texts WHERE rowid = ?", [(i,) for i in gone])
                texts = []
                (next_id,) = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM files").fetchone()
                for e in entries:
                    ids[e.rel] = row_id = self._put(e, next_id)
                    next_id += row_id == next_id
                    if e.texts is not None:
                        texts.append((row_id, *e.texts))
                self.db.executemany(f"INSERT INTO texts (rowid, {', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    texts)
        except FAILURES as error:
            raise classify(error) from None
        return ids

    def _put(self, e: Entry, new_id: int) -> int:
        """Its file's row, written over (or made, as row `new_id`); the row's id (its text is to be
        written again). The write lock is held: no other coach makes a row meanwhile."""
        payload = e.head or e.problems or b""
        values = (e.size, e.mtime, e.read_at, e.zone, e.head, e.problems)
        cursor = self.db.execute(
            "INSERT INTO files (id, rel, size, mtime, read_at, zone, head, problems, checksum) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rel) DO NOTHING",
            (new_id, e.rel, *values, checksum(new_id, e.rel, e.size, e.mtime, e.read_at, e.zone, payload)))
        if cursor.rowcount == 1:
            return new_id
        (row_id,) = self.db.execute("SELECT id FROM files WHERE rel = ?", (e.rel,)).fetchone()
        self.db.execute("UPDATE files SET size = ?, mtime = ?, read_at = ?, zone = ?, head = ?, problems = ?, "
                        "checksum = ? WHERE id = ?",
                        (*values, checksum(row_id, e.rel, e.size, e.mtime, e.read_at, e.zone, payload), row_id))
        self.db.execute("DELETE FROM texts WHERE rowid = ?", (row_id,))
        if not isinstance(row_id, int):  # a row whose id a damaged file lost: the index is built again
            raise Damaged(f"the row of {e.rel} has no id")
        return row_id

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")  # the write lock now, or after another coach's batch
        try:
            yield
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- searching -----------------------------------------------------------------------------
    def ranked(self, expression: str) -> dict[int, float]:
        """Row id → bm25 rank (lower is better) of every row matching `expression`. Words found only
        in the partner's name weigh nothing: what ranks a meeting is what was said in it."""
        weights = ", ".join("0.0" if column == "partner" else "1.0" for column in COLUMNS)
        return dict(self.db.execute(f"SELECT rowid, bm25(texts, {weights}) FROM texts WHERE texts MATCH ?",
                                    (expression,)))

    def matching(self, expression: str) -> set[int]:
        return {row_id for (row_id,) in self.db.execute("SELECT rowid FROM texts WHERE texts MATCH ?",
                                                        (expression,))}

    def texts(self, ids: list[int]) -> dict[int, tuple[str, ...]]:
        """What was said in each row of `ids`: its columns but the partner's name."""
        query = f"SELECT rowid, {', '.join(COLUMNS[1:])} FROM texts"
        if len(ids) > 200:  # a listing: one pass over them all
            wanted = set(ids)
            return {row_id: tuple(rest) for row_id, *rest in self.db.execute(query) if row_id in wanted}
        found = (self.db.execute(f"{query} WHERE rowid = ?", (row_id,)).fetchone() for row_id in ids)
        return {row[0]: tuple(row[1:]) for row in found if row is not None}

    def discard(self) -> None:
        """Close it and remove its files (not a folder or anything else put in its place)."""
        self.close()
        if self.path is not None:
            discard(self.path)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()


def _prepare(db: sqlite3.Connection) -> None:
    """Check that `db` is an index of this version, making one of an empty file."""
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == INDEX_VERSION:
            return
        if version != 0 or db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise Damaged(f"an index of version {version}, not {INDEX_VERSION}")
        with contextlib.suppress(sqlite3.OperationalError):  # another coach is reading it: stay as it is
            db.execute("PRAGMA journal_mode = WAL")  # readers never wait for a writer
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] == 0:  # or another coach made it meanwhile
                for statement in _SCHEMA:
                    db.execute(statement)
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise
    except FAILURES as error:
        raise classify(error) from None


def discard(path: Path) -> None:
    """Remove an index and its journal files, when they are files."""
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        each = path.with_name(name)
        with contextlib.suppress(OSError):
            if os.path.islink(each) or each.is_file():
                each.unlink()


def forget_old_caches() -> None:
    """Remove the caches earlier versions kept in `<data>/cache/` (only those files: the folder
    goes when nothing else is in it), so the data folder holds only what the user made."""
    folder = data_dir() / "cache"
    if not os.path.isdir(folder) or os.path.islink(folder):
        return
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            ours = entry.name in OLD_CACHES or (
                entry.name.startswith(".") and entry.name.endswith(".tmp")
                and any(entry.name.startswith(f".{name}.") for name in OLD_CACHES))
            if ours and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
        os.rmdir(folder)  # fails, and stays, when the user keeps something else there
