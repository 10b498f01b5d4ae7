"""One meeting at a time per data dir: a lock file holding the owner's process id.

On POSIX the lock is an `flock` on the file, which the kernel drops when the process
dies (even by kill -9), so a stale lock never blocks anyone. Elsewhere the process id in
the file is checked instead.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from coach.store import FILE_MODE, data_dir, ensure_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # Windows has no fcntl: the pid check below stands in

LOCK_NAME = "coach.lock"


class AlreadyRunning(Exception):
    """Another coach holds the data dir."""

    def __init__(self, pid: int | None, path: Path) -> None:
        self.pid, self.path = pid, path
        who = f"process {pid}" if pid else "another process"
        super().__init__(f"coach is already running on {path.parent} ({who})")


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


class DataLock:
    """Hold the data dir's lock for the life of the app."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning naming the holder's process id."""
        ensure_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise AlreadyRunning(_read_pid(self.path), self.path) from None
        else:  # pragma: no cover - Windows
            holder = _read_pid(self.path)
            if holder and holder != os.getpid() and _alive(holder):
                os.close(fd)
                raise AlreadyRunning(holder, self.path)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        os.close(self._fd)  # closing drops the flock
        self._fd = None
