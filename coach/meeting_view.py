"""What the meeting screen shows at one moment: the phase, its countdown and card, the phase strip
and when the meeting will end. Made by `Meeting.view`, which changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from coach.model import Card
from coach.timing import Look


class StripState(StrEnum):
    """Where a phase in the phase strip stands."""

    DONE = "done"
    CURRENT = "current"
    NEXT = "next"


@dataclass(frozen=True)
class StripItem:
    """One phase in the phase strip, with the figures the wrap-up and the summary show too."""

    title: str
    planned: float
    """Seconds planned, with the minutes added (before any rebalance)."""
    allowed: float
    """Seconds the phase has now: its plan, shortened if it was rebalanced."""
    actual: float
    """Seconds spent in it so far."""
    rebalanced: bool
    state: StripState


@dataclass(frozen=True)
class MeetingView:
    """What the meeting screen shows at one moment."""

    phase_index: int
    phase_count: int
    phase_title: str
    elapsed: float
    remaining: float
    planned: float
    look: Look
    paused: bool
    card: Card | None
    card_position: int
    card_count: int
    strip: tuple[StripItem, ...]
    projected_end: datetime | None
    planned_end: datetime | None

    @property
    def overrun(self) -> float:
        """Seconds the meeting is projected to run past its planned end (negative = early)."""
        if self.projected_end is None or self.planned_end is None:
            return 0.0
        return (self.projected_end - self.planned_end).total_seconds()
