"""Meeting summaries on disk: the TOML contract, the Markdown beside it, and reading them back."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from coach import summaries
from coach.clock import FakeClock
from coach.meeting import Meeting
from coach.model import Capture, CaptureKind, Owner, PhasePlan, PhaseRecord, Summary, Template
from coach.problems import ProblemsError

TZ = timezone(timedelta(hours=1))
START = datetime(2026, 3, 2, 14, 0, tzinfo=TZ)


def a_summary(**changes: object) -> Summary:
    summary = Summary(
        id="2026-03-02-1400-ada-1a2b3c4d-abc123",
        partner="Ada",
        partner_slug="ada-1a2b3c4d",
        template="standard",
        started=START,
        ended=START + timedelta(minutes=32),
        phases=[
            PhaseRecord("chit-chat", "Chit-chat", 300.0, 320.5, 60.0, "asked about the move", ["chit-chat:a"]),
            PhaseRecord("goals", "Goals", 900.0, 840.0, 0.0, "wants to lead\nthe release"),
            PhaseRecord("commitments", "Commitments", 600.0, 0.0),
        ],
        captures=[
            Capture(CaptureKind.FACT, "moving to Lisbon", "chit-chat", at=START + timedelta(minutes=2)),
            Capture(CaptureKind.GOAL, "lead the release", "goals", at=START + timedelta(minutes=10)),
            Capture(CaptureKind.COMMITMENT, "send the doc", "goals", Owner.THEM, date(2026, 3, 9),
                    at=START + timedelta(minutes=20)),
            Capture(CaptureKind.COMMITMENT, "intro to Sam", "goals", Owner.BOTH, at=START + timedelta(minutes=21)),
        ],
        rating=4,
        reflection="Went well.",
    )
    return dataclasses.replace(summary, **changes)


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


# -- save ---------------------------------------------------------------------------------
def test_save_writes_toml_and_markdown_side_by_side_under_the_year(data_root: Path, umask_zero: None) -> None:
    saved = summaries.save(a_summary())
    year = data_root / "sessions" / "2026"
    assert saved.toml_path == year / "2026-03-02-1400-ada-1a2b3c4d-abc123.toml"
    assert saved.md_path == year / "2026-03-02-1400-ada-1a2b3c4d-abc123.md"
    assert sorted(os.listdir(year)) == sorted([saved.toml_path.name, saved.md_path.name])
    assert mode_of(saved.toml_path) == mode_of(saved.md_path) == 0o600
    for folder in (data_root, data_root / "sessions", year):
        assert mode_of(folder) == 0o700


def test_the_year_folder_is_the_year_the_meeting_started(data_root: Path) -> None:
    new_year_eve = datetime(2025, 12, 31, 23, 50, tzinfo=TZ)
    saved = summaries.save(a_summary(started=new_year_eve, ended=new_year_eve + timedelta(minutes=30)))
    assert saved.toml_path.parent == data_root / "sessions" / "2025"


def test_save_to_a_folder_the_user_chose(tmp_path: Path, data_root: Path) -> None:
    saved = summaries.save(a_summary(), tmp_path / "elsewhere")
    assert saved.toml_path == tmp_path / "elsewhere" / "2026-03-02-1400-ada-1a2b3c4d-abc123.toml"
    assert saved.md_path == saved.toml_path.with_suffix(".md")
    assert not data_root.exists()
    assert saved.toml_path.is_file() and saved.md_path.is_file()


def test_two_meetings_in_the_same_minute_never_share_a_file(data_root: Path) -> None:
    clock = FakeClock()
    template = Template("one", "One", (PhasePlan("talk", "Talk", 1),))
    paths = set()
    for note in ("first", "second"):
        meeting = Meeting("Ada", template, {})
        meeting.start(clock.monotonic(), clock.wall())
        meeting.set_notes(note)
        meeting.end_early(clock.monotonic())
        paths.add(summaries.save(meeting.finish(clock.wall())).toml_path)
    assert len(paths) == 2
    assert sorted(summaries.load(p).phases[0].notes for p in paths) == ["first", "second"]


# -- the TOML contract --------------------------------------------------------------------
def test_the_toml_holds_the_contract_keys(data_root: Path) -> None:
    doc = tomllib.loads(summaries.save(a_summary()).toml_path.read_text(encoding="utf-8"))
    assert doc["schema"] == 1
    assert doc["id"] == "2026-03-02-1400-ada-1a2b3c4d-abc123"
    assert doc["partner"] == "Ada"
    assert doc["started"] == START
    assert doc["ended"] == START + timedelta(minutes=32)
    assert doc["rating"] == 4
    assert [{k: p[k] for k in ("id", "planned_seconds", "actual_seconds", "notes")} for p in doc["phases"]] == [
        {"id": "chit-chat", "planned_seconds": 300.0, "actual_seconds": 320.5, "notes": "asked about the move"},
        {"id": "goals", "planned_seconds": 900.0, "actual_seconds": 840.0, "notes": "wants to lead\nthe release"},
        {"id": "commitments", "planned_seconds": 600.0, "actual_seconds": 0.0, "notes": ""},
    ]
    first, second = doc["commitments"]
    assert (first["owner"], first["text"], first["status"], first["due"]) == ("them", "send the doc", "open",
                                                                              date(2026, 3, 9))
    assert (second["owner"], second["text"], second["status"]) == ("both", "intro to Sam", "open")
    assert "due" not in second
    assert [r["text"] for r in doc["remembered"]] == ["moving to Lisbon"]
    assert [(g["text"], g["status"]) for g in doc["goals"]] == [("lead the release", "open")]


def test_rating_is_left_out_when_not_given(data_root: Path) -> None:
    text = summaries.save(a_summary(rating=None)).toml_path.read_text(encoding="utf-8")
    assert "rating" not in tomllib.loads(text)
    assert "rating" not in summaries.to_dict(a_summary(rating=None))


def test_lists_of_items_are_written_as_table_blocks(data_root: Path) -> None:
    text = summaries.save(a_summary()).toml_path.read_text(encoding="utf-8")
    assert text.count("\n[[phases]]\n") == 3
    assert text.count("\n[[commitments]]\n") == 2
    assert text.count("\n[[remembered]]\n") == 1
    assert text.count("\n[[goals]]\n") == 1


def test_a_meeting_without_captures_still_loads(data_root: Path) -> None:
    saved = summaries.save(a_summary(captures=[], rating=None, reflection=""))
    doc = tomllib.loads(saved.toml_path.read_text(encoding="utf-8"))
    assert doc["commitments"] == doc["remembered"] == doc["goals"] == []
    loaded = summaries.load(saved.toml_path)
    assert (loaded.captures, loaded.rating) == ([], None)


# -- reading back -------------------------------------------------------------------------
def test_load_round_trips(data_root: Path) -> None:
    summary = a_summary()
    loaded = summaries.load(summaries.save(summary).toml_path)
    # The TOML groups captures by kind, so only the order within a kind is kept.
    for kind in CaptureKind:
        assert loaded.of_kind(kind) == summary.of_kind(kind)
    assert dataclasses.replace(loaded, captures=[]) == dataclasses.replace(summary, captures=[])


def test_load_round_trips_a_summary_made_by_a_meeting(data_root: Path) -> None:
    clock = FakeClock(start=datetime(2026, 5, 4, 9, 30, tzinfo=TZ))
    template = Template("t", "T", (PhasePlan("chat", "Chat", 5), PhasePlan("goals", "Goals", 10)))
    meeting = Meeting("Zoë O'Brien", template, {})
    meeting.start(clock.monotonic(), clock.wall())
    meeting.set_notes("she said \"hi\"")
    meeting.capture(CaptureKind.COMMITMENT, "review the draft", clock.wall(), Owner.ME, date(2026, 5, 11))
    clock.advance(310)
    meeting.end_early(clock.monotonic())
    meeting.rating = 5
    summary = meeting.finish(clock.wall())
    loaded = summaries.load(summaries.save(summary).toml_path)
    assert loaded == summary
    assert [(p.planned_seconds, p.actual_seconds) for p in loaded.phases] == [(300.0, 310.0), (600.0, 0.0)]


def test_times_are_saved_to_the_second(data_root: Path) -> None:
    summary = a_summary(ended=START + timedelta(minutes=32, microseconds=123_456))
    assert summaries.load(summaries.save(summary).toml_path).ended == START + timedelta(minutes=32)


TRICKY_NOTES = [
    'She said "it\'s fine" — then:\n\n  * a \\ backslash\n\t* a tab',
    'three quotes """ inside',
    "ends with a backslash \\",
    "ends with a quote\"",
    "\n\nstarts and ends with blank lines\n\n",
    "Zoë, 李雷, مرحبا, 😀 and \u202e reversed",
    "control \x07 bell and \x00 nul",
]


