"""Moving through the meeting: back a phase, rebalancing, and the figures each screen shows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from coach import draft as drafts
from coach import records
from coach.clock import FakeClock
from coach.meeting import MIN_PHASE_SECONDS, Meeting, MeetingError, Stage
from coach.model import Card, Deck, PhasePlan, Summary, Template
from coach.summaries import to_markdown
from coach.timing import shortened, time_figures

DECKS = {"chat": Deck("chat", "Chat", (Card(text="How are you?", id="c0", deck="chat"),
                                      Card(text="What is new?", id="c1", deck="chat")))}


def template(*minutes: float) -> Template:
    return Template("t", "T", tuple(PhasePlan(f"p{i}", f"Phase {i}", m, ("chat",)) for i, m in enumerate(minutes)))


def started(clock: FakeClock, *minutes: float) -> Meeting:
    meeting = Meeting("Ada", template(*minutes), DECKS)
    meeting.start(clock.monotonic(), clock.wall())
    return meeting


def projected_end(meeting: Meeting, clock: FakeClock):
    return meeting.view(clock.monotonic(), clock.wall()).projected_end


# -- back a phase ----------------------------------------------------------------------
def test_going_back_resumes_the_phase_before_and_counts_no_second_twice(clock: FakeClock) -> None:
    meeting = started(clock, 5, 10, 5)
    meeting.set_notes("first phase notes")
    meeting.next_card()
    clock.advance(100)
    meeting.next_phase(clock.monotonic())
    meeting.set_notes("second phase notes")
    clock.advance(40)
    meeting.previous_phase(clock.monotonic())
    assert meeting.index == 0 and meeting.current.notes == "first phase notes"
    assert meeting.phases[1].clock.at(clock.monotonic()) == 40 and meeting.phases[1].notes == "second phase notes"
    assert meeting.current.clock.at(clock.monotonic()) == 100, "the clock goes on from where it stopped"
    assert meeting.current.card_index == 1 and meeting.phases[0].seen == ["chat:c0", "chat:c1"]
    clock.advance(20)
    assert meeting.current.clock.at(clock.monotonic()) == 120
    assert meeting.phases[1].clock.at(clock.monotonic()) == 40, "a phase left behind does not run"
    meeting.next_phase(clock.monotonic())
    clock.advance(5)
    assert meeting.current.clock.at(clock.monotonic()) == 45
    assert sum(run.clock.at(clock.monotonic()) for run in meeting.phases) == 165


def test_going_back_while_paused_keeps_every_clock_still(clock: FakeClock) -> None:
    meeting = started(clock, 5, 10)
    clock.advance(30)
    meeting.next_phase(clock.monotonic())
    clock.advance(10)
    meeting.pause(clock.monotonic())
    meeting.previous_phase(clock.monotonic())
    clock.advance(500)
    assert meeting.paused and [r.clock.at(clock.monotonic()) for r in meeting.phases] == [30, 10]
    meeting.resume(clock.monotonic())
    clock.advance(7)
    assert [r.clock.at(clock.monotonic()) for r in meeting.phases] == [37, 10]


def test_there_is_no_phase_before_the_first(clock: FakeClock) -> None:
    meeting = started(clock, 5, 10)
    clock.advance(30)
    with pytest.raises(MeetingError):
        meeting.previous_phase(clock.monotonic())
    assert meeting.index == 0 and meeting.current.clock.at(clock.monotonic()) == 30
    meeting.end_early(clock.monotonic())
    with pytest.raises(MeetingError):
        meeting.previous_phase(clock.monotonic())


def test_a_phase_left_with_time_to_spare_brings_only_its_rest_into_the_projected_end(clock: FakeClock) -> None:
    meeting = started(clock, 5, 10, 5)
    clock.advance(60)
    meeting.next_phase(clock.monotonic())
    clock.advance(4 * 60)
    meeting.previous_phase(clock.monotonic())  # phase 1 has 6 of its 10 minutes left
    assert projected_end(meeting, clock) == clock.wall() + timedelta(minutes=4 + 6 + 5)


def test_a_draft_saved_after_going_back_resumes_in_the_same_phase_with_the_same_figures(clock: FakeClock) -> None:
    meeting = started(clock, 5, 10, 5)
    meeting.set_notes("one")
    clock.advance(400)  # over time: the rest is rebalanced
    meeting.next_phase(clock.monotonic())
    meeting.set_notes("two")
    meeting.add_minute()
    clock.advance(30)
    assert meeting.rebalance(clock.monotonic(), clock.wall())
    meeting.previous_phase(clock.monotonic())
    clock.advance(15)
    keeper = drafts.DraftKeeper()
    keeper.save(meeting, clock.monotonic(), clock.wall())
    restored = drafts.load().restore(DECKS, clock.monotonic())
    assert restored.stage is Stage.PHASE and restored.index == 0 and not restored.paused
    now = clock.monotonic()
    assert [(r.notes, r.clock.planned, r.clock.at(now), r.added_seconds, r.rebalanced) for r in restored.phases] == [
        (r.notes, r.clock.planned, r.clock.at(now), r.added_seconds, r.rebalanced) for r in meeting.phases]
    assert restored.view(now, clock.wall()).strip == meeting.view(now, clock.wall()).strip
    clock.advance(10)
    restored.next_phase(clock.monotonic())
    assert restored.index == 1 and restored.current.notes == "two"
    assert restored.current.clock.at(clock.monotonic()) == 30


# -- rebalance ---------------------------------------------------------------------------
def test_rebalance_leaves_phases_under_the_floor_as_they_are(clock: FakeClock) -> None:
    """The issue's case: +1 min, then rebalance with sub-minute phases to come."""
    meeting = started(clock, 1, 0.5, 0.5, 2)
    meeting.add_minute()
    clock.advance(3 * 60)  # 1 min late
    before = projected_end(meeting, clock)
    plans = [r.clock.planned for r in meeting.phases]
    assert meeting.rebalance(clock.monotonic(), clock.wall())
    after = [r.clock.planned for r in meeting.phases]
    assert after[:3] == [120, 30, 30], "sub-minute phases keep their length"
    assert after[3] == MIN_PHASE_SECONDS
    assert all(a <= b for a, b in zip(after, plans, strict=True))
    assert projected_end(meeting, clock) <= before
    for _ in range(3):
        meeting.next_phase(clock.monotonic())
    meeting.end_early(clock.monotonic())
    summary = meeting.finish(clock.monotonic())
    for phase in summary.phases:
        assert phase.rebalanced_seconds is None or phase.rebalanced_seconds <= phase.planned_seconds
    assert [p.rebalanced_seconds for p in summary.phases] == [None, None, None, 60]


