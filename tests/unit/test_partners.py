"""Partners: one private file each, the list of people met, and finding a name again."""

from __future__ import annotations

import os
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach import summaries
from coach.model import PhaseRecord, Summary
from coach.partners import Partner, closest, ensure_partner, known_partners, partner_path, remember_meeting, resolve
from coach.store import set_aside, slugify

TZ = timezone(timedelta(hours=-5))
MONDAY = datetime(2026, 3, 2, 14, 0, tzinfo=TZ)


def read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def save_meeting(partner: str, started: datetime) -> Path:
    summary = Summary(id=f"{started:%Y-%m-%d-%H%M}-{slugify(partner)}-000000", partner=partner,
                      partner_slug=slugify(partner), template="standard", started=started,
                      ended=started + timedelta(minutes=30),
                      phases=[PhaseRecord(id="chat", title="Chat", planned_seconds=300.0, actual_seconds=300.0)])
    return summaries.save(summary).toml_path


# -- the partner's file -------------------------------------------------------------------
def test_ensure_partner_creates_one_private_file(data_root: Path, umask_zero: None) -> None:
    name = "Zoë O'Brien"
    path = ensure_partner(name, MONDAY)
    assert path == data_root / "partners" / f"{slugify(name)}.toml"
    assert os.listdir(data_root / "partners") == [path.name]
    assert read(path) == {"schema": 1, "name": "Zoë O'Brien", "slug": slugify("Zoë O'Brien"), "created": MONDAY}
    assert "[]" not in path.read_text(encoding="utf-8"), "no `facts = []` to trip up a [[facts]] added by hand"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (data_root / "partners").stat().st_mode & 0o777 == 0o700


def test_ensure_partner_never_rewrites_an_existing_file(data_root: Path) -> None:
    path = ensure_partner("Ada", MONDAY)
    with path.open("a", encoding="utf-8") as fh:
        fh.write('\n[[facts]]\ntext = "has a cat called Babbage"\n')
    before = path.read_bytes()
    assert ensure_partner("Ada", MONDAY + timedelta(days=7)) == path
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == [path.name]


def test_hostile_names_stay_inside_the_partners_folder(data_root: Path) -> None:
    for name in ("../../x", "/", "..", "李雷", "a\u200db", "ab"):
        path = ensure_partner(name, MONDAY)
        assert path.parent == data_root / "partners"
    assert len(os.listdir(data_root / "partners")) == 6
    assert sorted(os.listdir(data_root)) == ["partners"]


def test_ensure_partner_stores_the_normalized_name(data_root: Path) -> None:
    path = ensure_partner("  Ada \u00a0 Lovelace ", MONDAY)
    assert read(path)["name"] == "Ada Lovelace"
    assert ensure_partner("Ada Lovelace", MONDAY) == path


def meet(partner: str, started: datetime) -> Path:
    """A meeting folded into the partner's file (as saving one does)."""
    summary = Summary(id=f"{started:%Y-%m-%d-%H%M}-{slugify(partner)}-111111", partner=partner,
                      partner_slug=slugify(partner), template="standard", started=started,
                      ended=started + timedelta(minutes=30))
    return remember_meeting(summary)


def test_a_meeting_sets_last_meeting_and_keeps_what_was_there(data_root: Path) -> None:
    path = ensure_partner("Ada", MONDAY)
    with path.open("a", encoding="utf-8") as fh:
        fh.write('\n[[facts]]\ntext = "has a cat called Babbage"\n')
    week_later = MONDAY + timedelta(days=7, microseconds=500)
    assert meet("Ada", week_later) == path
    doc = read(path)
    assert doc["last_meeting"] == MONDAY + timedelta(days=7)
    assert doc["created"] == MONDAY
    assert [f["text"] for f in doc["facts"]] == ["has a cat called Babbage"]
    meet("Ada", week_later + timedelta(days=7))
    assert read(path)["last_meeting"] == MONDAY + timedelta(days=14)


def test_a_meeting_keeps_a_broken_file_aside_instead_of_losing_it(data_root: Path) -> None:
    path = ensure_partner("Ada", MONDAY)
    broken = path.read_text(encoding="utf-8") + '\n[[facts]]\ntext = "half-typed fact\n'
    path.write_text(broken, encoding="utf-8")
    assert meet("Ada", MONDAY + timedelta(days=7)) == path
    backup = path.with_name(f"{path.name}.broken-20260309-140000")
    assert backup.read_text(encoding="utf-8") == broken
    assert backup.stat().st_mode & 0o777 == 0o600
    assert read(path)["last_meeting"] == MONDAY + timedelta(days=7)
    partners, problems = known_partners()
    assert ([p.name for p in partners], problems) == (["Ada"], [])


