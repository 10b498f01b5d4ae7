"""What `coach doctor` finds wrong in the data folder, each said as `PATH:LINE:COL: message`:
conflict copies a sync engine made, git conflict markers, partner files and summaries that cannot
be read, meetings kept in two versions, and files an older coach kept in the (synced) data folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from coach import records
from coach.conflict_fix import kept_versions
from coach.conflicts import ConflictCopy, find_copies, git_marker_line
from coach.model import PartnerRecord
from coach.problems import Problem, ProblemsError, read_text
from coach.store import data_dir, partners_dir, read_file, sessions_dir

LEFTOVERS = ("draft.toml", "coach.lock", "state.toml", "cache")
"""What versions before the device folder kept in the data folder (this device's, never synced)."""


@dataclass
class Findings:
    """Everything wrong, by kind, in the order `coach doctor` prints them."""

    copies: list[Problem]
    markers: list[Problem]
    broken: list[Problem]
    twice: list[Problem]
    leftovers: list[Problem]

    def all(self) -> list[Problem]:
        return [*self.copies, *self.markers, *self.broken, *self.twice, *self.leftovers]


def examine(fixed: bool = False) -> Findings:
    """Look at the data folder; change nothing. `fixed`: `--fix` has just run, so what is left is
    what it could not do (no hint that it would)."""
    found = Findings([], [], [], [], _leftovers(data_dir()))  # before history is read: it removes an old cache
    partner_copies = find_copies(partners_dir())
    found.copies += [_copy_problem(c, "" if fixed or not _mergeable(c) else f"merges it into {c.original.name}")
                     for c in partner_copies]
    summary_copies = find_copies(sessions_dir(), (".toml", ".md"), below=True)
    found.copies += [_copy_problem(c, "" if fixed else _summary_fix(c)) for c in summary_copies]
    found.broken += [Problem(path, 1, 1, f"a partner file coach could not read, kept aside: what it held is not in "
                                         f"{path.name.partition('.toml')[0]}.toml; copy back what you need, then "
                                         "delete this file")
                     for path in sorted(partners_dir().glob("*.toml.broken-*"))]
    broken = _broken_partners(partner_copies) + _broken_summaries()
    for path in dict.fromkeys(p.path for p in broken):  # a file a git merge left markers in: said as such
        if (line := _marker_line(path)) is not None:
            found.markers.append(Problem(path, line, 1, "git conflict markers (<<<<<<< ======= >>>>>>>): keep the "
                                                        "lines you want and delete the markers"))
    marked = {p.path for p in found.markers}
    found.broken += [p for p in broken if p.path not in marked]
    found.twice += [Problem(kept, 1, 1, f"another version of the meeting in {original.name}, kept from a conflict "
                                        "copy: history lists both; compare them and delete the one you do not want")
                    for kept, original in kept_versions(sessions_dir())]
    return found


def _mergeable(copy: ConflictCopy) -> bool:
    """Whether `--fix` can merge this copy: it reads, and so does its file (when there is one)."""
    for path in (copy.path, copy.original):
        if path == copy.original and not os.path.lexists(path):
            continue
        try:
            records.read(PartnerRecord, path)
        except (ProblemsError, OSError):
            return False
    return True


def _copy_problem(copy: ConflictCopy, fix: str) -> Problem:
    what = f"a conflict copy of {copy.original.name} made by {copy.made_by}"
    if not os.path.lexists(copy.original):
        what, fix = f"{what}, which is missing", fix and f"renames it to {copy.original.name}"
    return Problem(copy.path, 1, 1, f"{what}: `coach doctor --fix` {fix}" if fix else
                   f"{what}: not merged while it or {copy.original.name} cannot be read (see the line about it)")


def _summary_fix(copy: ConflictCopy) -> str:
    if copy.path.suffix == ".md":
        return "moves it to conflicts/ (a rendering: the summary's TOML is what counts)"
    try:
        same = read_file(copy.path) == read_file(copy.original)
    except OSError:
        same = False
    return ("moves it to conflicts/ (the same as that file)" if same else
            "keeps both versions of that meeting, this one under a name of its own; history lists both")


def _broken_partners(copies: list[ConflictCopy]) -> list[Problem]:
    from coach.partners import records_in

    problems: list[Problem] = []
    list(records_in(partners_dir(), problems))  # read each one: what cannot be is in `problems`
    for copy in copies:
        try:
            records.read(PartnerRecord, copy.path)
        except ProblemsError as error:
            problems += error.problems
    return problems


def _broken_summaries() -> list[Problem]:
    from coach.history import LISTED_ONCE, load_headers

    _headers, problems = load_headers()
    return [p for p in problems if not p.message.endswith(LISTED_ONCE)]  # a copy of one is said above


def _marker_line(path: Path) -> int | None:
    try:
        return git_marker_line(read_text(path))
    except ProblemsError:
        return None


def _leftovers(data: Path) -> list[Problem]:
    names = [*LEFTOVERS, *sorted(p.name for p in data.glob("draft.toml.broken-*"))] if data.is_dir() else []
    return [Problem(data / name, 1, 1, "the history index of an older coach: coach removes it when it reads history"
                    if name == "cache" else "kept in the data folder by an older coach: it belongs to this device, "
                    "not to a synced folder; the app (or `coach doctor --fix`) moves it out")
            for name in names if os.path.lexists(data / name)]
