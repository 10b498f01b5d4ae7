"""The partner record: `partners/<slug>.toml` read and written, meetings folded into it,
broken files kept aside, and any name a user types kept apart from every other."""

from __future__ import annotations

import os
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import msgspec
import pytest

from coach import records, summaries
from coach.model import (
    Capture,
    CaptureKind,
    Commitment,
    Fact,
    Goal,
    Owner,
    PartnerRecord,
    PhaseRecord,
    Review,
    Status,
    Summary,
    notes_of,
)
from coach.partners import (
    apply_summary,
    known_partners,
    load_record,
    partner_path,
    remember_meeting,
    save_record,
)
from coach.problems import ProblemsError
from coach.store import normalize_name, slugify

TZ = timezone(timedelta(hours=-5))
MONDAY = datetime(2026, 3, 2, 14, 0, tzinfo=TZ)


def read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def meeting_summary(partner: str, started: datetime = MONDAY, captures: list[Capture] | None = None,
                    reviewed: list[Review] | None = None, seen: list[list[str]] | None = None,
                    suffix: str = "abc123") -> Summary:
    seen = seen or [[], []]
    return Summary(
        id=f"{started:%Y-%m-%d-%H%M}-{slugify(partner)}-{suffix}", partner=partner, partner_slug=slugify(partner),
        template="standard", started=started, ended=started + timedelta(minutes=30),
        phases=[PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300.0, actual_seconds=300.0,
                            cards_seen=seen[0]),
                PhaseRecord(id="goals", title="Goals", planned_seconds=900.0, actual_seconds=900.0,
                            cards_seen=seen[1])],
        reviewed=reviewed or [], **notes_of(captures or []))


def full_record() -> PartnerRecord:
    name = "Zoë O'Brien"
    return PartnerRecord(
        name=name, slug=slugify(name),
        created=datetime(2025, 11, 3, 9, 15, 0, tzinfo=TZ),
        last_meeting=datetime(2026, 2, 16, 14, 5, 0, tzinfo=TZ),
        facts=[Fact("has a cat called Babbage", date(2026, 2, 16), "m2"),
               Fact('likes "green" tea \\ and cake'),
               Fact("moving to Lisbon\nin May", date(2025, 11, 3), "m1")],
        goals=[Goal(id="g1", text="give a talk", status=Status.OPEN, added=date(2025, 11, 3), meeting="m1"),
               Goal(id="g2", text="learn Rust", status=Status.REACHED, added=date(2025, 11, 3),
                    closed=date(2026, 2, 16), meeting="m1"),
               Goal(id="g3", text="run a marathon", status=Status.DROPPED, added=date(2026, 2, 16),
                    closed=date(2026, 2, 16))],
        commitments=[
            Commitment(id="c1", text="send the paper", owner=Owner.ME, due=date(2026, 3, 1), status=Status.OPEN,
                       made=date(2026, 2, 16), made_in="m2"),
            Commitment(id="c2", text="read chapter 2", owner=Owner.THEM, status=Status.DONE, made=date(2025, 11, 3),
                       made_in="m1", closed=date(2026, 2, 16)),
            Commitment(id="c3", text="pick a date", owner=Owner.BOTH, due=date(2025, 12, 1), status=Status.DROPPED,
                       closed=date(2026, 2, 16)),
        ],
        seen_cards=["chit-chat:weekend-highlight", "goals:#0123456789"],
    )


# -- read and write -----------------------------------------------------------------------
def test_a_record_round_trips_every_field(data_root: Path, umask_zero: None) -> None:
    record = full_record()
    path = save_record(record)
    assert path == data_root / "partners" / f"{slugify(record.name)}.toml" == partner_path(record.name)
    assert path.stat().st_mode & 0o777 == 0o600
    doc = read(path)
    assert doc["schema"] == 1 and doc["name"] == "Zoë O'Brien"
    assert doc["facts"][1] == {"text": 'likes "green" tea \\ and cake', "meeting": "",
                               "id": record.facts[1].id}, "an undated fact has no date"
    assert doc["commitments"][1]["closed"] == date(2026, 2, 16) and "due" not in doc["commitments"][1]
    assert load_record("Zoë O'Brien") == record