def test_two_broken_files_in_the_same_second_keep_both_backups(data_root: Path) -> None:
    path = ensure_partner("Ada", MONDAY)
    for text in ("x = [\n", "y = [\n"):
        path.write_text(text, encoding="utf-8")
        set_aside(path, MONDAY)
    assert sorted(p.read_text() for p in path.parent.glob("*.broken-*")) == ["x = [\n", "y = [\n"]


def test_a_meeting_creates_a_missing_partner(data_root: Path) -> None:
    path = meet("Grace", MONDAY)
    assert path == partner_path("Grace")
    doc = read(path)
    assert (doc["schema"], doc["name"], doc["created"], doc["last_meeting"]) == (1, "Grace", MONDAY, MONDAY)


# -- everyone met -------------------------------------------------------------------------
def test_no_data_yet_means_no_partners_and_no_problems(data_root: Path) -> None:
    assert known_partners() == ([], [])
    assert not data_root.exists()


def test_known_partners_come_from_partner_files_and_summaries_most_recent_first(data_root: Path) -> None:
    ensure_partner("Zed", MONDAY)  # never met yet
    ensure_partner("Bob", MONDAY)  # never met yet
    meet("Ada", MONDAY)
    save_meeting("Ada", MONDAY)
    save_meeting("Ada", MONDAY + timedelta(days=14))
    save_meeting("Grace", MONDAY + timedelta(days=7))  # a summary but no partner file
    meet("Linus", MONDAY - timedelta(days=30))

    partners, problems = known_partners()
    assert problems == []
    assert [p.name for p in partners] == ["Ada", "Grace", "Linus", "Bob", "Zed"]
    by_name = {p.name: p for p in partners}
    assert by_name["Ada"] == Partner("Ada", MONDAY + timedelta(days=14))
    assert by_name["Grace"].last_meeting == MONDAY + timedelta(days=7)
    assert by_name["Linus"].last_meeting == MONDAY - timedelta(days=30)
    assert by_name["Bob"].last_meeting is None


def test_a_broken_partner_file_is_reported_without_hiding_the_others(data_root: Path) -> None:
    ensure_partner("Ada", MONDAY)
    meet("Grace", MONDAY)
    save_meeting("Linus", MONDAY + timedelta(days=1))
    broken = data_root / "partners" / "broken.toml"
    broken.write_text('schema = 1\nname = "Bob\n', encoding="utf-8")
    not_a_partner = data_root / "partners" / "notes.toml"
    not_a_partner.write_text('schema = 1\ntodo = "call Bob"\n', encoding="utf-8")
    bad_summary = data_root / "sessions" / "2026" / "bad.toml"
    bad_summary.write_bytes(b'schema = 1\npartner = "\xff"\n')

    partners, problems = known_partners()
    assert [p.name for p in partners] == ["Linus", "Grace", "Ada"]
    assert [str(p) for p in problems] == [
        f"{broken}:2:12: TOML syntax: illegal character '\\n'",
        f"{not_a_partner}:1:1: missing required key `name`",
        f"{bad_summary}:2:12: not UTF-8 text",
    ]


def test_markdown_beside_summaries_is_not_read_as_a_meeting(data_root: Path) -> None:
    toml_path = save_meeting("Ada", MONDAY)
    assert toml_path.with_suffix(".md").exists()
    partners, problems = known_partners()
    assert [(p.name, p.last_meeting) for p in partners] == [("Ada", MONDAY)]
    assert problems == [], "the Markdown file is not read as a summary"


# -- finding a name again -----------------------------------------------------------------
KNOWN = [Partner(name) for name in ("Ada", "Zoë O'Brien", "李雷")]


@pytest.mark.parametrize(("typed", "found"), [
    ("Ada", "Ada"),
    ("  Ada  ", "Ada"),
    ("Zoe\u0308 O'Brien", "Zoë O'Brien"),
    ("Zoë  O'Brien ", "Zoë O'Brien"),
    ("李雷", "李雷"),
    ("  New   Person ", "New Person"),
])
def test_resolve_gives_the_stored_spelling(typed: str, found: str) -> None:
    assert resolve(typed, KNOWN) == found


@pytest.mark.parametrize(("typed", "hint"), [
    ("ada", ["Ada"]),
    ("ADA", ["Ada"]),
    ("  aDa ", ["Ada"]),
    ("ZOË O'BRIEN", ["Zoë O'Brien"]),
    ("zoe\u0308 o'brien", ["Zoë O'Brien"]),
    ("Ada", []),  # an exact match needs no hint
    ("Zoe O'Brien", []),  # accents matter: a different person
    ("Grace", []),
])
def test_closest_matches_known_names_ignoring_case(typed: str, hint: list[str]) -> None:
    assert [p.name for p in closest(typed, KNOWN)] == hint


