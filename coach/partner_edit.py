"""Tending a partner's record by hand: forget or edit a fact, a goal or a commitment; rename a
partner, merge two, delete one.

Every change reads the partner file first (a file that cannot be read is never written: its
ProblemsError goes to the caller), then writes it whole and atomically. Files that leave the
`partners/` folder are moved aside (`partners/merged/`, `partners/deleted/`), never destroyed.
Summaries already written are never changed: they keep what was said, under the name it was said.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, get_args

import msgspec

from coach import records
from coach.model import (
    COMMITMENT_STATUSES,
    GOAL_STATUSES,
    Commitment,
    Fact,
    Forgotten,
    Goal,
    Owner,
    PartnerRecord,
    Status,
    new_id,
)
from coach.partners import (
    ASIDE_DELETED,
    ASIDE_MERGED,
    files_that_may_hold,
    known_partners,
    move_aside,
    partner_path,
    save_record,
    unreadable_files,
)
from coach.problems import ProblemsError
from coach.store import normalize_name
from coach.text import name_problem


class EditError(Exception):
    """A change that cannot be made, said for the user (`str(error)`)."""


ItemKind = Literal["fact", "goal", "commitment"]
_LETTER: dict[str, ItemKind] = {"f": "fact", "g": "goal", "c": "commitment"}


@dataclass(frozen=True)
class ItemRef:
    """An item of a partner's record as listed: its kind and 0-based place in that list."""

    kind: ItemKind
    index: int

    @property
    def label(self) -> str:
        """`f1`, `g2`, `c3` (1-based), as `coach partners show` prints them."""
        return f"{self.kind[0]}{self.index + 1}"


def parse_ref(text: str) -> ItemRef | None:
    """`f1` → the first fact; None when `text` is not a label."""
    found = re.fullmatch(r"\s*([fgcFGC])0*([1-9][0-9]{0,8})\s*", text)
    return ItemRef(_LETTER[found.group(1).lower()], int(found.group(2)) - 1) if found else None


Item = Fact | Goal | Commitment


def items_of(record: PartnerRecord) -> list[tuple[ItemRef, Item]]:
    """Every fact, goal and commitment of `record` with its label, in the order they are listed."""
    rows: list[tuple[ItemRef, Item]] = []
    for kind in get_args(ItemKind):
        rows += [(ItemRef(kind, i), item) for i, item in enumerate(_items(record, kind))]
    return rows


def _items(record: PartnerRecord, kind: ItemKind) -> list[Any]:
    lists: dict[str, list[Any]] = {"fact": record.facts, "goal": record.goals, "commitment": record.commitments}
    return lists[kind]


# -- reading -----------------------------------------------------------------------------------
def load(name: str) -> tuple[Path, PartnerRecord | None]:
    """The partner file of the stored `name` and its record (None when they have no file yet).
    ProblemsError when the file cannot be read: then nothing may be written to it. Also when they
    have no file and one that cannot be read holds their name (renamed since, say): what coach
    remembers of them may be there, and a file made for them now would be a second one."""
    path = partner_path(name)
    if not os.path.lexists(path):
        if unread := files_that_may_hold(name, unreadable_files()):
            raise ProblemsError(unread)
        return path, None
    record = records.read(PartnerRecord, path)
    if normalize_name(record.name) != normalize_name(name):  # the file changed under us
        raise EditError(f"{path} now holds {record.name!r}, not {name!r}: look again")
    record.slug = path.stem
    return path, record


def _item(name: str, ref: ItemRef, expect: str | None) -> tuple[PartnerRecord, list, Item]:
    _path, record = load(name)
    items = _items(record, ref.kind) if record else []
    if not 0 <= ref.index < len(items):
        raise EditError(f"{name} has no {ref.kind} {ref.label}")
    item = items[ref.index]
    if expect is not None and item.text != expect:
        raise EditError(f"{ref.label} of {name} changed meanwhile (it is now {item.text!r}): look again")
    assert record is not None
    return record, items, item