def test_datetimes_lose_only_their_microseconds(data_root: Path) -> None:
    record = full_record()
    record.created = record.created.replace(microsecond=123456)
    save_record(record)
    assert load_record(record.name).created == datetime(2025, 11, 3, 9, 15, 0, tzinfo=TZ)


def test_an_unknown_partner_is_an_empty_record_and_nothing_is_written(data_root: Path) -> None:
    record = load_record("  Grace   Hopper ")
    assert record == PartnerRecord(name="Grace Hopper", slug=slugify("Grace Hopper"))
    assert record.open_goals() == [] and record.open_commitments() == []
    assert not data_root.exists()


def test_a_hand_written_file_with_only_the_essentials_loads(data_root: Path) -> None:
    path = partner_path("Ada")
    path.parent.mkdir(parents=True)
    path.write_text('schema = 1\nname = "Ada"\n\n[[facts]]\ntext = "has a cat"\nlearned = 2026-02-16T10:00:00\n\n'
                    '[[commitments]]\ntext = "send the paper"\n\n[[goals]]\ntext = "give a talk"\n',
                    encoding="utf-8")
    record = load_record("Ada")
    assert record.facts == [Fact("has a cat", date(2026, 2, 16))]
    [commitment] = record.commitments
    assert (commitment.owner, commitment.status, commitment.due) == (Owner.ME, Status.OPEN, None)
    assert commitment.id, "a commitment without an id gets one, so it can be reviewed"
    assert record.goals[0].status is Status.OPEN and record.goals[0].id
    assert record.facts[0].updated is None and commitment.updated is None and record.forgotten == []
    again = load_record("Ada")  # as another device reads the same file: the same ids, so a merge doubles nothing
    assert [i.id for i in (*again.facts, *again.goals, *again.commitments)] == [
        i.id for i in (*record.facts, *record.goals, *record.commitments)]
    assert len({i.id for i in (*record.facts, *record.goals, *record.commitments)}) == 3


def test_items_copied_by_hand_get_ids_of_their_own_the_same_at_every_reading(data_root: Path) -> None:
    path = partner_path("Ada")
    path.parent.mkdir(parents=True)
    path.write_text('schema = 1\nname = "Ada"\n\n' + '[[facts]]\ntext = "has a cat"\n\n' * 2
                    + '[[goals]]\nid = "x1"\ntext = "give a talk"\n\n[[commitments]]\nid = "x1"\ntext = "call"\n',
                    encoding="utf-8")
    first, second = load_record("Ada"), load_record("Ada")
    ids = [i.id for i in (*first.goals, *first.commitments, *first.facts)]
    assert ids == [i.id for i in (*second.goals, *second.commitments, *second.facts)]
    assert ids[:2] == ["x1", "x1-2"] and ids[3] == f"{ids[2]}-2", "unique across facts, goals and commitments"


def write_partner(text: str, name: str = "Ada Lovelace") -> Path:
    path = partner_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


BROKEN_TYPES = """\
schema = 1
name = "Ada Lovelace"
created = "last monday"

[[facts]]
text = "has a cat"
learned = "yesterday"

[[goals]]
text = "give a talk"
status = "done"

[[commitments]]
id = "c1"
text = "send the paper"
status = "finished"

[[commitments]]
id = "c2"
owner = "me"
  text = 3
due = "tomorrow"
made_in = "m1"
"""


def test_wrong_types_point_at_the_exact_line_of_the_offending_key(data_root: Path) -> None:
    path = write_partner(BROKEN_TYPES)
    with pytest.raises(ProblemsError) as caught:
        load_record("Ada Lovelace")
    found = sorted((p.line, p.col, p.message) for p in caught.value.problems)
    assert all(p.path == path for p in caught.value.problems)
    assert [(line, col) for line, col, _ in found] == [(3, 1), (7, 1), (11, 1), (16, 1), (21, 3), (22, 1)]
    messages = {line: msg for line, _, msg in found}
    assert "`created`" in messages[3] and "date and time" in messages[3]
    assert "[[facts]] #1" in messages[7] and "`learned`" in messages[7]
    assert "[[goals]] #1" in messages[11] and "`status`" in messages[11] and "'done'" in messages[11]
    assert "[[commitments]] #1" in messages[16] and "'finished'" in messages[16]
    assert "open, done, dropped" in messages[16]
    assert "[[commitments]] #2" in messages[21] and "`text` must be text" in messages[21]
    assert "[[commitments]] #2" in messages[22] and "`due`" in messages[22] and "2026-03-02" in messages[22]
    assert str(caught.value.problems[0]).startswith(f"{path}:")


