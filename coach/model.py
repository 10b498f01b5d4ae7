"""Plain data of coach: templates, decks, cards, captured items and meeting summaries.

Nothing here knows about files or the terminal; loaders live in `coach.prompts`,
storage in `coach.store`, and the running meeting in `coach.meeting`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, ClassVar, TypedDict

from msgspec import Meta, Struct

from coach.digest import random_hex, sha1_hex

SCHEMA = 1
"""The version number every file coach writes carries as `schema`."""

Text = Annotated[str, Meta(min_length=1)]
"""Text that must not be empty."""
Name = Annotated[str, Meta(min_length=1, max_length=1000)]
"""A partner's name as stored (see `coach.text.name_problem` for what a name may hold)."""
MAX_SECONDS = 1e9
Seconds = Annotated[float, Meta(ge=0, le=MAX_SECONDS)]
"""A duration: never negative, never NaN or infinite (at most about 31 years)."""
Rating = Annotated[int, Meta(ge=1, le=5)]
MeetingId = Annotated[str, Meta(pattern=r"^\w[\w.-]*$", max_length=200)]
"""A meeting's id, which names its summary file: letters, digits, `.`, `_` and `-` only."""


class Deal(StrEnum):
    """How a card is dealt for a partner (the `deal` key of a card)."""

    ROTATION = "rotation"  # unseen cards first; when all were seen, the deck starts over
    ONCE = "once"  # until it has been shown to this partner once, then never again
    EVERY_MEETING = "every-meeting"  # a standing question: first in every meeting


class DeckKind(StrEnum):
    """What a deck holds (its `kind` key)."""

    CARDS = "cards"  # prompts dealt to the phases that name the deck
    TIPS = "tips"  # reminders for the user: shown in prep, at phase starts and in help


@dataclass(frozen=True)
class Card:
    """One prompt shown during a phase."""

    text: str
    id: str = ""
    tip: str = ""
    tags: tuple[str, ...] = ()
    deck: str = ""
    deal: Deal = Deal.ROTATION


@dataclass(frozen=True)
class Deck:
    """A named list of cards, loaded from a TOML file."""

    id: str
    title: str
    cards: tuple[Card, ...]
    description: str = ""
    path: Path | None = None
    builtin: bool = False
    kind: DeckKind = DeckKind.CARDS


@dataclass(frozen=True)
class PhasePlan:
    """One timed phase of a template: how long it lasts and which decks feed it."""

    id: str
    title: str
    minutes: float
    decks: tuple[str, ...] = ()
    purpose: str = ""

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


class Status(StrEnum):
    """Where a goal or commitment stands."""

    OPEN = "open"
    DONE = "done"  # commitments
    REACHED = "reached"  # goals
    DROPPED = "dropped"


GOAL_STATUSES = (Status.OPEN, Status.REACHED, Status.DROPPED)
COMMITMENT_STATUSES = (Status.OPEN, Status.DONE, Status.DROPPED)


def _check_status(kind: CaptureKind, status: Status) -> None:
    allowed = {CaptureKind.GOAL: GOAL_STATUSES, CaptureKind.COMMITMENT: COMMITMENT_STATUSES}.get(kind)
    if allowed is not None and status not in allowed:
        raise ValueError(f"`status`: a {kind.value} is {', '.join(allowed)}, not {status.value!r}")


def _check_name(key: str, name: str) -> None:
    from coach.text import name_problem

    if problem := name_problem(name):
        raise ValueError(f"`{key}`: {problem}")


def new_id() -> str:
    """A short random id for a fact, a goal or a commitment."""
    return random_hex(4)


def content_id(kind: str, *parts: object) -> str:
    """The id of an item written before items had ids, from what it holds: the same on every device
    that reads the same file, so two devices never give one item two ids (and a merge never doubles it)."""
    text = "\x1f".join([kind, *("" if part is None else str(part) for part in parts)])
    return sha1_hex(text.encode("utf-8", "surrogatepass"))[:8]


# -- what a meeting records --------------------------------------------------------------------
class Capture(Struct):
    """Something noted in one keystroke during the meeting: a fact, a goal or a commitment."""

    kind: CaptureKind
    text: Text
    phase: str = ""
    owner: Owner = Owner.ME
    due: date | None = None
    status: Status = Status.OPEN
    at: datetime | None = None

    def __post_init__(self) -> None:
        _check_status(self.kind, self.status)


class PendingCapture(Struct, kw_only=True):
    """A capture still being typed in its dialog (kept in the draft, so a crash loses none of it)."""

    kind: CaptureKind
    text: str = ""
    owner: Owner = Owner.ME
    due: str = ""  # as typed: it may not be a date yet