def _now(now: datetime | None) -> datetime:
    """When a change is made: `now` as given (the app's clock), else the time of this device."""
    return now if now is not None else datetime.now().astimezone()


# -- one item ------------------------------------------------------------------------------------
def forget(name: str, ref: ItemRef, expect: str | None = None, now: datetime | None = None) -> str:
    """Remove the item from the partner file and return its text. Summaries keep it.

    A tombstone (its id and `now`) stays in the file's `forgotten`, so that a merge with a copy
    of the file made before (`coach.partner_merge`) does not bring the item back."""
    record, items, item = _item(name, ref, expect)
    del items[ref.index]
    record.forgotten = [*(t for t in record.forgotten if t.id != item.id), Forgotten(id=item.id, at=_now(now))]
    save_record(record)
    return item.text


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: object = _Keep()
"""For `edit`: leave this as it is."""


def edit(name: str, ref: ItemRef, *, text: str | None = None, when: date | object | None = KEEP,
         owner: Owner | None = None, status: Status | None = None, expect: str | None = None,
         today: date | None = None, now: datetime | None = None) -> None:
    """Change an item: its text; `when` (a fact's `learned`, a goal's `added`, a commitment's `due`;
    None clears it); a commitment's owner; a goal's or commitment's status (closing one dates it
    `today`, reopening it clears that date). An item that changed is `updated` at `now`."""
    record, _items_list, item = _item(name, ref, expect)
    before = msgspec.structs.replace(item)
    if text is not None:
        if not text.strip():
            raise EditError(f"the text of a {ref.kind} cannot be empty")
        item.text = text.strip()
    if when is not KEEP:
        if when is not None and (not isinstance(when, date) or isinstance(when, datetime)):
            raise EditError(f"a {ref.kind}'s date is a day, not {when!r}")
        day = when if isinstance(when, date) else None
        if isinstance(item, Fact):
            item.learned = day
        elif isinstance(item, Goal):
            item.added = day
        else:
            item.due = day
    if owner is not None:
        if not isinstance(item, Commitment):
            raise EditError(f"a {ref.kind} has no owner: only a commitment is someone's")
        item.owner = Owner(owner)
    if status is not None:
        _set_status(item, ref, Status(status), today or _now(now).date())
    if item != before:
        item.updated = _now(now)
    save_record(record)


def _set_status(item: Item, ref: ItemRef, status: Status, today: date) -> None:
    if isinstance(item, Fact):
        raise EditError("a fact has no status: forget it instead")
    allowed = GOAL_STATUSES if isinstance(item, Goal) else COMMITMENT_STATUSES
    if status not in allowed:
        raise EditError(f"a {ref.kind} is {', '.join(allowed)}, not {status.value}")
    if status is not item.status:
        item.closed = None if status is Status.OPEN else today
        if isinstance(item, Commitment):
            item.closed_in = ""  # settled (or opened again) outside a meeting: dated by the day
    item.status = status


# -- whole partners --------------------------------------------------------------------------------
def _taken(name: str, but: set[str]) -> str | None:
    """The known partner called `name` (exactly, once stored), other than those in `but`."""
    known = {p.name for p in known_partners()[0]}
    return name if name in known and name not in but else None


def rename(old: str, new: str, wall: datetime) -> Path:
    """Give a partner a new name: their file moves to the new name's slug and keeps the old name
    among `former_names`, so their past meetings list under the new one. Returns the new path."""
    if problem := name_problem(new):
        raise EditError(f"{new!r} cannot be a name: {problem}")
    old, new = normalize_name(old), normalize_name(new)
    if new == old:
        raise EditError(f"{old} is already called that")
    path, record = load(old)
    if record is None and not _taken(old, set()):
        raise EditError(f"there is no partner called {old}")
    if _taken(new, {old}):
        raise EditError(f"there is already a partner called {new}: merge {old} into them instead "
                        f"(coach partners merge {_quoted(new)} {_quoted(old)})")
    record = record or PartnerRecord(name=old, slug=path.stem, created=wall)
    record.former_names = [n for n in dict.fromkeys([*record.former_names, old]) if n != new]
    record.name = new
    target = partner_path(new)
    record.slug = target.stem
    save_record(record)
    if target != path and os.path.lexists(path):
        os.unlink(path)
    return target


