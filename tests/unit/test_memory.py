"""Partner memory at work: the kept rate, cards drawn without repeats, facts brought back,
the review of earlier commitments, the follow-up message and the brief read before a call."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach import draft as drafts
from coach import summaries
from coach.brief import CHECKLIST, brief_text, build_brief, reached_goals
from coach.cards import FACT_CARDS, FACT_TIPS, MEMORY_DECK, fact_cards, interleave, unseen_first
from coach.clock import FakeClock
from coach.follow_up import follow_up_text
from coach.kept import Tally, commitments_after, kept
from coach.meeting import EarlierGoal, GoalChoice, Meeting, NewGoal, OpenGoal, Stage
from coach.model import (
    Capture,
    CaptureKind,
    Card,
    Commitment,
    Deck,
    Fact,
    Goal,
    Owner,
    PartnerRecord,
    PhasePlan,
    Review,
    Status,
    Summary,
    Template,
    card_key,
)
from coach.outcome import Outcome, Promise
from coach.partners import apply_summary
from coach.store import slugify
from coach.text import visible
from coach.timefmt import short_date

MONDAY = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
TODAY = MONDAY.date()
ME, THEM, BOTH = Owner.ME, Owner.THEM, Owner.BOTH
OPEN, DONE, DROPPED = Status.OPEN, Status.DONE, Status.DROPPED
YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)


def promise(owner: Owner, status: Status, due: date | None = None, text: str = "a promise", id: str = "") -> Commitment:
    return Commitment(id=id or f"{owner.value}-{status.value}-{due}", text=text, owner=owner, due=due, status=status)


def deck(deck_id: str, *texts: str) -> Deck:
    return Deck(deck_id, deck_id.title(), tuple(Card(text=t, id=f"c{i}", deck=deck_id) for i, t in enumerate(texts)))


DECKS = {
    "chit-chat": deck("chit-chat", "How was your weekend?", "What made you smile?", "Share a small win."),
    "goals": deck("goals", "What are you working toward?", "What is in the way?"),
    "commitments": deck("commitments", "Who does what by when?", "What will you drop?"),
}
PLAN = Template("plan", "A plan", (
    PhasePlan("chit-chat", "Chit-chat", 5, ("chit-chat",)),
    PhasePlan("goals", "Goals", 15, ("goals",)),
    PhasePlan("commitments", "Commitments", 10, ("commitments",)),
))


def a_record(**changes: object) -> PartnerRecord:
    record = PartnerRecord(name="Ada Lovelace", slug=slugify("Ada Lovelace"), created=MONDAY - timedelta(days=60),
                           last_meeting=MONDAY - timedelta(days=14))
    for key, value in changes.items():
        setattr(record, key, value)
    return record


def last_summary(rating: int | None, reflection: str) -> Summary:
    when = datetime(2026, 2, 16, 9, 30, tzinfo=UTC)
    return Summary(id="m", partner="Ada Lovelace", started=when, ended=when, rating=rating, reflection=reflection)


def started(clock: FakeClock, record: PartnerRecord | None, template: Template = PLAN) -> Meeting:
    meeting = Meeting("Ada Lovelace", template, DECKS, memory=record)
    meeting.start(clock.monotonic(), clock.wall())
    return meeting


def to_wrap_up(meeting: Meeting, clock: FakeClock) -> None:
    while meeting.stage is Stage.PHASE:
        clock.advance(60)
        meeting.next_phase(clock.monotonic())


# -- commitments kept (the rate itself: tests/unit/test_kept.py) ------------------------
def test_commitments_after_applies_this_meetings_review_and_adds_the_new_ones() -> None:
    record = a_record(commitments=[
        promise(ME, OPEN, YESTERDAY, "send the paper", "c1"),
        promise(THEM, OPEN, YESTERDAY, "read chapter 2", "c2"),
        promise(THEM, OPEN, None, "book the room", "c3"),
        promise(BOTH, DONE, None, "pick a date", "c4"),
    ])
    reviewed = [Review(CaptureKind.COMMITMENT, "c1", "send the paper", DONE, ME),
                Review(CaptureKind.COMMITMENT, "c3", "book the room", DROPPED, THEM),
                Review(CaptureKind.GOAL, "c2", "same id, but a goal", Status.REACHED)]
    captures = [Capture(CaptureKind.FACT, "likes tea"),
                Capture(CaptureKind.COMMITMENT, "intro to Sam", owner=THEM, due=TOMORROW),
                Capture(CaptureKind.COMMITMENT, "share notes", owner=ME)]
    after = commitments_after(record, reviewed, captures, TODAY)
    assert [(c.text, c.owner, c.status, c.due) for c in after] == [
        ("send the paper", ME, DONE, YESTERDAY),
        ("read chapter 2", THEM, OPEN, YESTERDAY),
        ("book the room", THEM, DROPPED, None),
        ("pick a date", BOTH, DONE, None),
        ("intro to Sam", THEM, OPEN, TOMORROW),
        ("share notes", ME, OPEN, None),
    ]
    assert [c.made for c in after[-2:]] == [TODAY, TODAY]
    assert len({c.id for c in after}) == len(after)
    assert record.commitments[0].status is OPEN, "the record itself is not touched"
    rates = kept(after, TODAY)
    assert rates.side(ME) == Tally(done=1) and rates.side(BOTH) == Tally(done=1)
    assert rates.side(THEM) == Tally(done=0, dropped=1, overdue=1)
    assert [c.closed for c in after[:4]] == [TODAY, None, TODAY, None], "reviewed ones close today"


def test_commitments_after_without_a_record_is_this_meetings_commitments() -> None:
    after = commitments_after(None, [], [Capture(CaptureKind.COMMITMENT, "call", owner=BOTH)], TODAY)
    assert [(c.text, c.owner, c.status) for c in after] == [("call", BOTH, OPEN)]


# -- cards without repeats ----------------------------------------------------------------
DECK_IDS = ["chit-chat", "goals", "mine", MEMORY_DECK]
cards_strategy = st.lists(st.builds(
    Card,
    text=st.sampled_from(["Ask", "Share", "Listen", "Plan", "Wonder", "Ask "]),
    id=st.sampled_from(["", "a", "b", "c"]),
    deck=st.sampled_from(DECK_IDS),
), max_size=14)


@st.composite
def deck_and_seen(draw: st.DrawFn) -> tuple[list[Card], list[str]]:
    cards = draw(cards_strategy)
    keys = sorted({card_key(c) for c in cards})
    seen = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    return cards, seen + draw(st.lists(st.sampled_from(["gone:x", "mine:#0000000000"]), max_size=2))


@given(deck_and_seen())
def test_unseen_first_is_a_permutation_with_every_unseen_card_first(case: tuple[list[Card], list[str]]) -> None:
    cards, seen = case
    order, started_over = unseen_first(cards, seen)
    assert Counter(order) == Counter(cards)
    unseen = [c.deck in started_over or card_key(c) not in seen for c in order]
    assert unseen == sorted(unseen, reverse=True), "no seen card comes before an unseen one"
    fresh = [c for c, u in zip(order, unseen, strict=True) if u]
    assert fresh == [c for c in cards if c in fresh], "unseen cards keep their deck order"


@given(deck_and_seen())
def test_a_deck_is_started_over_exactly_when_every_card_of_it_was_seen(case: tuple[list[Card], list[str]]) -> None:
    cards, seen = case
    order, started_over = unseen_first(cards, seen)
    used_up = {c.deck for c in cards if c.deck != MEMORY_DECK} - {c.deck for c in cards if card_key(c) not in seen}
    assert set(started_over) == used_up
    assert MEMORY_DECK not in started_over
    assert len(started_over) == len(set(started_over))
    if used_up:
        again = [c for c in order if c.deck in used_up]
        assert again == [c for c in cards if c.deck in used_up], "a started-over deck comes in deck order"


def test_a_used_up_deck_starts_over_and_its_cards_count_as_unseen() -> None:
    chat, goals = DECKS["chit-chat"].cards, DECKS["goals"].cards
    seen = [card_key(c) for c in chat] + [card_key(goals[0])]
    order, started_over = unseen_first([*chat, *goals], seen)
    assert started_over == ["chit-chat"]
    assert order == [*chat, goals[1], goals[0]]


def test_memory_cards_are_never_started_over_and_go_last_once_seen() -> None:
    facts = fact_cards(a_record(facts=[Fact("a cat", TODAY), Fact("a trip", YESTERDAY)]))
    chat = list(DECKS["chit-chat"].cards)
    order, started_over = unseen_first([*facts, *chat], [card_key(c) for c in facts])
    assert started_over == []
    assert order == [*chat, *facts]


def test_a_meeting_reports_the_decks_it_started_over() -> None:
    record = a_record(seen_cards=[card_key(c) for c in DECKS["goals"].cards])
    meeting = Meeting("Ada Lovelace", PLAN, DECKS, memory=record)
    assert meeting.started_over == ["goals"]
    assert Meeting("Ada Lovelace", PLAN, DECKS, memory=a_record()).started_over == []


def one_meeting(record: PartnerRecord, template: Template, decks: dict[str, Deck], shows: int,
                clock: FakeClock) -> list[str]:
    """Run a meeting that looks at `shows` cards of its only phase, fold it into the record."""
    meeting = Meeting(record.name, template, decks, memory=record)
    meeting.start(clock.monotonic(), clock.wall())
    shown = [card_key(meeting.current.card)]
    for _ in range(shows - 1):
        meeting.next_card()
        shown.append(card_key(meeting.current.card))
    clock.advance(60)
    meeting.next_phase(clock.monotonic())
    apply_summary(record, meeting.finish(clock.monotonic()))
    clock.advance(7 * 24 * 3600)
    return shown


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(size=st.integers(1, 9), shows=st.lists(st.integers(1, 9), min_size=1, max_size=12))
def test_many_meetings_with_one_partner_repeat_no_card_until_the_pool_is_used_up(size: int, shows: list[int]) -> None:
    decks = {"mine": Deck("mine", "Mine", tuple(Card(text=f"Question {i}?", deck="mine") for i in range(size)))}
    template = Template("one", "One phase", (PhasePlan("talk", "Talk", 10, ("mine",)),))
    record, clock = a_record(), FakeClock()
    history: list[str] = []
    for count in shows:
        history += one_meeting(record, template, decks, min(count, size), clock)
        if len(history) <= size:
            assert len(set(history)) == len(history), f"a card came back before the pool was used up: {history}"
    first_round = history[:size]
    assert len(set(first_round)) == len(first_round)
    assert set(record.seen_cards) <= set(history)
    assert history[-1] in record.seen_cards, "the latest card is remembered as seen"
    assert len(record.seen_cards) == len(set(record.seen_cards)), "seen cards are merged without duplicates"


def test_after_starting_over_the_second_round_also_goes_through_the_whole_pool() -> None:
    decks = {"mine": deck("mine", "First?", "Second?", "Third?")}
    template = Template("one", "One phase", (PhasePlan("talk", "Talk", 10, ("mine",)),))
    record, clock = a_record(), FakeClock()
    history = [one_meeting(record, template, decks, 1, clock)[0] for _ in range(6)]
    assert history == ["mine:c0", "mine:c1", "mine:c2", "mine:c0", "mine:c1", "mine:c2"]


def test_the_memory_deck_id_is_reserved(tmp_path) -> None:
    from coach.prompts import check_deck

    path = tmp_path / "memory.toml"
    path.write_text('schema = 1\nid = "memory"\ntitle = "Memory game"\n[[cards]]\ntext = "Earliest memory?"\n',
                    encoding="utf-8")
    deck_found, problems = check_deck(path)
    assert deck_found is None
    [problem] = problems
    assert (problem.line, problem.col) == (2, 1) and "reserved" in problem.message


def test_card_identity_survives_an_edit_of_another_card() -> None:
    before = [Card(text="How was the week?", deck="mine"), Card(text="What is new?", deck="mine"),
              Card(text="Any trips planned?", id="trips", deck="mine")]
    after = [before[0], Card(text="What is new at home?", deck="mine"),
             Card(text="Any trips or holidays planned?", id="trips", deck="mine")]
    keys_before, keys_after = [card_key(c) for c in before], [card_key(c) for c in after]
    assert keys_after[0] == keys_before[0], "an untouched card keeps its key"
    assert keys_after[1] != keys_before[1], "an edited card without an id is a new card"
    assert keys_after[2] == keys_before[2] == "mine:trips", "an explicit id survives editing the card itself"
    assert card_key(Card(text="  How was\nthe   week? ", deck="mine")) == keys_before[0], "reflowing is no edit"
    assert card_key(Card(text="How was the week?", deck="other")) != keys_before[0]
    order, _ = unseen_first(after, keys_before)
    assert order == [after[1], after[0], after[2]], "only the edited card counts as unseen"


# -- facts come back as cards -------------------------------------------------------------
FACTS = [
    Fact("started pottery", date(2026, 1, 5), "m1"),
    Fact("has a cat called Babbage", date(2026, 2, 16), "m3"),
    Fact("moving to Lisbon", date(2026, 2, 16), "m3"),
    Fact("ran a marathon", date(2026, 2, 2), "m2"),
    Fact("likes green tea"),
    Fact("daughter starts school", date(2026, 1, 19), "m2"),
    Fact("reads sci-fi", date(2025, 12, 1), "m0"),
]


def test_fact_cards_are_the_freshest_facts_with_when_they_were_learned() -> None:
    cards = fact_cards(a_record(facts=list(FACTS), last_meeting=datetime(2026, 2, 16, 9, 30, tzinfo=UTC)))
    assert len(cards) == FACT_CARDS == 5
    assert [c.text for c in cards] == [
        "Last time they mentioned: has a cat called Babbage",
        "Last time they mentioned: moving to Lisbon",
        "On 2 Feb they mentioned: ran a marathon",
        "On 19 Jan they mentioned: daughter starts school",
        "On 5 Jan they mentioned: started pottery",
    ]
    assert {c.deck for c in cards} == {MEMORY_DECK}
    assert len({card_key(c) for c in cards}) == len(cards)


def test_a_fact_without_a_date_comes_back_as_earlier() -> None:
    cards = fact_cards(a_record(facts=[Fact("likes green tea")]))
    assert [c.text for c in cards] == ["Earlier they mentioned: likes green tea"]


def test_each_fact_card_has_a_tip_of_its_own_that_fits_any_fact() -> None:
    facts = [Fact(text, date(2026, 2, 16)) for text in
             ("going through a divorce", "has two cats", "moving to Lisbon", "ran a marathon", "new job at a bank")]
    cards = fact_cards(a_record(facts=facts, last_meeting=datetime(2026, 2, 16, 9, 30, tzinfo=UTC)))
    tips = [c.tip for c in cards]
    assert len(set(tips)) == len(tips) == 5, "no tip twice in one meeting"
    assert set(tips) <= set(FACT_TIPS)
    assert not any(word in (card.text + card.tip).casefold() for card in cards for word in ("went", "how was")), \
        "no card assumes an event went somewhere"
    assert all(len(tip) <= 56 for tip in FACT_TIPS), "one line in the card at 60 columns"


def test_no_record_or_no_facts_means_no_fact_cards() -> None:
    assert fact_cards(None) == []
    assert fact_cards(a_record()) == []


def test_short_date_is_day_and_month() -> None:
    assert short_date(date(2026, 3, 2)) == "2 Mar"
    assert short_date(date(2026, 10, 12)) == "12 Oct"


def test_interleave_alternates_then_keeps_the_rest() -> None:
    assert interleave([1, 2], ["a", "b", "c", "d"]) == [1, "a", 2, "b", "c", "d"]
    assert interleave([1, 2, 3], ["a"]) == [1, "a", 2, 3]
    assert interleave([], ["a"]) == ["a"]


def test_the_chit_chat_phase_interleaves_fact_cards_first_and_other_phases_get_none() -> None:
    record = a_record(facts=[Fact("has a cat", date(2026, 2, 16)), Fact("moving to Lisbon", date(2026, 2, 2))],
                      seen_cards=[card_key(DECKS["chit-chat"].cards[0])])
    meeting = Meeting("Ada Lovelace", PLAN, DECKS, memory=record)
    chat = meeting.phases[0].cards
    facts = fact_cards(record)
    deck_cards = DECKS["chit-chat"].cards
    assert chat == [facts[0], deck_cards[1], facts[1], deck_cards[2], deck_cards[0]]
    for run in meeting.phases[1:]:
        assert all(c.deck != MEMORY_DECK for c in run.cards)
    assert meeting.phases[1].cards == list(DECKS["goals"].cards)


def test_facts_come_back_in_the_phase_fed_by_the_chit_chat_deck() -> None:
    template = Template("t", "T", (PhasePlan("warm-up", "Warm-up", 5, ("chit-chat",)),
                                   PhasePlan("goals", "Goals", 5, ("goals",))))
    meeting = Meeting("Ada", template, DECKS, memory=a_record(facts=[Fact("has a cat", TODAY)]))
    assert meeting.phases[0].cards[0].deck == MEMORY_DECK
    assert all(c.deck != MEMORY_DECK for c in meeting.phases[1].cards)


def test_fact_cards_never_go_into_the_seen_cards() -> None:
    clock = FakeClock(MONDAY)
    record = a_record(facts=[Fact("has a cat", date(2026, 2, 16)), Fact("moving", date(2026, 2, 2))])
    meeting = started(clock, record)
    for _ in range(4):
        meeting.next_card()
    seen_in_meeting = meeting.phases[0].seen
    assert any(key.startswith(f"{MEMORY_DECK}:") for key in seen_in_meeting), "the summary keeps what was shown"
    to_wrap_up(meeting, clock)
    apply_summary(record, meeting.finish(clock.monotonic()))
    assert record.seen_cards
    assert not any(key.startswith(f"{MEMORY_DECK}:") for key in record.seen_cards)
    assert set(record.seen_cards) == {k for run in meeting.phases for k in run.seen if not k.startswith("memory:")}


# -- review and goals during the meeting --------------------------------------------------
def reviewing_record() -> PartnerRecord:
    return a_record(
        commitments=[promise(ME, OPEN, YESTERDAY, "send the paper", "c1"),
                     promise(THEM, OPEN, None, "read chapter 2", "c2"),
                     promise(BOTH, DONE, None, "pick a date", "c3")],
        goals=[Goal(id="g1", text="give a talk", added=date(2026, 1, 5), meeting="m1"),
               Goal(id="g2", text="learn Rust", status=Status.REACHED, added=date(2026, 1, 5))],
    )


def test_pending_reviews_shrink_as_commitments_are_reviewed_and_only_in_the_commitments_phase() -> None:
    clock, record = FakeClock(MONDAY), reviewing_record()
    meeting = Meeting("Ada Lovelace", PLAN, DECKS, memory=record)
    assert [c.id for c in meeting.pending_reviews()] == ["c1", "c2"]
    assert not meeting.review_due(), "not in prep"
    meeting.start(clock.monotonic(), clock.wall())
    due_by_phase = [meeting.review_due()]
    for _ in range(2):
        meeting.next_phase(clock.monotonic())
        due_by_phase.append(meeting.review_due())
    assert due_by_phase == [False, False, True]
    first = meeting.review(record.commitments[0], DONE)
    assert first == Review(CaptureKind.COMMITMENT, "c1", "send the paper", DONE, ME, "")
    assert [c.id for c in meeting.pending_reviews()] == ["c2"] and meeting.review_due()
    meeting.review(record.commitments[1], OPEN)
    assert meeting.pending_reviews() == [] and not meeting.review_due()
    meeting.next_phase(clock.monotonic())
    assert not meeting.review_due(), "not in wrap-up"


def test_reviewing_the_same_commitment_again_replaces_the_earlier_outcome() -> None:
    record = reviewing_record()
    meeting = started(FakeClock(MONDAY), record)
    meeting.review(record.commitments[0], DONE)
    meeting.review(record.commitments[1], DONE)
    meeting.review(record.commitments[0], DROPPED)
    assert [(r.id, r.status) for r in meeting.reviewed] == [("c2", DONE), ("c1", DROPPED)]


def test_without_a_commitments_phase_the_review_happens_in_the_first_phase() -> None:
    template = Template("short", "Short", (PhasePlan("talk", "Talk", 5, ("chit-chat",)),
                                           PhasePlan("goals", "Goals", 5, ("goals",))))
    clock = FakeClock(MONDAY)
    meeting = started(clock, reviewing_record(), template)
    assert meeting.review_at == 0 and meeting.review_due()
    meeting.next_phase(clock.monotonic())
    assert not meeting.review_due()


def test_a_phase_fed_by_the_commitments_deck_is_where_the_review_happens() -> None:
    template = Template("t", "T", (PhasePlan("talk", "Talk", 5, ("chit-chat",)),
                                   PhasePlan("next", "Next steps", 5, ("commitments",))))
    assert Meeting("Ada", template, DECKS, memory=reviewing_record()).review_at == 1


def test_no_memory_means_nothing_to_review() -> None:
    meeting = started(FakeClock(MONDAY), None)
    assert meeting.pending_reviews() == [] and not meeting.review_due()


def test_marking_goals_reached_earlier_ones_by_review_and_new_ones_by_status() -> None:
    clock = FakeClock(MONDAY)
    meeting = started(clock, reviewing_record())
    meeting.next_phase(clock.monotonic())
    meeting.capture(CaptureKind.GOAL, "ship the beta", clock.wall())
    meeting.capture(CaptureKind.FACT, "has a cat", clock.wall())
    meeting.capture(CaptureKind.GOAL, "find a mentor", clock.wall())
    assert meeting.open_goals() == [OpenGoal(EarlierGoal("g1"), "give a talk"), OpenGoal(NewGoal(0), "ship the beta"),
                                    OpenGoal(NewGoal(2), "find a mentor")]
    assert meeting.mark_goal_reached(EarlierGoal("g1")) == "give a talk"
    assert meeting.reviewed == [Review(CaptureKind.GOAL, "g1", "give a talk", Status.REACHED, made_in="m1")]
    assert meeting.mark_goal_reached(NewGoal(2)) == "find a mentor"
    assert meeting.captures[2].status is Status.REACHED
    assert len(meeting.reviewed) == 1, "a goal of this meeting needs no review"
    assert meeting.open_goals() == [OpenGoal(NewGoal(0), "ship the beta")]
    assert meeting.memory.goals[0].status is OPEN, "the record changes only when the summary is saved"


def test_an_answer_can_change_or_be_taken_back_and_the_review_lists_every_open_commitment() -> None:
    record = reviewing_record()
    meeting = started(FakeClock(MONDAY), record)
    first, second = record.commitments[:2]
    assert [c.id for c in meeting.to_review] == ["c1", "c2"], "every open one; c3 was done before"
    assert (meeting.answer(first), meeting.answer(second)) == (None, None)
    meeting.review(first, OPEN)
    assert meeting.answer(first) is OPEN and [c.id for c in meeting.pending_reviews()] == ["c2"]
    assert [c.id for c in meeting.to_review] == ["c1", "c2"], "still open is still listed"
    meeting.review(first, DONE)
    assert meeting.answer(first) is DONE and len(meeting.reviewed) == 1
    meeting.unreview(first)
    assert meeting.answer(first) is None and meeting.reviewed == []
    assert [c.id for c in meeting.pending_reviews()] == ["c1", "c2"]
    meeting.unreview(second)  # nothing answered: nothing changes
    assert meeting.reviewed == []


def test_a_goal_marked_reached_by_mistake_opens_again_earlier_or_new() -> None:
    clock, record = FakeClock(MONDAY), reviewing_record()
    meeting = started(clock, record)
    meeting.capture(CaptureKind.GOAL, "ship the beta", clock.wall())
    assert meeting.goal_choices() == [GoalChoice(EarlierGoal("g1"), "give a talk"),
                                      GoalChoice(NewGoal(0), "ship the beta")]
    meeting.mark_goal_reached(EarlierGoal("g1"))
    meeting.mark_goal_reached(EarlierGoal("g1"))  # twice: one review
    meeting.mark_goal_reached(NewGoal(0))
    assert meeting.goal_choices() == [GoalChoice(EarlierGoal("g1"), "give a talk", reached=True),
                                      GoalChoice(NewGoal(0), "ship the beta", reached=True)]
    assert len(meeting.reviewed) == 1
    meeting.unmark_goal_reached(EarlierGoal("g1"))
    meeting.unmark_goal_reached(NewGoal(0))
    assert meeting.reviewed == [] and meeting.captures[0].status is OPEN
    assert meeting.goal_choices() == [GoalChoice(EarlierGoal("g1"), "give a talk"),
                                      GoalChoice(NewGoal(0), "ship the beta")]


def finished_meeting(clock: FakeClock, record: PartnerRecord) -> Meeting:
    meeting = started(clock, record)
    meeting.capture(CaptureKind.FACT, "has a cat", clock.wall())
    meeting.next_phase(clock.monotonic())
    meeting.capture(CaptureKind.GOAL, "ship the beta", clock.wall())
    meeting.mark_goal_reached(EarlierGoal("g1"))
    meeting.next_phase(clock.monotonic())
    meeting.review(record.commitments[0], DONE)
    meeting.review(record.commitments[1], DROPPED)
    meeting.capture(CaptureKind.COMMITMENT, "intro to Sam", clock.wall(), THEM, date(2026, 3, 9))
    meeting.follow_up = follow_up_text(meeting.partner, meeting.outcome())
    return meeting


def test_the_summary_carries_the_review_and_the_follow_up_and_they_round_trip() -> None:
    clock, record = FakeClock(MONDAY), reviewing_record()
    meeting = finished_meeting(clock, record)
    to_wrap_up(meeting, clock)
    summary = meeting.finish(clock.monotonic())
    assert summary.reviewed == [
        Review(CaptureKind.GOAL, "g1", "give a talk", Status.REACHED, made_in="m1"),
        Review(CaptureKind.COMMITMENT, "c1", "send the paper", DONE, ME),
        Review(CaptureKind.COMMITMENT, "c2", "read chapter 2", DROPPED, THEM),
    ]
    assert summary.follow_up.startswith("Hi Ada,") and "Ada:\n- intro to Sam by Mon 9 Mar\n" in summary.follow_up
    assert "Done since last time:\n- send the paper (mine)\n" in summary.follow_up
    assert "Goals reached — well done!\n- give a talk\n" in summary.follow_up
    saved = summaries.save(summary)
    loaded = summaries.load(saved.toml_path)
    assert loaded.reviewed == summary.reviewed
    assert loaded.follow_up == summary.follow_up
    markdown = saved.md_path.read_text(encoding="utf-8")
    assert "## Settled in this meeting\n\n### Done\n\n- **me**: send the paper\n" in markdown
    assert "### Dropped\n\n- **them**: read chapter 2\n\n### Goals reached\n\n- give a talk\n" in markdown
    apply_summary(record, loaded)
    assert [(c.id, c.status, c.closed) for c in record.commitments[:3]] == [
        ("c1", DONE, TODAY), ("c2", DROPPED, TODAY), ("c3", DONE, None)]
    assert (record.goals[0].status, record.goals[0].closed) == (Status.REACHED, TODAY)


def test_a_draft_keeps_the_review_and_the_follow_up() -> None:
    clock, record = FakeClock(MONDAY), reviewing_record()
    meeting = finished_meeting(clock, record)
    meeting.follow_up = "Hi Ada,\n\nedited by hand.\n"
    assert drafts.DraftKeeper().save(meeting, clock.monotonic(), clock.wall())
    clock.advance(30)
    restored = drafts.load().restore(DECKS, clock.monotonic(), memory=record)
    assert restored.reviewed == meeting.reviewed
    assert restored.follow_up == "Hi Ada,\n\nedited by hand.\n"
    assert restored.pending_reviews() == [] and not restored.review_due()
    assert restored.open_goals() == meeting.open_goals() == [OpenGoal(NewGoal(1), "ship the beta")]
    assert restored.phases[0].cards == meeting.phases[0].cards


# -- the follow-up message ----------------------------------------------------------------
def test_follow_up_greets_by_first_name_and_groups_who_does_what_by_when() -> None:
    outcome = Outcome(
        remembered=("has a cat",), goals=("give a talk at the meetup",),
        commitments=(Promise("send the slides", ME, date(2026, 3, 4)), Promise("Ada to draft an outline", THEM),
                     Promise("We will meet again", BOTH, date(2026, 3, 16)), Promise("I'll book the room", ME)),
        done=(Promise("read chapter 2", THEM),), carried=(Promise("send the paper", ME),),
        dropped=(Promise("learn Go", ME),), goals_reached=("find a mentor",))
    assert follow_up_text("Ada Lovelace", outcome) == (
        "Hi Ada,\n"
        "\n"
        "Thank you for today's conversation.\n"
        "\n"
        "Done since last time:\n"
        "- read chapter 2 (Ada's)\n"
        "\n"
        "Goals reached — well done!\n"
        "- find a mentor\n"
        "\n"
        "Goals we set:\n"
        "- give a talk at the meetup\n"
        "\n"
        "I'll:\n"
        "- send the slides by Wed 4 Mar\n"
        "- book the room\n"
        "\n"
        "Ada:\n"
        "- draft an outline\n"
        "\n"
        "Both of us:\n"
        "- meet again by Mon 16 Mar\n"
        "\n"
        "Still open:\n"
        "- send the paper (mine)\n"
        "\n"
        "Looking forward to our next chat.\n"
    )


@pytest.mark.parametrize("partner", ["Ada", "  Ada  Lovelace ", "李雷", "Zoë O'Brien"])
def test_follow_up_with_nothing_captured_is_still_a_short_message(partner: str) -> None:
    text = follow_up_text(partner, Outcome(remembered=("has a cat",)))
    first = partner.split()[0]
    assert text == f"Hi {first},\n\nThank you for today's conversation.\n\nLooking forward to our next chat.\n"
    assert "has a cat" not in text, "what was remembered about them stays private"


@pytest.mark.parametrize("partner", ["[b]Bo[/b] Smith", "Bo\x1b]2;pwned\x07 X", "\x1b[2J", "Bo\u202eevil"])
def test_follow_up_shows_a_hostile_first_name_as_plain_one_line_text(partner: str) -> None:
    text = follow_up_text(partner, Outcome(commitments=(Promise("call", THEM),)))
    greeting, *_ = text.splitlines()
    assert greeting.startswith("Hi ") and greeting.endswith(",")
    assert visible(text) == text and "\x1b" not in text and "\u202e" not in text
    name = greeting[3:-1]
    assert f"\n{name}:\n- call\n" in text


# -- the brief before a call --------------------------------------------------------------
def section(brief_or_text: str, title: str) -> list[str]:
    """The indented lines under `title` in a brief's text."""
    lines = brief_or_text.splitlines()
    start = lines.index(title) + 1
    out = []
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        out.append(line.strip())
    return out


