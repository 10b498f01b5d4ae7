"""Tending a partner's record: forget and edit items, rename, merge and delete partners — each
read back from the files on disk."""

from __future__ import annotations

import os
import stat
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach import records
from coach.history import load_headers
from coach.model import Capture, CaptureKind, Commitment, Fact, Goal, Owner, PartnerRecord, Status
from coach.partner_edit import (
    KEEP,
    EditError,
    ItemRef,
    delete,
    edit,
    forget,
    items_of,
    load,
    merge,
    parse_ref,
    rename,
)
from coach.partners import (
    as_current,
    current_names,
    deleted_names,
    ensure_partner,
    known_partners,
    load_record,
    partner_path,
    remember_meeting,
    save_record,
)
from coach.problems import ProblemsError
from coach.store import partners_dir, slugify
from tests.unit.test_partner_record import meeting_summary

TZ = timezone(timedelta(hours=-5))
WALL = datetime(2026, 4, 1, 9, 30, tzinfo=TZ)
ODD_NAMES = ["../../x", "Zoë O'Brien", "李雷", "Ada"]


def a_partner(name: str = "Ada", facts: int = 2) -> Path:
    """A partner file with `facts` facts, two goals and two commitments."""
    path = partner_path(name)
    save_record(PartnerRecord(
        name=name, slug=path.stem, created=WALL - timedelta(days=30),
        facts=[Fact(f"fact {i + 1}", date(2026, 3, i + 1), "m1") for i in range(facts)],
        goals=[Goal(id="g-a", text="run a 10k", added=date(2026, 3, 1)),
               Goal(id="g-b", text="learn Rust", status=Status.REACHED, added=date(2026, 2, 1),
                    closed=date(2026, 3, 1))],
        commitments=[Commitment(id="c-a", text="send the book", owner=Owner.ME, due=date(2026, 4, 10),
                                made=date(2026, 3, 1), made_in="m1"),
                     Commitment(id="c-b", text="book physio", owner=Owner.THEM)]))
    return path


def on_disk(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# -- labels ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "ref"), [
    ("f1", ItemRef("fact", 0)), ("g2", ItemRef("goal", 1)), (" C12 ", ItemRef("commitment", 11)),
    ("f0", None), ("x1", None), ("f", None), ("1", None), ("f1a", None), ("", None), ("f-1", None)])
def test_a_label_names_one_item_by_kind_and_place(text: str, ref: ItemRef | None) -> None:
    assert parse_ref(text) == ref
    if ref is not None:
        assert parse_ref(ref.label) == ref


def test_labels_are_listed_in_order_of_kind_then_place() -> None:
    a_partner()
    _path, record = load("Ada")
    assert record is not None
    assert [ref.label for ref, _item in items_of(record)] == ["f1", "f2", "g1", "g2", "c1", "c2"]


# -- forget -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ODD_NAMES)
def test_forget_removes_the_item_from_the_partner_file(name: str) -> None:
    path = a_partner(name)
    fact_id = on_disk(path)["facts"][0]["id"]
    assert forget(name, ItemRef("fact", 0), now=WALL) == "fact 1"
    assert [f["text"] for f in on_disk(path)["facts"]] == ["fact 2"]
    assert forget(name, ItemRef("commitment", 1), expect="book physio") == "book physio"
    assert [c["id"] for c in on_disk(path)["commitments"]] == ["c-a"]
    tombstones = on_disk(path)["forgotten"]
    assert [t["id"] for t in tombstones] == [fact_id, "c-b"] and tombstones[0]["at"] == WALL
    assert set(tombstones[1]) == {"id", "at"}, "a tombstone is an id and a time, nothing of what was said"
    assert mode(path) == 0o600
    assert path.parent == partners_dir()


def test_forget_refuses_an_item_that_is_not_there_or_has_changed() -> None:
    path = a_partner()
    before = path.read_bytes()
    with pytest.raises(EditError, match="no fact f3"):
        forget("Ada", ItemRef("fact", 2))
    with pytest.raises(EditError, match="changed meanwhile"):
        forget("Ada", ItemRef("fact", 0), expect="fact 2")
    with pytest.raises(EditError, match="no goal g1"):
        forget("Nobody", ItemRef("goal", 0))
    assert path.read_bytes() == before