def test_rebalance_spreads_what_a_floored_phase_cannot_give_over_the_others(clock: FakeClock) -> None:
    meeting = started(clock, 5, 1.5, 20)
    clock.advance(5 * 60 + 10 * 60)  # 10 min over
    assert meeting.rebalance(clock.monotonic(), clock.wall())
    assert [r.clock.planned for r in meeting.phases[1:]] == [60, 630]  # 1:30 → 1:00 (the floor), 20:00 → 10:30
    assert meeting.view(clock.monotonic(), clock.wall()).overrun == 0


def test_nothing_to_rebalance_when_every_phase_to_come_is_at_its_shortest(clock: FakeClock) -> None:
    meeting = started(clock, 1, 1, 0.5)
    clock.advance(600)
    assert meeting.rebalance(clock.monotonic(), clock.wall()) is False
    assert [r.rebalanced for r in meeting.phases] == [False, False, False]


def test_shortened_never_lengthens_and_keeps_the_floor() -> None:
    assert shortened([(600, 0), (300, 0)], 180, 60) == [480, 240]
    assert shortened([(30, 0), (600, 0)], 900, 60) == [30, 60]
    spent_most, fresh = shortened([(600, 580), (600, 0)], 300, 60)
    assert spent_most >= 580, "a phase gives only what it has left"
    assert 300 <= (600 - spent_most) + (600 - fresh) < 302
    assert shortened([(600, 700)], 100, 60) == [600], "a phase over its time keeps its plan"
    assert shortened([(90.5, 0)], 0.2, 60) == [90]


