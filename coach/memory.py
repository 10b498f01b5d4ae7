"""Partner memory put to work: the commitments-kept rate, facts that come back as cards,
cards drawn without repeats, the follow-up message, and the brief read before a call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from coach.model import (
    Capture,
    CaptureKind,
    Card,
    Commitment,
    Fact,
    Owner,
    PartnerRecord,
    Status,
    Summary,
    card_key,
)
from coach.text import one_line
from coach.timefmt import short_date

MEMORY_DECK = "memory"
"""The deck id of cards made from remembered facts (never recorded as seen)."""
FACT_CARDS = 5
"""At most this many remembered facts come back as cards in a meeting."""
TOO_EARLY = 3
"""Below this many settled commitments a kept rate means little, and coach says so."""


# -- commitments kept ----------------------------------------------------------------------
@dataclass(frozen=True)
class KeptRate:
    """done ÷ (done + dropped + overdue) for one side."""

    done: int
    dropped: int
    overdue: int

    @property
    def settled(self) -> int:
        return self.done + self.dropped + self.overdue

    @property
    def rate(self) -> float | None:
        return self.done / self.settled if self.settled else None

    def describe(self) -> str:
        """`80 % (4 of 5)`, or a gentle word when there is too little history."""
        if self.settled == 0:
            return "nothing settled yet"
        return f"{(self.rate or 0) * 100:.0f} % ({self.done} of {self.settled})"


def kept_rates(commitments: Iterable[Commitment], today: date) -> dict[str, KeptRate]:
    """Kept rates for `mine` and `theirs` (a commitment owned by both counts on both sides),
    and for `all` of them, each counted once."""
    sides = {"mine": (Owner.ME, Owner.BOTH), "theirs": (Owner.THEM, Owner.BOTH), "all": tuple(Owner)}
    items = list(commitments)
    rates = {}
    for side, owners in sides.items():
        own = [c for c in items if c.owner in owners]
        rates[side] = KeptRate(
            done=sum(c.status is Status.DONE for c in own),
            dropped=sum(c.status is Status.DROPPED for c in own),
            overdue=sum(c.overdue(today) for c in own),
        )
    return rates


def kept_sentence(rates: dict[str, KeptRate]) -> str:
    """One line for prep and wrap-up."""
    mine, theirs = rates["mine"], rates["theirs"]
    settled = rates["all"].settled
    if settled == 0:
        return "Too early to tell. Trust grows one kept promise at a time: keep yours small and real."
    figures = f"Mine: {mine.describe()}; theirs: {theirs.describe()}."
    if settled < TOO_EARLY:
        return f"{figures} Early days: a few more meetings will say more."
    return figures


# -- cards ---------------------------------------------------------------------------------
def learned_key(fact: Fact) -> date:
    """Facts sort by when they were learned; those of unknown date come last."""
    return fact.learned or date.min


def fact_cards(record: PartnerRecord | None) -> list[Card]:
    """The freshest remembered facts as conversation starters."""
    if record is None:
        return []
    facts = sorted(record.facts, key=learned_key, reverse=True)[:FACT_CARDS]
    last_day = record.last_meeting.date() if record.last_meeting else None
    cards = []
    for i, fact in enumerate(facts):
        if fact.learned is None:
            when = "Earlier"
        elif fact.learned == last_day:
            when = f"Last time, on {short_date(fact.learned)},"
        else:
            when = f"On {short_date(fact.learned)}"
        cards.append(Card(text=f"{when} they mentioned: {fact.text}. Ask how it went.",
                          id=f"fact-{i}", tip="From your notes about them.", deck=MEMORY_DECK))
    return cards


def unseen_first(cards: list[Card], seen: Iterable[str]) -> tuple[list[Card], list[str]]:
    """Unseen cards first (in deck order), then the rest; and the decks used up entirely.

    A deck whose every card has been seen starts over: its cards count as unseen again,
    and its id is returned so the screen can say so.
    """
    seen_keys = set(seen)
    by_deck: dict[str, list[Card]] = {}
    for card in cards:
        by_deck.setdefault(card.deck, []).append(card)
    exhausted = [deck for deck, deck_cards in by_deck.items()
                 if deck != MEMORY_DECK and all(card_key(c) in seen_keys for c in deck_cards)]
    fresh = [c for c in cards if c.deck in exhausted or card_key(c) not in seen_keys]
    stale = [c for c in cards if c not in fresh]
    return fresh + stale, exhausted


def interleave(first: list[Card], rest: list[Card]) -> list[Card]:
    """first[0], rest[0], first[1], rest[1], … then whatever is left."""
    out: list[Card] = []
    for i in range(max(len(first), len(rest))):
        out.extend(group[i] for group in (first, rest) if i < len(group))
    return out


# -- follow-up -----------------------------------------------------------------------------
def follow_up_text(partner: str, captures: list[Capture], me: str = "") -> str:
    """A short message after the meeting: goals, who does what by when, and thanks."""
    first_name = partner.split()[0] if partner.split() else partner
    goals = [c for c in captures if c.kind is CaptureKind.GOAL]
    commitments = [c for c in captures if c.kind is CaptureKind.COMMITMENT]
    lines = [f"Hi {first_name},", "", "Thank you for today's conversation."]
    if goals:
        lines += ["", "Goals we talked about:"] + [f"- {g.text}" for g in goals]
    if commitments:
        who = {Owner.ME: "I will", Owner.THEM: "You will", Owner.BOTH: "We will"}
        lines += ["", "Next steps:"]
        for c in commitments:
            due = f" (by {c.due:%a} {short_date(c.due)})" if c.due else ""
            lines.append(f"- {who[c.owner]} {c.text}{due}")
    lines += ["", "Looking forward to our next chat.", me] if me else ["", "Looking forward to our next chat."]
    return "\n".join(lines).rstrip() + "\n"


# -- the brief -----------------------------------------------------------------------------
@dataclass
class BriefLine:
    text: str
    style: str = ""  # "", "dim", "warn" (overdue) or "good"


@dataclass
class Brief:
    """What to know two minutes before the call, as sections of lines."""

    partner: str
    first_meeting: bool
    sections: list[tuple[str, list[BriefLine]]] = field(default_factory=list)


CHECKLIST = [
    "Camera on, at eye level",
    "Light in front of you, not behind",
    "Head and shoulders in the frame",
    "Look at the lens when you speak",
    "Notifications and other tabs closed",
]


def build_brief(record: PartnerRecord, today: date, last: Summary | None = None) -> Brief:
    """The prep content: last meeting, open commitments, goals, facts, kept rate, checklist.

    `last` is the partner's latest summary when there is one.
    """
    brief = Brief(record.name, first_meeting=last is None and record.last_meeting is None)
    if last is not None:
        rating = f", rated {last.rating}/5" if last.rating else ""
        started = last.started
        lines = [BriefLine(f"{started:%a} {short_date(started)} {started:%Y}{rating}")]
        if last.reflection.strip():
            lines.append(BriefLine(f"“{last.reflection.strip()}”", "dim"))
        brief.sections.append(("Last meeting", lines))
    elif brief.first_meeting:
        brief.sections.append(("First meeting", [BriefLine(
            f"This is your first meeting with {record.name}. Start with introductions both ways, "
            "and agree how you will work together.")]))
    open_items = record.open_commitments()
    if open_items:
        labels = {Owner.ME: "me", Owner.THEM: "them", Owner.BOTH: "both"}
        lines = []
        for c in sorted(open_items, key=lambda c: (c.due or date.max)):
            due = f" — due {short_date(c.due)}" if c.due else ""
            late = " (overdue)" if c.overdue(today) else ""
            lines.append(BriefLine(f"[{labels[c.owner]}] {c.text}{due}{late}", "warn" if late else ""))
        brief.sections.append(("Open commitments", lines))
    if record.open_goals():
        brief.sections.append(("Open goals", [BriefLine(g.text) for g in record.open_goals()]))
    if record.facts:
        facts = sorted(record.facts, key=learned_key, reverse=True)
        brief.sections.append(("Remembered", [
            BriefLine(f"{short_date(f.learned)} {f.learned:%Y}: {f.text}" if f.learned is not None else f.text)
            for f in facts]))
    if record.commitments:
        brief.sections.append(("Commitments kept", [BriefLine(kept_sentence(kept_rates(record.commitments, today)))]))
    brief.sections.append(("Before the call", [BriefLine(f"☐ {item}", "dim") for item in CHECKLIST]))
    return brief


def brief_text(brief: Brief, plan: list[str] | None = None) -> str:
    """The brief as plain text for the terminal: one line an item, nothing raw from the files."""
    name = one_line(brief.partner)
    out = [name, "=" * min(60, max(8, len(name)))]
    for title, lines in brief.sections:
        out += ["", title] + [f"  {one_line(line.text)}" for line in lines]
    if plan:
        out += ["", "Plan"] + [f"  {one_line(step)}" for step in plan]
    return "\n".join(out) + "\n"


def commitments_after(record: PartnerRecord | None, reviewed: list, captures: list[Capture],
                      day: date) -> list[Commitment]:
    """The partner's commitments as they will stand once this meeting is saved."""
    outcome = {r.id: r.status for r in reviewed if r.kind is CaptureKind.COMMITMENT}
    earlier = [Commitment(id=c.id, text=c.text, owner=c.owner, due=c.due, status=outcome.get(c.id, c.status))
               for c in (record.commitments if record else [])]
    new = [Commitment(id=f"new-{i}", text=c.text, owner=c.owner, due=c.due, status=Status(c.status), made=day)
           for i, c in enumerate(captures) if c.kind is CaptureKind.COMMITMENT]
    return earlier + new