def test_a_broken_partner_file_is_never_written() -> None:
    path = a_partner()
    path.write_text(path.read_text(encoding="utf-8").replace('text = "fact 1"', "text = 5"), encoding="utf-8")
    before = path.read_bytes()
    for change in (lambda: forget("Ada", ItemRef("fact", 1)), lambda: edit("Ada", ItemRef("goal", 0), text="x"),
                   lambda: rename("Ada", "Bea", WALL), lambda: merge("Ada", "Bo", WALL),
                   lambda: merge("Bo", "Ada", WALL), lambda: delete("Ada", WALL)):
        with pytest.raises(ProblemsError) as error:
            change()
        assert str(error.value.problems[0]).startswith(f"{path}:")
    assert path.read_bytes() == before
    assert sorted(p.name for p in partners_dir().iterdir()) == [path.name]


def test_a_read_only_folder_is_an_os_error_and_changes_nothing() -> None:
    path = a_partner()
    before = path.read_bytes()
    os.chmod(partners_dir(), 0o500)
    try:
        if os.access(partners_dir(), os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        for change in (lambda: forget("Ada", ItemRef("fact", 0)), lambda: rename("Ada", "Bea", WALL),
                       lambda: delete("Ada", WALL)):
            with pytest.raises(OSError):
                change()
    finally:
        os.chmod(partners_dir(), 0o700)
    assert path.read_bytes() == before


# -- edit ---------------------------------------------------------------------------------------
def test_edit_changes_text_dates_owner_and_status() -> None:
    path = a_partner()
    fact_id = on_disk(path)["facts"][1]["id"]
    edit("Ada", ItemRef("fact", 1), text="  has two cats ", when=date(2025, 12, 24), now=WALL)
    edit("Ada", ItemRef("goal", 0), when=None, status=Status.REACHED, today=date(2026, 4, 2))
    edit("Ada", ItemRef("commitment", 0), when=date(2026, 5, 1), owner=Owner.BOTH, status=Status.DONE,
         today=date(2026, 4, 2), expect="send the book", now=WALL + timedelta(minutes=1))
    doc = on_disk(path)
    assert doc["facts"][1] == {"text": "has two cats", "learned": date(2025, 12, 24), "meeting": "m1",
                               "id": fact_id, "updated": WALL}, "the id stays; the change is dated"
    assert doc["commitments"][0]["updated"] == WALL + timedelta(minutes=1)
    assert "updated" in doc["goals"][0] and "updated" not in doc["goals"][1], "changed now: this device's time"
    assert doc["goals"][0]["status"] == "reached" and doc["goals"][0]["closed"] == date(2026, 4, 2)
    assert "added" not in doc["goals"][0]
    assert (doc["commitments"][0]["due"], doc["commitments"][0]["owner"], doc["commitments"][0]["status"],
            doc["commitments"][0]["closed"], doc["commitments"][0]["id"]) == (
        date(2026, 5, 1), "both", "done", date(2026, 4, 2), "c-a")
    edit("Ada", ItemRef("goal", 1), status=Status.OPEN)  # reopened: no longer closed
    edit("Ada", ItemRef("commitment", 1), when=None, text="book the physio")  # KEEP elsewhere
    doc = on_disk(path)
    assert doc["goals"][1]["status"] == "open" and "closed" not in doc["goals"][1]
    assert doc["commitments"][1]["text"] == "book the physio" and doc["commitments"][1]["owner"] == "them"
    assert mode(path) == 0o600


def test_edit_keeps_what_it_is_not_told_to_change() -> None:
    path = a_partner()
    before = on_disk(path)
    edit("Ada", ItemRef("commitment", 0), when=KEEP)
    assert on_disk(path) == before


@pytest.mark.parametrize(("ref", "change", "said"), [
    (ItemRef("fact", 0), {"text": "  "}, "cannot be empty"),
    (ItemRef("fact", 0), {"owner": Owner.THEM}, "no owner"),
    (ItemRef("goal", 0), {"owner": Owner.THEM}, "no owner"),
    (ItemRef("fact", 0), {"status": Status.DONE}, "no status"),
    (ItemRef("goal", 0), {"status": Status.DONE}, "not done"),
    (ItemRef("commitment", 0), {"status": Status.REACHED}, "not reached"),
    (ItemRef("commitment", 0), {"when": datetime(2026, 1, 1)}, "a day"),
    (ItemRef("commitment", 0), {"when": "tomorrow"}, "a day"),
    (ItemRef("goal", 5), {"text": "x"}, "no goal g6"),
    (ItemRef("goal", 0), {"text": "x", "expect": "run a marathon"}, "changed meanwhile"),
])
def test_edit_refuses_a_change_that_cannot_be_made(ref: ItemRef, change: dict, said: str) -> None:
    path = a_partner()
    before = path.read_bytes()
    with pytest.raises(EditError, match=said):
        edit("Ada", ref, **change)
    assert path.read_bytes() == before


# -- rename -------------------------------------------------------------------------------------
def save_meeting(name: str, day: int, suffix: str = "abc123") -> str:
    """A meeting with `name`, saved as the app saves it (summary, then the partner file)."""
    from coach import summaries

    summary = meeting_summary(name, datetime(2026, 3, day, 14, 0, tzinfo=TZ),
                              [Capture(CaptureKind.FACT, f"said on day {day}")], suffix=suffix)
    summaries.save(summary)
    remember_meeting(summary)
    return summary.id


@pytest.mark.parametrize(("old", "new"), [("Zo", "Zoë O'Brien"), ("../../x", "李雷"), ("李雷", "../../x"),
                                          ("Zoë O'Brien", "zoë o'brien")])
def test_rename_moves_the_file_and_keeps_past_meetings_under_the_new_name(old: str, new: str) -> None:
    first = save_meeting(old, 2)
    old_path = partner_path(old)
    summary_file = next(Path(h.file) for h in load_headers()[0])
    summary_before = summary_file.read_bytes()
    path = rename(old, new, WALL)
    assert not old_path.exists() and path.parent == partners_dir() and path.stem.startswith(slugify(new)[:-9])
    doc = on_disk(path)
    assert (doc["name"], doc["former_names"], doc["meetings"]) == (new, [old], [first])
    assert mode(path) == 0o600
    assert summary_file.read_bytes() == summary_before  # past summaries are never rewritten
    headers = load_headers()[0]
    assert [(h.partner, h.id) for h in headers] == [(new, first)]
    assert [p.name for p in known_partners()[0]] == [new]
    assert current_names() == {old: new}
    assert load_record(new).facts[0].text == "said on day 2"
    second = save_meeting(new, 9)  # the next meeting goes to the renamed file
    assert [h.id for h in load_headers()[0] if h.partner == new] == [second, first]
    assert on_disk(path)["meetings"] == [first, second]


def test_rename_refuses_a_bad_or_taken_name() -> None:
    a_partner("Ada")
    a_partner("Bea")
    before = {p.name: p.read_bytes() for p in partners_dir().iterdir()}
    for new, said in (("Bea", "merge Ada into them instead"), ("Ada", "already called"),
                      ("", "cannot be empty"), ("a\x1b]2;x\x07", "control characters")):
        with pytest.raises(EditError, match=said):
            rename("Ada", new, WALL)
    assert {p.name: p.read_bytes() for p in partners_dir().iterdir()} == before


def test_a_partner_known_only_from_meetings_can_be_renamed() -> None:
    from coach import summaries

    summary = meeting_summary("Zo", datetime(2026, 3, 2, 14, 0, tzinfo=TZ))
    summaries.save(summary)  # no partner file (lost, or never written)
    path = rename("Zo", "Zoe", WALL)
    assert on_disk(path)["former_names"] == ["Zo"]
    assert [h.partner for h in load_headers()[0]] == ["Zoe"]


def test_renamed_back_and_forth_the_meetings_follow() -> None:
    first = save_meeting("Ada", 2)
    rename("Ada", "Ada Lovelace", WALL)
    path = rename("Ada Lovelace", "Ada", WALL)
    assert on_disk(path)["former_names"] == ["Ada Lovelace"]
    assert [(h.partner, h.id) for h in load_headers()[0]] == [("Ada", first)]


def test_a_former_name_taken_again_keeps_each_partners_own_meetings() -> None:
    first = save_meeting("Ada", 2, "aaa111")
    rename("Ada", "Bea", WALL)
    second = save_meeting("Ada", 5, "bbb222")  # a new partner called Ada
    assert {h.id: h.partner for h in load_headers()[0]} == {first: "Bea", second: "Ada"}
    assert current_names() == {}


def test_two_names_with_one_slug_never_share_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import coach.partner_files

    monkeypatch.setattr(coach.partner_files, "slugify", lambda name: "same")
    a_partner("Ada")
    a_partner("Bea")
    assert sorted(p.name for p in partners_dir().iterdir()) == ["same-2.toml", "same.toml"]
    path = rename("Ada", "Cy", WALL)
    assert on_disk(path)["name"] == "Cy" and path.name == "same-3.toml"  # same.toml was Ada's
    assert sorted(p.name for p in partners_dir().iterdir()) == ["same-2.toml", "same-3.toml"]
    assert on_disk(partners_dir() / "same-2.toml")["name"] == "Bea"
    forget("Bea", ItemRef("fact", 0))
    assert len(on_disk(partners_dir() / "same-2.toml")["facts"]) == 1
    assert len(on_disk(path)["facts"]) == 2
    assert partner_path("Cy") == path and partner_path("Ada") == partners_dir() / "same.toml"


# -- merge ----------------------------------------------------------------------------------------
def test_merge_folds_the_other_record_in_and_moves_its_file_aside() -> None:
    first = save_meeting("Zoë O'Brien", 2, "aaa111")
    second = save_meeting("Zo", 5, "bbb222")
    zo = partner_path("Zo")
    save_record(_with_goal(load_record("Zo"), "g-zo"))
    into = partner_path("Zoë O'Brien")
    path = merge("Zoë O'Brien", "Zo", WALL)
    assert path == into and not zo.exists()
    doc = on_disk(path)
    assert doc["name"] == "Zoë O'Brien" and doc["former_names"] == ["Zo"]
    assert doc["meetings"] == [first, second]
    assert [f["text"] for f in doc["facts"]] == ["said on day 2", "said on day 5"]
    assert [g["id"] for g in doc["goals"]] == ["g-zo"]
    assert doc["created"] == datetime(2026, 3, 2, 14, 0, tzinfo=TZ)
    assert doc["last_meeting"] == datetime(2026, 3, 5, 14, 0, tzinfo=TZ)
    aside = list((partners_dir() / "merged").iterdir())
    assert len(aside) == 1 and on_disk(aside[0])["name"] == "Zo" and mode(aside[0]) == 0o600
    assert {h.id: h.partner for h in load_headers()[0]} == {first: "Zoë O'Brien", second: "Zoë O'Brien"}
    assert [p.name for p in known_partners()[0]] == ["Zoë O'Brien"]


def _with_goal(record: PartnerRecord, goal_id: str) -> PartnerRecord:
    record.goals.append(Goal(id=goal_id, text="a goal"))
    return record


def test_merge_keeps_ids_unique_and_carries_former_names() -> None:
    a_partner("Ada")
    a_partner("Bea", facts=3)  # the same ids as Ada's (her facts' ones made from the same words)
    rename("Bea", "Bee", WALL)
    forget("Bee", ItemRef("fact", 2), now=WALL)
    path = merge("Ada", "Bee", WALL)
    doc = on_disk(path)
    for key in ("goals", "commitments"):
        ids = [item["id"] for item in doc[key]]
        assert len(ids) == 4 and len(set(ids)) == 4 and ids[:2] == [f"{key[0]}-a", f"{key[0]}-b"]
    ids = [item["id"] for key in ("facts", "goals", "commitments") for item in doc[key]]
    assert len(doc["facts"]) == 4 and len(set(ids)) == len(ids) == 12
    assert len(doc["forgotten"]) == 1 and doc["forgotten"][0]["id"] not in ids, "Bee's tombstone goes with her"
    assert doc["former_names"] == ["Bee", "Bea"]
    records.read(PartnerRecord, path)


def test_merging_a_partner_into_themselves_or_nobody_is_refused() -> None:
    path = a_partner("Ada")
    before = path.read_bytes()
    with pytest.raises(EditError, match="themselves"):
        merge("Ada", " Ada ", WALL)
    for into, other in (("Ada", "Nobody"), ("Nobody", "Ada")):
        with pytest.raises(EditError, match="no partner called Nobody"):
            merge(into, other, WALL)
    with pytest.raises(EditError, match="no partner called Nobody"):
        rename("Nobody", "Somebody", WALL)
    assert sorted(partners_dir().iterdir()) == [path] and path.read_bytes() == before


def test_two_merges_at_the_same_second_never_collide() -> None:
    for other in ("Bo", "Bo "):
        a_partner("Bo")
        a_partner("Ada")
        merge("Ada", other, WALL)
    assert len(list((partners_dir() / "merged").iterdir())) == 2


# -- delete -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ODD_NAMES)
def test_delete_moves_the_file_aside_and_the_partner_leaves_the_lists(name: str) -> None:
    meeting = save_meeting(name, 2)
    save_meeting("Other", 3, "ccc333")
    path = partner_path(name)
    content = path.read_bytes()
    aside = delete(name, WALL)
    assert not path.exists() and aside.parent == partners_dir() / "deleted" and aside.read_bytes() == content
    assert mode(aside) == 0o600
    assert name not in [p.name for p in known_partners()[0]] and "Other" in [p.name for p in known_partners()[0]]
    assert (name, meeting) in [(h.partner, h.id) for h in load_headers()[0]]  # history still lists them
    assert deleted_names() == {name}
    ensure_partner(name, WALL)  # created again later: a new file, listed again
    assert name in [p.name for p in known_partners()[0]]
    assert on_disk(partner_path(name)).get("facts") is None


def test_two_deletes_never_collide_and_a_partner_only_in_meetings_can_be_deleted() -> None:
    from coach import summaries

    a_partner("Ada")
    first = delete("Ada", WALL)
    a_partner("Ada")
    second = delete("Ada", WALL)
    assert first != second and first.exists() and second.exists()
    summaries.save(meeting_summary("Zo", datetime(2026, 3, 2, 14, 0, tzinfo=TZ)))
    delete("Zo", WALL)
    assert known_partners()[0] == []
    with pytest.raises(EditError, match="no partner called Nobody"):
        delete("Nobody", WALL)


def test_a_renamed_then_deleted_partner_is_gone_under_both_names() -> None:
    save_meeting("Zo", 2)
    rename("Zo", "Zoe", WALL)
    delete("Zoe", WALL)
    assert known_partners()[0] == []
    assert deleted_names() == {"Zo", "Zoe"}


def test_as_current_changes_nothing_without_former_names() -> None:
    save_meeting("Ada", 2)
    headers = load_headers()[0]
    assert as_current(headers) is headers


def test_a_folder_that_cannot_be_written_is_an_os_error_and_changes_nothing() -> None:
    """(What a read-only folder does, also when the tests run as root: a file stands where a folder
    must go, a folder where a file must go.)"""
    path = a_partner()
    before = path.read_bytes()
    (partners_dir() / "deleted").write_text("not a folder", encoding="utf-8")
    with pytest.raises(OSError):
        delete("Ada", WALL)
    (partner_path("Bea")).mkdir()
    with pytest.raises(OSError):
        rename("Ada", "Bea", WALL)
    assert path.read_bytes() == before
