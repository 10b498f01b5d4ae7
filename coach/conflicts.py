"""Conflict copies: the second version of a file that a sync engine writes beside the first when two
devices changed it before they heard from each other. Recognised by name, engine by engine:

- Syncthing: `<stem>.sync-conflict-20261130-141503-ABCDEF7.toml` (older ones without the device id)
- Dropbox: `<stem> (Laptop's conflicted copy 2026-11-30).toml`, also without the device's name and
  with a number: `<stem> (Laptop's conflicted copy 2026-11-30 (1)).toml`
- Nextcloud: `<stem> (conflicted copy 2026-11-30 141503).toml`; ownCloud before 2.5:
  `<stem>_conflict-20261130-141503.toml`
- iCloud Drive: `<stem> 2.toml`, only when `<stem>.toml` (or another engine's copy of it) is beside
  it (a name may end in a number)
- coach itself: `<stem>.coach-waiting-20261130-141503.toml`, a meeting's memory kept beside a
  partner file holding git conflict markers, merged once they are resolved

Pure functions on names, and `find_copies`, which lists a folder. Partner slugs and summary ids hold
letters, digits and dashes only, so none of coach's own file names looks like a copy.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

SYNCTHING, DROPBOX, NEXTCLOUD, OWNCLOUD, ICLOUD = "Syncthing", "Dropbox", "Nextcloud", "ownCloud", "iCloud"
COACH = "coach"
"""coach's own copy: a meeting's memory written beside a partner file it could not read (git markers)."""

_EXT = r"(?P<ext>\.[A-Za-z0-9]+)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (SYNCTHING, re.compile(rf"(?P<stem>.+)\.sync-conflict-\d{{8}}-\d{{6}}(?:-(?P<device>[A-Z2-7]{{7}}))?{_EXT}")),
    (NEXTCLOUD, re.compile(rf"(?P<stem>.+) \(conflicted copy \d{{4}}-\d{{2}}-\d{{2}} \d{{6}}\){_EXT}", re.I)),
    (DROPBOX, re.compile(rf"(?P<stem>.+) \((?:(?P<device>[^()]+?)['\u2019]s )?conflicted copy "
                         rf"\d{{4}}-\d{{2}}-\d{{2}}(?: \(\d+\))?\){_EXT}", re.I)),
    (OWNCLOUD, re.compile(rf"(?P<stem>.+)_conflict-\d{{8}}-\d{{6}}{_EXT}")),
    (COACH, re.compile(rf"(?P<stem>.+)\.coach-waiting-\d{{8}}-\d{{6}}(?:-\d+)?{_EXT}")),
]
_ICLOUD = re.compile(rf"(?P<stem>.+) (?:[2-9]|[1-9]\d+){_EXT}")


@dataclass(frozen=True)
class CopyName:
    """What a conflict copy's name says: the name of the file it is a version of, and which engine
    made it (and on which device, when the name says)."""

    original: str
    engine: str
    device: str = ""


def copy_name(name: str, beside: Collection[str] = ()) -> CopyName | None:
    """The conflict copy `name` is, or None. `beside`: the names in its folder (iCloud's copies are
    told from a name ending in a number only by the original beside them)."""
    for engine, pattern in _PATTERNS:
        if found := pattern.fullmatch(name):
            return CopyName(found["stem"] + found["ext"], engine, (found.groupdict().get("device") or "").strip())
    if (found := _ICLOUD.fullmatch(name)) and (original := found["stem"] + found["ext"]) in beside:
        return CopyName(original, ICLOUD)
    return None


@dataclass(frozen=True)
class ConflictCopy:
    """A conflict copy on disk, the file it is a version of (which may be missing), and its engine."""

    path: Path
    original: Path
    engine: str
    device: str = ""

    @property
    def made_by(self) -> str:
        """`Syncthing`, `Dropbox on Laptop`: who made it, as the name says."""
        return f"{self.engine} on {self.device}" if self.device else self.engine


def find_copies(folder: Path, suffixes: tuple[str, ...] = (".toml",), below: bool = False) -> list[ConflictCopy]:
    """The conflict copies in `folder` (and its subfolders when `below`) among files ending in one of
    `suffixes`, sorted by path. Names starting with `.` (temporary files) are left out; a folder that
    cannot be read gives none."""
    found: list[ConflictCopy] = []
    folders = [folder]
    while folders:
        here = folders.pop()
        try:
            entries = [e for e in os.scandir(here) if not e.name.startswith(".")]
        except OSError:
            continue
        names = {e.name for e in entries}
        copies = {e.name: copy for e in entries if e.name.endswith(suffixes) and (copy := copy_name(e.name, names))}
        # An iCloud copy whose file is gone is still told by another engine's copy of that file beside it.
        originals = names | {copy.original for copy in copies.values()}
        copies |= {e.name: copy for e in entries
                   if e.name not in copies and e.name.endswith(suffixes) and (copy := copy_name(e.name, originals))}
        for entry in entries:
            if below and _is_dir(entry):
                folders.append(Path(entry.path))
            elif (copy := copies.get(entry.name)) is not None:
                found.append(ConflictCopy(Path(entry.path), Path(here) / copy.original, copy.engine, copy.device))
    return sorted(found, key=lambda c: c.path)


def is_copy(path: Path) -> bool:
    """Whether `path` is a conflict copy (for readers that list a folder and must skip them)."""
    if copy_name(path.name) is not None:
        return True
    found = _ICLOUD.fullmatch(path.name)
    return found is not None and os.path.lexists(path.with_name(found["stem"] + found["ext"]))


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


# -- git conflict markers ----------------------------------------------------------------------
_MARKERS = re.compile(r"^<<<<<<<(?: .*)?$(?:.*\n)*?^=======$(?:.*\n)*?^>>>>>>>(?: .*)?$", re.MULTILINE)


def git_marker_line(text: str) -> int | None:
    """The line (1-based) where a git merge left its conflict markers (`<<<<<<<`, `=======`,
    `>>>>>>>`, each at a line's start, in that order) in `text`, or None."""
    text = text.replace("\r\n", "\n")
    found = _MARKERS.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1
