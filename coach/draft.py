"""The draft: the whole meeting in progress, kept on disk so no typed word is ever lost.

`DraftState` is the file's one declared shape; `to_state` / `DraftState.restore` turn a
Meeting into it and back. Monotonic times mean nothing in another process, so the draft
stores each phase's elapsed seconds, and the meeting's own length, as of `saved_at` (wall
time); on resume the gap since then is shown and, unless the user says otherwise, not counted.

A draft that reads is one that resumes: every check that restoring needs is made when it is
read, so Resume and "Save as it is" cannot fail on it.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from msgspec import Meta, Struct

from coach import records
from coach.meeting import Meeting, PhaseRun, Stage
from coach.model import (
    MAX_SECONDS,
    SCHEMA,
    Capture,
    Deck,
    MeetingId,
    Name,
    PartnerRecord,
    PendingCapture,
    PhasePlan,
    Rating,
    Review,
    Seconds,
    Template,
    Text,
    card_key,
)
from coach.store import draft_path, write_atomic

FSYNC_EVERY = 10.0
"""Seconds between two draft writes that are made durable (fsync) while only notes change."""

Minutes = Annotated[float, Meta(gt=0, le=600)]


class PhaseState(Struct, kw_only=True):
    """`[[phases]]` of a draft: the phase's plan, its clock and what was typed in it."""

    id: Text
    title: str = ""
    minutes: Minutes
    decks: list[str] = []
    planned_seconds: Seconds
    elapsed_seconds: Seconds = 0.0
    added_seconds: Seconds = 0.0
    rebalanced: bool = False
    notes: str = ""
    seen: list[str] = []
    card: str | None = None


class TemplateRef(Struct, kw_only=True):
    id: str
    title: str = ""


class DraftState(Struct, kw_only=True):
    """`draft.toml`: everything needed to put the meeting back exactly as it was."""

    schema: int = SCHEMA
    kind: Literal["draft"]
    saved_at: datetime
    id: MeetingId
    partner: Name
    stage: Literal["phase", "wrap-up"]
    phase_index: Annotated[int, Meta(ge=0)] = 0
    paused: bool = False
    template: TemplateRef
    started: datetime
    planned_end: datetime | None = None
    duration_seconds: Seconds = 0.0  # how long the meeting had run (monotonic) at `saved_at`
    rating: Rating | None = None
    reflection: str = ""
    follow_up: str = ""
    phases: list[PhaseState] = []
    captures: list[Capture] = []
    unsaved_capture: PendingCapture | None = None
    reviewed: list[Review] = []

    def __post_init__(self) -> None:
        from coach.text import name_problem

        if problem := name_problem(self.partner):
            raise ValueError(f"`partner`: {problem}")
        if self.started.year > 9000:  # its end is computed from it
            raise ValueError("`started`: a meeting that starts after the year 9000 cannot be resumed")
        if self.stage == "phase" and self.phase_index >= len(self.phases):
            raise ValueError(f"`phase_index`: {self.phase_index} names no phase (there are {len(self.phases)})")

    def away_seconds(self, wall: datetime) -> float:
        """How long ago the draft was last written (never negative, even if the clock went back)."""
        return max(0.0, (wall - self.saved_at).total_seconds())

    def words(self) -> int:
        return sum(len(p.notes.split()) for p in self.phases)

    def where(self) -> str:
        """`in Goals` or `at the wrap-up`."""
        if self.stage == "phase":
            phase = self.phases[self.phase_index]
            return f"in {phase.title or phase.id}"
        return "at the wrap-up"

    def restore(self, decks: Mapping[str, Deck], now: float, count_gap: float = 0.0,
                memory: PartnerRecord | None = None) -> Meeting:
        """The meeting as it was; `count_gap` seconds are added to a phase that was running
        (and to the meeting's length)."""
        plans = tuple(PhasePlan(p.id, p.title or p.id, p.minutes, tuple(p.decks)) for p in self.phases)
        meeting = Meeting(self.partner, Template(self.template.id, self.template.title, plans), decks, memory)
        meeting.id = self.id
        meeting.stage = Stage(self.stage)
        meeting.index = self.phase_index if self.stage == "phase" else max(0, len(self.phases) - 1)
        meeting.paused = self.paused and self.stage == "phase"
        meeting.started = self.started
        meeting.planned_end = self.planned_end
        meeting.rating = self.rating
        meeting.reflection = self.reflection
        meeting.follow_up = self.follow_up
        meeting.unsaved_capture = self.unsaved_capture
        meeting.reviewed = list(self.reviewed)
        for run, saved in zip(meeting.phases, self.phases, strict=True):
            run.clock.planned = saved.planned_seconds
            run.clock.elapsed = saved.elapsed_seconds
            run.added_seconds = saved.added_seconds
            run.rebalanced = saved.rebalanced
            run.notes = saved.notes
            run.seen = list(saved.seen)
            keys = [card_key(card) for card in run.cards]
            if saved.card in keys:
                run.card_index = keys.index(saved.card)
        meeting.captures = list(self.captures)
        meeting.carry(min(MAX_SECONDS, self.duration_seconds + count_gap), now)
        current = meeting.current
        if current is not None and not meeting.paused:
            current.clock.elapsed = min(MAX_SECONDS, current.clock.elapsed + count_gap)
            current.clock.start(now)
        return meeting


