"""Finding the summary files: every `*.toml` in the sessions folder's year folders and in any
folder below them (an archive a user made), each listed once, whatever links lead to it.

A folder reached twice (a link back up) is read once; a link to nowhere, a pipe or a device is
named as a problem and never opened (a pipe would make the reader wait forever).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import NamedTuple

from coach.problems import Problem


class Found(NamedTuple):
    """A summary file as the scan saw it."""

    path: str
    size: int
    mtime: int  # ns
    file_id: tuple[int, int]  # device and inode: the same file reached by two paths


def scan(root: Path) -> tuple[dict[str, Found], list[Problem]]:
    """`YYYY/name.toml` → the file, for every summary file under `root`; temp files and folders
    (`.…`) ignored."""
    found: dict[str, Found] = {}
    problems: list[Problem] = []
    try:
        folders = [e.path for e in os.scandir(root) if not e.name.startswith(".") and _is_dir(e)]
    except FileNotFoundError:
        return found, problems  # no sessions folder: no meetings yet
    except OSError as error:
        return found, [Problem(root, 1, 1, f"cannot read the sessions folder: {error.strerror or error}")]
    prefix = len(os.path.join(root, ""))
    seen: set[tuple[int, int]] = set()  # folders already read: a link back up is not a loop forever
    while folders:
        folders.sort(key=lambda f: (os.path.islink(f), f))  # a folder itself before a link to it
        folder = folders.pop(0)
        try:
            st = os.stat(folder)
            entries = list(os.scandir(folder))
        except OSError as error:
            problems.append(Problem(Path(folder), 1, 1, f"cannot read folder: {error.strerror or error}"))
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if _is_dir(entry):
                folders.append(entry.path)
            elif entry.name.endswith(".toml"):
                _add(entry, prefix, found, problems)
    return _once(found, problems)


def _add(entry: os.DirEntry, prefix: int, found: dict[str, Found], problems: list[Problem]) -> None:
    try:
        st = entry.stat()  # through a link, to what it points at
    except OSError as error:
        if os.path.lexists(entry.path):  # a link to nowhere, or a loop of links
            problems.append(Problem(Path(entry.path), 1, 1, f"cannot read: {error.strerror or error}"))
        return  # or gone since the listing
    if stat.S_ISREG(st.st_mode):
        rel = entry.path[prefix:].replace(os.sep, "/")
        found[rel] = Found(entry.path, st.st_size, st.st_mtime_ns, (st.st_dev, st.st_ino))
    else:
        problems.append(Problem(Path(entry.path), 1, 1, "cannot read: not a regular file (a pipe or a device)"))


def _once(found: dict[str, Found], problems: list[Problem]) -> tuple[dict[str, Found], list[Problem]]:
    """A summary reached twice (a link to it, or to its year's folder) is listed once: by the
    path that is not a link, and the link is named."""
    by_file: dict[tuple[int, int], list[str]] = {}
    for rel, each in found.items():
        by_file.setdefault(each.file_id, []).append(rel)
    for rels in by_file.values():
        if len(rels) > 1:
            rels.sort(key=lambda rel: (_through_link(found[rel].path), rel))
            for rel in rels[1:]:
                problems.append(Problem(Path(found[rel].path), 1, 1,
                                        f"the same file as {found[rels[0]].path} (through a link): listed once"))
                del found[rel]
    return found, problems


def _through_link(path: str) -> bool:
    with contextlib.suppress(OSError):
        return os.path.realpath(path) != os.path.abspath(path)
    return True


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False