@pytest.mark.parametrize(("text", "line", "words"), [
    ('schema = 1\nname = "Ada Lovelace"\nseen_cards = "chit-chat:a"\n', 3, "`seen_cards`"),
    ('schema = 2\nname = "Ada Lovelace"\n', 1, "schema"),
    ('name = "Ada Lovelace"\n', 1, "schema"),
    ('schema = 1\nname = "Ada Lovelace"\n[[facts]]\nlearned = 2026-01-01\n', 3, "missing required key `text`"),
    ('schema = 1\nname = "Ada Lovelace"\nfacts = 3\n', 3, "`facts` must be a list"),
    ('schema = 1\nname = "Ada Lovelace"\nlast_meeting = 2026-01-01T10:00:00\ncreated = 1\n', 4, "`created`"),
    ('schema = 1\nname = "Ada Lovelace\n', 2, "TOML syntax"),
    ('schema = 1\nname = "Ada Lovelace"\n[[facts]]\ntext = "x"\nupdated = "yesterday"\n', 5, "`updated`"),
    ('schema = 1\nname = "Ada Lovelace"\n[[goals]]\ntext = "x"\nid = 5\n', 5, "`id` must be text"),
    ('schema = 1\nname = "Ada Lovelace"\n[[forgotten]]\nat = 2026-01-01T10:00:00\n', 3, "missing required key `id`"),
    ('schema = 1\nname = "Ada Lovelace"\n[[forgotten]]\nid = "a"\nat = 2026\n', 5, "`at` must be a date and time"),
    ('schema = 1\nname = "Ada Lovelace"\nforgotten = ["a"]\n', 3, "[[forgotten]] #1: must be a table"),
])
def test_a_broken_file_is_reported_with_its_line(data_root: Path, text: str, line: int, words: str) -> None:
    write_partner(text)
    with pytest.raises(ProblemsError) as caught:
        load_record("Ada Lovelace")
    assert [(p.line, words in p.message) for p in caught.value.problems] == [(line, True)]


# -- folding a meeting into the record ----------------------------------------------------
def test_apply_summary_adds_facts_goals_and_commitments_with_the_day_and_the_meeting() -> None:
    record = PartnerRecord(name="Ada", slug=slugify("Ada"))
    summary = meeting_summary("Ada", captures=[
        Capture(CaptureKind.FACT, "has a cat", "chit-chat"),
        Capture(CaptureKind.GOAL, "give a talk", "goals"),
        Capture(CaptureKind.GOAL, "find a mentor", "goals", status=Status.REACHED),
        Capture(CaptureKind.COMMITMENT, "send the paper", "goals", Owner.THEM, date(2026, 3, 9)),
        Capture(CaptureKind.COMMITMENT, "meet again", "goals", Owner.BOTH),
    ])
    apply_summary(record, summary)
    day = MONDAY.date()
    assert [(f.text, f.learned, f.meeting) for f in record.facts] == [("has a cat", day, summary.id)]
    items = [*record.facts, *record.goals, *record.commitments]
    assert all(item.updated == summary.ended for item in items), "made when the meeting ended"
    again = apply_summary(PartnerRecord(name="Ada", slug=slugify("Ada")), summary)
    assert [i.id for i in items] == [i.id for i in (*again.facts, *again.goals, *again.commitments)], \
        "one meeting folded in on two devices gives its items the same ids"
    assert [(g.text, g.status, g.added, g.closed, g.meeting) for g in record.goals] == [
        ("give a talk", Status.OPEN, day, None, summary.id),
        ("find a mentor", Status.REACHED, day, day, summary.id),
    ]
    assert [(c.text, c.owner, c.due, c.status, c.made, c.made_in, c.closed) for c in record.commitments] == [
        ("send the paper", Owner.THEM, date(2026, 3, 9), Status.OPEN, day, summary.id, None),
        ("meet again", Owner.BOTH, None, Status.OPEN, day, summary.id, None),
    ]
    ids = [g.id for g in record.goals] + [c.id for c in record.commitments]
    assert all(ids) and len(set(ids)) == len(ids)
    assert record.created == record.last_meeting == MONDAY


