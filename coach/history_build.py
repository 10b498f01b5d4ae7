"""Bringing the history index up to date with the summary files.

Each file the index knows, at the size and time it has now, is taken from the index; every other
one is read (newest first, in batches, each written to the index in one transaction, a progress
report between two), and the rows of files gone are dropped. Many files are read by several
processes at once, one a core: a first build of thousands of summaries is mostly TOML parsing.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import NamedTuple

import msgspec

from coach import history_index as ix
from coach.history import MeetingHeader, newest_first, one_per_meeting, read_header, texts_of
from coach.history_scan import Found
from coach.problems import Problem, ProblemsError

RACY_NS = 2_000_000_000
"""A file changed this shortly (in ns) before it was read is read again next time: a same-size edit
in the same clock tick would look unchanged (and FAT keeps times to 2 s)."""
FIRST_BATCH, BATCH = 50, 250
"""Files read between two writes to the index (and two progress reports): the first few soon, so
that a first build shows the newest meetings at once."""
SHARED_FROM = 800
"""From this many files to read, other processes read them too (starting one costs ~0.1 s)."""

Results = dict[str, MeetingHeader | list[Problem]]
"""What the index or the file says of each file: its header, or why it cannot be used."""

_HEAD = msgspec.msgpack.Decoder(MeetingHeader)
_PROBLEMS = msgspec.msgpack.Decoder(list[tuple[int, int, str]])
_ENCODE = msgspec.msgpack.Encoder()


class Progress(NamedTuple):
    """How far a build of the index has come: the meetings read so far, newest first. (`total` 0: the
    meetings as this process found them last time, while the files are checked.)"""

    done: int
    total: int
    headers: list[MeetingHeader]


def zone() -> str:
    """This computer's time zone, as far as a time written without an offset is concerned."""
    return f"{time.tzname}{time.timezone}{time.altzone}"


# -- one file -------------------------------------------------------------------------------------
def read(rel: str, found: Found, zone: str) -> tuple[ix.Entry, MeetingHeader | list[Problem]]:
    """Read one summary file: what to keep of it in the index, and its header or its problems."""
    read_at = time.time_ns()
    try:
        header, summary, zoned = read_header(Path(found.path))
    except ProblemsError as error:
        problems = error.problems or [Problem(Path(found.path), 1, 1, "not a usable summary")]
        payload = _ENCODE.encode([(p.line, p.col, p.message) for p in problems])
        return ix.Entry(rel, found.size, found.mtime, read_at, "", None, payload, None), problems
    return (ix.Entry(rel, found.size, found.mtime, read_at, zone if zoned else "", _ENCODE.encode(header), None,
                     texts_of(summary)), header)


def known(rel: str, row: ix.Row, found: Found, zone: str) -> MeetingHeader | list[Problem] | None:
    """What the index knows of a file, if it is about this version of it; None otherwise."""
    try:
        return _known(rel, row, found, zone)
    except (TypeError, ValueError, OverflowError):  # a value of another type: a damaged row
        return None


def _known(rel: str, row: ix.Row, found: Found, zone: str) -> MeetingHeader | list[Problem] | None:
    if (row.size != found.size or row.mtime != found.mtime or found.mtime + RACY_NS >= row.read_at
            or row.zone not in ("", zone)):
        return None
    payload = row.head if row.head is not None else row.problems
    if payload is None or ix.checksum(row.id, rel, row.size, row.mtime, row.read_at, row.zone, payload) != row.checksum:
        return None
    try:
        if row.head is not None:
            header = _HEAD.decode(row.head)
            header.file = found.path  # where it is now
            return header
        return [Problem(Path(found.path), line, col, message) for line, col, message in _PROBLEMS.decode(payload)]
    except (msgspec.DecodeError, ValueError, TypeError):
        return None