def test_reached_goals_are_listed_after_the_open_ones_newest_first_with_their_dates() -> None:
    goals = [Goal(text=f"goal {n}", status=Status.REACHED, added=date(2025, 1, 1), closed=date(2026, 1, n))
             for n in range(1, 9)]
    goals += [Goal(text="undated", status=Status.REACHED), Goal(text="still open"),
              Goal(text="given up", status=Status.DROPPED, closed=date(2026, 2, 1))]
    record = a_record(goals=goals)
    assert [g.text for g in reached_goals(record)] == [*(f"goal {n}" for n in range(8, 0, -1)), "undated"]
    text = brief_text(build_brief(record, TODAY))
    titles = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert titles.index("Goals reached") == titles.index("Open goals") + 1
    assert section(text, "Goals reached") == ["8 Jan 2026: goal 8", "7 Jan 2026: goal 7", "6 Jan 2026: goal 6",
                                              "5 Jan 2026: goal 5", "4 Jan 2026: goal 4", "and 4 more"]
    assert "Goals reached" not in brief_text(build_brief(a_record(goals=[Goal(text="open")]), TODAY))


def test_a_first_meeting_says_so() -> None:
    record = PartnerRecord(name="Ada Lovelace", slug=slugify("Ada Lovelace"))
    brief = build_brief(record, TODAY)
    assert brief.first_meeting
    text = brief_text(brief)
    assert text.startswith("Ada Lovelace\n============\n")
    for name, underline in (("Bo", "=="), ("Zoë 🙂", "======"), ("李雷", "====")):
        shown = brief_text(build_brief(PartnerRecord(name=name, slug=slugify(name)), TODAY))
        assert shown.startswith(f"{name}\n{underline}\n"), "the underline is as wide as the name on screen"
    assert "This is your first meeting with Ada Lovelace." in section(text, "First meeting")[0]
    assert section(text, "Before the call") == [f"☐ {item}" for item in CHECKLIST]
    for title in ("Last meeting", "Open commitments", "Open goals", "Remembered", "Commitments kept", "Plan"):
        assert title not in text.splitlines()


