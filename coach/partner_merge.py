"""Two versions of one partner file made one: what a sync engine's conflict copy holds is merged into
the file, so no meeting's facts, goals or commitments are lost and nothing forgotten comes back.

`merge_records` is pure and order-free: merge(a, b) == merge(b, a), merging is associative, and
merge(merge(a, a), merge(a, a)) == merge(a, a) — so any number of copies, found in any order, give
one result. For that every choice is a maximum over a total order (ties broken by the value itself)
and every list comes out in one canonical order.

- Facts, goals and commitments: a union by id; of two versions of one item the later `updated` wins
  (None, written by an older coach, is oldest).
- `forgotten` (tombstones): a union by id, the latest `at` kept. A tombstone removes every version
  of its item not changed after it was forgotten; an item changed later on another device (after
  the forget, by its clock) stays: the later change wins, as it does between two edits.
- Lists of names, ids and words: their union, sorted. `created` the earliest, `last_meeting` the
  latest. `name` and `template` come together from the version with the later `last_meeting`
  (then by name and template); a name that loses becomes a former name. `slug`: the greater one
  (one written beats none) — the caller writes the result where it read the file, whatever it says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, TypeVar

import msgspec

from coach.clock import timestamp
from coach.model import SCHEMA, Commitment, Fact, Forgotten, Goal, PartnerRecord

Item = TypeVar("Item", Fact, Goal, Commitment)


def merge_records(a: PartnerRecord, b: PartnerRecord) -> PartnerRecord:
    """One partner record holding everything of `a` and `b` (see the module's docstring)."""
    forgotten = _latest_by_id([*a.forgotten, *b.forgotten], lambda t: _moment(t.at))
    gone = {t.id: t.at for t in forgotten}
    lead = max(a, b, key=_lead_key)
    names = {a.name, b.name, *a.former_names, *b.former_names}
    return PartnerRecord(
        schema=SCHEMA,
        name=lead.name,
        slug=max(a.slug, b.slug),
        former_names=sorted(names - {lead.name}),
        created=_pick(min, a.created, b.created),
        last_meeting=_pick(max, a.last_meeting, b.last_meeting),
        meetings=_union(a.meetings, b.meetings),
        seen_cards=_union(a.seen_cards, b.seen_cards),
        cards_once=_union(a.cards_once, b.cards_once),
        template=lead.template,
        facts=_items([*a.facts, *b.facts], gone, lambda f: (_day(f.learned), f.meeting, f.id)),
        goals=_items([*a.goals, *b.goals], gone, lambda g: (_day(g.added), g.meeting, g.id)),
        commitments=_items([*a.commitments, *b.commitments], gone, lambda c: (_day(c.made), c.made_in, c.id)),
        emails=_union(a.emails, b.emails),
        calendar=_union(a.calendar, b.calendar),
        forgotten=sorted(forgotten, key=lambda t: t.id),
    )


def _items(versions: list[Item], gone: dict[str, datetime], order: Callable[[Item], Any]) -> list[Item]:
    """The latest version of each item, less those forgotten since, in canonical order."""
    latest = _latest_by_id(versions, lambda item: _moment(item.updated))
    kept = [item for item in latest
            if item.id not in gone or _moment(item.updated) > _moment(gone[item.id])]
    return sorted((msgspec.structs.replace(item) for item in kept), key=order)


T = TypeVar("T", Fact, Goal, Commitment, Forgotten)


def _latest_by_id(versions: Iterable[T], when: Callable[[T], tuple]) -> list[T]:
    """Of the versions sharing an id, the one with the latest `when`; equal times: the greater
    encoding, so the choice does not depend on the order the versions come in."""
    chosen: dict[str, tuple[tuple, T]] = {}
    for version in versions:
        key = (when(version), msgspec.json.encode(version))
        if version.id not in chosen or key > chosen[version.id][0]:
            chosen[version.id] = (key, version)
    return [version for _key, version in chosen.values()]


def _moment(when: datetime | None) -> tuple[int, float]:
    """A time as something to compare: None (not known) before any time."""
    return (0, 0.0) if when is None else (1, timestamp(when))


def _time_key(when: datetime | None) -> tuple[int, float, str]:
    """As `_moment`, the written form breaking ties between one instant in two time zones."""
    return (*_moment(when), when.isoformat() if when is not None else "")


def _pick(choose: Callable, *times: datetime | None) -> datetime | None:
    return choose((t for t in times if t is not None), key=_time_key, default=None)


def _day(day: date | None) -> date:
    return day or date.min


def _lead_key(record: PartnerRecord) -> tuple:
    """The version whose name and template the merge keeps: the later last meeting, then by name
    and template (a template beats none)."""
    return (_time_key(record.last_meeting), record.name, record.template is not None, record.template or "")


def _union(*lists: list[str]) -> list[str]:
    return sorted({value for values in lists for value in values})
