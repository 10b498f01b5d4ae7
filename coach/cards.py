"""Which cards a phase shows, and in what order: the cards of its decks, unseen ones first (a deck
whose every card was seen starts over), and in the chit-chat phase the partner's remembered facts
mixed in as cards of their own."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from coach.digest import sha1_hex
from coach.model import Card, Deal, Deck, DeckKind, PartnerRecord, PhasePlan, Template, card_key, learned_key
from coach.timefmt import short_date

MEMORY_DECK = "memory"
"""The deck id of cards made from remembered facts (never recorded as seen)."""
DECK_ALIASES = {"introductions": "first-meeting"}
"""Old deck ids a template may still name, and the built-in deck that took each one's place."""
FACT_CARDS = 5
"""At most this many remembered facts come back as cards in a meeting."""


FACT_TIPS = (
    "Ask an open question; let them take it where they like.",
    "Let them choose how much to share; brief is fine.",
    "Say that you remembered, then listen more than you talk.",
    "If it may be private, leave the door open; don't push.",
    "Make no guesses about it: ask how things are now.",
    "Follow their lead; share a bit of your own if it fits.",
)
"""The tips under fact cards: each fits any fact — a plan, an event, a hard time, a pet — and none
assumes how things went. At most one line at 60 columns."""


def fact_tip(text: str, taken: set[int]) -> int:
    """A tip for the fact `text` (its own, by its text, so it does not change from one meeting to
    the next), unless an earlier card of this deal took that one: then the next one free."""
    start = int(sha1_hex(" ".join(text.split()).encode("utf-8")), 16) % len(FACT_TIPS)
    order = [(start + step) % len(FACT_TIPS) for step in range(len(FACT_TIPS))]
    return next((i for i in order if i not in taken), start)


def fact_cards(record: PartnerRecord | None) -> list[Card]:
    """The freshest remembered facts as conversation starters, each with a tip of its own."""
    if record is None:
        return []
    facts = sorted(record.facts, key=learned_key, reverse=True)[:FACT_CARDS]
    last_day = record.last_meeting.date() if record.last_meeting else None
    cards = []
    taken: set[int] = set()
    for i, fact in enumerate(facts):
        if fact.learned is None:
            when = "Earlier"
        elif fact.learned == last_day:
            when = "Last time"
        else:
            when = f"On {short_date(fact.learned)}"
        tip = fact_tip(fact.text, taken)
        taken.add(tip)
        cards.append(Card(text=f"{when} they mentioned: {fact.text}", id=f"fact-{i}", tip=FACT_TIPS[tip],
                          deck=MEMORY_DECK))
    return cards


def deck_alias(key: str) -> str:
    """A card key with a renamed deck's old id (`introductions:…`) under its new one."""
    deck, sep, rest = key.partition(":")
    return f"{DECK_ALIASES.get(deck, deck)}{sep}{rest}"


def unseen_first(cards: list[Card], seen: Iterable[str], once: Iterable[str] = ()) -> tuple[list[Card], list[str]]:
    """The deal: standing (`every-meeting`) cards first, then unseen ones in deck order, then the
    rest; and the decks used up entirely.

    A `once` card that was ever shown to this partner (in `once` or `seen`) is left out for good.
    A deck whose every `rotation` card has been seen starts over: those cards count as unseen
    again, and its id is returned so the screen can say so.
    """
    seen_keys = {deck_alias(key) for key in seen}
    gone = seen_keys | {deck_alias(key) for key in once}
    by_deck: dict[str, list[Card]] = {}
    for card in cards:
        if card.deal is Deal.ROTATION:
            by_deck.setdefault(card.deck, []).append(card)
    exhausted = [deck for deck, deck_cards in by_deck.items()
                 if deck != MEMORY_DECK and all(card_key(c) in seen_keys for c in deck_cards)]
    standing = [c for c in cards if c.deal is Deal.EVERY_MEETING]
    fresh = [c for c in cards if (c.deal is Deal.ONCE and card_key(c) not in gone)
             or (c.deal is Deal.ROTATION and (c.deck in exhausted or card_key(c) not in seen_keys))]
    stale = [c for c in cards if c.deal is Deal.ROTATION and c not in fresh]
    return standing + fresh + stale, exhausted


def interleave(first: list[Card], rest: list[Card]) -> list[Card]:
    """first[0], rest[0], first[1], rest[1], … then whatever is left."""
    out: list[Card] = []
    for i in range(max(len(first), len(rest))):
        out.extend(group[i] for group in (first, rest) if i < len(group))
    return out


def chit_chat_phase(template: Template) -> PhasePlan | None:
    """The phase where remembered facts come back: `chit-chat` by id, or by its deck."""
    for phase in template.phases:
        if phase.id == "chit-chat":
            return phase
    return next((p for p in template.phases if "chit-chat" in p.decks), None)


def find_deck(deck_id: str, decks: Mapping[str, Deck]) -> Deck | None:
    """The deck a phase names, also by a renamed deck's old id; None when there is none."""
    found = decks.get(deck_id)
    if found is None and deck_id in DECK_ALIASES:
        found = decks.get(DECK_ALIASES[deck_id])
    return found


def cards_for(plan: PhasePlan, decks: Mapping[str, Deck]) -> list[Card]:
    """The cards of a phase: those of its decks, in order; unknown decks and decks of tips
    (shown at phase starts, not dealt) are skipped."""
    found = [find_deck(deck_id, decks) for deck_id in plan.decks]
    return [card for deck in found if deck is not None and deck.kind is DeckKind.CARDS for card in deck.cards]


def deal(plan: PhasePlan, template: Template, decks: Mapping[str, Deck],
         record: PartnerRecord | None) -> tuple[list[Card], list[str]]:
    """A phase's cards for this partner: unseen ones first, facts mixed into chit-chat; and the
    decks that started over."""
    cards, used_up = unseen_first(cards_for(plan, decks), record.seen_cards if record else [],
                                  record.cards_once if record else [])
    if plan is chit_chat_phase(template):
        cards = interleave(fact_cards(record), cards)
    return cards, used_up


def tips_of(decks: Mapping[str, Deck]) -> list[Card]:
    """Every tip: the cards of the decks of `kind = "tips"`, by deck id, in their order."""
    return [card for deck_id in sorted(decks) if decks[deck_id].kind is DeckKind.TIPS
            for card in decks[deck_id].cards]


def phase_ids(templates: Iterable[Template]) -> frozenset[str]:
    """Every phase id of these templates (with `prep`): the tags that tie a tip to a moment."""
    return frozenset({"prep"} | {phase.id for template in templates for phase in template.phases})


def pick_tip(tips: list[Card], phase_id: str, seed: str, moments: Collection[str] = ()) -> Card | None:
    """One tip for the start of phase `phase_id`: among those tagged with the phase's id if any,
    else among those tied to no moment (no tag in `moments`, see `phase_ids`), else among all;
    which one follows `seed` (e.g. the day), so it changes from meeting to meeting but not when
    the same phase is shown again."""
    fitting = ([tip for tip in tips if phase_id in tip.tags]
               or [tip for tip in tips if not set(tip.tags) & set(moments)] or tips)
    if not fitting:
        return None
    digest = sha1_hex(f"{seed}/{phase_id}".encode())
    return fitting[int(digest, 16) % len(fitting)]