# -- the same figures everywhere ---------------------------------------------------------
def test_the_summary_says_each_phase_time_as_the_wrap_up_does(clock: FakeClock) -> None:
    assert time_figures(250, 300) == "4:10 of 5:00 planned"
    assert time_figures(250, 300, 240) == "4:10 of 4:00 rebalanced (5:00 planned)"
    assert time_figures(71, 18, added=60) == "1:11 of 1:18 (0:18 planned + 1:00 added)", "the plan as written, apart"
    meeting = started(clock, 1, 0.5, 3)
    clock.advance(150)
    meeting.rebalance(clock.monotonic(), clock.wall())
    meeting.end_early(clock.monotonic())
    markdown = to_markdown(meeting.finish(clock.monotonic()))
    assert "*2:30 of 1:00 planned*" in markdown
    assert "*0:00 of 0:30 planned*" in markdown
    assert "*0:00 of 1:30 rebalanced (3:00 planned)*" in markdown


# -- random sessions: the invariants -----------------------------------------------------
def strip_figures(meeting: Meeting, clock: FakeClock) -> list[tuple[float, float, bool]]:
    return [(round(i.allowed, 1), round(i.actual, 1), i.rebalanced)
            for i in meeting.view(clock.monotonic(), clock.wall()).strip]


def summary_figures(summary: Summary) -> list[tuple[float, float, bool]]:
    return [(p.rebalanced_seconds if p.rebalanced_seconds is not None else p.planned_seconds + p.added_seconds,
             p.actual_seconds, p.rebalanced_seconds is not None) for p in summary.phases]


class Session(RuleBasedStateMachine):
    """A meeting driven by random moves; time is counted aside to check the meeting's clocks."""

    def __init__(self) -> None:
        super().__init__()
        self.clock = FakeClock()
        self.meeting: Meeting | None = None
        self.unpaused = 0.0  # seconds a phase ran, by this test's own count

    @rule(minutes=st.lists(st.sampled_from([0.05, 0.5, 1, 2, 5, 15]), min_size=1, max_size=5))
    @precondition(lambda self: self.meeting is None)
    def start(self, minutes: list[float]) -> None:
        self.meeting = started(self.clock, *minutes)

    def running(self) -> bool:
        return self.meeting is not None and self.meeting.stage is Stage.PHASE

    @rule(seconds=st.sampled_from([0.5, 7.5, 30, 61, 300, 1200]))
    def advance(self, seconds: float) -> None:
        if self.running() and not self.meeting.paused:
            self.unpaused += seconds
        self.clock.advance(seconds)

    @precondition(running)
    @rule()
    def toggle_pause(self) -> None:
        self.meeting.toggle_pause(self.clock.monotonic())

    @precondition(running)
    @rule()
    def add_minute(self) -> None:
        self.meeting.add_minute()

    @precondition(running)
    @rule()
    def next_phase(self) -> None:
        self.meeting.next_phase(self.clock.monotonic())

    @precondition(lambda self: self.running() and self.meeting.index > 0)
    @rule()
    def previous_phase(self) -> None:
        self.meeting.previous_phase(self.clock.monotonic())

    @precondition(running)
    @rule()
    def rebalance(self) -> None:
        before = [r.clock.planned for r in self.meeting.phases]
        end = projected_end(self.meeting, self.clock)
        self.meeting.rebalance(self.clock.monotonic(), self.clock.wall())
        after = [r.clock.planned for r in self.meeting.phases]
        assert all(a <= b for a, b in zip(after, before, strict=True)), "rebalance lengthened a phase"
        assert all(a >= min(b, MIN_PHASE_SECONDS) for a, b in zip(after, before, strict=True))
        assert projected_end(self.meeting, self.clock) <= end, "rebalance moved the end later"

    @invariant()
    def every_second_is_counted_once(self) -> None:
        if self.meeting is not None:
            spent = sum(r.clock.at(self.clock.monotonic()) for r in self.meeting.phases)
            assert spent == pytest.approx(self.unpaused)

    @precondition(lambda self: self.meeting is not None and self.meeting.stage is Stage.WRAP_UP)
    @rule()
    def the_summary_says_what_the_screen_showed(self) -> None:
        shown = strip_figures(self.meeting, self.clock)
        summary = self.meeting.finish(self.clock.monotonic())
        assert summary_figures(summary) == shown
        decoded = records.parse(Summary, Path("summary.toml"), records.encode(summary))
        assert summary_figures(decoded) == shown
        for phase in summary.phases:
            assert phase.rebalanced_seconds is None or phase.rebalanced_seconds <= phase.planned_seconds + \
                phase.added_seconds


Session.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None, database=None,
                                     suppress_health_check=[HealthCheck.too_slow])
test_random_sessions = Session.TestCase
