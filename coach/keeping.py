"""Keeping the meeting in progress safe: its autosaved draft, resume, and saving the summary.

Mixed into `CoachApp`; it holds no widgets of its own and imports no Textual (the screens it
shows are imported when needed), so the app module stays about wiring.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from coach import draft as drafts
from coach import partners, summaries
from coach.meeting import Meeting, Stage
from coach.model import PendingCapture, Summary
from coach.problems import ProblemsError
from coach.store import sessions_dir, set_aside

AUTOSAVE_DELAY = 0.25
"""Seconds from a change to the draft write that keeps it. Changes meanwhile join that write, so
fast typing costs at most four writes a second, and a word is on disk within a quarter second."""


class MeetingKeeper:
    """Autosave, resume and save for the app's `meeting` (set by the app's screens)."""

    meeting: Meeting | None
    pending_draft: drafts.Draft | None
    autosave_delay: float

    def _find_draft(self) -> drafts.Draft | None:
        """The draft to offer back, if any. One that cannot be resumed is set aside with a message
        (never deleted); one whose meeting was already saved is finished off quietly."""
        try:
            found = drafts.load()
        except ProblemsError as error:
            path = drafts.draft_path()
            try:
                where = f"It is kept as {set_aside(path, self.clock.wall()).name}, beside where it was."
            except OSError as failure:
                where = f"It could not be moved aside ({failure.strerror or failure}); it stays where it is."
            self.notify("\n".join(map(str, error.problems)) + f"\nThis unfinished meeting cannot be resumed. {where}",
                        title="Could not read the draft", severity="error", timeout=30)
            return None
        if found is not None and self._already_saved(found):
            return None
        return found

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
            try:
                where = f"it is kept as {set_aside(found.path, self.clock.wall()).name}"
            except OSError as failure:
                where = f"it could not be moved aside ({failure.strerror or failure})"
            self.notify(f"A meeting with the id {state.id} is already saved, and this draft holds text the "
                        f"summary does not: {where}, beside where it was.", title="Draft not resumed",
                        severity="warning", timeout=30)
            return True
        with contextlib.suppress(OSError):
            partners.remember_meeting(summary)
        with contextlib.suppress(OSError):
            found.path.unlink()
        self.notify(f"Your meeting with {summary.partner} was saved before coach stopped; nothing was lost.",
                    timeout=6)
        return True

    # -- the draft: autosave, resume -------------------------------------------------------
    def meeting_changed(self) -> None:
        """Something in the meeting changed: write the draft within `autosave_delay` seconds."""
        if self._autosave is None and self.meeting is not None:
            self._autosave = self.set_timer(self.autosave_delay, self.save_draft)

    def capture_typed(self, pending: PendingCapture | None) -> None:
        """What is typed into an open capture dialog is part of the draft (None: the dialog closed)."""
        if self.meeting is not None:
            self.meeting.unsaved_capture = pending if pending is not None and (pending.text or pending.due) else None
            self.meeting_changed()

    def save_draft(self) -> None:
        """Write the draft now (no write when nothing changed); say so once if it fails."""
        self._autosave = None
        meeting = self.meeting
        if meeting is None or meeting.stage not in (Stage.PHASE, Stage.WRAP_UP):
            return
        try:
            self.drafts.save(meeting, self.clock.monotonic(), self.clock.wall())
        except OSError as error:
            if not self._autosave_failing:
                self.notify(f"Could not autosave to {self.drafts.path}: {error.strerror or error}. "
                            "Keep the app open; it will retry on the next change.",
                            title="Autosave failed", severity="error", timeout=20)
            self._autosave_failing = True
        else:
            if self._autosave_failing:
                self.notify("Autosave works again.", timeout=4)
            self._autosave_failing = False

    def offer_draft(self) -> None:
        from screens.resume import ResumeScreen

        if self.pending_draft is not None:
            self.push_screen(ResumeScreen(self.pending_draft, self.clock.wall()), self._draft_chosen)

    def _draft_chosen(self, choice) -> None:
        found = self.pending_draft
        if choice is None or found is None:
            return
        if choice.action == "later":
            if len(self.screen_stack) <= 1:
                self._first_screen()
            return
        if choice.action == "discard":
            self.pending_draft = None
            self.drafts.discard()
            self.notify("Draft discarded.", timeout=3)
            if len(self.screen_stack) <= 1:
                self._first_screen()
            return
        gap = found.away_seconds(self.clock.wall()) if choice.count_gap else 0.0
        try:
            memory = partners.load_record(found.partner)
        except ProblemsError:
            memory = None  # the prep screen reports the broken file; the meeting itself is intact
        meeting = found.restore(self.library.decks, self.clock.monotonic(), count_gap=gap, memory=memory)
        self.pending_draft = None
        if choice.action == "save":
            if (pending := meeting.unsaved_capture) is not None:  # it was being typed: keep it as it
                if pending.text.strip():                            # stood, in its phase, at its time
                    due = _day(pending.due)
                    typed = f" (due: {pending.due.strip()})" if pending.due.strip() and due is None else ""
                    meeting.capture(pending.kind, pending.text + typed, found.saved_at, pending.owner, due)
                meeting.unsaved_capture = None
            if meeting.stage is Stage.PHASE:
                meeting.end_early(self.clock.monotonic())
            self.meeting = meeting
            self.save_meeting()
        elif meeting.stage is Stage.PHASE:
            self.open_meeting(meeting)
        else:
            self.open_wrap_up(meeting)
        if meeting.unsaved_capture is not None:
            self.call_after_refresh(lambda: self.screen.reopen_capture())

    # -- saving the summary ----------------------------------------------------------------
    def save_meeting(self, folder: Path | None = None) -> None:
        """Write the summary; on failure keep everything and offer a retry or another folder."""
        meeting = self.meeting
        if meeting is None:
            return
        summary = meeting.finish(self.clock.monotonic())
        try:
            saved = summaries.save(summary, folder)
        except OSError as error:
            from screens.save_failed import SaveFailedScreen

            self.save_draft()
            where = summaries.summary_path(summary, folder).parent
            self.push_screen(SaveFailedScreen(where, error), self._after_failed_save)
            return
        try:
            partners.remember_meeting(summary)
        except OSError as error:
            self.notify(f"The summary is saved, but the partner file could not be updated: "
                        f"{error.strerror or error}", severity="warning")
        meeting.close()
        self.meeting = None
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        with contextlib.suppress(OSError):
            self.drafts.discard()
        self.show_saved(saved)

    def _after_failed_save(self, answer: Path | str | None) -> None:
        if answer == "retry":
            self.save_meeting()
        elif isinstance(answer, Path):
            self.save_meeting(answer)
        elif self.meeting is not None and self.meeting.stage is Stage.WRAP_UP and len(self.screen_stack) <= 1:
            self.open_wrap_up(self.meeting)


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