class PhaseRecord(Struct, kw_only=True):
    """What happened in one phase: planned and actual time, and the notes typed in it."""

    id: Text
    title: str = ""
    planned_seconds: Seconds
    actual_seconds: Seconds = 0.0
    added_seconds: Seconds = 0.0
    rebalanced_seconds: Seconds | None = None  # the shorter plan after a rebalance
    notes: str = ""
    cards_seen: list[str] = []

    def __post_init__(self) -> None:
        self.title = self.title or self.id


class Remembered(Struct, kw_only=True):
    """`[[remembered]]` in a summary: a fact learned in the meeting."""

    text: Text
    phase: str = ""
    at: datetime | None = None


class GoalNote(Struct, kw_only=True):
    """`[[goals]]` in a summary: a goal agreed in the meeting."""

    ALLOWED: ClassVar = {"status": GOAL_STATUSES}

    text: Text
    status: Status = Status.OPEN
    phase: str = ""
    at: datetime | None = None

    def __post_init__(self) -> None:
        _check_status(CaptureKind.GOAL, self.status)


class CommitmentNote(Struct, kw_only=True):
    """`[[commitments]]` in a summary: who promised what, by when."""

    ALLOWED: ClassVar = {"status": COMMITMENT_STATUSES}

    text: Text
    owner: Owner = Owner.ME
    status: Status = Status.OPEN
    due: date | None = None
    phase: str = ""
    at: datetime | None = None

    def __post_init__(self) -> None:
        _check_status(CaptureKind.COMMITMENT, self.status)


class Review(Struct):
    """An earlier goal or commitment whose status changed in this meeting."""

    kind: CaptureKind
    id: Text
    text: str
    status: Status
    owner: Owner = Owner.ME
    made_in: str = ""

    def __post_init__(self) -> None:
        if self.kind is CaptureKind.FACT:
            raise ValueError("`kind` of a review is goal or commitment")
        _check_status(self.kind, self.status)


class Summary(Struct, kw_only=True):
    """Everything kept of one meeting: `sessions/<YYYY>/<id>.toml`, written once by its meeting."""

    schema: int = SCHEMA
    id: MeetingId
    partner: Name
    partner_slug: str = ""
    template: str = ""
    started: datetime
    ended: datetime
    rating: Rating | None = None
    reflection: str = ""
    follow_up: str = ""
    decks_started_over: list[str] = []  # decks whose cards went round once more
    cards_once: list[str] = []  # cards dealt "once" that were shown: never dealt to this partner again
    phases: list[PhaseRecord] = []
    commitments: list[CommitmentNote] = []
    remembered: list[Remembered] = []
    goals: list[GoalNote] = []
    reviewed: list[Review] = []

    def __post_init__(self) -> None:
        _check_name("partner", self.partner)
        if self.ended < self.started:
            raise ValueError(f"`ended`: {self.ended.isoformat()} is before `started` ({self.started.isoformat()})")
        if not self.partner_slug:
            from coach.store import slugify

            self.partner_slug = slugify(self.partner)

    @property
    def captures(self) -> list[Capture]:
        """Everything captured in the meeting, as the meeting held it."""
        return ([Capture(CaptureKind.GOAL, g.text, g.phase, status=g.status, at=g.at) for g in self.goals]
                + [Capture(CaptureKind.COMMITMENT, c.text, c.phase, c.owner, c.due, c.status, c.at)
                   for c in self.commitments]
                + [Capture(CaptureKind.FACT, r.text, r.phase, at=r.at) for r in self.remembered])

    @property
    def minutes(self) -> float:
        return max(0.0, (self.ended - self.started).total_seconds() / 60)


class Notes(TypedDict):
    """A meeting's captures as the keys of its summary."""

    goals: list[GoalNote]
    commitments: list[CommitmentNote]
    remembered: list[Remembered]


def notes_of(captures: list[Capture]) -> Notes:
    """A meeting's captures as a summary keeps them: goals, commitments, remembered facts."""
    return {
        "goals": [GoalNote(text=c.text, status=c.status, phase=c.phase, at=c.at)
                  for c in captures if c.kind is CaptureKind.GOAL],
        "commitments": [CommitmentNote(text=c.text, owner=c.owner, status=c.status, due=c.due, phase=c.phase,
                                       at=c.at) for c in captures if c.kind is CaptureKind.COMMITMENT],
        "remembered": [Remembered(text=c.text, phase=c.phase, at=c.at)
                       for c in captures if c.kind is CaptureKind.FACT],
    }