@pytest.mark.parametrize("notes", TRICKY_NOTES, ids=range(len(TRICKY_NOTES)))
def test_tricky_notes_survive_the_round_trip(data_root: Path, notes: str) -> None:
    phases = [PhaseRecord("chat", "Chat", 300.0, 10.0, notes=notes)]
    saved = summaries.save(a_summary(phases=phases, reflection=notes))
    loaded = summaries.load(saved.toml_path)
    assert loaded.phases[0].notes == notes
    assert loaded.reflection == notes


def test_multi_line_notes_stay_readable_in_the_toml(data_root: Path) -> None:
    notes = "first line\nsecond line\nthird line"
    text = summaries.save(a_summary(phases=[PhaseRecord("chat", "Chat", 300.0, notes=notes)])).toml_path.read_text()
    assert "\nsecond line\n" in text


@pytest.mark.parametrize(("text", "line", "col"), [
    ('schema = 1\nid = "x"\npartner = "Ada\n', 3, 15),
    ('schema = 1\nid = "x"\n[[phases]]\nid = "chat"\nnotes = """never closed\n', 5, 24),
])
def test_loading_a_corrupt_file_names_the_place(tmp_path: Path, text: str, line: int, col: int) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as error:
        summaries.load(path)
    [problem] = error.value.problems
    assert (problem.path, problem.line, problem.col) == (path, line, col)
    assert str(problem).startswith(f"{path}:{line}:{col}: TOML syntax: ")


