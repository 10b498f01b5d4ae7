"""Conflict copies made one with their files again: at the app's start and by `coach doctor --fix`.

- A partner file's copies are merged into it (`coach.partner_merge.merge_records`, order-free), the
  file written atomically, and each merged copy moved to `<data>/conflicts/` (never deleted). A copy
  whose file is missing is that file's only version: it is renamed into place.
- A summary's copy is kept: the same bytes as the summary, it goes to `conflicts/`; different, it
  gets a summary name of its own (`<id>-conflict-<n>.toml`) and history lists both (see
  `coach.history.one_per_meeting`) until the user deletes one. A Markdown rendering's copy goes to
  `conflicts/`: the TOML is the truth, and the kept copy gets a rendering of its own.
- A copy that cannot be read, and any file of the group holding git conflict markers, is reported
  (`PATH:LINE:COL: message`) and left where it is; a partner file that cannot be read is never
  written, so its copies wait too.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

from coach import records
from coach.conflicts import ConflictCopy, find_copies, git_marker_line
from coach.model import PartnerRecord, Summary
from coach.partner_merge import merge_records
from coach.problems import Problem, ProblemsError, read_text
from coach.store import data_dir, ensure_dir, move_to, partners_dir, read_file, sessions_dir, write_atomic
from coach.text import plural

CONFLICTS = "conflicts"
"""`<data>/conflicts/`: the conflict copies coach has merged or found the same, kept for the user."""


def conflicts_dir() -> Path:
    return data_dir() / CONFLICTS


@dataclass(frozen=True)
class Merged:
    """Conflict copies of a partner's file merged into it, then moved to `conflicts/`."""

    partner: str
    path: Path
    copies: tuple[ConflictCopy, ...]
    moved_to: tuple[Path, ...]

    def said(self) -> str:
        engines = " and ".join(dict.fromkeys(c.engine for c in self.copies))
        n = len(self.copies)
        where = "the copy is" if n == 1 else "the copies are"
        return (f"Merged {plural(n, 'conflict copy', 'conflict copies')} of {self.partner}'s file (from {engines}); "
                f"{where} in {CONFLICTS}/")

    def lines(self) -> list[str]:
        return [f"merged {c.path} ({c.made_by}) into {self.path}; the copy is now {to}"
                for c, to in zip(self.copies, self.moved_to, strict=True)]


@dataclass(frozen=True)
class Restored:
    """A file found only as a conflict copy, renamed into place."""

    what: str  # `Ada Lovelace's file`, `The summary of the meeting with Ada Lovelace on 2026-11-28`
    copy: ConflictCopy

    def said(self) -> str:
        return f"{self.what} was only in a conflict copy (from {self.copy.engine}): it is in its place again"

    def lines(self) -> list[str]:
        return [f"renamed {self.copy.path} ({self.copy.made_by}) to {self.copy.original}: it was the only version"]


@dataclass(frozen=True)
class KeptTwice:
    """A summary in two versions: the copy now has a summary name of its own."""

    meeting: str  # `the meeting with Ada Lovelace on 2026-11-28`
    copy: ConflictCopy
    kept_as: Path

    def said(self) -> str:
        return (f"Kept both versions of {self.meeting} (a conflict copy from {self.copy.engine}): history lists "
                "both; compare them and delete the one you do not want")

    def lines(self) -> list[str]:
        return [f"kept {self.copy.path} ({self.copy.made_by}) as {self.kept_as}: another version of "
                f"{self.copy.original}; history lists both"]


@dataclass(frozen=True)
class SetAside:
    """A copy with nothing of its own (the same bytes as its file, or a Markdown rendering), moved
    to `conflicts/`."""

    copy: ConflictCopy
    moved_to: Path

    def said(self) -> str:
        return f"A conflict copy (from {self.copy.engine}) held nothing new: it is in {CONFLICTS}/"

    def lines(self) -> list[str]:
        what = "a rendering of" if self.copy.path.suffix == ".md" else "the same as"
        return [f"moved {self.copy.path} ({self.copy.made_by}), {what} {self.copy.original}, to {self.moved_to}"]


Done = Merged | Restored | KeptTwice | SetAside


@dataclass
class Tidied:
    """What `tidy` did, and what it could not do (each with its place)."""

    done: list[Done]
    problems: list[Problem]


def tidy() -> Tidied:
    """Merge, rename and move aside every conflict copy in the data folder (see the module)."""
    result = Tidied([], [])
    for original, copies in _groups(find_copies(partners_dir())):
        _merge_partner(original, copies, result)
    for copy in find_copies(sessions_dir(), (".toml", ".md"), below=True):
        _keep_summary(copy, result)
    return result


def _groups(copies: Iterable[ConflictCopy]) -> list[tuple[Path, list[ConflictCopy]]]:
    groups: dict[Path, list[ConflictCopy]] = {}
    for copy in copies:
        groups.setdefault(copy.original, []).append(copy)
    return sorted(groups.items())