def test_the_brief_holds_last_meeting_open_commitments_goals_facts_and_the_checklist() -> None:
    record = reviewing_record()
    record.commitments += [promise(THEM, OPEN, date(2026, 3, 20), "book the room", "c4"),
                           promise(ME, DROPPED, date(2026, 2, 1), "old thing", "c5")]
    record.facts = list(FACTS[:4])
    last = last_summary(rating=4, reflection="  Good energy.  ")
    brief = build_brief(record, TODAY, last)
    assert not brief.first_meeting
    text = brief_text(brief, ["Chit-chat · 5 min", "Goals · 15 min"])
    assert section(text, "Last meeting") == ["Mon 16 Feb 2026, rated 4/5", "“Good energy.”"]
    assert section(text, "Open commitments") == [
        "[me] send the paper — due 1 Mar (overdue)",
        "[them] book the room — due 20 Mar",
        "[them] read chapter 2",
    ]
    warn = [line.text for _, lines in brief.sections for line in lines if line.style == "warn"]
    assert warn == ["[me] send the paper — due 1 Mar (overdue)"]
    assert section(text, "Open goals") == ["give a talk"]
    assert section(text, "Goals reached") == ["learn Rust"], "reached on a day not known"
    assert section(text, "Remembered") == [
        "16 Feb 2026: has a cat called Babbage",
        "16 Feb 2026: moving to Lisbon",
        "2 Feb 2026: ran a marathon",
        "5 Jan 2026: started pottery",
    ]
    assert section(text, "Commitments kept") == [
        "Kept 33 % — 1 of 3 (mine 0 of 2, shared 1 of 1); 1 dropped, 1 overdue."]
    assert section(text, "Before the call") == [f"☐ {item}" for item in CHECKLIST]
    assert section(text, "Plan") == ["Chit-chat · 5 min", "Goals · 15 min"]
    assert "First meeting" not in text.splitlines()


def test_the_last_meeting_line_without_rating_or_reflection() -> None:
    last = last_summary(rating=None, reflection="   ")
    text = brief_text(build_brief(a_record(), TODAY, last))
    assert section(text, "Last meeting") == ["Mon 16 Feb 2026"]


def test_a_fact_without_a_date_is_listed_without_one() -> None:
    text = brief_text(build_brief(a_record(facts=[Fact("likes green tea"), FACTS[0]]), TODAY))
    assert section(text, "Remembered") == ["5 Jan 2026: started pottery", "likes green tea"]


def test_the_last_meetings_day_is_the_day_here_whatever_zone_it_was_written_in(monkeypatch) -> None:
    import time
    from datetime import timedelta, timezone

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        when = datetime(2026, 11, 30, 16, 23, tzinfo=timezone(timedelta(hours=-12)))  # 1 Dec, 04:23 UTC
        last = Summary(id="m", partner="Ada Lovelace", started=when, ended=when, rating=3)
        text = brief_text(build_brief(a_record(), TODAY, last))
        assert section(text, "Last meeting") == ["Tue 1 Dec 2026, rated 3/5"], "as the history lists it here"
    finally:
        monkeypatch.undo()
        time.tzset()
