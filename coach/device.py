"""Files of this device leave the data folder: once, at start, and nothing the user typed is lost.

Versions before the device folder (`coach.store.device_dir`) kept the draft, the lock and the
first-run state in the data folder, beside the partners and summaries, where a folder sync
carries them to other devices. `move_device_files` moves them out; run again, it finds nothing
to do. A draft is never deleted: when this device already keeps its own draft (or has started
this version before), the one in the data folder may come from another device, so it is kept
aside in `drafts-from-data-folder/`, said in a message, and not offered to resume.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from datetime import datetime
from pathlib import Path

from msgspec import Struct

from coach.lock import held_by_an_older_coach, old_lock_path
from coach.store import DRAFT_NAME, STATE_NAME, data_dir, device_dir, ensure_dir, free_name, read_file

DRAFTS_FROM_DATA = "drafts-from-data-folder"
"""Where drafts found in the data folder go when this device has a draft of its own."""


class Notice(Struct, frozen=True):
    """What the user hears about moving: a draft kept aside, a file that could not be moved."""

    message: str
    warning: bool = False


def move_device_files() -> list[Notice]:
    """Move this device's files out of the data folder in use; what the user should be told."""
    data, device = data_dir(), device_dir()
    if held_by_an_older_coach(data):  # it writes its draft there as it goes: all stays until it ends
        return []  # (and the lock then refuses to start a second meeting)
    # The device folder is made at the first start of a version that uses it: a draft in the
    # data folder then is this device's own; later, one can only have come from elsewhere.
    seen_before = os.path.lexists(device)
    notices = _move_state(data, device) + _move_draft(data, device, seen_before)
    for broken in _broken_drafts(data):  # set aside by an older version: they hold what was typed
        notices += _move(broken, _free(device / broken.name))
    notices += _drop_old_lock(data)
    if os.path.isdir(data / "cache"):  # the history index of older versions (sqlite3 is imported only then)
        from coach.history_index import forget_old_caches

        forget_old_caches()
    return notices


def _move_state(data: Path, device: Path) -> list[Notice]:
    """The first-run state says only that the welcome was shown: the device's own, when it has
    one, says as much, and the data folder's goes."""
    old, new = data / STATE_NAME, device / STATE_NAME
    if not os.path.lexists(old):
        return []
    if os.path.lexists(new):
        return _remove(old)
    return _move(old, new)


def _move_draft(data: Path, device: Path, seen_before: bool) -> list[Notice]:
    old = data / DRAFT_NAME
    if not os.path.lexists(old):
        return []
    if not seen_before:
        return _move(old, device / DRAFT_NAME)
    try:
        when = datetime.fromtimestamp(os.lstat(old).st_mtime)
    except (OSError, OverflowError, ValueError):
        when = datetime.now()
    aside = _free(device / DRAFTS_FROM_DATA / f"draft-{when:%Y%m%d-%H%M%S}.toml")
    return _move(old, aside) or [Notice(
        "A draft in the data folder may come from another device: it is not offered to resume here, "
        f"and is kept as {aside}")]


def _drop_old_lock(data: Path) -> list[Notice]:
    """A lock an older version left, which no coach holds: not the user's, and nobody's."""
    old = old_lock_path(data)
    if not os.path.isfile(old) or os.path.islink(old):
        return []
    return _remove(old)


def _broken_drafts(data: Path) -> list[Path]:
    with contextlib.suppress(OSError):
        return sorted(data / entry.name for entry in os.scandir(data)
                      if entry.name.startswith(f"{DRAFT_NAME}.broken-") and entry.is_file(follow_symlinks=False))
    return []


def _move(source: Path, target: Path) -> list[Notice]:
    """Copy `source` (through a link) to `target`, never over another file, then remove it; the
    copy goes again if the original cannot, so a file is never in both places."""
    try:
        body = read_file(source)  # a folder, a pipe or a device stays where it is
        written = os.stat(source).st_mtime
        _write_new(target, body, written)
    except OSError as error:
        return [_could_not(source, target.parent, error)]
    try:
        os.unlink(source)
    except FileNotFoundError:
        pass  # another coach starting at the same moment moved it
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(target)
        return [_could_not(source, target.parent, error)]
    return []


def _remove(path: Path) -> list[Notice]:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as error:
        return [Notice(f"Could not remove {path}, which this version keeps elsewhere: "
                       f"{error.strerror or error}.", warning=True)]
    return []


def _could_not(source: Path, folder: Path, error: OSError) -> Notice:
    return Notice(f"Could not move {source} to {folder}: {error.strerror or error}. "
                  "It stays where it is.", warning=True)


def _write_new(path: Path, body: bytes, mtime: float) -> None:
    """`body` as the new file `path`, whole or not at all, readable by its owner only."""
    ensure_dir(path.parent)
    if os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, "a file is already there", str(path))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp makes it 0600
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        os.utime(tmp, (mtime, mtime))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _free(path: Path) -> Path:
    """`path`, or `<stem>-2<suffix>`, `-3`… when a file is already there."""
    return free_name(path.parent, path.stem, path.suffix)
