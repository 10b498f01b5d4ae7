"""The meeting state machine: prep -> phase 1 ... phase n -> wrap-up -> ended.

Time is a parameter. Every method that depends on time takes `now` (monotonic seconds)
and, where a date matters, `wall` (an aware datetime); `view(now, wall)` is pure, so a
screen calls it once a second and tests call it with any time they like.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from coach.cards import deal
from coach.digest import random_hex
from coach.meeting_view import MeetingView, StripItem, StripState
from coach.model import (
    MAX_SECONDS,
    Capture,
    CaptureKind,
    Card,
    Commitment,
    Deal,
    Deck,
    Owner,
    PartnerRecord,
    PendingCapture,
    PhasePlan,
    PhaseRecord,
    Review,
    Status,
    Summary,
    Template,
    card_key,
    notes_of,
)
from coach.outcome import Outcome
from coach.store import slugify
from coach.timing import WARN_CAP_SECONDS, WARN_FRACTION, Look, PhaseClock, look_for, shortened

MIN_PHASE_SECONDS = 60.0
"""Rebalancing never shortens a phase below a minute (and a phase planned shorter keeps its length)."""


class Stage(StrEnum):
    PREP = "prep"
    PHASE = "phase"
    WRAP_UP = "wrap-up"
    ENDED = "ended"


class MeetingError(Exception):
    """An action that makes no sense in the meeting's current stage."""


@dataclass
class PhaseRun:
    """A phase of this meeting: its plan, clock, cards, notes and what was seen."""

    plan: PhasePlan
    clock: PhaseClock
    cards: list[Card]
    card_index: int = 0
    notes: str = ""
    added_seconds: float = 0.0
    seen: list[str] = field(default_factory=list)
    rebalanced: bool = False

    @property
    def card(self) -> Card | None:
        return self.cards[self.card_index] if self.cards else None

    def mark_seen(self) -> None:
        card = self.card
        if card is not None and card_key(card) not in self.seen:
            self.seen.append(card_key(card))

    @property
    def planned(self) -> float:
        """The phase's plan with the minutes added to it, before any rebalance."""
        return self.plan.seconds + self.added_seconds

    def record(self) -> PhaseRecord:
        """The phase as the summary keeps it (its clock stopped)."""
        return PhaseRecord(
            id=self.plan.id,
            title=self.plan.title,
            planned_seconds=round(self.plan.seconds, 1),
            actual_seconds=round(min(MAX_SECONDS, self.clock.elapsed), 1),
            added_seconds=round(self.added_seconds, 1),
            rebalanced_seconds=round(self.clock.planned, 1) if self.rebalanced else None,
            notes=self.notes,
            cards_seen=list(self.seen),
        )


class EarlierGoal(NamedTuple):
    """One of the partner's goals from earlier meetings, by its id."""

    id: str


class NewGoal(NamedTuple):
    """A goal captured in this meeting, by its place among the meeting's captures."""

    position: int


GoalKey = EarlierGoal | NewGoal
"""Which open goal to mark reached."""


class OpenGoal(NamedTuple):
    key: GoalKey
    text: str


class GoalChoice(NamedTuple):
    """A goal "Mark goal reached" offers: an open one, or one reached in this meeting (to un-mark)."""

    key: GoalKey
    text: str
    reached: bool = False


def review_phase(template: Template) -> int:
    """Where open commitments are reviewed: the commitments phase, else the first phase."""
    for i, phase in enumerate(template.phases):
        if phase.id == "commitments" or "commitments" in phase.decks:
            return i
    return 0


