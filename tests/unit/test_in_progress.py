"""The meeting in progress: its draft written soon after a change, a draft left behind, saving once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from coach import draft as drafts
from coach import summaries
from coach.clock import FakeClock
from coach.in_progress import (
    AlreadySaved,
    AutosaveFailed,
    AutosaveWorks,
    DraftConflict,
    DraftUnreadable,
    Event,
    MeetingInProgress,
    SummaryNotSaved,
)
from coach.meeting import Meeting, Stage
from coach.model import CaptureKind, Owner, PendingCapture
from coach.prompts import load_library


@dataclass
class Call:
    delay: float
    callback: Callable[[], None]
    stopped: bool = False

    def stop(self) -> None:
        self.stopped = True


@dataclass
class Later:
    """A scheduler that runs nothing until told to: `run()` is the delay passing."""

    calls: list[Call] = field(default_factory=list)

    def __call__(self, delay: float, callback: Callable[[], None]) -> Call:
        self.calls.append(Call(delay, callback))
        return self.calls[-1]

    def run(self) -> None:
        due, self.calls = self.calls, []
        for call in due:
            if not call.stopped:
                call.callback()


@pytest.fixture
def later() -> Later:
    return Later()


@pytest.fixture
def heard() -> list[Event]:
    return []


@pytest.fixture
def keeping(clock: FakeClock, later: Later, heard: list[Event], data_root: Path) -> MeetingInProgress:
    return MeetingInProgress(clock, later, heard.append, delay=0.25)


def a_meeting(clock: FakeClock, partner: str = "Ada") -> Meeting:
    library = load_library()
    meeting = Meeting(partner, library.templates["standard"], library.decks)
    meeting.start(clock.monotonic(), clock.wall())
    return meeting


def on_disk() -> str:
    path = drafts.draft_path()
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_changes_join_one_write_after_the_delay(keeping, later, clock):
    meeting = a_meeting(clock)
    keeping.start(meeting)
    meeting.set_notes("first words")
    keeping.changed()
    keeping.changed()
    assert [call.delay for call in later.calls] == [0.25], "one write for all the changes meanwhile"
    assert keeping.writing_soon and on_disk() == ""
    later.run()
    assert "first words" in on_disk()
    assert not keeping.writing_soon
    meeting.set_notes("first words and more")
    keeping.changed()
    later.run()
    assert "and more" in on_disk()


def test_nothing_is_scheduled_without_a_meeting(keeping, later):
    keeping.changed()
    keeping.capture_typed(PendingCapture(kind=CaptureKind.FACT, text="x"))
    assert later.calls == []


def test_what_is_typed_in_a_dialog_is_in_the_draft_until_it_closes(keeping, later, clock):
    meeting = a_meeting(clock)
    keeping.start(meeting)
    keeping.capture_typed(PendingCapture(kind=CaptureKind.COMMITMENT, text="send the", owner=Owner.THEM))
    later.run()
    state = drafts.load()
    assert state is not None and state.state.unsaved_capture is not None
    assert state.state.unsaved_capture.text == "send the"
    keeping.capture_typed(PendingCapture(kind=CaptureKind.FACT, text=""))  # an empty field is nothing typed
    assert meeting.unsaved_capture is None
    keeping.capture_typed(None)
    later.run()
    loaded = drafts.load()
    assert loaded is not None and loaded.state.unsaved_capture is None


def test_a_failing_autosave_is_said_once_and_its_recovery_too(keeping, later, heard, clock, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    good = keeping.drafts.path
    keeping.drafts.path = blocker / "draft.toml"
    meeting = a_meeting(clock)
    keeping.start(meeting)
    for words in ("one", "two", "three"):
        meeting.set_notes(words)
        keeping.changed()
        later.run()
    assert [type(e) for e in heard] == [AutosaveFailed]
    assert isinstance(heard[0], AutosaveFailed) and heard[0].path == blocker / "draft.toml"
    keeping.drafts.path = good
    meeting.set_notes("four")
    keeping.changed()
    later.run()
    assert [type(e) for e in heard] == [AutosaveFailed, AutosaveWorks]
    assert "four" in on_disk()


def test_finishing_saves_once_and_drops_the_draft(keeping, later, heard, clock, data_root):
    meeting = a_meeting(clock)
    keeping.start(meeting)
    meeting.set_notes("the notes")
    meeting.end_early(clock.monotonic())
    keeping.save_draft()
    assert on_disk()
    keeping.changed()
    pending = later.calls[-1]
    saved = keeping.finish()
    assert saved is not None and saved.toml_path.exists()
    assert "the notes" in saved.toml_path.read_text(encoding="utf-8")
    assert on_disk() == "" and keeping.meeting is None
    assert pending.stopped, "no draft is written after the summary"
    assert keeping.finish() is None, "a second finish saves nothing more"
    assert len(list((data_root / "sessions").rglob("*.toml"))) == 1
    assert heard == []


def test_a_summary_that_cannot_be_written_keeps_the_meeting_and_its_draft(keeping, clock, tmp_path):
    meeting = a_meeting(clock)
    meeting.set_notes("keep me")
    meeting.end_early(clock.monotonic())
    keeping.start(meeting)
    keeping.save_draft()
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(SummaryNotSaved) as failure:
        keeping.finish(blocker / "summaries")
    assert failure.value.where == blocker / "summaries"
    assert keeping.meeting is meeting
    assert "keep me" in on_disk()
    assert keeping.finish() is not None, "and saving it again (elsewhere) works"


def left_behind(clock: FakeClock, notes: str = "words typed before the crash") -> Meeting:
    """A meeting in its second phase, kept in the draft as a crash would leave it."""
    meeting = a_meeting(clock)
    meeting.set_notes(notes)
    clock.advance(60)
    meeting.next_phase(clock.monotonic())
    meeting.capture(CaptureKind.FACT, "likes sailing", clock.wall())
    drafts.DraftKeeper().save(meeting, clock.monotonic(), clock.wall())
    return meeting


def test_a_draft_left_behind_is_found_and_resumed_as_it_was(keeping, clock):
    left_behind(clock)
    clock.advance(600)
    found = keeping.find_left_behind()
    assert found is not None and keeping.left_behind is found
    meeting = keeping.resume(load_library().decks)
    assert meeting is not None and meeting.stage is Stage.PHASE and meeting.index == 1
    assert meeting.phases[0].notes == "words typed before the crash"
    assert meeting.current is not None and meeting.current.clock.at(clock.monotonic()) == 0.0, "time away not counted"
    assert keeping.left_behind is None


def test_the_time_away_counts_when_asked(keeping, clock):
    left_behind(clock)
    clock.advance(600)
    keeping.find_left_behind()
    meeting = keeping.resume(load_library().decks, count_gap=True)
    assert meeting is not None and meeting.current is not None
    assert meeting.current.clock.at(clock.monotonic()) == pytest.approx(600)


def test_saving_a_draft_as_it_is_keeps_the_capture_being_typed(keeping, clock):
    meeting = left_behind(clock)
    meeting.unsaved_capture = PendingCapture(kind=CaptureKind.COMMITMENT, text="send the slides", due="soon")
    drafts.DraftKeeper().save(meeting, clock.monotonic(), clock.wall())
    keeping.find_left_behind()
    ended = keeping.end_left_behind(load_library().decks)
    assert ended is not None and ended.stage is Stage.WRAP_UP and keeping.meeting is ended
    assert [c.text for c in ended.captures] == ["likes sailing", "send the slides (due: soon)"]
    saved = keeping.finish()
    assert saved is not None and on_disk() == ""


def test_a_draft_that_cannot_be_read_is_set_aside_and_said(keeping, heard, data_root):
    path = drafts.draft_path()
    path.parent.mkdir(parents=True)
    path.write_text("schema = 1\nkind = [\n", encoding="utf-8")
    assert keeping.find_left_behind() is None
    [event] = heard
    assert isinstance(event, DraftUnreadable) and event.problems and event.aside.kept_as
    assert (path.parent / event.aside.kept_as).exists()
    assert not path.exists()


def saved_at_wrap_up(clock: FakeClock) -> Meeting:
    """A meeting whose summary was written, and whose draft (at the wrap-up) was left behind."""
    meeting = left_behind(clock)
    meeting.end_early(clock.monotonic())
    drafts.DraftKeeper().save(meeting, clock.monotonic(), clock.wall())
    summaries.save(meeting.finish(clock.monotonic()))  # coach stopped right after this
    return meeting


def test_a_draft_whose_summary_is_saved_is_finished_off_quietly(keeping, heard, clock):
    saved_at_wrap_up(clock)
    assert keeping.find_left_behind() is None
    assert heard == [AlreadySaved("Ada")]
    assert on_disk() == ""


def test_a_draft_holding_more_than_its_saved_summary_is_kept_aside(keeping, heard, clock):
    meeting = saved_at_wrap_up(clock)
    meeting.phases[0].notes = "other words entirely"
    drafts.DraftKeeper().save(meeting, clock.monotonic(), clock.wall())
    assert keeping.find_left_behind() is None
    [event] = heard
    assert isinstance(event, DraftConflict) and event.meeting_id == meeting.id and event.aside.kept_as
