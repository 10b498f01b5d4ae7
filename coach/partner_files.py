"""Which file is whose in `partners/`: found by the name inside each file (its name line is
enough), with what that takes and nothing more, so coach can tell whether someone has a file before
it loads what reads partner records."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from coach.problems import ProblemsError, parse_toml, read_text
from coach.store import normalize_name, partners_dir, slugify


def partner_path(name: str) -> Path:
    """The partner's file, found by the name inside it: `partners/<slug>.toml` when it is theirs,
    else a file written by hand under another name, else `<slug>-2.toml`, `-3`… when another
    person's name gives the same slug (so two names never share a file)."""
    wanted = normalize_name(name)
    slug = slugify(name)
    for n in range(1, 1000):
        path = partners_dir() / (f"{slug}.toml" if n == 1 else f"{slug}-{n}.toml")
        if not os.path.lexists(path):
            return file_named(wanted) or path
        if owner(path) in (wanted, None):  # theirs (or unreadable: most likely theirs, broken by an edit)
            return path
    raise OSError(errno.EEXIST, "too many partners with the same name in their file names", str(path))


_NAME_LINE = re.compile(r"""^[ \t]*["']?name["']?[ \t]*=[ \t]*"((?:[^"\\\n]|\\.)*)"[ \t]*(?:#.*)?$""", re.MULTILINE)


def has_file(name: str) -> bool:
    """A partner file holds `name` as it is (read from its name line only): the name typed whole,
    which `find_named` finds alone, without the history being read."""
    path = partner_path(name)
    return os.path.isfile(path) and owner(path) == normalize_name(name)


def owner(path: Path) -> str | None:
    """The name in a partner file, even when the rest of it is wrong (even when it is not TOML any
    more: its `name = "…"` line is enough); None when no name can be read."""
    try:
        text = read_text(path)
    except ProblemsError:
        return None
    try:
        name = parse_toml(path, text).get("name")
    except ProblemsError:
        found = _NAME_LINE.search(text)
        try:
            name = parse_toml(path, f'name = "{found.group(1)}"')["name"] if found else None
        except ProblemsError:
            name = None
    return normalize_name(name) if isinstance(name, str) else None


def file_named(name: str) -> Path | None:
    folder = partners_dir()
    for path in partner_files(folder):
        if owner(path) == name:
            return path
    return None


def partner_files(folder: Path) -> list[Path]:
    """The partner files of `folder` (not its subfolders), sorted; a sync engine's conflict copy of
    one is not another partner (`coach.conflict_fix` merges it into its file)."""
    from coach.conflicts import is_copy  # only when a folder is listed: prep by name need not load it
    return [p for p in sorted(folder.glob("*.toml")) if not is_copy(p)] if folder.is_dir() else []
