"""The meeting state machine, driven through whole meetings by a fake clock."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest

from coach.clock import FakeClock
from coach.meeting import Meeting, MeetingError, Stage
from coach.meeting_view import MeetingView
from coach.model import Capture, CaptureKind, Card, Deck, Owner, PhasePlan, Summary, Template, card_key
from coach.timing import Look, look_for, warn_at

MIN = 60.0


def deck(deck_id: str, *texts: str) -> Deck:
    return Deck(deck_id, deck_id.title(), tuple(Card(text=t, id=f"c{i}", deck=deck_id) for i, t in enumerate(texts)))


DECKS = {
    "chat": deck("chat", "How was your weekend?", "What made you smile this week?", "Share a small win of yours."),
    "goals": deck("goals", "What are you working toward?", "What is in the way?"),
    "next": deck("next", "Who does what by when?"),
}

# 5 + 30 + 10 minutes: a 5-minute phase warns at 60 s left, a 30-minute one at 120 s left.
PLAN = Template("plan", "A plan", (
    PhasePlan("chit-chat", "Chit-chat", 5, ("chat",)),
    PhasePlan("goals", "Goals", 30, ("goals",)),
    PhasePlan("commitments", "Commitments", 10, ("next", "no-such-deck")),
))


def one_phase(minutes: float) -> Template:
    return Template("one", "One phase", (PhasePlan("only", "Only", minutes, ("chat",)),))


def started(clock: FakeClock, template: Template = PLAN, partner: str = "Ada") -> Meeting:
    meeting = Meeting(partner, template, DECKS)
    meeting.start(clock.monotonic(), clock.wall())
    return meeting


def look(meeting: Meeting, clock: FakeClock) -> MeetingView:
    return meeting.view(clock.monotonic(), clock.wall())


# -- a whole meeting ----------------------------------------------------------------------
def test_a_whole_meeting_from_prep_to_ended(clock: FakeClock) -> None:
    start_wall = clock.wall()
    meeting = Meeting("Ada", PLAN, DECKS)
    assert meeting.stage is Stage.PREP
    assert [item.state for item in look(meeting, clock).strip] == ["next", "next", "next"]

    meeting.start(clock.monotonic(), clock.wall())
    view = look(meeting, clock)
    assert meeting.stage is Stage.PHASE
    assert (view.phase_index, view.phase_count, view.phase_title) == (0, 3, "Chit-chat")
    assert (view.card_position, view.card_count) == (1, 3)
    assert view.card == DECKS["chat"].cards[0]
    assert view.planned == 5 * MIN
    assert meeting.started == start_wall
    assert view.planned_end == start_wall + timedelta(minutes=45)

    meeting.set_notes("asked about the move")
    clock.advance(200)
    meeting.next_phase(clock.monotonic())
    view = look(meeting, clock)
    assert (view.phase_index, view.phase_title, view.elapsed) == (1, "Goals", 0.0)
    assert [item.state for item in view.strip] == ["done", "current", "next"]

    meeting.set_notes("wants to lead the\nnext release")
    clock.advance(1500)
    meeting.next_phase(clock.monotonic())
    assert look(meeting, clock).phase_title == "Commitments"
    meeting.set_notes("send the doc")
    clock.advance(400)
    meeting.next_phase(clock.monotonic())

    view = look(meeting, clock)
    assert meeting.stage is Stage.WRAP_UP
    assert (view.phase_title, view.card) == ("Wrap-up", None)
    assert [item.state for item in view.strip] == ["done", "done", "done"]

    meeting.rating = 4
    meeting.reflection = "a good one"
    summary = meeting.finish(clock.monotonic())
    assert isinstance(summary, Summary)
    assert summary.partner == "Ada"
    assert summary.template == "plan"
    assert summary.started == start_wall
    assert summary.ended == start_wall + timedelta(seconds=2100)
    assert summary.rating == 4
    assert summary.reflection == "a good one"
    assert [(p.id, p.planned_seconds, p.actual_seconds) for p in summary.phases] == [
        ("chit-chat", 300.0, 200.0), ("goals", 1800.0, 1500.0), ("commitments", 600.0, 400.0)]
    assert [p.notes for p in summary.phases] == ["asked about the move", "wants to lead the\nnext release",
                                                 "send the doc"]
    assert meeting.stage is Stage.WRAP_UP  # still open until the summary is safely saved

    meeting.close()
    assert meeting.stage is Stage.ENDED
    assert look(meeting, clock).phase_title == "Ended"


def test_notes_belong_to_the_phase_they_were_typed_in(clock: FakeClock) -> None:
    meeting = started(clock)
    meeting.set_notes("first draft")
    meeting.set_notes("first draft, edited")
    meeting.next_phase(clock.monotonic())
    meeting.set_notes("goals")
    meeting.end_early(clock.monotonic())
    summary = meeting.finish(clock.monotonic())
    assert [p.notes for p in summary.phases] == ["first draft, edited", "goals", ""]


def test_the_id_names_the_day_and_a_safe_partner_slug(clock: FakeClock) -> None:
    meeting = started(clock, partner="../../x")
    assert meeting.id.startswith("2026-03-02-1400-x-")
    assert "/" not in meeting.id and ".." not in meeting.id
    assert started(clock, partner="../../x").id != meeting.id


# -- cards --------------------------------------------------------------------------------
def test_next_and_previous_card_wrap_around_and_report_the_position(clock: FakeClock) -> None:
    meeting = started(clock)
    positions = []
    for _ in range(4):
        meeting.next_card()
        positions.append(look(meeting, clock).card_position)
    assert positions == [2, 3, 1, 2]
    meeting.previous_card()
    meeting.previous_card()
    view = look(meeting, clock)
    assert (view.card_position, view.card_count) == (3, 3)
    assert view.card == DECKS["chat"].cards[2]


def test_cards_come_from_the_phase_decks_and_unknown_decks_are_skipped(clock: FakeClock) -> None:
    meeting = started(clock)
    meeting.next_phase(clock.monotonic())
    meeting.next_phase(clock.monotonic())
    view = look(meeting, clock)
    assert (view.card, view.card_position, view.card_count) == (DECKS["next"].cards[0], 1, 1)
    meeting.next_card()
    assert look(meeting, clock).card_position == 1


def test_a_phase_without_cards_shows_none(clock: FakeClock) -> None:
    template = Template("bare", "Bare", (PhasePlan("talk", "Talk", 5),))
    meeting = started(clock, template)
    meeting.next_card()
    meeting.previous_card()
    view = look(meeting, clock)
    assert (view.card, view.card_position, view.card_count) == (None, 0, 0)


def test_cards_seen_are_recorded_once_each_in_order(clock: FakeClock) -> None:
    meeting = started(clock)
    meeting.next_card()
    meeting.previous_card()
    meeting.previous_card()
    meeting.next_phase(clock.monotonic())
    meeting.end_early(clock.monotonic())
    phases = meeting.finish(clock.monotonic()).phases
    chat = DECKS["chat"].cards
    assert phases[0].cards_seen == [card_key(chat[0]), card_key(chat[1]), card_key(chat[2])]
    assert phases[1].cards_seen == [card_key(DECKS["goals"].cards[0])]
    assert phases[2].cards_seen == []


# -- warn and overtime --------------------------------------------------------------------
@pytest.mark.parametrize(("planned", "expected"), [(300.0, 60.0), (1800.0, 120.0), (600.0, 120.0), (3.0, 0.6)])
def test_warn_at_is_a_fifth_of_the_phase_or_two_minutes_whichever_is_less(planned: float, expected: float) -> None:
    assert warn_at(planned) == pytest.approx(expected)


@pytest.mark.parametrize(("minutes", "warn_left"), [(5, 60.0), (30, 120.0)])
def test_the_countdown_warns_then_runs_over(clock: FakeClock, minutes: int, warn_left: float) -> None:
    meeting = started(clock, one_phase(minutes))
    planned = minutes * MIN
    assert look(meeting, clock).look is Look.CALM
    clock.advance(planned - warn_left - 0.5)
    assert look(meeting, clock).look is Look.CALM
    clock.advance(0.5)
    view = look(meeting, clock)
    assert view.remaining == pytest.approx(warn_left)
    assert view.look is Look.WARN
    clock.advance(warn_left - 1)
    assert look(meeting, clock).look is Look.WARN
    clock.advance(1)
    assert look(meeting, clock).look is Look.OVERTIME
    clock.advance(30)
    view = look(meeting, clock)
    assert view.look is Look.OVERTIME
    assert view.remaining == pytest.approx(-30)


def test_look_for_boundaries() -> None:
    assert look_for(61, 300) is Look.CALM
    assert look_for(60, 300) is Look.WARN
    assert look_for(0.1, 300) is Look.WARN
    assert look_for(0, 300) is Look.OVERTIME
    assert look_for(-5, 300) is Look.OVERTIME


def test_overtime_never_advances_the_phase_and_keeps_counting(clock: FakeClock) -> None:
    meeting = started(clock)
    clock.advance(5 * MIN + 90)
    view = look(meeting, clock)
    assert meeting.stage is Stage.PHASE
    assert (view.phase_index, view.look) == (0, Look.OVERTIME)
    assert view.elapsed == pytest.approx(390)
    assert view.remaining == pytest.approx(-90)
    clock.advance(3600)
    view = look(meeting, clock)
    assert meeting.stage is Stage.PHASE
    assert (view.phase_index, view.phase_title) == (0, "Chit-chat")
    assert view.elapsed == pytest.approx(3990)
    meeting.next_phase(clock.monotonic())
    meeting.end_early(clock.monotonic())
    assert meeting.finish(clock.monotonic()).phases[0].actual_seconds == pytest.approx(3990)


# -- pause --------------------------------------------------------------------------------
def test_no_time_passes_while_paused_across_several_pauses(clock: FakeClock) -> None:
    meeting = started(clock)
    clock.advance(60)
    meeting.pause(clock.monotonic())
    clock.advance(500)
    view = look(meeting, clock)
    assert view.paused is True
    assert view.elapsed == pytest.approx(60)
    assert view.look is Look.CALM

    meeting.resume(clock.monotonic())
    clock.advance(30)
    assert look(meeting, clock).elapsed == pytest.approx(90)
    assert look(meeting, clock).paused is False

    meeting.toggle_pause(clock.monotonic())
    assert meeting.paused is True
    clock.advance(1000)
    meeting.toggle_pause(clock.monotonic())
    assert meeting.paused is False
    clock.advance(10)
    assert look(meeting, clock).elapsed == pytest.approx(100)

    meeting.pause(clock.monotonic())
    clock.advance(10_000)
    meeting.end_early(clock.monotonic())
    summary = meeting.finish(clock.monotonic())
    assert summary.phases[0].actual_seconds == pytest.approx(100)


def test_pausing_twice_and_resuming_twice_is_harmless(clock: FakeClock) -> None:
    meeting = started(clock)
    clock.advance(20)
    meeting.pause(clock.monotonic())
    clock.advance(20)
    meeting.pause(clock.monotonic())
    clock.advance(20)
    meeting.resume(clock.monotonic())
    clock.advance(20)
    meeting.resume(clock.monotonic())
    clock.advance(20)
    assert look(meeting, clock).elapsed == pytest.approx(60)


def test_ending_a_paused_meeting_leaves_it_unpaused(clock: FakeClock) -> None:
    meeting = started(clock)
    meeting.pause(clock.monotonic())
    meeting.end_early(clock.monotonic())
    assert meeting.paused is False
    assert look(meeting, clock).paused is False


# -- add a minute -------------------------------------------------------------------------
def test_add_a_minute_extends_the_phase_and_recomputes_the_look(clock: FakeClock) -> None:
    meeting = started(clock)
    clock.advance(250)
    assert look(meeting, clock).look is Look.WARN  # 50 s of 300 left
    meeting.add_minute()
    view = look(meeting, clock)
    assert view.planned == 360
    assert view.remaining == pytest.approx(110)
    assert view.look is Look.CALM  # a 6-minute phase warns at 72 s
    clock.advance(38)
    assert look(meeting, clock).look is Look.WARN
    clock.advance(72)
    assert look(meeting, clock).look is Look.OVERTIME


def test_add_a_minute_in_overtime_brings_the_phase_back(clock: FakeClock) -> None:
    meeting = started(clock)
    clock.advance(320)
    assert look(meeting, clock).look is Look.OVERTIME
    meeting.add_minute()
    view = look(meeting, clock)
    assert view.remaining == pytest.approx(40)
    assert view.look is Look.WARN


def test_added_minutes_are_recorded_apart_from_the_plan(clock: FakeClock) -> None:
    meeting = started(clock)
    meeting.add_minute()
    meeting.add_minute()
    clock.advance(400)
    meeting.next_phase(clock.monotonic())
    meeting.end_early(clock.monotonic())
    first, second, _ = meeting.finish(clock.monotonic()).phases
    assert (first.planned_seconds, first.added_seconds, first.actual_seconds) == (300.0, 120.0, 400.0)
    assert second.added_seconds == 0.0


# -- end early ----------------------------------------------------------------------------
def test_end_early_goes_to_wrap_up_and_unreached_phases_get_zero(clock: FakeClock) -> None:
    meeting = started(clock)
    clock.advance(100)
    meeting.next_phase(clock.monotonic())
    clock.advance(50)
    meeting.end_early(clock.monotonic())
    assert meeting.stage is Stage.WRAP_UP
    clock.advance(999)  # time in wrap-up belongs to no phase
    summary = meeting.finish(clock.monotonic())
    assert [p.actual_seconds for p in summary.phases] == [100.0, 50.0, 0.0]
    assert [p.planned_seconds for p in summary.phases] == [300.0, 1800.0, 600.0]


# -- projected end ------------------------------------------------------------------------
def test_projected_end_is_now_plus_what_is_left_of_this_phase_plus_the_phases_to_come(clock: FakeClock) -> None:
    start_wall = clock.wall()
    meeting = Meeting("Ada", PLAN, DECKS)
    assert look(meeting, clock).projected_end == start_wall + timedelta(minutes=45)
    meeting.start(clock.monotonic(), clock.wall())
    view = look(meeting, clock)
    assert view.projected_end == start_wall + timedelta(minutes=45)
    assert view.overrun == 0

    clock.advance(100)
    view = look(meeting, clock)
    assert view.projected_end == clock.wall() + timedelta(seconds=200 + 1800 + 600)
    assert view.overrun == pytest.approx(0)

    meeting.next_phase(clock.monotonic())  # 200 s early
    view = look(meeting, clock)
    assert view.projected_end == clock.wall() + timedelta(seconds=1800 + 600)
    assert view.overrun == pytest.approx(-200)


def test_projected_end_moves_later_while_a_phase_runs_over(clock: FakeClock) -> None:
    meeting = started(clock)
    clock.advance(400)  # 100 s into overtime: nothing is left of this phase
    view = look(meeting, clock)
    assert view.projected_end == clock.wall() + timedelta(seconds=1800 + 600)
    assert view.overrun == pytest.approx(100)
    clock.advance(60)
    later = look(meeting, clock)
    assert later.projected_end == view.projected_end + timedelta(seconds=60)
    assert later.overrun == pytest.approx(160)


def test_projected_end_counts_added_minutes_and_pauses(clock: FakeClock) -> None:
    meeting = started(clock)
    meeting.add_minute()
    assert look(meeting, clock).overrun == pytest.approx(60)
    meeting.pause(clock.monotonic())
    clock.advance(30)
    assert look(meeting, clock).overrun == pytest.approx(90)


def test_projected_end_is_none_after_the_phases(clock: FakeClock) -> None:
    meeting = started(clock)
    meeting.end_early(clock.monotonic())
    view = look(meeting, clock)
    assert view.projected_end is None
    assert view.overrun == 0.0


# -- the view is pure ---------------------------------------------------------------------
def test_view_changes_nothing(clock: FakeClock) -> None:
    meeting = started(clock)
    meeting.next_card()
    clock.advance(123)
    before = copy.deepcopy(vars(meeting))
    first = look(meeting, clock)
    second = look(meeting, clock)
    meeting.view(clock.monotonic() + 5000, clock.wall() + timedelta(seconds=5000))
    assert first == second == look(meeting, clock)
    assert vars(meeting) == before


def test_view_at_any_time_without_moving_the_clock(clock: FakeClock) -> None:
    meeting = started(clock)
    now, wall = clock.monotonic(), clock.wall()
    assert meeting.view(now + 250, wall).look is Look.WARN
    assert meeting.view(now + 301, wall).look is Look.OVERTIME
    assert meeting.view(now + 10, wall).elapsed == pytest.approx(10)


# -- illegal transitions ------------------------------------------------------------------
def test_nothing_runs_before_the_start(clock: FakeClock) -> None:
    meeting = Meeting("Ada", PLAN, DECKS)
    now = clock.monotonic()
    for action in (lambda: meeting.next_phase(now), lambda: meeting.pause(now), lambda: meeting.resume(now),
                   meeting.add_minute, meeting.next_card, lambda: meeting.end_early(now),
                   lambda: meeting.set_notes("x"), lambda: meeting.finish(clock.monotonic())):
        with pytest.raises(MeetingError):
            action()
    assert meeting.stage is Stage.PREP


def test_start_twice_is_refused(clock: FakeClock) -> None:
    meeting = started(clock)
    clock.advance(10)
    with pytest.raises(MeetingError):
        meeting.start(clock.monotonic(), clock.wall())
    assert (meeting.stage, meeting.index) == (Stage.PHASE, 0)
    assert look(meeting, clock).elapsed == pytest.approx(10)


def test_finish_before_wrap_up_is_refused(clock: FakeClock) -> None:
    meeting = started(clock)
    with pytest.raises(MeetingError):
        meeting.finish(clock.monotonic())
    assert meeting.stage is Stage.PHASE


def test_phase_actions_are_refused_in_wrap_up(clock: FakeClock) -> None:
    meeting = started(clock)
    meeting.end_early(clock.monotonic())
    now = clock.monotonic()
    for action in (lambda: meeting.next_phase(now), lambda: meeting.end_early(now), lambda: meeting.pause(now),
                   meeting.add_minute, meeting.previous_card, lambda: meeting.set_notes("late")):
        with pytest.raises(MeetingError):
            action()
    assert meeting.stage is Stage.WRAP_UP


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_finish_refuses_a_rating_outside_one_to_five(clock: FakeClock, rating: int) -> None:
    meeting = started(clock)
    meeting.end_early(clock.monotonic())
    meeting.rating = rating
    with pytest.raises(MeetingError):
        meeting.finish(clock.monotonic())
    meeting.rating = None
    assert meeting.finish(clock.monotonic()).rating is None


def test_a_template_without_phases_goes_straight_to_wrap_up(clock: FakeClock) -> None:
    meeting = started(clock, Template("empty", "Empty", ()))
    assert meeting.stage is Stage.WRAP_UP
    assert meeting.finish(clock.monotonic()).phases == []


# -- captures -----------------------------------------------------------------------------
def test_captures_record_kind_phase_owner_and_due(clock: FakeClock) -> None:
    meeting = started(clock)
    first_wall = clock.wall()
    fact = meeting.capture(CaptureKind.FACT, "  moving to   Lisbon\nin May ", first_wall)
    meeting.next_phase(clock.monotonic())
    goal = meeting.capture(CaptureKind.GOAL, "lead the release", clock.wall())
    clock.advance(60)
    promise = meeting.capture(CaptureKind.COMMITMENT, "send the doc", clock.wall(), owner=Owner.THEM,
                              due=date(2026, 3, 9))
    mine = meeting.capture(CaptureKind.COMMITMENT, "intro to Sam", clock.wall())

    assert fact == Capture(CaptureKind.FACT, "moving to Lisbon in May", "chit-chat", at=first_wall)
    assert (goal.kind, goal.phase, goal.status) == (CaptureKind.GOAL, "goals", "open")
    assert (promise.owner, promise.due, promise.phase) == (Owner.THEM, date(2026, 3, 9), "goals")
    assert (mine.owner, mine.due) == (Owner.ME, None)
    assert promise.at == clock.wall()

    meeting.end_early(clock.monotonic())
    summary = meeting.finish(clock.monotonic())
    assert summary.captures == [goal, promise, mine, fact]  # a summary keeps them by kind
    assert [c.text for c in summary.commitments] == [promise.text, mine.text]


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_an_empty_capture_is_refused(clock: FakeClock, text: str) -> None:
    meeting = started(clock)
    with pytest.raises(MeetingError):
        meeting.capture(CaptureKind.FACT, text, clock.wall())
    assert meeting.captures == []


def test_captures_before_and_after_the_phases_name_the_stage(clock: FakeClock) -> None:
    meeting = Meeting("Ada", PLAN, DECKS)
    assert meeting.capture(CaptureKind.GOAL, "from the prep", clock.wall()).phase == "prep"
    meeting.start(clock.monotonic(), clock.wall())
    meeting.end_early(clock.monotonic())
    assert meeting.capture(CaptureKind.COMMITMENT, "from the wrap-up", clock.wall()).phase == "wrap-up"
