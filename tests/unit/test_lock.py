"""The data dir's lock: held while coach runs, given back after, private."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from coach.lock import AlreadyRunning, DataLock
from coach.store import device_dir


def test_the_lock_is_held_then_freed(data_root: Path, umask_zero):
    lock = DataLock()
    lock.acquire()
    path = device_dir() / "coach.lock"
    assert not data_root.exists(), "nothing of the lock's is in the data folder"
    assert path.read_text(encoding="ascii").strip() == str(os.getpid())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(AlreadyRunning):
        DataLock().acquire()
    lock.release()
    assert path.read_text(encoding="ascii") == "", "no process id is left behind"
    lock.release()  # twice is harmless
    again = DataLock()
    again.acquire()
    with pytest.raises(AlreadyRunning):
        DataLock().acquire()
    again.release()
