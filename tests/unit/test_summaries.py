"""Meeting summaries on disk: the TOML contract, the Markdown beside it, and reading them back."""

from __future__ import annotations

import os
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from msgspec.structs import replace

from coach import summaries
from coach.clock import FakeClock
from coach.meeting import Meeting
from coach.model import Capture, CaptureKind, Owner, PhasePlan, PhaseRecord, Summary, Template, notes_of
from coach.problems import ProblemsError
from coach.timefmt import duration

TZ = timezone(timedelta(hours=1))
START = datetime(2026, 3, 2, 14, 0, tzinfo=TZ)


CAPTURES = [
    Capture(CaptureKind.FACT, "moving to Lisbon", "chit-chat", at=START + timedelta(minutes=2)),
    Capture(CaptureKind.GOAL, "lead the release", "goals", at=START + timedelta(minutes=10)),
    Capture(CaptureKind.COMMITMENT, "send the doc", "goals", Owner.THEM, date(2026, 3, 9),
            at=START + timedelta(minutes=20)),
    Capture(CaptureKind.COMMITMENT, "intro to Sam", "goals", Owner.BOTH, at=START + timedelta(minutes=21)),
]


def a_summary(captures: list[Capture] = CAPTURES, **changes: object) -> Summary:
    summary = Summary(
        id="2026-03-02-1400-ada-1a2b3c4d-abc123",
        partner="Ada",
        partner_slug="ada-1a2b3c4d",
        template="standard",
        started=START,
        ended=START + timedelta(minutes=32),
        phases=[
            PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300.0, actual_seconds=320.5,
                        added_seconds=60.0, notes="asked about the move", cards_seen=["chit-chat:a"]),
            PhaseRecord(id="goals", title="Goals", planned_seconds=900.0, actual_seconds=840.0,
                        notes="wants to lead\nthe release"),
            PhaseRecord(id="commitments", title="Commitments", planned_seconds=600.0),
        ],
        rating=4,
        reflection="Went well.",
        **notes_of(captures),
    )
    return replace(summary, **changes)


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
        paths.add(summaries.save(meeting.finish(clock.monotonic())).toml_path)
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


def test_lists_of_items_are_written_as_table_blocks(data_root: Path) -> None:
    text = summaries.save(a_summary()).toml_path.read_text(encoding="utf-8")
    assert text.count("\n[[phases]]\n") == 3
    assert text.count("\n[[commitments]]\n") == 2
    assert text.count("\n[[remembered]]\n") == 1
    assert text.count("\n[[goals]]\n") == 1


def test_a_meeting_without_captures_still_loads(data_root: Path) -> None:
    saved = summaries.save(a_summary([], rating=None, reflection=""))
    doc = tomllib.loads(saved.toml_path.read_text(encoding="utf-8"))
    assert doc["commitments"] == doc["remembered"] == doc["goals"] == []
    loaded = summaries.load(saved.toml_path)
    assert (loaded.captures, loaded.rating) == ([], None)


# -- reading back -------------------------------------------------------------------------
def test_load_round_trips(data_root: Path) -> None:
    summary = a_summary()
    assert summaries.load(summaries.save(summary).toml_path) == summary


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
    summary = meeting.finish(clock.monotonic())
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
    phases = [PhaseRecord(id="chat", title="Chat", planned_seconds=300.0, actual_seconds=10.0, notes=notes)]
    saved = summaries.save(a_summary(phases=phases, reflection=notes))
    loaded = summaries.load(saved.toml_path)
    assert loaded.phases[0].notes == notes
    assert loaded.reflection == notes


def test_multi_line_notes_stay_readable_in_the_toml(data_root: Path) -> None:
    notes = "first line\nsecond line\nthird line"
    phase = PhaseRecord(id="chat", title="Chat", planned_seconds=300.0, notes=notes)
    text = summaries.save(a_summary(phases=[phase])).toml_path.read_text()
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


HEAD = 'schema = 1\nid = "x"\npartner = "Ada"\nstarted = 2026-03-02T14:00:00\nended = 2026-03-02T14:30:00\n'