# -- partner files -----------------------------------------------------------------------------
def _merge_partner(original: Path, copies: list[ConflictCopy], result: Tidied) -> None:
    if (marked := _git_markers(original)) is not None:
        result.problems.append(marked)
        return  # nothing is written into it, nothing moved, until the user has resolved it
    versions: list[tuple[ConflictCopy, PartnerRecord]] = []
    for copy in copies:
        try:
            versions.append((copy, _read_partner(copy.path)))
        except ProblemsError as error:  # stays where it is, said at its line
            result.problems.extend(error.problems)
    if not versions:
        return
    try:
        if not os.path.lexists(original):
            first, record = versions.pop(0)
            os.replace(first.path, original)
            result.done.append(Restored(f"{record.name}'s file", first))
            if not versions:
                return
        base = _read_partner(original)
    except ProblemsError as error:  # a broken partner file is never written over
        result.problems.extend(error.problems)
        return
    except OSError as error:
        result.problems.append(_failed(original, "could not put the conflict copy in its place", error))
        return
    merged = reduce(merge_records, [record for _copy, record in versions], base)
    merged.slug = original.stem
    try:
        if merged != base:
            write_atomic(original, records.encode(merged, empty_lists=False))
    except OSError as error:
        result.problems.append(_failed(original, "could not write the merged partner file", error))
        return
    moved = _move_all([copy for copy, _record in versions], result)
    if moved:
        result.done.append(Merged(merged.name, original, tuple(c for c, _to in moved), tuple(to for _c, to in moved)))


def _read_partner(path: Path) -> PartnerRecord:
    """The record in a partner file or its copy; ProblemsError (git markers said as such) when it
    cannot be used."""
    if (marked := _git_markers(path)) is not None:
        raise ProblemsError([marked])
    return records.read(PartnerRecord, path)


# -- summaries ---------------------------------------------------------------------------------
def _keep_summary(copy: ConflictCopy, result: Tidied) -> None:
    try:
        if not os.path.lexists(copy.original):
            os.replace(copy.path, copy.original)
            result.done.append(Restored(f"The summary of {_meeting_words(copy.original)}", copy))
        elif copy.path.suffix == ".md" or read_file(copy.path) == read_file(copy.original):
            result.done.append(SetAside(copy, move_to_conflicts(copy.path)))
        else:
            for path in (copy.original, copy.path):
                if (marked := _git_markers(path)) is not None:
                    result.problems.append(marked)
                    return
            summary = records.read(Summary, copy.path)  # a broken copy stays, said at its line
            kept_as = _free_name(copy.original)
            os.replace(copy.path, kept_as)
            _render(summary, kept_as)
            result.done.append(KeptTwice(_meeting_words(copy.original), copy, kept_as))
    except ProblemsError as error:
        result.problems.extend(error.problems)
    except OSError as error:
        result.problems.append(_failed(copy.path, "could not move this conflict copy", error))


def kept_versions(folder: Path) -> list[tuple[Path, Path]]:
    """The summaries in `folder` (and below) kept in two versions: (the version, the summary)."""
    pairs = []
    for path in sorted(folder.rglob("*-conflict-*.toml")) if folder.is_dir() else []:
        stem, _, n = path.stem.rpartition("-conflict-")
        if n.isdigit() and not n.startswith("0") and (original := path.with_name(f"{stem}.toml")).exists():
            pairs.append((path, original))
    return pairs


def _free_name(original: Path) -> Path:
    n = 1
    while os.path.lexists(path := original.with_name(f"{original.stem}-conflict-{n}{original.suffix}")):
        n += 1
    return path


def _render(summary: Summary, toml_path: Path) -> None:
    from coach.summaries import to_markdown

    with contextlib.suppress(OSError):  # the TOML is the truth: a missing rendering loses nothing
        write_atomic(toml_path.with_suffix(".md"), to_markdown(summary))


def _meeting_words(path: Path) -> str:
    try:
        summary = records.read(Summary, path)
    except (ProblemsError, OSError):
        return f"the meeting {path.stem}"
    return f"the meeting with {summary.partner} on {summary.started:%Y-%m-%d}"


# -- moving aside ------------------------------------------------------------------------------
def move_to_conflicts(path: Path) -> Path:
    """Move a file into `conflicts/` under its own name (`-2`, `-3`… before its suffix when that is
    taken), readable by its owner only; return where it went."""
    return move_to(path, ensure_dir(conflicts_dir()), path.stem, path.suffix)


def _move_all(copies: list[ConflictCopy], result: Tidied) -> list[tuple[ConflictCopy, Path]]:
    moved = []
    for copy in copies:
        try:
            moved.append((copy, move_to_conflicts(copy.path)))
        except OSError as error:  # merged already: at the next tidy it merges again, changing nothing
            result.problems.append(_failed(copy.path, "merged, but could not be moved to conflicts/", error))
    return moved


def _git_markers(path: Path) -> Problem | None:
    try:
        line = git_marker_line(read_text(path))
    except ProblemsError:
        return None  # not there, or not text: its reader says so
    if line is None:
        return None
    return Problem(path, line, 1, "git conflict markers (<<<<<<< ======= >>>>>>>): keep the lines you want, "
                                  "delete the markers; coach leaves this file alone until then")


def _failed(path: Path, doing: str, error: OSError) -> Problem:
    return Problem(path, 1, 1, f"{doing}: {error.strerror or error}")
