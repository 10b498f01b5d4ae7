"""A phase's clock, and how the countdown looks as time runs out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

WARN_FRACTION = 0.2
"""A phase warns when this share of its time is left ..."""
WARN_CAP_SECONDS = 120.0
"""... or this many seconds, whichever is less."""


class Look(StrEnum):
    """How the countdown looks: calm, warning (little time left) or overtime."""

    CALM = "calm"
    WARN = "warn"
    OVERTIME = "overtime"


@dataclass
class PhaseClock:
    """Time spent in one phase; stops while paused."""

    planned: float
    elapsed: float = 0.0
    running_since: float | None = None

    def at(self, now: float) -> float:
        """Seconds spent in this phase as of `now`."""
        extra = now - self.running_since if self.running_since is not None else 0.0
        return self.elapsed + max(0.0, extra)

    def remaining(self, now: float) -> float:
        """Seconds left; negative once the phase runs over."""
        return self.planned - self.at(now)

    def start(self, now: float) -> None:
        if self.running_since is None:
            self.running_since = now

    def stop(self, now: float) -> None:
        self.elapsed = self.at(now)
        self.running_since = None


def warn_at(planned: float, fraction: float = WARN_FRACTION, cap: float = WARN_CAP_SECONDS) -> float:
    """Seconds left at which a phase of `planned` seconds starts to warn."""
    return min(fraction * planned, cap)


def look_for(remaining: float, planned: float, fraction: float = WARN_FRACTION,
             cap: float = WARN_CAP_SECONDS) -> Look:
    if remaining <= 0:
        return Look.OVERTIME
    if remaining <= warn_at(planned, fraction, cap):
        return Look.WARN
    return Look.CALM
