"""The draft keeps the whole meeting; the lock keeps one app per data dir."""

from __future__ import annotations

import os
import stat
from datetime import date, timedelta

import pytest

from coach import draft as drafts
from coach.clock import FakeClock
from coach.lock import AlreadyRunning, DataLock
from coach.meeting import Meeting, NewGoal, Stage
from coach.model import CaptureKind, Owner
from coach.problems import ProblemsError
from coach.prompts import load_library
from coach.store import device_dir


def _meeting(clock: FakeClock) -> Meeting:
    library = load_library()
    meeting = Meeting("Zoë O'Brien", library.templates["standard"], library.decks)
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


@pytest.mark.parametrize(("text", "line", "col"), [
    ("schema = 1\nkind = 'draft'\n", 1, 1),
    ("kind = 'draft'\nschema = 2\n", 2, 1),
    ("x = [\n", 1, 6),
    ("schema = 1\nkind = 'summary'\n", 2, 1),
])
def test_an_unusable_draft_is_a_problem_with_a_place(text, line, col, coach_dirs):
    drafts.draft_path().parent.mkdir(parents=True)
    drafts.draft_path().write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as error:
        drafts.load()
    problems = error.value.problems  # each missing key is named too
    assert (drafts.draft_path(), line, col) in [(p.path, p.line, p.col) for p in problems]


def written_draft(clock: FakeClock) -> str:
    drafts.DraftKeeper().save(_meeting(clock), clock.monotonic(), clock.wall())
    return drafts.draft_path().read_text(encoding="utf-8")


HOSTILE_DRAFT_VALUES = {
    "phase_index = 99": ("phase_index = 1", "phase_index = 99", "`phase_index`: 99 names no phase"),
    "notes = 5": ('notes = "goal notes"', "notes = 5", "[[phases]] #2: `notes` must be text"),
    'saved_at = "x"': ("saved_at = ", 'saved_at = "x"\nold_saved_at = ', "`saved_at` must be a date and time"),
    'rating = "five"': ("paused = false", 'paused = false\nrating = "five"', "`rating` must be a whole number"),
    "started = 5": ("started = ", "started = 5\nold_started = ", "`started` must be a date and time"),
    "planned_seconds = nan": ("planned_seconds = 300.0", "planned_seconds = nan", "`planned_seconds` must be a number"),
    "stage = 'ended'": ('stage = "phase"', 'stage = "ended"', "`stage` cannot be 'ended'"),
    "id escapes": ('id = "', 'id = "../../', "`id` may hold only"),
    "partner with a newline": ('partner = "Zoë', 'partner = "\\n', "`partner`: a name cannot contain control"),
    "minutes = 0": ("minutes = 15", "minutes = 0", "`minutes` must be a number more than 0"),
}


@pytest.mark.parametrize(("old", "new", "message"), HOSTILE_DRAFT_VALUES.values(), ids=HOSTILE_DRAFT_VALUES.keys())
def test_a_hand_edited_draft_is_refused_at_the_line_of_the_bad_value(old, new, message):
    text = written_draft(FakeClock())
    assert old in text
    bad = text.replace(old, new, 1)
    drafts.draft_path().write_text(bad, encoding="utf-8")
    with pytest.raises(ProblemsError) as error:
        drafts.load()
    [problem] = error.value.problems
    assert message in problem.message
    key = message.split("`")[-2]
    assert bad.splitlines()[problem.line - 1].lstrip().startswith(f"{key} ="), problem


@pytest.mark.parametrize("changes", [
    {"saved_at = ": "saved_at = 2026-03-02T14:00:00\nold = "},  # no offset: local time
    {"started = ": "started = 2026-03-02\nold_started = "},  # a date: local midnight
])
def test_local_times_in_a_draft_are_fine(changes):
    text = written_draft(FakeClock())
    for old, new in changes.items():
        text = text.replace(old, new, 1)
    drafts.draft_path().write_text(text, encoding="utf-8")
    found = drafts.load()
    assert found.saved_at.tzinfo is not None and found.state.started.tzinfo is not None
    meeting = found.restore(load_library().decks, 0.0)
    meeting.end_early(0.0)
    assert meeting.finish(10.0).ended >= meeting.started


