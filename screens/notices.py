"""What coach says in a toast when something happens to its files: the draft, the summary, the
status file, edited decks. The domain reports what happened; the words are chosen here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from coach.history import LISTED_ONCE, skipped_files
from coach.in_progress import (
    AlreadySaved,
    Aside,
    AutosaveFailed,
    AutosaveWorks,
    DraftConflict,
    DraftUnreadable,
    Event,
    PartnerNotUpdated,
)
from coach.problems import Problem
from coach.prompt_watch import Reloaded
from coach.status_file import StatusFileFailed
from coach.text import plural

if TYPE_CHECKING:
    from coach.conflict_fix import Tidied


@dataclass(frozen=True)
class Toast:
    message: str
    title: str = ""
    severity: SeverityLevel = "information"
    timeout: float | None = None


def reason(error: OSError) -> str:
    return str(error.strerror or error)


def about_the_meeting(event: Event) -> Toast:
    """The meeting in progress and its draft."""
    match event:
        case AutosaveFailed(path, error):
            return Toast(f"Could not autosave to {path}: {reason(error)}. Keep the app open; it will retry on the "
                         "next change.", "Autosave failed", "error", 20)
        case AutosaveWorks():
            return Toast("Autosave works again.", timeout=4)
        case DraftUnreadable(problems, aside):
            where = (f"It is kept as {aside.kept_as}, beside where it was." if aside.failure is None else
                     f"It could not be moved aside ({_failure(aside)}); it stays where it is.")
            return Toast("\n".join(map(str, problems)) + f"\nThis unfinished meeting cannot be resumed. {where}",
                         "Could not read the draft", "error", 30)
        case DraftConflict(meeting_id, aside):
            where = (f"it is kept as {aside.kept_as}" if aside.failure is None else
                     f"it could not be moved aside ({_failure(aside)})")
            return Toast(f"A meeting with the id {meeting_id} is already saved, and this draft holds text the "
                         f"summary does not: {where}, beside where it was.", "Draft not resumed", "warning", 30)
        case AlreadySaved(partner):
            return Toast(f"Your meeting with {partner} was saved before coach stopped; nothing was lost.", timeout=6)
        case PartnerNotUpdated(error):
            return Toast(f"The summary is saved, but the partner file could not be updated: {reason(error)}",
                         severity="warning")


def _failure(aside: Aside) -> str:
    return reason(aside.failure) if aside.failure is not None else ""


def status_file_failed(failed: StatusFileFailed) -> Toast:
    return Toast(f"Could not write the status file {failed.path}: {reason(failed.error)}. It is no longer updated.",
                 "Status file", "warning", 8)


PROBLEMS_SHOWN = 3
"""Problems of one prompt file said in its toast; the Decks screen and `coach decks check` say them all."""


def _by_file(problems: list[Problem]) -> list[list[Problem]]:
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(str(problem.path), []).append(problem)
    return list(by_file.values())


def _said(problems: list[Problem]) -> str:
    lines = [str(p) for p in problems[:PROBLEMS_SHOWN]]
    if len(problems) > PROBLEMS_SHOWN:
        lines.append(f"… and {len(problems) - PROBLEMS_SHOWN} more: the Decks screen lists them")
    return "\n".join(lines)


def prompt_problems(problems: list[Problem]) -> list[Toast]:
    """At start: one toast for each deck or template file with problems (skipped when it has errors)."""
    toasts = []
    for found in _by_file(problems):
        broken = any(not p.warning for p in found)
        toasts.append(Toast(_said(found), "Skipped a prompt file" if broken else "Prompt file", "warning", 12))
    return toasts


def prompts_reloaded(reloaded: Reloaded) -> list[Toast]:
    """A problem in an edited file (the last good version stays), and what changed."""
    library = reloaded.library
    in_use = {deck.path for deck in library.decks.values()} | {t.path for t in library.templates.values()}
    toasts = []
    for found in _by_file(reloaded.problems):
        broken = any(not p.warning for p in found)
        then = ("\nThe last good version stays in use." if found[0].path in in_use else
                "\nIt is not used until it is fixed.") if broken else ""
        toasts.append(Toast(_said(found) + then, "Prompt file has a problem", "error" if broken else "warning", 15))
    if reloaded.changed:
        toasts.append(Toast(f"Reloaded: {', '.join(reloaded.changed)}", "Decks and templates updated", timeout=5))
    return toasts


def skipped(problems: list[Problem], already_said: frozenset[str]) -> Toast | None:
    """One toast for the summaries and partner files that could not be read, the files skipped
    first; None when there is none, or when these very problems were already said (opening History
    again during a call does not bring the same toast back)."""
    said = frozenset(map(str, problems))
    if not problems or said <= already_said:
        return None
    count = skipped_files(problems)
    ordered = sorted(problems, key=lambda p: p.message.endswith(LISTED_ONCE))  # skipped files first
    shown = 3  # a toast beside a call stays small: `coach history` lists them all
    lines = [str(p) for p in ordered[:shown]] + (
        [f"… and {len(problems) - shown} more: `coach history` lists them"] if len(problems) > shown else [])
    title = f"Skipped {plural(count, 'file')}" if count else "Listed once"
    return Toast("\n".join(lines), title, "warning", 12)


def calendar_problems(problems: list[Problem], already_said: frozenset[str]) -> Toast | None:
    """One small toast for what is wrong with the calendar files (each at its file and line); None
    when there is nothing, or nothing not said already (the picker shows again after each meeting)."""
    said = frozenset(map(str, problems))
    if not problems or said <= already_said:
        return None
    # Small beside the call: the file's name (not its folders), the first problem in a few words.
    first = min(problems, key=lambda p: p.warning)  # something lost before a guess made
    text = f"{first.path.name}:{first.line}:{first.col}: {first.message}" if first.path else first.message
    lines = [text if len(text) <= CALENDAR_SAID else text[:CALENDAR_SAID - 1] + "…"]
    more = len(problems) - 1
    lines.append(f"{f'and {more} more; ' if more else ''}`coach config check` says all")
    return Toast("\n".join(lines), "Calendar: the rest is read", "warning", 10)


CALENDAR_SAID = 56
"""Characters of a calendar problem a toast shows (`coach config check` says it whole)."""


def about_conflict_copies(tidied: Tidied) -> list[Toast]:
    """What the start did with the conflict copies a folder sync made: one toast each thing done,
    one each thing it could not do (a copy that cannot be read, git conflict markers)."""
    toasts = [Toast(done.said(), "Conflict copies", timeout=15) for done in tidied.done]
    toasts += [Toast(f"{problem}", "Conflict copy not merged", "warning", 20) for problem in tidied.problems]
    return toasts


def conflict_copies_failed(error: Exception) -> Toast:
    return Toast(f"Could not look for conflict copies in the data folder: {error}", "Conflict copies", "warning", 15)