# -- the whole index --------------------------------------------------------------------------------
def synced(path: Path, found: dict[str, Found], report: Callable[[Results, int], None],
           cancelled: Callable[[], bool]) -> tuple[ix.Index, Results, dict[str, int]]:
    """The index brought up to date with `found`, what it says of each file, and each file's row.
    A damaged index is built again; one that cannot be kept on disk is built in memory."""
    attempts = [lambda: ix.Index.on_disk(path), lambda: ix.Index.on_disk(path), ix.Index.in_memory]
    for n, opened in enumerate(attempts):
        index = None
        try:
            index = opened()
            return index, *_sync(index, found, report, cancelled)
        except ix.Damaged:
            if index is not None:
                index.discard()
            else:
                ix.discard(path)
        except ix.CannotKeep:
            if index is not None:
                index.close()
            if n == 0:
                attempts[1] = ix.Index.in_memory  # no use trying the disk again
    raise AssertionError("an index in memory is always kept")  # pragma: no cover


class Memo(NamedTuple):
    """What the last build in this process found, to trust while the files stay as they were."""

    token: str  # of the index (its row ids)
    zone: str
    results: Results
    ids: dict[str, int]
    stamps: dict[str, tuple[int, int]]  # size and modification time of each file


_memos: dict[str, Memo] = {}


def _sync(index: ix.Index, found: dict[str, Found], report: Callable[[Results, int], None],
          cancelled: Callable[[], bool]) -> tuple[Results, dict[str, int]]:
    here = zone()
    token = index.token()
    memo = _memos.get(str(index.path)) if index.path is not None else None
    results: Results = {}
    ids: dict[str, int] = {}
    if memo is not None and (memo.token, memo.zone) == (token, here):  # this process read it all: skip the index
        for rel, each in found.items():
            if memo.stamps.get(rel) == (each.size, each.mtime) and rel in memo.results:
                results[rel] = memo.results[rel]
                if rel in memo.ids:
                    ids[rel] = memo.ids[rel]
        gone = [memo.ids[rel] for rel in memo.results.keys() - found.keys() if rel in memo.ids]
        if gone:
            index.write([], gone)
        stale = [rel for rel in found if rel not in results]
    else:
        stale = _from_index(index, found, results, ids, here)
    results, ids = _read_stale(index, found, stale, results, ids, report, cancelled)
    if not cancelled():
        _remember(index, token, here, found, results, ids)
    return results, ids


def _from_index(index: ix.Index, found: dict[str, Found], results: Results, ids: dict[str, int],
                here: str) -> list[str]:
    """Take what the index knows of each file that is as it was; the files to read again."""
    rows = index.rows()
    stale = []
    for rel, each in found.items():
        row = rows.pop(rel, None)
        result = known(rel, row, each, here) if row is not None else None
        if row is None or result is None:
            stale.append(rel)
        else:
            results[rel] = result
            ids[rel] = row.id
    if rows:  # files gone since
        index.write([], [row.id for row in rows.values()])
    return stale


def _remember(index: ix.Index, token: str, here: str, found: dict[str, Found], results: Results,
              ids: dict[str, int]) -> None:
    """Keep what was found for the next build in this process (not a file changed a moment ago)."""
    if index.path is None:
        return
    now = time.time_ns()
    kept = {rel: result for rel, result in results.items() if found[rel].mtime + RACY_NS < now}
    _memos[str(index.path)] = Memo(token, here, kept, ids, {rel: (found[rel].size, found[rel].mtime) for rel in kept})


def _read_stale(index: ix.Index, found: dict[str, Found], stale: list[str], results: Results, ids: dict[str, int],
                report: Callable[[Results, int], None], cancelled: Callable[[], bool],
                ) -> tuple[Results, dict[str, int]]:
    """Read the files the index does not know as they are, newest first, and keep them in it."""
    here = zone()
    stale.sort(reverse=True)  # newest first: years, then names, start with the date
    if not stale:
        return results, ids
    report(results, len(stale))
    batches = [stale[:FIRST_BATCH]] + [stale[i:i + BATCH] for i in range(FIRST_BATCH, len(stale), BATCH)]
    reading = _reading([[(rel, found[rel]) for rel in batch] for batch in batches], here)
    # (Writing in another thread meanwhile was tried: the two threads handing the GIL back and forth
    # cost more than the writes.)
    try:
        left = len(stale)
        for pairs in reading:
            for entry, result in pairs:
                results[entry.rel] = result
            ids.update(index.write([entry for entry, _result in pairs]))
            left -= len(pairs)
            if cancelled():
                break
            if left:
                report(results, left)
    finally:
        reading.close()  # the other processes stop
    return results, ids