@pytest.mark.parametrize(("text", "line", "col", "message"), [
    ('schema = 2\nid = "x"\n', 1, 1, "written by a newer coach (schema 2); this one reads schema 1"),
    ('id = "x"\n', 1, 1, "missing `schema = 1`: not a file coach wrote"),
    ('id = "x"\nschema = "1"\n', 2, 1, "unknown schema '1': this coach reads schema 1"),
    ('schema = 1\nid = "x"\nstarted = 2026-03-02T14:00:00\nended = 2026-03-02T14:30:00\n', 1, 1,
     "missing required key `partner`"),
    ('schema = 1\nid = "x"\npartner = "Ada"\nstarted = "yesterday"\nended = 2026-03-02T14:30:00\n', 4, 1,
     "`started` must be a date and time like 2026-03-02T14:00:00, not 'yesterday'"),
    (HEAD + '\n[[commitments]]\ntext = "t"\nowner = "the boss"\n', 9, 1,
     "[[commitments]] #1: `owner` cannot be 'the boss'"),
    (HEAD + '\n[[phases]]\nid = "chat"\n', 7, 1, "[[phases]] #1: missing required key `planned_seconds`"),
    (HEAD.replace('partner = "Ada"', "partner = 42"), 3, 1, "`partner` must be text, not a whole number"),
    (HEAD + "reflection = true\n", 6, 1, "`reflection` must be text, not true or false"),
    (HEAD + '[[phases]]\nid = "chat"\nplanned_seconds = 300\nnotes = 5\n', 9, 1,
     "[[phases]] #1: `notes` must be text, not a whole number"),
    (HEAD + 'rating = "five"\n', 6, 1, "`rating` must be a whole number, not text"),
    (HEAD + "rating = 7\n", 6, 1, "`rating` must be a whole number at most 5"),
    (HEAD + "  rating = 0\n", 6, 3, "`rating` must be a whole number at least 1"),
    (HEAD + '[[phases]]\nid = "chat"\nplanned_seconds = nan\n', 8, 1,
     "[[phases]] #1: `planned_seconds` must be a number at least 0"),
    (HEAD + '[[phases]]\nid = "chat"\nplanned_seconds = inf\n', 8, 1,
     "[[phases]] #1: `planned_seconds` must be a number at most 1,000,000,000"),
    (HEAD + '[[goals]]\ntext = "g"\nstatus = "done"\n', 8, 1,
     "[[goals]] #1: `status`: a goal is open, reached, dropped, not 'done'"),
    (HEAD.replace('id = "x"', 'id = "../../escape"'), 2, 1, "`id` may hold only letters, digits"),
    (HEAD.replace('partner = "Ada"', 'partner = "Ada\\nLovelace"'), 3, 1,
     "`partner`: a name cannot contain control characters (a line break)"),
    (HEAD.replace("started = 2026-03-02T14:00:00", "started = 0001-01-01T00:00:00"), 4, 1,
     "`started` must be a date from 1900 to 9990, not 0001-01-01"),
    (HEAD + "rating = " + "9" * 5000 + "\n", 6, 10, "a number too long to read"),
    (HEAD.replace("ended = 2026-03-02T14:30:00", "ended = 2026-03-02T13:00:00"), 5, 1,
     "`ended`: 2026-03-02T13:00:00"),
    (HEAD + "rating = 1\u0663\n", 6, 11, "TOML syntax"),
    (HEAD + "rating = " + "[" * 3000 + "]" * 3000 + "\n", 6, 10, "TOML nested too deeply to read"),
])
def test_a_summary_that_cannot_be_used_is_a_problem_at_its_line(tmp_path: Path, text: str, line: int, col: int,
                                                                 message: str) -> None:
    path = tmp_path / "hand-edited.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as error:
        summaries.load(path)
    [problem] = error.value.problems
    assert (problem.path, problem.line, problem.col) == (path, line, col)
    assert message in problem.message


def test_a_summary_with_local_times_and_a_date_loads_as_local_time(tmp_path: Path) -> None:
    path = tmp_path / "hand-written.toml"
    path.write_text('schema = 1\nid = "x"\npartner = "Ada"\nstarted = 2026-03-02\nended = 2026-03-02T14:30:00\n',
                    encoding="utf-8")
    loaded = summaries.load(path)
    assert loaded.started == datetime(2026, 3, 2).astimezone()
    assert loaded.ended == datetime(2026, 3, 2, 14, 30).astimezone()
    assert loaded.started.tzinfo is not None and loaded.ended.tzinfo is not None
    assert (loaded.phases, loaded.captures, loaded.rating, loaded.template) == ([], [], None, "")