def test_the_template_of_the_latest_meeting_is_remembered_in_the_partner_file() -> None:
    record = PartnerRecord(name="Ada", slug=slugify("Ada"))
    first = meeting_summary("Ada")
    apply_summary(record, msgspec.structs.replace(first, template="first-meeting"))
    assert record.template == "first-meeting"
    later = meeting_summary("Ada", MONDAY + timedelta(days=7), suffix="def456")
    apply_summary(record, msgspec.structs.replace(later, template="my-1on1"))
    assert record.template == "my-1on1"
    older = meeting_summary("Ada", MONDAY - timedelta(days=7), suffix="0ld000")  # synced late
    apply_summary(record, older)
    assert record.template == "my-1on1", "an older meeting does not change it"
    latest = meeting_summary("Ada", MONDAY + timedelta(days=14), suffix="fff999")
    apply_summary(record, msgspec.structs.replace(latest, template=""))
    assert record.template == "my-1on1", "a meeting without a template keeps it"
    path = save_record(record)
    assert read(path)["template"] == "my-1on1"
    assert load_record("Ada").template == "my-1on1"
    assert "template" not in read(save_record(PartnerRecord(name="Bo", slug=slugify("Bo")))), "none: no key"


def test_apply_summary_applies_the_review_with_the_closing_day() -> None:
    record = full_record()
    later = MONDAY + timedelta(days=14)
    summary = meeting_summary(record.name, later, reviewed=[
        Review(CaptureKind.COMMITMENT, "c1", "send the paper", Status.DONE, Owner.ME, "m2"),
        Review(CaptureKind.COMMITMENT, "c2", "read chapter 2", Status.OPEN, Owner.THEM, "m1"),
        Review(CaptureKind.GOAL, "g1", "give a talk", Status.REACHED, made_in="m1"),
        Review(CaptureKind.GOAL, "c3", "a goal review never touches a commitment", Status.REACHED),
        Review(CaptureKind.COMMITMENT, "gone", "deleted by hand since", Status.DONE),
    ])
    apply_summary(record, summary)
    by_id = {item.id: (item.status, item.closed) for item in [*record.commitments, *record.goals]}
    assert by_id["c1"] == (Status.DONE, later.date())
    assert by_id["c2"] == (Status.OPEN, None), "reopened: no closing day"
    assert by_id["c3"] == (Status.DROPPED, date(2026, 2, 16))
    assert by_id["g1"] == (Status.REACHED, later.date())
    assert len(record.commitments) == 3 and len(record.goals) == 3
    updated = {item.id: item.updated for item in [*record.commitments, *record.goals]}
    assert updated["c1"] == updated["c2"] == updated["g1"] == summary.ended, "changed when the meeting ended"
    assert updated["c3"] is None and updated["g2"] is None, "not changed: not dated"


def test_seen_cards_are_merged_without_duplicates_and_without_memory_cards() -> None:
    record = PartnerRecord(name="Ada", slug=slugify("Ada"), seen_cards=["chit-chat:a", "goals:b"])
    summary = meeting_summary("Ada", seen=[["memory:fact-0", "chit-chat:c", "chit-chat:a", "memory:fact-1"],
                                           ["goals:b", "goals:d", "chit-chat:c"]])
    apply_summary(record, summary)
    assert record.seen_cards == ["chit-chat:a", "goals:b", "chit-chat:c", "goals:d"]


def test_last_meeting_only_moves_forward_and_created_is_kept() -> None:
    record = PartnerRecord(name="Ada", slug=slugify("Ada"))
    apply_summary(record, meeting_summary("Ada", MONDAY))
    apply_summary(record, meeting_summary("Ada", MONDAY - timedelta(days=30), suffix="older"))
    assert record.last_meeting == MONDAY
    assert record.created == MONDAY, "the first meeting folded in made the record"
    apply_summary(record, meeting_summary("Ada", MONDAY + timedelta(days=7), suffix="newer"))
    assert record.last_meeting == MONDAY + timedelta(days=7)
    assert record.created == MONDAY


