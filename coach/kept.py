"""Commitments kept: the one kept rate coach shows (prep, `coach brief`, the wrap-up, History), its
parts, the same rate as it stood after each meeting, and the kind words said while it is early days."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from coach.model import Capture, CaptureKind, Commitment, Owner, PartnerRecord, Review, Status

TOO_EARLY = 3
"""Below this many settled commitments a kept rate means little, and coach says so."""


@dataclass(frozen=True)
class Tally:
    """Settled commitments of one side: done, dropped, and still open past their due date."""

    done: int = 0
    dropped: int = 0
    overdue: int = 0

    @property
    def settled(self) -> int:
        return self.done + self.dropped + self.overdue

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.done + other.done, self.dropped + other.dropped, self.overdue + other.overdue)


@dataclass(frozen=True)
class Kept:
    """The commitments kept, as of one day, with their parts: whose they were (mine, theirs, both
    shared: each commitment counted once, so the parts add up to the whole)."""

    sides: dict[Owner, Tally] = field(default_factory=dict)

    @property
    def total(self) -> Tally:
        return sum(self.sides.values(), Tally())

    @property
    def done(self) -> int:
        return self.total.done

    @property
    def settled(self) -> int:
        return self.total.settled

    @property
    def rate(self) -> float | None:
        """done ÷ settled; None while nothing is settled."""
        total = self.total
        return total.done / total.settled if total.settled else None

    def side(self, owner: Owner) -> Tally:
        return self.sides.get(owner, Tally())


def status_on(commitment: Commitment, day: date) -> Status | None:
    """What `commitment` was on `day`: None before it was made, open until the day it was closed
    (one settled without a date counts as settled from the day it was made)."""
    made = commitment.made or date.min
    if made > day:
        return None
    if commitment.status is Status.OPEN:
        return Status.OPEN
    closed = commitment.closed or made
    return commitment.status if closed <= day else Status.OPEN


def kept(commitments: Iterable[Commitment], day: date) -> Kept:
    """The kept rate, as of `day`: of the commitments made by then that are settled — done, dropped,
    or still open past their due date — the share that is done.

    This is coach's one definition: every view (prep, `coach brief`, the wrap-up, History, the
    trend over time) asks this function, so they show the same figure."""
    sides: dict[Owner, Tally] = {}
    for commitment in commitments:
        status = status_on(commitment, day)
        if status is None:
            continue
        late = status is Status.OPEN and commitment.due is not None and commitment.due < day
        add = Tally(done=int(status is Status.DONE), dropped=int(status is Status.DROPPED), overdue=int(late))
        if add.settled:
            sides[commitment.owner] = sides.get(commitment.owner, Tally()) + add
    return Kept(sides)


def kept_over_time(commitments: Iterable[Commitment], meetings: Sequence[tuple[str, date]],
                   today: date) -> list[float | None]:
    """The kept rate as it stood after each meeting (`(id, day)`, in order), the last one as it
    stands `today`: the last point is the figure shown beside it.

    A commitment is made, and settled, in the meeting its record names (`made_in`, `closed_in`),
    so two meetings on one day each get their own point; one without a known meeting counts by
    its dates."""
    items = list(commitments)
    known = {meeting_id for meeting_id, _day in meetings}
    points: list[float | None] = []
    for n, (_id, day) in enumerate(meetings):
        if n == len(meetings) - 1:
            points.append(kept(items, today).rate)
            continue
        held = {meeting_id for meeting_id, _day in meetings[:n + 1]}
        points.append(kept([c for item in items if (c := _as_after(item, held, known, day))], day).rate)
    return points


def _as_after(item: Commitment, held: set[str], known: set[str], day: date) -> Commitment | None:
    """`item` as it stood once the meetings `held` were over (on `day`): None when not made yet."""
    made = item.made_in in held if item.made_in in known else (item.made or date.min) <= day
    if not made:
        return None
    closed = item.closed_in in held if item.closed_in in known else (item.closed or item.made or date.min) <= day
    settled = item.status is not Status.OPEN and closed
    return Commitment(id=item.id, text=item.text, owner=item.owner, due=item.due,
                      status=item.status if settled else Status.OPEN)


SIDE_WORDS = {Owner.ME: "mine", Owner.THEM: "theirs", Owner.BOTH: "shared"}


def kept_figure(k: Kept) -> str:
    """`67 % — 2 of 3 (mine 1 of 1, theirs 1 of 2); 1 overdue`: the rate and its parts."""
    if not k.settled:
        return "nothing settled yet"
    parts = [f"{SIDE_WORDS[o]} {k.side(o).done} of {k.side(o).settled}" for o in Owner if k.side(o).settled]
    total = k.total
    rest = [f"{n} {word}" for n, word in ((total.dropped, "dropped"), (total.overdue, "overdue")) if n]
    return (f"{(k.rate or 0) * 100:.0f} % — {total.done} of {total.settled} ({', '.join(parts)})"
            + (f"; {', '.join(rest)}" if rest else ""))


def kept_sentence(k: Kept) -> str:
    """The kept line for prep, `coach brief` and the wrap-up; kind words while it is early days."""
    if k.settled == 0:
        return "Kept: nothing settled yet. Trust grows one kept promise at a time: keep yours small and real."
    if k.settled < TOO_EARLY:
        return f"Kept {kept_figure(k)}. Early days: a few more meetings will say more."
    return f"Kept {kept_figure(k)}."


def commitments_after(record: PartnerRecord | None, reviewed: list[Review], captures: list[Capture],
                      day: date) -> list[Commitment]:
    """The partner's commitments as they will stand once this meeting is saved (as
    `partners.apply_summary` will fold it in)."""
    outcome = {r.id: r.status for r in reviewed if r.kind is CaptureKind.COMMITMENT}
    earlier = []
    for c in record.commitments if record else []:
        status = outcome.get(c.id, c.status)
        closed = c.closed if c.id not in outcome else (day if status is not Status.OPEN else None)
        earlier.append(Commitment(id=c.id, text=c.text, owner=c.owner, due=c.due, status=status, made=c.made,
                                  made_in=c.made_in, closed=closed))
    new = [Commitment(id=f"new-{i}", text=c.text, owner=c.owner, due=c.due, status=c.status, made=day)
           for i, c in enumerate(captures) if c.kind is CaptureKind.COMMITMENT]
    return earlier + new