def test_loading_a_file_that_is_not_utf8_names_the_place(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'schema = 1\npartner = "Zo\xeb"\n')
    with pytest.raises(ProblemsError) as error:
        summaries.load(path)
    assert str(error.value) == f"{path}:2:14: not UTF-8 text"


@pytest.mark.parametrize(("text", "fragment"), [
    ('schema = 2\nid = "x"\n', "unknown schema 2"),
    ('id = "x"\n', "unknown schema None"),
    ('schema = 1\nid = "x"\nstarted = 2026-03-02T14:00:00\nended = 2026-03-02T14:30:00\n', "missing key 'partner'"),
    ('schema = 1\nid = "x"\npartner = "Ada"\nstarted = "yesterday"\nended = 2026-03-02T14:30:00\n',
     "wrong type"),
    ('schema = 1\nid = "x"\npartner = "Ada"\nstarted = 2026-03-02T14:00:00\nended = 2026-03-02T14:30:00\n'
     '[[commitments]]\ntext = "t"\nowner = "the boss"\n', "the boss"),
    ('schema = 1\nid = "x"\npartner = "Ada"\nstarted = 2026-03-02T14:00:00\nended = 2026-03-02T14:30:00\n'
     '[[phases]]\nid = "chat"\n', "missing key 'planned_seconds'"),
])
def test_loading_a_file_that_is_not_a_summary_raises_problems(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "odd.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as error:
        summaries.load(path)
    [problem] = error.value.problems
    assert (problem.path, problem.line, problem.col) == (path, 1, 1)
    assert fragment in problem.message


BASE = 'schema = 1\nid = "x"\npartner = "Ada"\nstarted = 2026-03-02T14:00:00\nended = 2026-03-02T14:30:00\n'
WRONG_TYPES = {
    "partner is a number": BASE.replace('partner = "Ada"', "partner = 42"),
    "reflection is a boolean": BASE + "reflection = true\n",
    "notes are a number": BASE + '[[phases]]\nid = "chat"\nplanned_seconds = 300\nnotes = 5\n',
    "rating is text": BASE + 'rating = "five"\n',
}


@pytest.mark.parametrize("text", WRONG_TYPES.values(), ids=WRONG_TYPES.keys())
def test_loading_a_summary_with_values_of_the_wrong_type_raises_problems(tmp_path: Path, text: str) -> None:
    path = tmp_path / "hand-edited.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError):
        summaries.to_markdown(summaries.load(path))


def test_a_summary_with_local_times_and_a_date_loads(tmp_path: Path) -> None:
    path = tmp_path / "hand-written.toml"
    path.write_text('schema = 1\nid = "x"\npartner = "Ada"\nstarted = 2026-03-02\nended = 2026-03-02T14:30:00\n',
                    encoding="utf-8")
    loaded = summaries.load(path)
    assert (loaded.started, loaded.ended) == (datetime(2026, 3, 2), datetime(2026, 3, 2, 14, 30))
    assert (loaded.phases, loaded.captures, loaded.rating, loaded.template) == ([], [], None, "")


# -- Markdown -----------------------------------------------------------------------------
def test_markdown_reads_like_a_meeting_record(data_root: Path) -> None:
    markdown = summaries.save(a_summary()).md_path.read_text(encoding="utf-8")
    assert markdown.startswith("# Meeting with Ada\n")
    assert "- **When:** Mon 02 Mar 2026, 14:00 – 14:32" in markdown
    assert "- **Rating:** 4/5" in markdown
    assert "- **Reflection:** Went well." in markdown
    assert "## Chit-chat\n\n*5:20 of 6:00 planned*\n\nasked about the move" in markdown  # a minute was added
    assert "## Goals\n\n*14:00 of 15:00 planned*\n\nwants to lead\nthe release" in markdown
    assert "## Commitments\n\n*0:00 of 10:00 planned*\n\n_No notes._" in markdown
    assert "- **them**: send the doc (by 2026-03-09)" in markdown
    assert "- **both**: intro to Sam\n" in markdown
    assert "## Remembered\n\n- moving to Lisbon" in markdown
    assert "- lead the release" in markdown
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def test_markdown_leaves_out_what_was_not_given() -> None:
    markdown = summaries.to_markdown(a_summary(captures=[], rating=None, reflection="  "))
    for absent in ("Rating", "Reflection", "## Remembered", "## Commitments\n\n-", "## Goals\n\n-"):
        assert absent not in markdown


def test_duration() -> None:
    assert summaries.duration(725) == "12:05"
    assert summaries.duration(59.6) == "1:00"
    assert summaries.duration(0) == "0:00"