def test_remember_meeting_writes_what_the_next_meeting_reads(data_root: Path) -> None:
    summary = meeting_summary("Ada Lovelace", captures=[Capture(CaptureKind.FACT, "has a cat")],
                              seen=[["chit-chat:a"], []])
    path = remember_meeting(summary)
    assert path == partner_path("Ada Lovelace")
    record = load_record("Ada Lovelace")
    assert [f.text for f in record.facts] == ["has a cat"]
    assert record.seen_cards == ["chit-chat:a"] and record.last_meeting == MONDAY
    remember_meeting(meeting_summary("Ada Lovelace", MONDAY + timedelta(days=7), suffix="second",
                                     captures=[Capture(CaptureKind.FACT, "moving to Lisbon")]))
    assert [f.text for f in load_record("Ada Lovelace").facts] == ["has a cat", "moving to Lisbon"]


@pytest.mark.parametrize("broken", [
    'schema = 1\nname = "Ada Lovelace"\n[[facts]\ntext = "half edited',
    BROKEN_TYPES,
    'schema = 7\nname = "Ada Lovelace"\n',
    "\xff\xfe not even text",
])
def test_remember_meeting_backs_up_a_broken_file_and_writes_a_fresh_one(data_root: Path, broken: str) -> None:
    path = partner_path("Ada Lovelace")
    path.parent.mkdir(parents=True)
    raw = broken.encode("latin-1") if broken.startswith("\xff") else broken.encode("utf-8")
    path.write_bytes(raw)
    summary = meeting_summary("Ada Lovelace", captures=[Capture(CaptureKind.FACT, "has a cat")])
    assert remember_meeting(summary) == path
    backups = sorted(path.parent.glob(f"{path.name}.broken-*"))
    assert [b.name for b in backups] == [f"{path.name}.broken-20260302-140000"]
    assert backups[0].read_bytes() == raw, "the hand-edited file is kept as it was"
    record = load_record("Ada Lovelace")
    assert [f.text for f in record.facts] == ["has a cat"]
    assert record.name == "Ada Lovelace" and record.last_meeting == MONDAY
    assert sorted(os.listdir(path.parent)) == sorted([path.name, backups[0].name])


# -- names ----------------------------------------------------------------------------------
def test_names_differing_by_case_or_accents_get_their_own_file_and_memory(data_root: Path) -> None:
    names = ["Zoe", "Zoë", "zoe"]
    for i, name in enumerate(names):
        remember_meeting(meeting_summary(name, MONDAY + timedelta(days=i), suffix=f"m{i}",
                                         captures=[Capture(CaptureKind.FACT, f"fact of {name}")]))
    files = sorted(os.listdir(data_root / "partners"))
    assert len(files) == 3 and files == sorted(f"{slugify(n)}.toml" for n in names)
    for name in names:
        record = load_record(name)
        assert record.name == name
        assert [f.text for f in record.facts] == [f"fact of {name}"]
    assert [f.text for f in load_record("Zoe\u0308").facts] == ["fact of Zoë"], "the same name, decomposed"
    assert sorted(p.name for p in known_partners()[0]) == sorted(names)


@pytest.mark.parametrize("name", ["../../x", "李雷", "🦊", "x" * 300, "Zoë O'Brien", "CON", ".", "a/b\\c:d*e?"])
def test_any_name_works_end_to_end_and_stays_inside_the_data_dir(data_root: Path, name: str) -> None:
    summary = meeting_summary(name, captures=[Capture(CaptureKind.FACT, "has a cat"),
                                              Capture(CaptureKind.COMMITMENT, "send the paper", owner=Owner.THEM)])
    summaries.save(summary)
    path = remember_meeting(summary)
    assert path.parent == data_root / "partners"
    assert path.resolve().is_relative_to(data_root.resolve())
    assert len(path.name) < 64
    record = load_record(name)
    assert record.name == normalize_name(name)
    assert [f.text for f in record.facts] == ["has a cat"]
    assert [c.text for c in record.open_commitments()] == ["send the paper"]
    assert read(path)["name"] == normalize_name(name)
    assert summaries.partner_summaries(slugify(name))
    everything = [p for p in data_root.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(data_root.resolve()) for p in everything)
    assert [p.name for p in known_partners()[0]] == [normalize_name(name)]