def test_saving_a_meeting_again_never_rewrites_its_summary(data_root: Path) -> None:
    first = summaries.save(a_summary())
    before = first.toml_path.read_bytes()
    again = summaries.save(a_summary(ended=START + timedelta(hours=5), reflection="written after a crash"))
    assert (again.toml_path, again.written) == (first.toml_path, False)
    assert first.toml_path.read_bytes() == before


# -- Markdown -----------------------------------------------------------------------------
def test_markdown_reads_like_a_meeting_record(data_root: Path) -> None:
    markdown = summaries.save(a_summary()).md_path.read_text(encoding="utf-8")
    assert markdown.startswith("# Meeting with Ada\n")
    assert "- **When:** Mon 02 Mar 2026, 14:00 – 14:32" in markdown
    assert "- **Rating:** 4/5" in markdown
    assert "- **Reflection:** Went well." in markdown
    assert "## 1. Chit-chat\n\n*5:20 of 6:00 (5:00 planned + 1:00 added)*\n\nasked about the move" in markdown
    assert "## 2. Goals\n\n*14:00 of 15:00 planned*\n\nwants to lead\\\nthe release" in markdown
    assert "## 3. Commitments\n\n*0:00 of 10:00 planned*\n\n_No notes._" in markdown
    assert "- **them**: send the doc (by 2026-03-09)" in markdown
    assert "- **both**: intro to Sam\n" in markdown
    assert "## Remembered\n\n- moving to Lisbon" in markdown
    assert "- lead the release" in markdown
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def test_markdown_headings_are_distinct_notes_keep_their_lines_and_midnight_has_its_day() -> None:
    """Rendered as any viewer would (markdown-it, CommonMark): a phase called "Goals" and the
    meeting's new goals are two headings, a three-line note is three lines, and a meeting that
    crosses midnight says the day it ended."""
    from datetime import timedelta

    from markdown_it import MarkdownIt

    summary = a_summary()
    summary.phases[0].notes = "first line\nsecond line\nthird line"
    summary.phases.append(PhaseRecord(id="goals-again", title="Goals", planned_seconds=60, actual_seconds=0))
    summary.ended = summary.started.replace(hour=23, minute=50) + timedelta(minutes=40)
    summary.started = summary.started.replace(hour=23, minute=50)
    markdown = summaries.to_markdown(summary)
    tokens = MarkdownIt("commonmark").parse(markdown)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == len(set(headings)), headings
    assert {"2. Goals", "4. Goals", "New goals", "New commitments"} <= set(headings)
    html = MarkdownIt("commonmark").render(markdown)
    assert "<p>first line<br />\nsecond line<br />\nthird line</p>" in html
    assert "- **When:** Mon 02 Mar 2026, 23:50 – Tue 03 Mar 2026, 00:30" in markdown


def test_markdown_leaves_out_what_was_not_given() -> None:
    markdown = summaries.to_markdown(a_summary([], rating=None, reflection="  "))
    for absent in ("Rating", "Reflection", "## Remembered", "## New commitments", "## New goals"):
        assert absent not in markdown


def test_duration() -> None:
    assert duration(725) == "12:05"
    assert duration(59.6) == "1:00"
    assert duration(0) == "0:00"
    assert duration(299, pad=True) == "04:59"


MARKDOWN_FORGERIES = {
    "heading": "## Goals\n- fake goal",
    "html": "<script>alert(1)</script>",
    "link": "[click](http://example.com)",
    "image": "![x](http://example.com/x.png)",
    "setext": "a line\n===",
    "list": "1. first\n+ plus\n* star",
    "code": "```\ncode\n```",
    "quote": "> quoted",
    "rule": "---",
    "table": "| a | b |\n|---|---|",
    "entity": "&lt;b&gt;",
    "escape": "\x1b]2;owned\x07\x1b[2J",
}


