"""Plain data of coach: templates, decks, cards, captured items and meeting summaries.

Nothing here knows about files or the terminal; loaders live in `coach.prompts`,
storage in `coach.store`, and the running meeting in `coach.meeting`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

SCHEMA = 1
"""The version number every file coach writes carries as `schema`."""


@dataclass(frozen=True)
class Card:
    """One prompt shown during a phase."""

    text: str
    id: str = ""
    tip: str = ""
    tags: tuple[str, ...] = ()
    deck: str = ""


@dataclass(frozen=True)
class Deck:
    """A named list of cards, loaded from a TOML file."""

    id: str
    title: str
    cards: tuple[Card, ...]
    description: str = ""
    path: Path | None = None
    builtin: bool = False


@dataclass(frozen=True)
class PhasePlan:
    """One timed phase of a template: how long it lasts and which decks feed it."""

    id: str
    title: str
    minutes: float
    decks: tuple[str, ...] = ()

    @property
    def seconds(self) -> float:
        return self.minutes * 60.0


@dataclass(frozen=True)
class Template:
    """A meeting plan: the timed phases in order."""

    id: str
    title: str
    phases: tuple[PhasePlan, ...]
    description: str = ""
    path: Path | None = None
    builtin: bool = False

    @property
    def planned_seconds(self) -> float:
        return sum(phase.seconds for phase in self.phases)


class Owner(StrEnum):
    """Who owes a commitment."""

    ME = "me"
    THEM = "them"
    BOTH = "both"


class CaptureKind(StrEnum):
    """What a quick capture records."""

    FACT = "fact"
    GOAL = "goal"
    COMMITMENT = "commitment"


@dataclass
class Capture:
    """Something noted in one keystroke during the meeting: a fact, a goal or a commitment."""

    kind: CaptureKind
    text: str
    phase: str = ""
    owner: Owner = Owner.ME
    due: date | None = None
    status: str = "open"
    at: datetime | None = None


@dataclass
class PhaseRecord:
    """What happened in one phase: planned and actual time, and the notes typed in it."""

    id: str
    title: str
    planned_seconds: float
    actual_seconds: float = 0.0
    added_seconds: float = 0.0
    notes: str = ""
    cards_seen: list[str] = field(default_factory=list)
    rebalanced_seconds: float | None = None  # the shorter plan after a rebalance


@dataclass
class Summary:
    """Everything kept of one meeting, as written to `sessions/<YYYY>/<id>.toml`."""

    id: str
    partner: str
    partner_slug: str
    template: str
    started: datetime
    ended: datetime
    phases: list[PhaseRecord]
    captures: list[Capture] = field(default_factory=list)
    rating: int | None = None
    reflection: str = ""
    follow_up: str = ""
    reviewed: list[Review] = field(default_factory=list)
    started_over: list[str] = field(default_factory=list)  # decks whose cards went round once more

    def of_kind(self, kind: CaptureKind) -> list[Capture]:
        return [c for c in self.captures if c.kind is kind]


def card_key(card: Card) -> str:
    """A stable identity for a card: its deck and explicit id, or a hash of its text.

    Editing one card never changes the key of another, so "seen" records survive edits.
    """
    if card.id:
        return f"{card.deck}:{card.id}"
    digest = hashlib.sha1(" ".join(card.text.split()).encode("utf-8")).hexdigest()[:10]
    return f"{card.deck}:#{digest}"


class Status(StrEnum):
    """Where a goal or commitment stands."""

    OPEN = "open"
    DONE = "done"  # commitments
    REACHED = "reached"  # goals
    DROPPED = "dropped"


@dataclass
class Fact:
    """Something remembered about a partner, and when it was learned."""

    text: str
    learned: date
    meeting: str = ""


@dataclass
class Goal:
    """A goal of the partner's, kept across meetings."""

    id: str
    text: str
    status: Status = Status.OPEN
    added: date | None = None
    closed: date | None = None
    meeting: str = ""


@dataclass
class Commitment:
    """Who promised what, by when, and whether it was kept."""

    id: str
    text: str
    owner: Owner = Owner.ME
    due: date | None = None
    status: Status = Status.OPEN
    made: date | None = None
    made_in: str = ""
    closed: date | None = None

    def overdue(self, today: date) -> bool:
        return self.status is Status.OPEN and self.due is not None and self.due < today


@dataclass
class Review:
    """An earlier goal or commitment whose status changed in this meeting."""

    kind: CaptureKind
    id: str
    text: str
    status: Status
    owner: Owner = Owner.ME
    made_in: str = ""


@dataclass
class PartnerRecord:
    """Everything coach remembers about one partner: `partners/<slug>.toml`."""

    name: str
    slug: str
    created: datetime | None = None
    last_meeting: datetime | None = None
    facts: list[Fact] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    seen_cards: list[str] = field(default_factory=list)

    def open_goals(self) -> list[Goal]:
        return [g for g in self.goals if g.status is Status.OPEN]

    def open_commitments(self) -> list[Commitment]:
        return [c for c in self.commitments if c.status is Status.OPEN]