class Meeting:
    """One meeting with one partner, run through the phases of a template."""

    def __init__(self, partner: str, template: Template, decks: Mapping[str, Deck],
                 memory: PartnerRecord | None = None) -> None:
        self.partner = partner
        self.template = template
        self.memory = memory
        self.phases = []
        self.started_over: list[str] = []  # decks whose every card this partner has seen
        for plan in template.phases:
            cards, used_up = deal(plan, template, decks, memory)
            self.started_over += [d for d in used_up if d not in self.started_over]
            self.phases.append(PhaseRun(plan=plan, clock=PhaseClock(planned=plan.seconds), cards=cards))
        self.review_at = review_phase(template)
        self.to_review: list[Commitment] = list(memory.open_commitments()) if memory else []
        self.reviewed: list[Review] = []
        self.follow_up = ""
        self.unsaved_capture: PendingCapture | None = None  # typed in an open dialog
        self.warn_fraction = WARN_FRACTION
        self.warn_cap = WARN_CAP_SECONDS
        self.stage = Stage.PREP
        self.index = 0
        self.paused = False
        self.captures: list[Capture] = []
        self.started: datetime | None = None
        self.ended: datetime | None = None
        self._carried = 0.0  # seconds the meeting ran before `_since` (in an earlier process)
        self._since: float | None = None  # monotonic time from which it runs in this one
        self.planned_end: datetime | None = None
        self.rating: int | None = None
        self.reflection = ""
        self.id = ""

    # -- the current phase ---------------------------------------------------------------
    @property
    def current(self) -> PhaseRun | None:
        if self.stage is Stage.PHASE:
            return self.phases[self.index]
        return None

    def _running_phase(self) -> PhaseRun:
        phase = self.current
        if phase is None:
            raise MeetingError(f"no phase is running (the meeting is at {self.stage.value})")
        return phase

    # -- transitions ---------------------------------------------------------------------
    def start(self, now: float, wall: datetime) -> None:
        """Leave prep and start the first phase (or go straight to wrap-up if there is none)."""
        if self.stage is not Stage.PREP:
            raise MeetingError("the meeting has already started")
        self.started = wall
        self.carry(0.0, now)
        self.planned_end = wall + timedelta(seconds=self.template.planned_seconds)
        self.id = f"{wall:%Y-%m-%d-%H%M}-{slugify(self.partner)}-{random_hex(3)}"
        if not self.phases:
            self.stage = Stage.WRAP_UP
            return
        self.stage = Stage.PHASE
        self._enter(0, now)

    def _enter(self, index: int, now: float) -> None:
        self.index = index
        phase = self.phases[index]
        phase.mark_seen()
        if not self.paused:
            phase.clock.start(now)

    def next_phase(self, now: float) -> None:
        """Close the running phase and start the next one; after the last, go to wrap-up."""
        phase = self._running_phase()
        phase.clock.stop(now)
        if self.index + 1 < len(self.phases):
            self._enter(self.index + 1, now)
        else:
            self.stage = Stage.WRAP_UP
            self.paused = False

    def previous_phase(self, now: float) -> None:
        """Stop the running phase and go back to the one before, whose clock goes on from where it
        stopped. Notes, cards and times of every phase stay as they are."""
        phase = self._running_phase()
        if self.index == 0:
            raise MeetingError("This is the first phase")
        phase.clock.stop(now)
        self._enter(self.index - 1, now)

    def end_early(self, now: float) -> None:
        """Stop wherever the meeting is and go to wrap-up; phases not reached stay at 0 s."""
        phase = self._running_phase()
        phase.clock.stop(now)
        self.stage = Stage.WRAP_UP
        self.paused = False

    def pause(self, now: float) -> None:
        phase = self._running_phase()
        phase.clock.stop(now)
        self.paused = True

    def resume(self, now: float) -> None:
        phase = self._running_phase()
        self.paused = False
        phase.clock.start(now)

    def toggle_pause(self, now: float) -> None:
        (self.resume if self.paused else self.pause)(now)

    def rebalance(self, now: float, wall: datetime) -> bool:
        """Shorten the phases still to come, in proportion, so the meeting ends on time.

        No phase is ever lengthened, so the projected end never moves later; none goes below
        MIN_PHASE_SECONDS (one planned shorter keeps its length). Returns False when no phase
        could be shortened (the meeting is on time, or every phase to come is at its shortest).
        """
        view = self.view(now, wall)
        if self.stage is not Stage.PHASE or view.overrun <= 0:
            return False
        later = self.phases[self.index + 1:]
        plans = shortened([(run.clock.planned, run.clock.elapsed) for run in later], view.overrun,
                          MIN_PHASE_SECONDS)
        changed = False
        for run, planned in zip(later, plans, strict=True):
            if planned < run.clock.planned:
                run.clock.planned, run.rebalanced, changed = planned, True, True
        return changed

    def add_minute(self) -> None:
        phase = self._running_phase()
        phase.clock.planned += 60.0
        phase.added_seconds += 60.0

    def next_card(self) -> None:
        self._step_card(+1)

    def previous_card(self) -> None:
        self._step_card(-1)

    def _step_card(self, step: int) -> None:
        phase = self._running_phase()
        if phase.cards:
            phase.card_index = (phase.card_index + step) % len(phase.cards)
            phase.mark_seen()

    def use_decks(self, decks: Mapping[str, Deck]) -> None:
        """Deck files changed: the phases still to come (and this one) draw from the new cards.

        The card on screen stays where it is when it still exists.
        """
        if self.stage in (Stage.WRAP_UP, Stage.ENDED):
            return
        start = self.index if self.stage is Stage.PHASE else 0
        for run in self.phases[start:]:
            showing = card_key(run.card) if run.card is not None else None
            cards, _used_up = deal(run.plan, self.template, decks, self.memory)
            keys = [card_key(c) for c in cards]
            run.cards = cards
            run.card_index = keys.index(showing) if showing in keys else min(run.card_index, max(0, len(cards) - 1))

    # -- memory: reviewing earlier commitments, reaching goals ---------------------------
    def pending_reviews(self) -> list[Commitment]:
        """Earlier open commitments not yet reviewed in this meeting."""
        done = {r.id for r in self.reviewed if r.kind is CaptureKind.COMMITMENT}
        return [c for c in self.to_review if c.id not in done]

    def review_due(self) -> bool:
        """True when the running phase is where the review happens and some remain."""
        return self.stage is Stage.PHASE and self.index == self.review_at and bool(self.pending_reviews())

    def review(self, commitment: Commitment, status: Status) -> Review:
        """Record whether an earlier commitment was done, is still open, or was dropped (an answer
        given before is replaced: answers can change until the summary is saved)."""
        item = Review(CaptureKind.COMMITMENT, commitment.id, commitment.text, status, commitment.owner,
                      commitment.made_in)
        self.reviewed = [r for r in self.reviewed if not (r.kind is item.kind and r.id == item.id)] + [item]
        return item

    def unreview(self, commitment: Commitment) -> None:
        """Take back this meeting's answer for an earlier commitment: it is "not yet" reviewed again."""
        self.reviewed = [r for r in self.reviewed
                         if not (r.kind is CaptureKind.COMMITMENT and r.id == commitment.id)]

    def answer(self, commitment: Commitment) -> Status | None:
        """What was answered in this meeting for an earlier commitment; None: not yet."""
        return next((r.status for r in self.reviewed
                     if r.kind is CaptureKind.COMMITMENT and r.id == commitment.id), None)

    def open_goals(self) -> list[OpenGoal]:
        """Every open goal: the partner's earlier ones and this meeting's."""
        reached = {r.id for r in self.reviewed if r.kind is CaptureKind.GOAL}
        earlier = [OpenGoal(EarlierGoal(g.id), g.text) for g in (self.memory.open_goals() if self.memory else [])
                   if g.id not in reached]
        new = [OpenGoal(NewGoal(i), c.text) for i, c in enumerate(self.captures)
               if c.kind is CaptureKind.GOAL and c.status is Status.OPEN]
        return earlier + new

    def reached_goals(self) -> list[OpenGoal]:
        """The goals marked reached in this meeting: the partner's earlier ones and this meeting's."""
        earlier = [OpenGoal(EarlierGoal(r.id), r.text) for r in self.reviewed
                   if r.kind is CaptureKind.GOAL and r.status is Status.REACHED]
        new = [OpenGoal(NewGoal(i), c.text) for i, c in enumerate(self.captures)
               if c.kind is CaptureKind.GOAL and c.status is Status.REACHED]
        return earlier + new

    def goal_choices(self) -> list[GoalChoice]:
        """What "Mark goal reached" offers: the open goals, then those reached in this meeting."""
        return ([GoalChoice(key, text) for key, text in self.open_goals()]
                + [GoalChoice(key, text, reached=True) for key, text in self.reached_goals()])

    def mark_goal_reached(self, key: GoalKey) -> str:
        """Mark the goal `key` (from `open_goals`) reached; return its text."""
        if isinstance(key, NewGoal):
            item = self.captures[key.position]
            item.status = Status.REACHED
            return item.text
        goal = next(g for g in (self.memory.goals if self.memory else []) if g.id == key.id)
        self.unmark_goal_reached(key)  # marked once, whatever was pressed before
        self.reviewed.append(Review(CaptureKind.GOAL, goal.id, goal.text, Status.REACHED, made_in=goal.meeting))
        return goal.text

    def unmark_goal_reached(self, key: GoalKey) -> None:
        """A goal marked reached in this meeting by mistake is open again."""
        if isinstance(key, NewGoal):
            self.captures[key.position].status = Status.OPEN
            return
        self.reviewed = [r for r in self.reviewed if not (r.kind is CaptureKind.GOAL and r.id == key.id)]

    def outcome(self) -> Outcome:
        """What the meeting has captured and settled so far: the lists its summary will keep."""
        notes = notes_of(self.captures)
        return Outcome.build(notes["goals"], notes["commitments"], notes["remembered"], self.reviewed)

    # -- what the user types -------------------------------------------------------------
    def set_notes(self, text: str) -> None:
        self._running_phase().notes = text

    def capture(
        self,
        kind: CaptureKind,
        text: str,
        wall: datetime,
        owner: Owner = Owner.ME,
        due: date | None = None,
    ) -> Capture:
        """Record a fact, goal or commitment made in the current phase."""
        text = " ".join(text.split())
        if not text:
            raise MeetingError("there is nothing to capture: the text is empty")
        phase = self.current
        item = Capture(kind=kind, text=text, phase=phase.plan.id if phase else self.stage.value,
                       owner=owner, due=due, at=wall)
        self.captures.append(item)
        return item

    # -- the meeting's own length: monotonic, so a wall clock moved meanwhile changes nothing ---
    def carry(self, seconds: float, now: float) -> None:
        """The meeting had run `seconds` before `now` (in an earlier process, for a resumed one)."""
        self._carried, self._since = max(0.0, seconds), now

    def duration(self, now: float) -> float:
        """Seconds since the meeting started, by the monotonic clock."""
        if self._since is None:
            return 0.0
        return self._carried + max(0.0, now - self._since)

    def finish(self, now: float) -> Summary:
        """The summary to save at the end of the wrap-up; the meeting stays open until `close`.

        It ends `duration(now)` after it started: a wall clock moved back during the meeting can
        never make it end before it began.
        """
        if self.stage is not Stage.WRAP_UP:
            raise MeetingError("the meeting can only be finished from the wrap-up")
        if self.rating is not None and not 1 <= self.rating <= 5:
            raise MeetingError(f"a rating is 1 to 5, not {self.rating}")
        if self.started is None:
            raise MeetingError("the meeting has not started")
        self.ended = self.started + timedelta(seconds=round(min(MAX_SECONDS, self.duration(now))))
        return self._summary(self.started, self.ended)

    def close(self) -> None:
        """The summary is safely on disk: the meeting is over."""
        self.stage = Stage.ENDED

    def _summary(self, started: datetime, ended: datetime) -> Summary:
        """The meeting shaped for saving."""
        return Summary(
            id=self.id,
            partner=self.partner,
            partner_slug=slugify(self.partner),
            template=self.template.id,
            started=started,
            ended=ended,
            rating=self.rating,
            reflection=self.reflection.strip(),
            follow_up=self.follow_up,
            decks_started_over=list(self.started_over),
            cards_once=self.once_shown(),
            phases=[run.record() for run in self.phases],
            reviewed=list(self.reviewed),
            **notes_of(self.captures),
        )

    def once_shown(self) -> list[str]:
        """The cards dealt "once" that were shown in this meeting: never dealt to this partner again."""
        once = {card_key(card) for run in self.phases for card in run.cards if card.deal is Deal.ONCE}
        return list(dict.fromkeys(key for run in self.phases for key in run.seen if key in once))

    # -- the pure view -------------------------------------------------------------------
    def view(self, now: float, wall: datetime) -> MeetingView:
        """What to show at `now`; changes nothing, so it may be called any number of times."""
        phase = self.current
        strip = tuple(StripItem(run.plan.title, planned=run.planned, allowed=run.clock.planned,
                                actual=run.clock.at(now), rebalanced=run.rebalanced, state=self._strip_state(i))
                      for i, run in enumerate(self.phases))
        between = MeetingView(  # before the first phase, or after the last
            phase_index=self.index, phase_count=len(self.phases), phase_title=self.stage.value.capitalize(),
            elapsed=0.0, remaining=0.0, planned=0.0, look=Look.CALM, paused=False, card=None, card_position=0,
            card_count=0, strip=strip, projected_end=self._projected_end(now, wall), planned_end=self.planned_end)
        if phase is None:
            return between
        clock = phase.clock
        elapsed, remaining = clock.at(now), clock.remaining(now)
        return replace(
            between, phase_title=phase.plan.title, elapsed=elapsed, remaining=remaining, planned=clock.planned,
            look=look_for(remaining, clock.planned, self.warn_fraction, self.warn_cap), paused=self.paused,
            card=phase.card, card_position=phase.card_index + 1 if phase.cards else 0, card_count=len(phase.cards))

    def _strip_state(self, i: int) -> StripState:
        if self.stage is Stage.PREP or (self.stage is Stage.PHASE and i > self.index):
            return StripState.NEXT
        if self.stage is Stage.PHASE and i == self.index:
            return StripState.CURRENT
        return StripState.DONE

    def _projected_end(self, now: float, wall: datetime) -> datetime | None:
        """Now + what remains of this phase and of the phases still to come (a phase left
        earlier, by going back, has only its rest to come)."""
        if self.stage is Stage.PREP:
            return wall + timedelta(seconds=self.template.planned_seconds)
        if self.stage is not Stage.PHASE:
            return None
        left = sum(max(0.0, run.clock.remaining(now)) for run in self.phases[self.index:])
        return wall + timedelta(seconds=left)