def card_key(card: Card) -> str:
    """A stable identity for a card: its deck and explicit id, or a hash of its text.

    Editing one card never changes the key of another, so "seen" records survive edits.
    """
    if card.id:
        return f"{card.deck}:{card.id}"
    digest = sha1_hex(" ".join(card.text.split()).encode("utf-8"))[:10]
    return f"{card.deck}:#{digest}"


def deck_of(key: str) -> str:
    """The deck of a card, from its key (see `card_key`)."""
    return key.partition(":")[0]


# -- what coach remembers about a partner -----------------------------------------------------
class Fact(Struct):
    """Something remembered about a partner, and when it was learned (None: not known).

    `updated`: when it was last made or changed (None: by a coach older than that key), so that a
    merge of two versions of the partner file keeps the later one (`coach.partner_merge`)."""

    text: Text
    learned: date | None = None
    meeting: str = ""
    id: str = ""
    updated: datetime | None = None

    def __post_init__(self) -> None:
        self.id = self.id or content_id("fact", self.text, self.learned, self.meeting)


def learned_key(fact: Fact) -> date:
    """Facts sort by when they were learned; those of unknown date come last."""
    return fact.learned or date.min


class Goal(Struct, kw_only=True):
    """A goal of the partner's, kept across meetings."""

    ALLOWED: ClassVar = {"status": GOAL_STATUSES}

    id: str = ""
    text: Text
    status: Status = Status.OPEN
    added: date | None = None
    closed: date | None = None
    meeting: str = ""
    updated: datetime | None = None  # when last made or changed (see `Fact`)

    def __post_init__(self) -> None:
        self.id = self.id or content_id("goal", self.text, self.added, self.meeting)
        _check_status(CaptureKind.GOAL, self.status)


class Commitment(Struct, kw_only=True):
    """Who promised what, by when, and whether it was kept."""

    ALLOWED: ClassVar = {"status": COMMITMENT_STATUSES}

    id: str = ""
    text: Text
    owner: Owner = Owner.ME
    due: date | None = None
    status: Status = Status.OPEN
    made: date | None = None
    made_in: str = ""
    closed: date | None = None
    closed_in: str = ""  # the meeting that settled it ("" when settled outside a meeting, or not known)
    updated: datetime | None = None  # when last made or changed (see `Fact`)

    def __post_init__(self) -> None:
        self.id = self.id or content_id("commitment", self.text, self.made, self.made_in)
        _check_status(CaptureKind.COMMITMENT, self.status)

    def overdue(self, today: date) -> bool:
        return self.status is Status.OPEN and self.due is not None and self.due < today


class Forgotten(Struct, kw_only=True):
    """`forgotten` in a partner file: a fact, goal or commitment forgotten `at` that time. Never
    shown; it keeps a merge with an older version of the file from bringing the item back."""

    id: Text
    at: datetime


class PartnerRecord(Struct, kw_only=True):
    """Everything coach remembers about one partner: `partners/<slug>.toml`."""

    schema: int = SCHEMA
    name: Name
    slug: str = ""
    former_names: list[Name] = []  # names the partner had before a rename or a merge: their meetings are theirs
    created: datetime | None = None
    last_meeting: datetime | None = None
    meetings: list[str] = []  # ids of the meetings already folded in: saving one twice changes nothing
    seen_cards: list[str] = []
    cards_once: list[str] = []  # cards dealt "once" already shown: kept when a deck starts over
    template: str | None = None  # the template of the latest meeting: prep chooses it next time
    facts: list[Fact] = []
    goals: list[Goal] = []
    commitments: list[Commitment] = []
    emails: list[Text] = []  # their e-mail addresses: a calendar event they attend is a meeting with them
    calendar: list[Text] = []  # words in an event's title that mean a meeting with them (besides their name)
    forgotten: list[Forgotten] = []  # items forgotten: never shown, never brought back by a merge

    def __post_init__(self) -> None:
        _check_name("name", self.name)
        for former in self.former_names:
            _check_name("former_names", former)
        # An item copied by hand keeps its id: the copy gets one of its own (the same one at every
        # reading, so a review of it in a meeting finds it when it is saved). Ids are unique across
        # facts, goals and commitments, so a tombstone (`forgotten`) names one item.
        ids: set[str] = set()
        for items in (self.goals, self.commitments, self.facts):
            for item in items:
                base, n = item.id, 1
                while item.id in ids:
                    n += 1
                    item.id = f"{base}-{n}"
                ids.add(item.id)

    def open_goals(self) -> list[Goal]:
        return [g for g in self.goals if g.status is Status.OPEN]

    def open_commitments(self) -> list[Commitment]:
        return [c for c in self.commitments if c.status is Status.OPEN]