def test_the_written_record_leaves_out_what_is_absent() -> None:
    record = PartnerRecord(name="Ada", slug="ada-1", facts=[Fact("x")], commitments=[Commitment(id="c", text="y")])
    doc = records.to_doc(record, empty_lists=False)
    assert doc == {"schema": 1, "name": "Ada", "slug": "ada-1",
                   "facts": [{"text": "x", "meeting": "", "id": record.facts[0].id}],
                   "commitments": [{"id": "c", "text": "y", "owner": "me", "status": "open", "made_in": "",
                                    "closed_in": ""}]}


def test_folding_the_same_meeting_in_twice_changes_nothing(data_root: Path) -> None:
    summary = meeting_summary("Ada", captures=[Capture(CaptureKind.FACT, "has a cat"),
                                               Capture(CaptureKind.GOAL, "give a talk"),
                                               Capture(CaptureKind.COMMITMENT, "send the paper")])
    path = remember_meeting(summary)
    once = path.read_bytes()
    assert remember_meeting(summary) == path
    assert path.read_bytes() == once
    record = load_record("Ada")
    assert (len(record.facts), len(record.goals), len(record.commitments)) == (1, 1, 1)
    assert record.meetings == [summary.id]
    before = len(apply_summary(record, summary).facts)
    assert before == 1


def test_a_commitment_copied_by_hand_gets_its_own_id(data_root: Path) -> None:
    path = partner_path("Ada")
    path.parent.mkdir(parents=True)
    block = '[[commitments]]\nid = "c1"\ntext = "{}"\n\n'
    path.write_text('schema = 1\nname = "Ada"\n\n' + block.format("send the paper") + block.format("a copy"),
                    encoding="utf-8")
    first, copy = load_record("Ada").commitments
    assert (first.id, copy.id) == ("c1", "c1-2")
    assert load_record("Ada").commitments[1].id == "c1-2", "the same id at every reading"
    summary = meeting_summary("Ada", reviewed=[Review(CaptureKind.COMMITMENT, "c1-2", "a copy", Status.DONE)])
    remember_meeting(summary)
    assert [(c.id, c.status) for c in load_record("Ada").commitments] == [("c1", Status.OPEN), ("c1-2", Status.DONE)]


@pytest.mark.parametrize(("text", "line", "col", "message"), [
    ('schema = 1\nname = "Ada"\ncommitments = [\n  { text = "a" },\n  "str",\n  { text = "b" },\n]\n', 5, 3,
     "[[commitments]] #2: must be a table, not text"),
    ('schema = 1\nname = "Ada"\nfacts = [\n  { text = "a" },\n  { text = "b", learned = "later" },\n]\n', 5, 17,
     "[[facts]] #2: `learned` must be a date like 2026-03-02"),
    ('schema = 1\nname = "Ada"\nseen_cards = [\n  "a",\n  5,\n]\n', 5, 3, "`seen_cards` #2: must be text"),
])
def test_a_problem_in_an_inline_list_points_at_its_item(data_root: Path, text: str, line: int, col: int,
                                                           message: str) -> None:
    path = partner_path("Ada")
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_record("Ada")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (line, col) and problem.message.startswith(message), problem


@pytest.mark.parametrize("key", ["learned", "due"])
def test_dates_in_a_partner_file_are_in_range(data_root: Path, key: str) -> None:
    path = partner_path("Ada")
    path.parent.mkdir(parents=True)
    table = "facts" if key == "learned" else "commitments"
    path.write_text(f'schema = 1\nname = "Ada"\n\n[[{table}]]\ntext = "x"\n{key} = 0001-01-01\n', encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_record("Ada")
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (6, f"[[{table}]] #1: `{key}` must be a date from 1900 to 9990, not 0001-01-01")]
