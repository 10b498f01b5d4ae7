"""The meeting in progress, kept safe: its draft written soon after each change, a draft left
behind found and offered back, and the summary saved once.

Plain Python, no Textual: the app hands it a way to run something later (`schedule`) and a
way to hear what happened (`report`); the wording of toasts and the dialogs stay in the UI.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from coach import draft as drafts
from coach import partners, summaries
from coach.clock import Clock
from coach.meeting import Meeting, Stage
from coach.model import Deck, PendingCapture, Summary
from coach.problems import Problem, ProblemsError
from coach.store import sessions_dir, set_aside
from coach.summaries import SavedSummary

AUTOSAVE_DELAY = 0.25
"""Seconds from a change to the draft write that keeps it. Changes meanwhile join that write, so
fast typing costs at most four writes a second, and a word is on disk within a quarter second."""


class Scheduled(Protocol):
    """A call that `schedule` will make later, unless stopped first."""

    def stop(self) -> None: ...


Schedule = Callable[[float, Callable[[], None]], Scheduled]
"""`schedule(delay, callback)`: call `callback` once, `delay` seconds from now."""


# -- what it reports ------------------------------------------------------------------------
@dataclass(frozen=True)
class Aside:
    """Where a file that cannot be used went: `kept_as` beside where it was, or `failure`."""

    kept_as: str | None = None
    failure: OSError | None = None


@dataclass(frozen=True)
class AutosaveFailed:
    """The first failed draft write (the next ones are not reported until one works)."""

    path: Path
    error: OSError


@dataclass(frozen=True)
class AutosaveWorks:
    """A draft write worked after some failed."""


@dataclass(frozen=True)
class DraftUnreadable:
    """The draft left behind cannot be resumed; it was set aside (never deleted)."""

    problems: list[Problem]
    aside: Aside


@dataclass(frozen=True)
class DraftConflict:
    """A summary with the draft's id is saved, but the draft holds text it does not."""

    meeting_id: str
    aside: Aside


@dataclass(frozen=True)
class AlreadySaved:
    """coach stopped after saving the summary and before removing the draft: nothing is lost."""

    partner: str


@dataclass(frozen=True)
class PartnerNotUpdated:
    """The summary is saved; the partner file could not be updated."""

    error: OSError


Event = AutosaveFailed | AutosaveWorks | DraftUnreadable | DraftConflict | AlreadySaved | PartnerNotUpdated


class SummaryNotSaved(Exception):
    """The summary could not be written in `where`; the meeting and its draft are kept."""

    def __init__(self, where: Path, error: OSError) -> None:
        super().__init__(f"could not write the summary in {where}: {error}")
        self.where, self.error = where, error


