"""Time sources. The meeting never reads the time itself: it is handed `now`."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


def local(when: datetime) -> datetime:
    """`when` in this computer's time zone (never raises: an odd time stays as it was)."""
    try:
        return when.astimezone()
    except (OverflowError, OSError, ValueError):
        return when


def timestamp(when: datetime | None) -> float:
    """Seconds since the epoch (a naive time counts as local; None and times out of range: 0);
    never raises, so it can sort anything read from a file."""
    if when is None:
        return 0.0
    try:
        return when.timestamp()
    except (OverflowError, OSError, ValueError):
        return 0.0


class SystemClock:
    """The real clock: monotonic seconds for timers, local wall time for dates."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now().astimezone()


class FakeClock:
    """A clock that moves only when told to; for tests, snapshots and demos."""

    def __init__(self, start: datetime | None = None, monotonic: float = 1000.0) -> None:
        self._wall = start or datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
        self._mono = monotonic

    def monotonic(self) -> float:
        return self._mono

    def wall(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)


class Clock(Protocol):
    """What the app and the meeting's keeper read the time from: the system or a test's clock."""

    def monotonic(self) -> float: ...

    def wall(self) -> datetime: ...
