"""The draft keeps the whole meeting; the lock keeps one app per data dir."""

from __future__ import annotations

import os
import stat
from datetime import date

import pytest

from coach import draft as drafts
from coach.clock import FakeClock
from coach.lock import AlreadyRunning, DataLock
from coach.meeting import Meeting, Stage
from coach.model import CaptureKind, Owner
from coach.problems import ProblemsError
from coach.prompts import load_library


def _meeting(clock: FakeClock) -> Meeting:
    library = load_library()
    meeting = Meeting("Zoë O'Brien", library.template("standard"), library.decks)
    meeting.start(clock.monotonic(), clock.wall())
    meeting.set_notes('first "quoted" notes\nline two \\ backslash')
    meeting.next_card()
    meeting.next_card()
    clock.advance(90)
    meeting.next_phase(clock.monotonic())
    meeting.set_notes("goal notes")
    meeting.add_minute()
    meeting.capture(CaptureKind.COMMITMENT, "send the book", clock.wall(), Owner.THEM, date(2026, 4, 1))
    meeting.capture(CaptureKind.FACT, "likes tea", clock.wall())
    clock.advance(30)
    return meeting


def test_a_draft_round_trips_the_whole_meeting():
    clock = FakeClock()
    meeting = _meeting(clock)
    keeper = drafts.DraftKeeper()
    assert keeper.save(meeting, clock.monotonic(), clock.wall()) is True
    assert stat.S_IMODE(drafts.draft_path().stat().st_mode) == 0o600
    clock.advance(5)
    found = drafts.load()
    restored = found.restore(load_library().decks, clock.monotonic())
    assert restored.partner == "Zoë O'Brien" and restored.id == meeting.id
    assert restored.stage is Stage.PHASE and restored.index == 1
    assert restored.phases[0].notes == 'first "quoted" notes\nline two \\ backslash'
    assert restored.phases[0].card_index == 2
    assert restored.phases[0].clock.elapsed == pytest.approx(90)
    assert restored.current.clock.planned == pytest.approx(15 * 60 + 60)
    assert restored.current.clock.at(clock.monotonic()) == pytest.approx(30), "the 5 s away are not counted"
    assert [(c.kind, c.text, c.owner, c.due) for c in restored.captures] == [
        (CaptureKind.COMMITMENT, "send the book", Owner.THEM, date(2026, 4, 1)),
        (CaptureKind.FACT, "likes tea", Owner.ME, None),
    ]
    assert found.away_seconds(clock.wall()) == pytest.approx(5)


def test_a_paused_meeting_stays_paused_and_counts_no_gap():
    clock = FakeClock()
    meeting = _meeting(clock)
    meeting.pause(clock.monotonic())
    drafts.DraftKeeper().save(meeting, clock.monotonic(), clock.wall())
    clock.advance(300)
    restored = drafts.load().restore(load_library().decks, clock.monotonic(), count_gap=300)
    assert restored.paused
    clock.advance(100)
    assert restored.current.clock.at(clock.monotonic()) == pytest.approx(30)


def test_no_write_when_nothing_changed_but_time():
    clock = FakeClock()
    meeting = _meeting(clock)
    keeper = drafts.DraftKeeper()
    assert keeper.save(meeting, clock.monotonic(), clock.wall())
    clock.advance(10)
    assert keeper.save(meeting, clock.monotonic(), clock.wall()) is False
    meeting.set_notes("goal notes, more")
    assert keeper.save(meeting, clock.monotonic(), clock.wall()) is True
    keeper.discard()
    assert not drafts.draft_path().exists()
    keeper.discard()  # twice is fine


def test_the_wrap_up_is_kept_too():
    clock = FakeClock()
    meeting = _meeting(clock)
    meeting.end_early(clock.monotonic())
    meeting.rating = 3
    meeting.reflection = "short but good"
    drafts.DraftKeeper().save(meeting, clock.monotonic(), clock.wall())
    restored = drafts.load().restore({}, 0.0)
    assert restored.stage is Stage.WRAP_UP
    assert (restored.rating, restored.reflection) == (3, "short but good")


@pytest.mark.parametrize("text", ["schema = 1\nkind = 'draft'\n", "schema = 2\nkind = 'draft'\n", "x = [\n",
                                  "schema = 1\nkind = 'summary'\n"])
def test_an_unusable_draft_is_a_problem_with_a_place(text, coach_dirs):
    drafts.draft_path().parent.mkdir(parents=True)
    drafts.draft_path().write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as error:
        drafts.load()
    assert str(error.value).startswith(f"{drafts.draft_path()}:")


def test_no_draft_is_none():
    assert drafts.load() is None


def test_the_lock_allows_one_holder_and_names_it():
    first = DataLock()
    first.acquire()
    try:
        with pytest.raises(AlreadyRunning) as error:
            DataLock().acquire()
        assert error.value.pid == os.getpid()
        assert "already running" in str(error.value)
    finally:
        first.release()
    second = DataLock()
    second.acquire()
    assert second.held
    second.release()


def test_a_stale_lock_file_is_taken_over(coach_dirs):
    data = coach_dirs[1]
    data.mkdir(parents=True)
    (data / "coach.lock").write_text("4194303\n", encoding="ascii")
    lock = DataLock()
    lock.acquire()
    assert (data / "coach.lock").read_text(encoding="ascii").strip() == str(os.getpid())
    lock.release()