class MeetingInProgress:
    """The meeting being held (or left behind), and its draft."""

    def __init__(self, clock: Clock, schedule: Schedule, report: Callable[[Event], None],
                 delay: float = AUTOSAVE_DELAY, keeper: drafts.DraftKeeper | None = None) -> None:
        self.clock = clock
        self.delay = delay
        self.drafts = keeper or drafts.DraftKeeper()
        self.meeting: Meeting | None = None
        self.left_behind: drafts.Draft | None = None
        self._schedule = schedule
        self._report = report
        self._soon: Scheduled | None = None
        self._failing = False

    # -- the draft: written soon after a change ------------------------------------------
    def start(self, meeting: Meeting) -> None:
        """`meeting` is the one in progress now (started, or resumed from its draft)."""
        self.meeting = meeting
        self.changed()

    def changed(self) -> None:
        """Something in the meeting changed: write the draft within `delay` seconds."""
        if self._soon is None and self.meeting is not None:
            self._soon = self._schedule(self.delay, self.save_draft)

    @property
    def writing_soon(self) -> bool:
        """A draft write is scheduled."""
        return self._soon is not None

    def capture_typed(self, pending: PendingCapture | None) -> None:
        """What is typed into an open capture dialog is part of the draft (None: it closed)."""
        if self.meeting is not None:
            self.meeting.unsaved_capture = pending if pending is not None and (pending.text or pending.due) else None
            self.changed()

    def save_draft(self) -> None:
        """Write the draft now (no write when nothing changed); a failure is reported once."""
        self._soon = None
        meeting = self.meeting
        if meeting is None or meeting.stage not in (Stage.PHASE, Stage.WRAP_UP):
            return
        try:
            self.drafts.save(meeting, self.clock.monotonic(), self.clock.wall())
        except OSError as error:
            if not self._failing:
                self._report(AutosaveFailed(self.drafts.path, error))
            self._failing = True
        else:
            if self._failing:
                self._report(AutosaveWorks())
            self._failing = False

    # -- a draft left behind ---------------------------------------------------------------
    def find_left_behind(self) -> drafts.Draft | None:
        """The draft to offer back, if any. One that cannot be resumed is set aside (never
        deleted); one whose meeting was already saved is finished off quietly."""
        try:
            found = drafts.load()
        except ProblemsError as error:
            self._report(DraftUnreadable(error.problems, self._set_aside(drafts.draft_path())))
            found = None
        if found is not None and self._already_saved(found):
            found = None
        self.left_behind = found
        return found

    def discard_left_behind(self) -> None:
        self.left_behind = None
        self.drafts.discard()

    def resume(self, decks: Mapping[str, Deck], count_gap: bool = False) -> Meeting | None:
        """The meeting left behind, as it was; `count_gap`: the time away counts as phase time.
        The caller starts it (`start`) once it is on screen."""
        found = self.left_behind
        if found is None:
            return None
        gap = found.away_seconds(self.clock.wall()) if count_gap else 0.0
        try:
            memory = partners.load_record(found.partner)
        except ProblemsError:
            memory = None  # the prep screen reports the broken file; the meeting itself is intact
        self.left_behind = None
        return found.restore(decks, self.clock.monotonic(), count_gap=gap, memory=memory)

    def end_left_behind(self, decks: Mapping[str, Deck], count_gap: bool = False) -> Meeting | None:
        """The meeting left behind, ended as it stood (to be saved as it is): a capture that was
        being typed is kept as it stood, in its phase, at its time."""
        found = self.left_behind
        meeting = self.resume(decks, count_gap)
        if meeting is None or found is None:
            return None
        if (pending := meeting.unsaved_capture) is not None:
            if pending.text.strip():
                due = _day(pending.due)
                typed = f" (due: {pending.due.strip()})" if pending.due.strip() and due is None else ""
                meeting.capture(pending.kind, pending.text + typed, found.saved_at, pending.owner, due)
            meeting.unsaved_capture = None
        if meeting.stage is Stage.PHASE:
            meeting.end_early(self.clock.monotonic())
        self.meeting = meeting
        return meeting

    # -- the summary -------------------------------------------------------------------------
    def finish(self, folder: Path | None = None) -> SavedSummary | None:
        """Write the summary (into `folder` if given) and fold it into the partner file, then
        drop the draft. SummaryNotSaved keeps everything as it was, draft included."""
        meeting = self.meeting
        if meeting is None:
            return None
        summary = meeting.finish(self.clock.monotonic())
        try:
            saved = summaries.save(summary, folder)
        except OSError as error:
            self.save_draft()
            raise SummaryNotSaved(summaries.summary_path(summary, folder).parent, error) from None
        try:
            partners.remember_meeting(summary)
        except OSError as error:
            self._report(PartnerNotUpdated(error))
        meeting.close()
        self.meeting = None
        if self._soon is not None:
            self._soon.stop()
            self._soon = None
        with contextlib.suppress(OSError):
            self.drafts.discard()
        return saved

    def _already_saved(self, found: drafts.Draft) -> bool:
        """coach stopped after the summary was written, before its draft was removed: the summary
        is the truth. Fold it into the partner file (once) and clear the draft."""
        state = found.state
        path = sessions_dir() / f"{state.started:%Y}" / f"{state.id}.toml"
        if not path.exists():  # moved or copied by hand since: look for its id
            from coach.history import load_headers

            path = next((h.path for h in load_headers()[0] if h.id == state.id), path)
        try:
            summary = summaries.load(path)
        except ProblemsError:
            return False
        if summary.id != state.id:
            return False
        if not _holds(summary, state):  # not the save that was cut short: keep both, say so
            self._report(DraftConflict(state.id, self._set_aside(found.path)))
            return True
        with contextlib.suppress(OSError):
            partners.remember_meeting(summary)
        with contextlib.suppress(OSError):
            found.path.unlink()
        self._report(AlreadySaved(summary.partner))
        return True

    def _set_aside(self, path: Path) -> Aside:
        try:
            return Aside(kept_as=set_aside(path, self.clock.wall()).name)
        except OSError as failure:
            return Aside(failure=failure)


def _holds(summary: Summary, state: drafts.DraftState) -> bool:
    """Everything the draft holds is in the summary. (The summary may hold a little more: the
    words typed between the last autosave and saving.)"""
    notes = {phase.id: phase.notes for phase in summary.phases}
    if any(not notes.get(phase.id, "").startswith(phase.notes) for phase in state.phases):
        return False
    saved = {(item.kind, item.text) for item in summary.captures}
    return (all((item.kind, item.text) in saved for item in state.captures)
            and summary.reflection.startswith(state.reflection.strip()))


def _day(text: str) -> date | None:
    """A due date typed in a dialog that was still open: kept when it is one."""
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None
