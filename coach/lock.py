"""One meeting at a time per data dir: a lock file holding the owner's process id.

The file is in the device folder (`coach.store.device_dir`), never in the data folder, which
may be synced. On POSIX the lock is an `flock` on the file, which the kernel drops when the
process dies (even by kill -9), so a stale lock never blocks anyone. Elsewhere the process id
in the file is checked instead. Older versions kept the lock in the data folder: one an older
coach still holds there counts too.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from coach.store import FILE_MODE, data_dir, device_dir, ensure_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # Windows has no fcntl: the pid check below stands in

LOCK_NAME = "coach.lock"


class AlreadyRunning(Exception):
    """Another coach holds the data dir (`folder`) through the lock file at `path`."""

    def __init__(self, pid: int | None, path: Path, folder: Path | None = None) -> None:
        self.pid, self.path = pid, path
        self.folder = folder if folder is not None else data_dir()
        who = f"process {pid}" if pid else "another process"
        super().__init__(f"coach is already running on {self.folder} ({who})")


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def old_lock_path(folder: Path | None = None) -> Path:
    """Where versions before the device folder kept the lock: in the data folder."""
    return (folder if folder is not None else data_dir()) / LOCK_NAME


def held_by_an_older_coach(folder: Path | None = None) -> bool:
    """An older coach, which keeps its lock in the data folder, runs on `folder` now. A lock file
    there that nobody holds (left behind, or synced from another device) is no one's."""
    path = old_lock_path(folder)
    try:  # never waits: a pipe in its place opens at once, and is no lock
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        if fcntl is None:  # pragma: no cover - Windows
            holder = _read_pid(path)
            return bool(holder and holder != os.getpid() and _alive(holder))
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        return False  # closing the file below lets go of the shared lock just taken
    finally:
        os.close(fd)


class DataLock:
    """Hold the data dir's lock for the life of the app."""

    def __init__(self, path: Path | None = None) -> None:
        self.folder = data_dir()
        self.path = path or device_dir(self.folder) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning naming the holder's process id."""
        if held_by_an_older_coach(self.folder):  # asked first: then the device folder is not made yet
            old = old_lock_path(self.folder)
            raise AlreadyRunning(_read_pid(old), old, self.folder)
        ensure_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise AlreadyRunning(_read_pid(self.path), self.path, self.folder) from None
        else:  # pragma: no cover - Windows
            holder = _read_pid(self.path)
            if holder and holder != os.getpid() and _alive(holder):
                os.close(fd)
                raise AlreadyRunning(holder, self.path, self.folder)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))  # no fsync: another coach reads it from memory,
        self._fd = fd  # and after a power cut no process holds it (an fsync cost the first frame a disk write)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        os.close(self._fd)  # closing drops the flock
        self._fd = None