def to_state(meeting: Meeting, now: float, wall: datetime) -> DraftState:
    """Everything needed to put the meeting back exactly as it is at `now`."""
    if meeting.started is None or meeting.stage not in (Stage.PHASE, Stage.WRAP_UP):
        raise ValueError("only a meeting under way has a draft")
    return DraftState(
        kind="draft", saved_at=wall, id=meeting.id, partner=meeting.partner,
        stage="phase" if meeting.stage is Stage.PHASE else "wrap-up",
        phase_index=meeting.index, paused=meeting.paused,
        template=TemplateRef(id=meeting.template.id, title=meeting.template.title),
        started=meeting.started, planned_end=meeting.planned_end, duration_seconds=meeting.duration(now),
        rating=meeting.rating, reflection=meeting.reflection, follow_up=meeting.follow_up,
        phases=[_phase_state(run, now) for run in meeting.phases], captures=list(meeting.captures),
        unsaved_capture=meeting.unsaved_capture,
        reviewed=list(meeting.reviewed),
    )


def _phase_state(run: PhaseRun, now: float) -> PhaseState:
    return PhaseState(
        id=run.plan.id, title=run.plan.title, minutes=run.plan.minutes, decks=list(run.plan.decks),
        planned_seconds=run.clock.planned, elapsed_seconds=run.clock.at(now), added_seconds=run.added_seconds,
        rebalanced=run.rebalanced, notes=run.notes, seen=list(run.seen),
        card=card_key(run.card) if run.card is not None else None,
    )


@dataclass
class Draft:
    """A draft read back from disk: where it is, and what it holds."""

    path: Path
    state: DraftState

    @property
    def partner(self) -> str:
        return self.state.partner

    @property
    def saved_at(self) -> datetime:
        return self.state.saved_at

    def away_seconds(self, wall: datetime) -> float:
        return self.state.away_seconds(wall)

    def restore(self, decks: Mapping[str, Deck], now: float, count_gap: float = 0.0,
                memory: PartnerRecord | None = None) -> Meeting:
        return self.state.restore(decks, now, count_gap, memory)


def load() -> Draft | None:
    """The draft left behind, if any; ProblemsError (with line and column) when it exists but
    cannot be resumed."""
    path = draft_path()
    if not os.path.lexists(path):  # a link to nowhere is a draft that cannot be read, not no draft
        return None
    return Draft(path, records.read(DraftState, path))


class DraftKeeper:
    """Writes the draft when asked, skipping writes that would change nothing.

    A write survives the process being killed as soon as it returns; it is made durable
    (fsync) when the meeting moves on (a phase, a capture, a review) and every FSYNC_EVERY
    seconds while only the notes change.
    """

    def __init__(self, path: Path | None = None, clock=time.monotonic) -> None:
        self.path = path or draft_path()
        self._clock = clock
        self._written: bytes | None = None
        self._milestone: tuple | None = None
        self._synced_at = float("-inf")

    def save(self, meeting: Meeting, now: float, wall: datetime) -> bool:
        """Write the draft; return False when the meeting has not changed since the last write."""
        state = to_state(meeting, now, wall)
        text = records.encode(state, whole_seconds=False)
        # Compare without the clock fields, which move every second on their own.
        fingerprint = _fingerprint(state)
        if fingerprint == self._written:
            return False
        milestone = (state.stage, state.phase_index, state.paused, [c.status for c in state.captures],
                     [(r.id, r.status) for r in state.reviewed], state.unsaved_capture is None)
        durable = milestone != self._milestone or self._clock() - self._synced_at >= FSYNC_EVERY
        write_atomic(self.path, text, durable=durable)
        self._written = fingerprint
        if durable:
            self._milestone, self._synced_at = milestone, self._clock()
        return True

    def discard(self) -> None:
        """Remove the draft (after the summary is safely on disk, or when the user says so)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._written = None
        self._milestone = None


def _fingerprint(state: DraftState) -> bytes:
    import msgspec

    still = msgspec.structs.replace(state, saved_at=state.started, duration_seconds=0.0, phases=[
        msgspec.structs.replace(p, elapsed_seconds=0.0) for p in state.phases])
    return msgspec.msgpack.encode(still)