@pytest.mark.parametrize("notes", MARKDOWN_FORGERIES.values(), ids=MARKDOWN_FORGERIES.keys())
def test_markdown_shows_notes_as_text_never_as_markup(notes: str) -> None:
    from markdown_it import MarkdownIt

    phases = [PhaseRecord(id="chat", title="Chat", planned_seconds=300.0, notes=notes)]
    summary = a_summary([], phases=phases, partner="[Ada](http://x) <b>", reflection=notes)
    markdown = summaries.to_markdown(summary)
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "\x1b" not in markdown and "\x07" not in markdown
    assert html.count("<h2>") == 1  # the phase's own heading, and nothing forged
    for forged in ("<script", "<a ", "<img", "<ol", "<pre", "<blockquote", "<hr", "<table", "<b>", "<code"):
        assert forged not in html
    assert html.count("<ul>") == 1 and html.count("<li>") == 4  # the meeting's own facts: when, template…
    assert "<h1>Meeting with [Ada](http://x) &lt;b&gt;</h1>" in html


def test_markdown_keeps_the_words_of_the_notes() -> None:
    from markdown_it import MarkdownIt

    notes = "She said: *it's fine* — [maybe]\n\n2. a #hashtag & <angle>\nback\\slash"
    phases = [PhaseRecord(id="chat", title="Chat", planned_seconds=300.0, notes=notes)]
    html = MarkdownIt("commonmark").render(summaries.to_markdown(a_summary([], phases=phases)))
    assert "She said: *it's fine* — [maybe]" in html.replace("&quot;", '"')
    assert "2. a #hashtag &amp; &lt;angle&gt;<br />\nback\\slash" in html


def test_a_problem_in_an_inline_table_points_at_its_list(tmp_path: Path) -> None:
    path = tmp_path / "inline.toml"
    path.write_text(HEAD + '\ngoals = [{text = "g", status = "bogus"}]\n', encoding="utf-8")
    with pytest.raises(ProblemsError) as error:
        summaries.load(path)
    assert [(p.line, p.col) for p in error.value.problems] == [(7, 23)]


def test_indented_lines_of_notes_keep_their_indent_in_markdown() -> None:
    phases = [PhaseRecord(id="chat", title="Chat", planned_seconds=300.0, notes="list:\n    - one\n    - two")]
    markdown = summaries.to_markdown(a_summary([], phases=phases))
    assert "list:\\\n\u00a0\u00a0\u00a0\u00a0\\- one\\\n\u00a0\u00a0\u00a0\u00a0\\- two" in markdown


# -- the latest meeting with a partner (prep's and the brief's "Last meeting") -----------------------
def met(day_time: str, zone: int, suffix: str, partner: str = "Ada", slug: str = "ada-99a563ab",
        rating: int = 3) -> Summary:
    """A meeting saved as coach saves one: its id starts with its start in the zone it was held in."""
    started = datetime.fromisoformat(day_time).replace(tzinfo=timezone(timedelta(hours=zone)))
    summary = a_summary(id=f"{started:%Y-%m-%d-%H%M}-{slug}-{suffix}", partner=partner, partner_slug=slug,
                        started=started, ended=started + timedelta(minutes=30), rating=rating)
    summaries.save(summary)
    return summary


def test_the_latest_meeting_is_the_one_that_started_last_whatever_the_zones(data_root: Path) -> None:
    later = met("2026-11-30T16:23:00", -12, "aaaaaa", rating=2)  # 1 Dec, 04:23 UTC
    met("2026-12-01T06:23:00", 14, "bbbbbb", rating=4)  # 30 Nov, 16:23 UTC: named later, held earlier
    met("2026-11-20T09:00:00", 0, "cccccc")
    assert summaries.latest("Ada").id == later.id


def test_of_two_meetings_in_one_minute_the_one_started_last_is_the_latest(data_root: Path) -> None:
    met("2026-12-01T16:08:05", 0, "ffffff")
    last = met("2026-12-01T16:08:50", 0, "000000")  # its id sorts first
    assert summaries.latest("Ada").id == last.id


def test_meetings_named_by_a_hand_written_partner_files_slug_are_found(data_root: Path) -> None:
    (data_root / "partners").mkdir(parents=True)
    (data_root / "partners" / "bob.toml").write_text('schema = 1\nname = "Bob"\nslug = "bob"\n', encoding="utf-8")
    last = met("2026-11-25T10:00:00", 0, "dddddd", partner="Bob", slug="bob")
    met("2026-11-11T10:00:00", 0, "eeeeee", partner="Bob", slug="bob")
    assert summaries.latest("Bob").id == last.id
    assert summaries.latest("Ada") is None
