"""Commitments kept: done ÷ (done + dropped + overdue), for my side and theirs, and the kind
words said while there is too little history for a rate to mean much."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from coach.model import Capture, CaptureKind, Commitment, Owner, PartnerRecord, Review, Status

TOO_EARLY = 3
"""Below this many settled commitments a kept rate means little, and coach says so."""


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


@dataclass(frozen=True)
class KeptRates:
    """The kept rate of my commitments and of theirs (one owned by both counts on both sides),
    and of all of them, each counted once."""

    mine: KeptRate
    theirs: KeptRate
    overall: KeptRate


def _kept_rate(commitments: list[Commitment], owners: Iterable[Owner], today: date) -> KeptRate:
    own = [c for c in commitments if c.owner in owners]
    return KeptRate(done=sum(c.status is Status.DONE for c in own),
                    dropped=sum(c.status is Status.DROPPED for c in own),
                    overdue=sum(c.overdue(today) for c in own))


def kept_rates(commitments: Iterable[Commitment], today: date) -> KeptRates:
    """How well each side keeps its commitments, as of `today`."""
    items = list(commitments)
    return KeptRates(mine=_kept_rate(items, (Owner.ME, Owner.BOTH), today),
                     theirs=_kept_rate(items, (Owner.THEM, Owner.BOTH), today),
                     overall=_kept_rate(items, tuple(Owner), today))


def kept_sentence(rates: KeptRates) -> str:
    """One line for prep and wrap-up."""
    settled = rates.overall.settled
    if settled == 0:
        return "Too early to tell. Trust grows one kept promise at a time: keep yours small and real."
    figures = f"Mine: {rates.mine.describe()}; theirs: {rates.theirs.describe()}."
    if settled < TOO_EARLY:
        return f"{figures} Early days: a few more meetings will say more."
    return figures


def commitments_after(record: PartnerRecord | None, reviewed: list[Review], captures: list[Capture],
                      day: date) -> list[Commitment]:
    """The partner's commitments as they will stand once this meeting is saved."""
    outcome = {r.id: r.status for r in reviewed if r.kind is CaptureKind.COMMITMENT}
    earlier = [Commitment(id=c.id, text=c.text, owner=c.owner, due=c.due, status=outcome.get(c.id, c.status))
               for c in (record.commitments if record else [])]
    new = [Commitment(id=f"new-{i}", text=c.text, owner=c.owner, due=c.due, status=c.status, made=day)
           for i, c in enumerate(captures) if c.kind is CaptureKind.COMMITMENT]
    return earlier + new
