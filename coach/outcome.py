"""What one meeting settled, derived in one place from what its summary keeps.

The wrap-up, the follow-up, the Markdown summary, the history (its header and `--json`) and the
brief's "Last meeting" line all show a meeting's `Outcome`, and nothing else: they cannot disagree.
The running meeting gets its outcome from the same lists it saves (`Meeting.outcome`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import msgspec

from coach.model import CaptureKind, CommitmentNote, GoalNote, Owner, Remembered, Review, Status, Summary
from coach.text import plural


class Promise(NamedTuple):
    """A commitment as the views show it: what, who, by when (None: no date, or not known)."""

    text: str
    owner: Owner = Owner.ME
    due: date | None = None


class Settled(msgspec.Struct, array_like=True, frozen=True, gc=False):
    """How many earlier items this meeting answered, and goals it closed (kept in the history
    header): commitments from earlier meetings done, carried over (still open) or dropped in the
    review; goals reached or dropped, earlier ones and this meeting's own."""

    done: int = 0
    carried: int = 0
    dropped: int = 0
    goals_reached: int = 0
    goals_dropped: int = 0


COUNT_KEYS = ("goals", "commitments", "remembered", *Settled.__struct_fields__)
"""The keys of `Outcome.counts()`, in order: also the counts of `coach history --json`."""


@dataclass(frozen=True)
class Outcome:
    """A meeting's results. `goals`, `commitments` and `remembered` are what it captured (the
    summary's own lists, in order); the rest is what it settled."""

    remembered: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    commitments: tuple[Promise, ...] = ()
    done: tuple[Promise, ...] = ()
    carried: tuple[Promise, ...] = ()
    dropped: tuple[Promise, ...] = ()
    goals_reached: tuple[str, ...] = ()
    goals_dropped: tuple[str, ...] = ()

    @classmethod
    def of(cls, summary: Summary) -> Outcome:
        """The outcome of a saved (or about to be saved) meeting."""
        return cls.build(summary.goals, summary.commitments, summary.remembered, summary.reviewed)

    @classmethod
    def build(cls, goals: Sequence[GoalNote], commitments: Sequence[CommitmentNote],
              remembered: Sequence[Remembered], reviewed: Iterable[Review]) -> Outcome:
        """The one place an outcome is made, from the lists a summary keeps.

        A review that changed nothing (a goal answered "open") is not part of it; a goal of this
        meeting already reached or dropped counts with the goals set *and* those reached or dropped.
        """
        reviews = list(reviewed)

        def answered(status: Status) -> tuple[Promise, ...]:
            return tuple(Promise(r.text, r.owner) for r in reviews
                         if r.kind is CaptureKind.COMMITMENT and r.status is status)

        def closed(status: Status) -> tuple[str, ...]:
            return (tuple(r.text for r in reviews if r.kind is CaptureKind.GOAL and r.status is status)
                    + tuple(g.text for g in goals if g.status is status))

        return cls(
            remembered=tuple(r.text for r in remembered),
            goals=tuple(g.text for g in goals),
            commitments=tuple(Promise(c.text, c.owner, c.due) for c in commitments),
            done=answered(Status.DONE), carried=answered(Status.OPEN), dropped=answered(Status.DROPPED),
            goals_reached=closed(Status.REACHED), goals_dropped=closed(Status.DROPPED),
        )

    def settled(self) -> Settled:
        return Settled(len(self.done), len(self.carried), len(self.dropped), len(self.goals_reached),
                       len(self.goals_dropped))

    def counts(self) -> dict[str, int]:
        """Every part's length, by the keys of `COUNT_KEYS`."""
        return {"goals": len(self.goals), "commitments": len(self.commitments),
                "remembered": len(self.remembered), **msgspec.structs.asdict(self.settled())}

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())

    def line(self) -> str:
        """One short line of what the meeting settled: `2 new goals · 1 commitment done · 1 goal reached`."""
        return line_of(self.counts())


def line_of(counts: dict[str, int]) -> str:
    """`Outcome.line` from counts alone (a history header has no texts)."""
    words = {
        "goals": lambda n: plural(n, "new goal"),
        "commitments": lambda n: plural(n, "new commitment"),
        "remembered": lambda n: f"{plural(n, 'fact')} remembered",
        "done": lambda n: f"{plural(n, 'commitment')} done",
        "carried": lambda n: f"{n} carried over",
        "dropped": lambda n: f"{plural(n, 'commitment')} dropped",
        "goals_reached": lambda n: f"{plural(n, 'goal')} reached",
        "goals_dropped": lambda n: f"{plural(n, 'goal')} dropped",
    }
    parts = [words[key](counts[key]) for key in COUNT_KEYS if counts.get(key)]
    return " · ".join(parts) or "Nothing captured or reviewed"