def test_names_that_differ_by_case_are_different_partners(data_root: Path) -> None:
    first = ensure_partner("Ada", MONDAY)
    partners, _ = known_partners()
    assert resolve("ada", partners) == "ada"
    assert ensure_partner(resolve("ada", partners), MONDAY) != first
    assert ensure_partner(resolve("Ada", partners), MONDAY) == first
    assert len(os.listdir(data_root / "partners")) == 2


def test_a_partner_file_written_by_hand_under_any_name_is_found_and_kept(data_root: Path) -> None:
    from coach.partners import load_record

    folder = data_root / "partners"
    folder.mkdir(parents=True)
    mine = folder / "ada.toml"
    mine.write_text('schema = 1\nname = "Ada Lovelace"\n\n[[facts]]\ntext = "has a cat"\n', encoding="utf-8")
    assert partner_path("Ada Lovelace") == mine
    assert [f.text for f in load_record("Ada Lovelace").facts] == ["has a cat"]
    meet("Ada Lovelace", MONDAY)
    assert sorted(p.name for p in folder.iterdir()) == ["ada.toml"], "written back where it was"
    assert [p.name for p in known_partners()[0]] == ["Ada Lovelace"]


def test_a_file_under_someone_elses_slug_is_never_shared(data_root: Path) -> None:
    from coach.partners import load_record

    folder = data_root / "partners"
    folder.mkdir(parents=True)
    taken = folder / f"{slugify('Ada Lovelace')}.toml"  # the file name Ada's would have, holding Bob
    taken.write_text('schema = 1\nname = "Bob"\n\n[[facts]]\ntext = "bob\'s secret"\n', encoding="utf-8")
    assert partner_path("Ada Lovelace") == folder / f"{slugify('Ada Lovelace')}-2.toml"
    assert load_record("Ada Lovelace").facts == []
    meet("Ada Lovelace", MONDAY)
    assert [f.text for f in load_record("Bob").facts] == ["bob's secret"]
    assert load_record("Bob").meetings == [], "Ada's meeting is not folded into Bob's file"
    assert len(load_record("Ada Lovelace").meetings) == 1
    assert sorted(p.name for p in known_partners()[0]) == ["Ada Lovelace", "Bob"]


def test_a_broken_file_named_by_hand_is_still_theirs(data_root: Path) -> None:
    from coach.partners import load_record
    from coach.problems import ProblemsError

    folder = data_root / "partners"
    folder.mkdir(parents=True)
    mine = folder / "anything.toml"
    mine.write_text('schema = 1\nname = "Ada Lovelace"\n\n[[goals]]\ntext = "a talk"\nstatus = "bogus"\n',
                    encoding="utf-8")
    with pytest.raises(ProblemsError):
        load_record("Ada Lovelace")
    meet("Ada Lovelace", MONDAY)
    assert sorted(p.name for p in folder.iterdir()) == ["anything.toml", "anything.toml.broken-20260302-140000"]


def test_a_hand_named_file_that_is_not_toml_any_more_is_still_theirs(data_root: Path) -> None:
    from coach.partners import load_record
    from coach.problems import ProblemsError

    folder = data_root / "partners"
    folder.mkdir(parents=True)
    mine = folder / "hand-made.toml"
    mine.write_text('schema = 1\nname = "Margaret"\n\n[[facts]]\ntext = "Apollo code\n', encoding="utf-8")
    assert partner_path("Margaret") == mine
    with pytest.raises(ProblemsError):
        load_record("Margaret")
    ensure_partner("Margaret", MONDAY)
    assert sorted(p.name for p in folder.iterdir()) == ["hand-made.toml"], "no second file beside it"
    meet("Margaret", MONDAY)
    assert sorted(p.name for p in folder.iterdir()) == ["hand-made.toml", "hand-made.toml.broken-20260302-140000"]


def test_two_files_for_one_person_are_named(data_root: Path) -> None:
    folder = data_root / "partners"
    folder.mkdir(parents=True)
    for name in ("a.toml", "b.toml"):
        (folder / name).write_text('schema = 1\nname = "Margaret"\n', encoding="utf-8")
    partners, problems = known_partners()
    assert [p.name for p in partners] == ["Margaret"]
    assert [(p.path.name, "also holds the partner 'Margaret'" in p.message) for p in problems] == [("b.toml", True)]
