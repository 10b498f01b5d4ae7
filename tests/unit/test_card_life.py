"""How a card is dealt for a partner over many meetings: `once` cards never come back (also when
their deck starts over), `every-meeting` cards lead every deal, `rotation` cards go round."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coach.cards import deal, phase_ids, pick_tip, tips_of, unseen_first
from coach.clock import FakeClock
from coach.meeting import Meeting
from coach.model import Card, Deal, Deck, DeckKind, PartnerRecord, PhasePlan, Template, card_key
from coach.partners import apply_summary
from coach.prompts import load_library

LIVES = (Deal.ONCE, Deal.ROTATION, Deal.EVERY_MEETING)


def _deck(lives: list[Deal]) -> Deck:
    return Deck("life", "Life", tuple(Card(f"card {i}", id=f"c{i}", deck="life", deal=life)
                                      for i, life in enumerate(lives)))


def _meeting(deck: Deck, record: PartnerRecord, shown: int, clock: FakeClock) -> tuple[list[Card], list[str]]:
    """One meeting in which the first `shown` cards are looked at (the first is shown when the phase
    starts); the partner's record takes it in."""
    template = Template("t", "T", (PhasePlan("chit-chat", "Chit-chat", 1, ("life",)),))
    meeting = Meeting(record.name, template, {"life": deck}, record)
    meeting.start(clock.monotonic(), clock.wall())
    dealt = list(meeting.phases[0].cards)
    for _ in range(max(0, shown - 1)):
        meeting.next_card()
    meeting.id = f"m{clock.monotonic():.0f}"
    meeting.next_phase(clock.monotonic())
    summary = meeting.finish(clock.monotonic())
    apply_summary(record, summary)
    clock.advance(7 * 24 * 3600)
    return dealt, [card_key(c) for c in dealt[:shown]] if dealt else []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(LIVES), min_size=1, max_size=6), st.lists(st.integers(1, 6), min_size=1, max_size=8))
def test_over_many_meetings_once_cards_are_shown_at_most_once_and_standing_ones_lead_every_deal(lives, looks):
    deck = _deck(lives)
    record = PartnerRecord(name="Ada")
    clock = FakeClock()
    shown_once: list[str] = []
    standing = [c for c in deck.cards if c.deal is Deal.EVERY_MEETING]
    for look in looks:
        dealt, seen = _meeting(deck, record, look, clock)
        assert dealt[:len(standing)] == standing  # every meeting, first
        assert not {card_key(c) for c in dealt} & set(shown_once)  # a once card shown before is never dealt
        shown_once += [key for key in seen if deck.cards[int(key.split(":c")[1])].deal is Deal.ONCE]
        assert len(shown_once) == len(set(shown_once))
    assert sorted(record.cards_once) == sorted(shown_once)


def test_a_once_card_stays_gone_when_its_deck_starts_over():
    deck = _deck([Deal.ONCE, Deal.ROTATION, Deal.ROTATION])
    record = PartnerRecord(name="Ada")
    clock = FakeClock()
    dealt, _ = _meeting(deck, record, 3, clock)  # everything seen: next time the rotation starts over
    assert [c.id for c in dealt] == ["c0", "c1", "c2"]
    dealt, _ = _meeting(deck, record, 2, clock)
    assert [c.id for c in dealt] == ["c1", "c2"]
    dealt, _ = _meeting(deck, record, 1, clock)
    assert [c.id for c in dealt] == ["c1", "c2"] and record.cards_once == ["life:c0"]


def test_seen_cards_of_the_old_introductions_deck_count_for_first_meeting():
    cards = [Card("Hi", id="hello", deck="first-meeting", deal=Deal.ONCE), Card("Yo", id="yo", deck="first-meeting")]
    order, _ = unseen_first(cards, ["introductions:hello"])
    assert [c.id for c in order] == ["yo"]


def test_a_deck_of_tips_is_never_dealt_and_a_tip_is_picked_for_its_phase():
    tips = Deck("tips", "Tips", (Card("Breathe.", deck="tips", tags=("goals",)), Card("Smile.", deck="tips")),
                kind=DeckKind.TIPS)
    plan = PhasePlan("goals", "Goals", 1, ("tips",))
    template = Template("t", "T", (plan,))
    assert deal(plan, template, {"tips": tips}, None) == ([], [])
    assert [pick_tip(tips_of({"tips": tips}), "goals", f"day {i}").text for i in range(5)] == ["Breathe."] * 5
    picked = {pick_tip(tips_of({"tips": tips}), "commitments", f"day {i}").text for i in range(20)}
    assert picked == {"Breathe.", "Smile."}  # no tip names the phase: any may come


def test_the_builtin_library_deals_each_way_and_has_tips():
    library = load_library()
    lives = {card.deal for deck in library.decks.values() for card in deck.cards}
    assert lives == set(Deal)
    assert tips_of(library.decks)


def test_a_phase_no_tip_names_gets_a_general_tip_not_one_tied_to_another_moment():
    tips = [Card("Goal tip.", deck="t", tags=("goals",)), Card("Prep tip.", deck="t", tags=("prep", "habit")),
            Card("General tip.", deck="t", tags=("trust",))]
    moments = phase_ids([Template("s", "S", (PhasePlan("goals", "Goals", 1),))])
    assert {pick_tip(tips, "talk", f"day {i}", moments).text for i in range(20)} == {"General tip."}
    assert pick_tip(tips, "prep", "any day", moments).text == "Prep tip."