def _quoted(name: str) -> str:
    return name if re.fullmatch(r"[\w.-]+", name) else "'" + name.replace("'", "'\\''") + "'"


def merge(into: str, other: str, wall: datetime) -> Path:
    """Fold `other`'s record into `into`'s: facts, goals and commitments, meetings, cards seen,
    dates; `other`'s names become former names of `into`. `other`'s file is moved aside to
    `partners/merged/`. Returns `into`'s path."""
    into, other = normalize_name(into), normalize_name(other)
    if into == other:
        raise EditError(f"{into} cannot be merged into themselves")
    path, record = load(into)
    other_path, gone = load(other)
    for name, found in ((into, record), (other, gone)):
        if found is None and not _taken(name, set()):
            raise EditError(f"there is no partner called {name}")
    record = record or PartnerRecord(name=into, slug=path.stem, created=wall)
    gone = gone or PartnerRecord(name=other, slug=other_path.stem)
    fold(record, gone)
    save_record(record)
    if os.path.lexists(other_path):
        move_aside(other_path, ASIDE_MERGED, wall)
    return path


def fold(record: PartnerRecord, other: PartnerRecord) -> PartnerRecord:
    """`other`'s record added to `record` (ids of facts, goals and commitments kept unique).

    Two people made one: unlike `coach.partner_merge` (two versions of one person's file), every
    item of both is kept, each under an id of its own."""
    pairs: tuple[tuple[list[Any], list[Any]], ...] = ((record.facts, other.facts), (record.goals, other.goals),
                                                      (record.commitments, other.commitments))
    ids = {item.id for mine, _theirs in pairs for item in mine}
    for mine, theirs in pairs:
        for item in theirs:
            while item.id in ids:
                item.id = new_id()
            ids.add(item.id)
            mine.append(item)
    record.forgotten = [*record.forgotten, *(t for t in other.forgotten if t.id not in ids)]
    record.meetings = list(dict.fromkeys([*record.meetings, *other.meetings]))
    record.seen_cards = list(dict.fromkeys([*record.seen_cards, *other.seen_cards]))
    record.cards_once = list(dict.fromkeys([*record.cards_once, *other.cards_once]))
    record.emails = list(dict.fromkeys([*record.emails, *other.emails]))  # their calendar events stay theirs
    record.calendar = list(dict.fromkeys([*record.calendar, *other.calendar]))
    record.last_meeting = _latest(record.last_meeting, other.last_meeting, max)
    record.created = _latest(record.created, other.created, min)
    record.template = record.template or other.template
    names = [*record.former_names, other.name, *other.former_names]
    record.former_names = [n for n in dict.fromkeys(names) if n != record.name]
    return record


def _latest(a: datetime | None, b: datetime | None, pick) -> datetime | None:
    from coach.clock import timestamp

    return pick((d for d in (a, b) if d is not None), key=timestamp, default=None)


def delete(name: str, wall: datetime) -> Path:
    """Move the partner's file aside to `partners/deleted/`: they leave the picker and the partner
    list (their meetings stay in history). A partner known only from summaries gets a file there
    saying so. Returns where the file went."""
    name = normalize_name(name)
    path, record = load(name)
    if record is None:
        if not _taken(name, set()):
            raise EditError(f"there is no partner called {name}")
        save_record(PartnerRecord(name=name, slug=path.stem))  # then moved aside like any other
    return move_aside(path, ASIDE_DELETED, wall)
