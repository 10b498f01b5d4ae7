"""A phase's clock, and how the countdown looks as time runs out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from coach.timefmt import duration

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


def shortened(phases: Sequence[tuple[float, float]], cut: float, floor: float) -> list[float]:
    """New planned seconds for phases given as (planned, elapsed), so that the time they have
    left shrinks by `cut` seconds, or as close to it as the floor allows.

    Each phase gives up time in proportion to what it has left. None is ever lengthened; none
    goes below `floor` (a phase planned shorter keeps its length), and none below what it has
    already used (that gains nothing). A shortened plan is rounded down to a whole second.
    """
    left = [max(0.0, planned - elapsed) for planned, elapsed in phases]
    lowest = [min(planned, max(min(planned, floor), elapsed)) for planned, elapsed in phases]
    spare = [planned - low for (planned, _), low in zip(phases, lowest, strict=True)]
    share = _share(left, spare, max(0.0, cut))
    new = []
    for (planned, _), low, gives in zip(phases, lowest, share, strict=True):
        value = planned - gives
        new.append(max(low, math.floor(value)) if value < planned else planned)
    return new


def _share(left: list[float], spare: list[float], cut: float) -> list[float]:
    """How much each phase gives up: `k * left` for one k, each at most its `spare`; once a
    phase is at its spare, the others share the rest (so their sum is `cut`, or all the spare)."""
    capped: set[int] = set()
    while True:
        open_ = [i for i in range(len(left)) if i not in capped and spare[i] > 0]
        weight = sum(left[i] for i in open_)
        rest = cut - sum(spare[i] for i in capped)
        k = max(0.0, rest / weight) if weight > 0 else 0.0
        newly = {i for i in open_ if k * left[i] >= spare[i]}
        if not newly:
            return [spare[i] if i in capped else (k * left[i] if spare[i] > 0 else 0.0) for i in range(len(left))]
        capped |= newly


def time_figures(actual: float, planned: float, rebalanced: float | None = None, added: float = 0.0) -> str:
    """`4:10 of 5:00 planned`, `4:10 of 6:00 (5:00 planned + 1:00 added)`, or `4:10 of 4:00
    rebalanced (5:00 planned)`: a phase's time as the wrap-up and the summary say it. `planned` is
    the phase's own plan, `added` the minutes added to it; `rebalanced` is the shorter plan a
    rebalance gave it."""
    plan = f"{duration(planned)} planned" + (f" + {duration(added)} added" if added > 0 else "")
    if rebalanced is not None:
        return f"{duration(actual)} of {duration(rebalanced)} rebalanced ({plan})"
    if added > 0:
        return f"{duration(actual)} of {duration(planned + added)} ({plan})"
    return f"{duration(actual)} of {plan}"
