"""Merging two versions of a partner file (`coach.partner_merge`): order-free, and nothing lost.

Records are drawn from one shared pool of items, so the same item turns up in several records,
edited differently, at different (or equal) times, sometimes forgotten: the cases a sync engine's
conflict copies bring.
"""

from __future__ import annotations

import copy
import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach import records
from coach.model import Commitment, Fact, Forgotten, Goal, Owner, PartnerRecord, Status
from coach.partner_merge import merge_records

EXAMPLES = settings(max_examples=int(os.environ.get("COACH_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

BASE = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
PLUS_TWO = timezone(timedelta(hours=2))
# a few instants, one of them also written in another zone: equal times must not upset the order
moments = st.sampled_from([BASE + timedelta(hours=h) for h in range(4)] + [(BASE + timedelta(hours=1)).astimezone(
    PLUS_TWO)])
maybe_moments = st.none() | moments
days = st.none() | st.sampled_from([date(2026, 3, 1), date(2026, 3, 2)])
texts = st.sampled_from(["has a cat", "moving to Lisbon", "send the slides", "lead the review"])
POOL = [f"i{n}" for n in range(9)]  # i0, i3, i6 are facts, i1, i4, i7 goals, i2, i5, i8 commitments


def kind_of(item_id: str) -> str:
    return ("fact", "goal", "commitment")[int(item_id[1:]) % 3]


@st.composite
def versions(draw, item_id: str) -> Fact | Goal | Commitment:
    """One version of the pool's item `item_id`."""
    kind, text, when, updated = kind_of(item_id), draw(texts), draw(days), draw(maybe_moments)
    meeting = draw(st.sampled_from(["", "m1", "m2"]))
    if kind == "fact":
        return Fact(text, when, meeting, id=item_id, updated=updated)
    if kind == "goal":
        status = draw(st.sampled_from([Status.OPEN, Status.REACHED, Status.DROPPED]))
        return Goal(id=item_id, text=text, status=status, added=when, meeting=meeting, updated=updated)
    status = draw(st.sampled_from([Status.OPEN, Status.DONE, Status.DROPPED]))
    return Commitment(id=item_id, text=text, owner=draw(st.sampled_from(list(Owner))), status=status, made=when,
                      made_in=meeting, closed=when if status is not Status.OPEN else None, updated=updated)


def some(values: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), max_size=3, unique=True)


@st.composite
def partner_records(draw) -> PartnerRecord:
    """A version of one partner's file: some of the pool's items, some forgotten."""
    held = draw(st.lists(st.sampled_from(POOL), max_size=6, unique=True))
    items = [draw(versions(item_id)) for item_id in held]
    forgotten = [Forgotten(id=i, at=draw(moments)) for i in draw(some(POOL)) if i not in held or draw(st.booleans())]
    name = draw(st.sampled_from(["Ada", "Ada Lovelace"]))
    return PartnerRecord(
        name=name, slug=draw(st.sampled_from(["ada-1234", "", "ada-5678"])),
        former_names=[n for n in draw(some(["Ada L", "Ada"])) if n != name],
        created=draw(maybe_moments), last_meeting=draw(maybe_moments), meetings=draw(some(["m1", "m2", "m3"])),
        seen_cards=draw(some(["a:1", "a:2", "b:1"])), cards_once=draw(some(["o:1", "o:2"])),
        template=draw(st.none() | st.sampled_from(["standard", "check-in"])),
        facts=[i for i in items if isinstance(i, Fact)], goals=[i for i in items if isinstance(i, Goal)],
        commitments=[i for i in items if isinstance(i, Commitment)],
        emails=draw(some(["ada@example.org", "al@example.org"])), calendar=draw(some(["Ada sync", "AL"])),
        forgotten=forgotten)


def items(record: PartnerRecord) -> dict[str, Fact | Goal | Commitment]:
    return {item.id: item for item in [*record.facts, *record.goals, *record.commitments]}


def moment(when: datetime | None) -> float:
    return float("-inf") if when is None else when.timestamp()


def tombstones(*sides: PartnerRecord) -> dict[str, float]:
    latest: dict[str, float] = {}
    for side in sides:
        for t in side.forgotten:
            latest[t.id] = max(latest.get(t.id, float("-inf")), moment(t.at))
    return latest


def lists_are_unions_and_dates_the_widest(a: PartnerRecord, b: PartnerRecord, merged: PartnerRecord) -> None:
    for key in ("meetings", "seen_cards", "cards_once", "emails", "calendar"):
        assert set(getattr(merged, key)) == set(getattr(a, key)) | set(getattr(b, key))
    assert set(merged.former_names) | {merged.name} == {a.name, b.name, *a.former_names, *b.former_names}
    assert merged.name not in merged.former_names
    assert moment(merged.last_meeting) == max(moment(a.last_meeting), moment(b.last_meeting))
    created = [moment(d) for d in (a.created, b.created) if d is not None]
    assert moment(merged.created) == (min(created) if created else float("-inf"))
    later = max(a, b, key=lambda r: moment(r.last_meeting))
    if moment(a.last_meeting) != moment(b.last_meeting):
        assert merged.template == later.template


# -- the algebra ------------------------------------------------------------------------------------
@EXAMPLES
@given(partner_records(), partner_records(), partner_records())
def test_merging_is_commutative_associative_and_idempotent(a, b, c: PartnerRecord) -> None:
    assert merge_records(a, b) == merge_records(b, a)
    assert merge_records(merge_records(a, b), c) == merge_records(a, merge_records(b, c))
    normal = merge_records(a, a)
    assert merge_records(normal, normal) == normal
    both = merge_records(a, b)
    assert merge_records(both, a) == both and merge_records(both, b) == both  # a copy merged twice: no change


@EXAMPLES
@given(partner_records(), partner_records())
def test_a_merge_changes_neither_side_holds_both_and_is_written_and_read_back_the_same(a, b) -> None:
    before = copy.deepcopy((a, b))
    merged = merge_records(a, b)
    assert (a, b) == before
    path = Path("/data/partners/ada-1234.toml")
    assert records.parse(PartnerRecord, path, records.encode(merged, empty_lists=False)) == merged
    lists_are_unions_and_dates_the_widest(a, b, merged)


# -- what a merge keeps -----------------------------------------------------------------------------
@EXAMPLES
@given(partner_records(), partner_records())
def test_a_merge_brings_nothing_forgotten_back_loses_nothing_else_and_keeps_the_later_edit(a, b) -> None:
    merged, gone = merge_records(a, b), tombstones(a, b)
    assert tombstones(merged) == gone
    kept = items(merged)
    for item_id, item in kept.items():  # nothing forgotten comes back, unless changed after the forget
        if item_id in gone:
            assert moment(item.updated) > gone[item_id], item
    for item_id in items(a).keys() | items(b).keys():  # nothing else is lost; the later edit wins
        sides = [side[item_id] for side in (items(a), items(b)) if item_id in side]
        latest = max(moment(version.updated) for version in sides)
        if item_id in gone and latest <= gone[item_id]:
            assert item_id not in kept
            continue
        assert kept[item_id] in sides
        assert moment(kept[item_id].updated) == latest


# -- the case -------------------------------------------------------------------------------
def test_two_devices_each_holding_a_meeting_keep_both_and_the_done_status_not_the_forgotten_fact() -> None:
    from coach.model import CaptureKind, CommitmentNote, PhaseRecord, Remembered, Review, Summary
    from coach.partners import apply_summary

    day1 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    base = PartnerRecord(name="Ada", slug="ada-1234", created=day1, last_meeting=day1, meetings=["m0"],
                         facts=[Fact("has a cat", day1.date(), "m0"), Fact("likes tea", day1.date(), "m0")],
                         commitments=[Commitment(text="send the slides", made=day1.date(), made_in="m0")])
    old_commitment = base.commitments[0].id

    def meeting(mid: str, started: datetime, fact: str, promise: str, reviewed: list[Review]) -> Summary:
        return Summary(id=mid, partner="Ada", template="standard", started=started,
                       ended=started + timedelta(minutes=30),
                       phases=[PhaseRecord(id="p", planned_seconds=60.0)], remembered=[Remembered(text=fact)],
                       commitments=[CommitmentNote(text=promise)], reviewed=reviewed)

    laptop = copy.deepcopy(base)
    apply_summary(laptop, meeting("m-laptop", datetime(2026, 3, 9, 9, 0, tzinfo=UTC), "runs marathons",
                                  "book the room", [Review(kind=CaptureKind.COMMITMENT, id=old_commitment,
                                                           text="send the slides", status=Status.DONE)]))
    desktop = copy.deepcopy(base)
    apply_summary(desktop, meeting("m-desktop", datetime(2026, 3, 9, 17, 0, tzinfo=UTC), "plays the cello",
                                   "read the draft", []))
    forgotten = next(f for f in desktop.facts if f.text == "likes tea")
    desktop.facts.remove(forgotten)
    desktop.forgotten.append(Forgotten(id=forgotten.id, at=datetime(2026, 3, 9, 18, 0, tzinfo=UTC)))

    for merged in (merge_records(laptop, desktop), merge_records(desktop, laptop)):
        assert sorted(f.text for f in merged.facts) == ["has a cat", "plays the cello", "runs marathons"]
        assert {c.text: c.status for c in merged.commitments} == {
            "send the slides": Status.DONE, "book the room": Status.OPEN, "read the draft": Status.OPEN}
        assert merged.meetings == ["m-desktop", "m-laptop", "m0"]
        assert merged.last_meeting == datetime(2026, 3, 9, 17, 0, tzinfo=UTC)
        assert [t.id for t in merged.forgotten] == [forgotten.id]


def test_a_tombstone_beats_an_older_edit_and_an_edit_made_after_the_forget_brings_the_item_back() -> None:
    noon = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    fact = Fact("has a cat", date(2026, 3, 2), "m0", id="f1", updated=noon - timedelta(days=7))
    forgot = PartnerRecord(name="Ada", forgotten=[Forgotten(id="f1", at=noon)])
    for edited, kept in ((noon - timedelta(hours=1), False), (noon, False), (noon + timedelta(hours=1), True)):
        other = PartnerRecord(name="Ada", facts=[Fact("has two cats", fact.learned, "m0", id="f1", updated=edited)])
        merged = merge_records(forgot, other)
        assert [f.text for f in merged.facts] == (["has two cats"] if kept else []), edited
        assert merged.forgotten == forgot.forgotten, "the tombstone stays, never shown"