def test_the_meeting_length_survives_a_restart():
    clock = FakeClock()
    meeting = _meeting(clock)  # 120 s in
    drafts.DraftKeeper().save(meeting, clock.monotonic(), clock.wall())
    restored = drafts.load().restore(load_library().decks, 5000.0)
    restored.end_early(5030.0)
    summary = restored.finish(5030.0)
    assert (summary.ended - summary.started).total_seconds() == 150


def test_a_clock_moved_back_never_ends_a_meeting_before_it_began():
    clock = FakeClock()
    meeting = _meeting(clock)
    clock._wall -= timedelta(hours=3)  # the wall clock goes back; monotonic time does not
    clock.advance(60)
    meeting.end_early(clock.monotonic())
    summary = meeting.finish(clock.monotonic())
    assert (summary.ended - summary.started).total_seconds() == 180


def test_draft_writes_are_durable_at_milestones_and_every_ten_seconds(monkeypatch):
    synced: list[bool] = []
    real = drafts.write_atomic
    monkeypatch.setattr(drafts, "write_atomic", lambda path, text, durable=True: (synced.append(durable),
                                                                                   real(path, text, durable)))
    now = [0.0]
    keeper = drafts.DraftKeeper(clock=lambda: now[0])
    clock = FakeClock()
    meeting = _meeting(clock)
    keeper.save(meeting, clock.monotonic(), clock.wall())  # the first write
    for i in range(3):  # typing: not durable
        meeting.set_notes(f"goal notes {i}")
        now[0] += 1
        keeper.save(meeting, clock.monotonic(), clock.wall())
    now[0] += 10  # ten seconds on: durable again
    meeting.set_notes("goal notes, later")
    keeper.save(meeting, clock.monotonic(), clock.wall())
    meeting.capture(CaptureKind.GOAL, "a goal", clock.wall())  # a capture: durable
    keeper.save(meeting, clock.monotonic(), clock.wall())
    assert synced == [True, False, False, False, True, True]


def test_a_goal_marked_reached_or_opened_again_is_a_durable_write(monkeypatch):
    """Changing an answer changes no count, and is kept all the same (as a review answer is)."""
    synced: list[bool] = []
    real = drafts.write_atomic
    monkeypatch.setattr(drafts, "write_atomic", lambda path, text, durable=True: (synced.append(durable),
                                                                                   real(path, text, durable)))
    keeper = drafts.DraftKeeper(clock=lambda: 0.0)
    clock = FakeClock()
    meeting = _meeting(clock)
    meeting.capture(CaptureKind.GOAL, "a goal", clock.wall())
    keeper.save(meeting, clock.monotonic(), clock.wall())
    meeting.mark_goal_reached(NewGoal(0))
    keeper.save(meeting, clock.monotonic(), clock.wall())
    meeting.unmark_goal_reached(NewGoal(0))
    keeper.save(meeting, clock.monotonic(), clock.wall())
    assert synced == [True, True, True]
    assert drafts.load().restore(load_library().decks, clock.monotonic()).open_goals()[0].text == "a goal"


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
    second.acquire()  # taken once the first holder let go
    assert second.path.read_text(encoding="ascii").strip() == str(os.getpid())
    second.release()


def test_a_stale_lock_file_is_taken_over(coach_dirs):
    device = device_dir()
    device.mkdir(parents=True)
    (device / "coach.lock").write_text("4194303\n", encoding="ascii")
    lock = DataLock()
    lock.acquire()
    assert (device / "coach.lock").read_text(encoding="ascii").strip() == str(os.getpid())
    lock.release()