def read_batch(batch: list[tuple[str, Found]], zone: str) -> list[tuple[ix.Entry, MeetingHeader | list[Problem]]]:
    return [read(rel, found, zone) for rel, found in batch]


_processes_allowed = [False]


def allow_processes() -> None:
    """The command line may read a first build in other processes. The app never does: it runs the
    build in a thread, with stdout and stderr taken over by Textual, where starting processes fails
    or hangs."""
    _processes_allowed[0] = True


def _reading(batches: list[list[tuple[str, Found]]], zone: str) -> Generator[list, None, None]:
    """Each batch read, in order: by other processes when there are many files (and cores to spare,
    and processes can be started), else here."""
    workers = _workers()
    if not _processes_allowed[0] or sum(map(len, batches)) < SHARED_FROM or workers < 2 or not _has_stderr():
        yield from (read_batch(batch, zone) for batch in batches)
        return
    import multiprocessing  # only here: the app, which never starts processes, does not load them
    from concurrent.futures import ProcessPoolExecutor

    done = 0
    try:
        context = multiprocessing.get_context("spawn")  # never fork a process that has threads
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_quiet)
        try:
            for result in pool.map(read_batch, batches, [zone] * len(batches)):
                yield result
                done += 1
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
    except Exception:  # no processes here (a sandbox, a limit), or one died: read the rest here
        yield from (read_batch(batch, zone) for batch in batches[done:])


def _has_stderr() -> bool:
    """Processes are started with this one's stderr: not inside the app, which has taken it over
    (Textual gives it no file descriptor). There, reading stays in a thread of the app."""
    try:
        return sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        return False


def _workers() -> int:
    """Processes to read with: one a core (up to 4) when most of a core is spare; else 1 (on a busy
    machine, starting them costs more than they win)."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on every system
        busy = 0.0
    return min(cores, 4) if cores >= 2 and cores - busy >= 0.75 else 1


def _quiet() -> None:
    """In a reading process: the terminal (and Ctrl+C) belong to coach, not to it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)


# -- one build at a time in this process; the others wait for it, and see its progress ---------------
class Cancelled(Exception):
    pass


_builds: dict[str, tuple[threading.Lock, list[tuple[Results, int]]]] = {}
_builds_lock = threading.Lock()


class building:
    """Only one thread of this process brings an index up to date at a time (another coach process
    waits on SQLite's lock instead). While it waits, a thread shows the progress of the one building."""

    def __init__(self, key: str, progress: Callable[[Progress], None] | None,
                 cancelled: Callable[[], bool] | None) -> None:
        with _builds_lock:
            self.lock, self.latest = _builds.setdefault(key, (threading.Lock(), []))
        self.key, self.progress, self.cancelled = key, progress, cancelled

    def __enter__(self) -> Callable[[Results, int], None]:
        while not self.lock.acquire(timeout=0.1):
            if self.cancelled is not None and self.cancelled():
                raise Cancelled
            if self.progress is not None and self.latest:
                results, left = self.latest[-1]
                self.progress(progress_of(dict(results), left))  # a copy: the other thread adds to it
        if self.progress is not None and (memo := _memos.get(self.key)) is not None:
            self.progress(progress_of(memo.results, 0)._replace(done=0, total=0))  # as it was: checked next
        return self.report

    def __exit__(self, *exc: object) -> None:
        self.latest.clear()
        self.lock.release()

    def report(self, results: Results, left: int) -> None:
        self.latest[:] = [(results, left)]
        if self.progress is not None:
            self.progress(progress_of(results, left))


def progress_of(results: Results, left: int) -> Progress:
    pairs = [(r, rel) for rel, r in results.items() if isinstance(r, MeetingHeader)]
    pairs = one_per_meeting(pairs, [])
    pairs.sort(key=lambda pair: newest_first(pair[0]), reverse=True)
    return Progress(len(results), len(results) + left, [h for h, _rel in pairs])
