"""Past meetings: headers, what a search finds in them, trends, and one summary in full.
(The index behind them: test_history_index.py; the search syntax: test_history_query.py.)"""

from __future__ import annotations

import json
import os
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from coach import history, history_build, records, summaries
from coach import trends as trends_module
from coach.history import MeetingHeader, PhaseTime, load_headers, open_history
from coach.history_query import Query, Term, filter_headers, find_by_prefix, parse_query
from coach.history_snippet import END, MARK
from coach.model import Capture, CaptureKind, Commitment, Owner, PartnerRecord, PhaseRecord, Status, Summary, notes_of
from coach.store import slugify
from coach.trends import sparkline, trend_lines, trends, trends_report

START = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


def a_summary(partner: str = "Ada Lovelace", started: datetime = START, rating: int | None = 4,
              notes: str = "asked about the move", **changes: object) -> Summary:
    slug = slugify(partner)
    summary = Summary(
        id=f"{started:%Y-%m-%d-%H%M}-{slug}-{zlib.crc32(f'{partner}{started}'.encode()) % 0xFFFFFF:06x}",
        partner=partner, partner_slug=slug, template="standard", started=started,
        ended=started + timedelta(minutes=31),
        phases=[PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300.0, actual_seconds=420.0,
                            notes=notes),
                PhaseRecord(id="goals", title="Goals", planned_seconds=900.0, actual_seconds=880.0,
                            notes="wants to lead\nthe \"big\" release")],
        rating=rating, reflection="Good energy", follow_up="Hi Ada,\n\nThanks!\n",
        **notes_of([Capture(CaptureKind.FACT, "Training for the Lisbon marathon"),
                    Capture(CaptureKind.GOAL, "lead the design review"),
                    Capture(CaptureKind.COMMITMENT, "send the reading list", owner=Owner.ME),
                    Capture(CaptureKind.COMMITMENT, "share the slides", owner=Owner.THEM, due=date(2026, 1, 12))]))
    for key, value in changes.items():
        setattr(summary, key, value)
    return summary


def aged(path: Path, hours: float = 1.0) -> Path:
    """Give a file an older modification time, as every summary but the newest has."""
    when = time.time() - hours * 3600
    os.utime(path, (when, when))
    return path


def save(summary: Summary | None = None, **kwargs: object) -> Path:
    return aged(summaries.save(summary or a_summary(**kwargs)).toml_path)


def sessions(coach_dirs: tuple[Path, Path]) -> Path:
    return coach_dirs[1] / "sessions"


def write_file(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return aged(path)


SAMPLE = records.encode(a_summary(notes="line one\nline \"two\""))


@pytest.fixture(autouse=True)
def new_process() -> Iterator[None]:
    """Each test starts as a new process does: with nothing remembered of an earlier build."""
    history_build._memos.clear()
    yield
    history_build._memos.clear()


# -- headers ---------------------------------------------------------------------------------
def test_no_data_dir_means_no_meetings_yet(coach_dirs: tuple[Path, Path], tmp_path: Path) -> None:
    assert load_headers() == ([], [])
    assert not coach_dirs[1].exists()
    assert not (tmp_path / "cache").exists(), "no index for no meetings"


def test_headers_come_newest_first_with_what_a_listing_needs(coach_dirs: tuple[Path, Path]) -> None:
    older = save(started=START)
    newer = save(partner="Grace Hopper", started=START + timedelta(days=7), rating=None)

    headers, problems = load_headers()

    assert problems == []
    assert [h.path for h in headers] == [newer, older]
    grace = headers[0]
    assert (grace.partner, grace.partner_slug, grace.rating) == ("Grace Hopper", slugify("Grace Hopper"), None)
    assert (grace.goals, grace.commitments, grace.remembered, grace.minutes) == (1, 2, 1, 31.0)
    assert grace.started == START + timedelta(days=7) and grace.day == date(2026, 1, 12)
    assert grace.started.utcoffset() == datetime.now().astimezone().utcoffset(), "in this computer's zone"
    assert grace.phases == (PhaseTime("chit-chat", "Chit-chat", 300.0, 420.0),
                            PhaseTime("goals", "Goals", 900.0, 880.0))


def test_only_summaries_count(coach_dirs: tuple[Path, Path]) -> None:
    kept = save()
    root = sessions(coach_dirs)
    write_file(root / "2026" / ".2026-01-05-1400-x.toml.abc.tmp", "schema = 1\n")  # a write in progress
    write_file(root / "2026" / "notes.txt", "not a summary")
    write_file(root / "stray.toml", "schema = 1\n")  # outside a year folder
    (root / "2026" / "folder.toml").mkdir()

    headers, problems = load_headers()

    assert [h.path for h in headers] == [kept]
    assert kept.with_suffix(".md").exists()
    assert problems == []


@pytest.mark.parametrize(("content", "line", "message"), [
    (b'schema = 1\nid = "x"\npartner = "Ada\n', 3, "TOML syntax"),  # corrupt
    (SAMPLE.encode()[:200], None, ""),  # truncated: a syntax error or missing keys, either way skipped
    (b'schema = 1\nid = "caf\xe9"\n', 2, "not UTF-8"),
    (SAMPLE.replace("schema = 1", "schema = 2").encode(), 1, "newer coach (schema 2)"),
    (SAMPLE.replace('partner = "Ada Lovelace"\n', "").encode(), 1, "missing required key `partner`"),
    (SAMPLE.replace("rating = 4", 'rating = "four"').encode(), SAMPLE.splitlines().index("rating = 4") + 1,
     "`rating` must be a whole number"),
    (b"title = 'just some toml'\n", 1, "schema"),
])
def test_a_broken_summary_is_skipped_with_its_place_and_hides_nothing(
        coach_dirs: tuple[Path, Path], content: bytes, line: int | None, message: str) -> None:
    good = save()
    broken = write_file(sessions(coach_dirs) / "2026" / "2026-01-06-0900-broken-1234.toml", content)

    headers, problems = load_headers()

    assert [h.path for h in headers] == [good]
    assert len(problems) == 1 and problems[0].path == broken
    assert str(problems[0]).startswith(f"{broken}:{line if line else ''}")
    assert message in problems[0].message
    history_build._memos.clear()
    assert load_headers() == (headers, problems)  # and the same from the index


def test_hand_written_toml_with_comments_still_reads(coach_dirs: tuple[Path, Path]) -> None:
    text = SAMPLE.replace("rating = 4", "rating = 4   # how it felt").replace("started = ", "# edited\nstarted = ")
    write_file(sessions(coach_dirs) / "2026" / "2026-01-05-1400-ada.toml", text)
    found = open_history()
    assert found.problems == [] and found.headers[0].rating == 4
    assert found.select(Query(grep=parse_query('"line one line two"', typing=False)[0].words)) == found.headers


# -- what a search finds -----------------------------------------------------------------------
def searched(typed: str, ranked: bool = True) -> list[str]:
    """The partners of the meetings the history screen's filter finds (best first when `ranked`)."""
    found = open_history()
    try:
        return [h.partner for h in found.select(parse_query(typed)[0], ranked=ranked)]
    finally:
        found.close()


def grep(text: str) -> list[str]:
    found = open_history()
    try:
        return [h.partner for h in found.select(Query(grep=parse_query(text, typing=False)[0].words))]
    finally:
        found.close()


@pytest.fixture
def three(coach_dirs: tuple[Path, Path]) -> None:
    save(partner="Ada Lovelace", started=START, notes="moving to Porto soon; the number 17 bus")
    save(partner="Adam Smith", started=START + timedelta(days=1), notes="economics and the number 170")
    save(partner="Zoë O'Brien", started=START + timedelta(days=2), notes="café in Porto, then Porto again",
         reflection="Ada would like this")


def test_grep_finds_words_phrases_and_prefixes_in_what_was_said(three: None) -> None:
    assert grep("porto") == ["Zoë O'Brien", "Ada Lovelace"]  # newest first
    assert grep("PORTO soon") == ["Ada Lovelace"]  # every word
    assert grep('"number 17"') == ["Ada Lovelace"]  # a phrase: those words, in a row
    assert grep("number 17*") == ["Adam Smith", "Ada Lovelace"]  # a prefix
    assert grep("cafe") == ["Zoë O'Brien"] and grep("CAFÉ") == ["Zoë O'Brien"]  # accents and case ignored
    assert grep("marathon") == ["Zoë O'Brien", "Adam Smith", "Ada Lovelace"]  # facts too
    assert grep("zoe") == [], "grep looks in what was said, not at names"
    assert grep("ada") == ["Zoë O'Brien"], "…but a name in the notes is found"
    assert grep("17*") == ["Adam Smith", "Ada Lovelace"]
    assert grep("nowhere") == []


def test_the_screen_finds_names_as_they_are_typed_and_ranks_what_was_said(three: None) -> None:
    assert searched("ada") == ["Adam Smith", "Ada Lovelace", "Zoë O'Brien"]  # names first, then the notes
    assert searched("ada ") == ["Ada Lovelace", "Zoë O'Brien"]  # a whole word now
    assert searched("zo") == ["Zoë O'Brien"]
    assert searched("porto") == ["Zoë O'Brien", "Ada Lovelace"]  # twice in Zoë's notes: she ranks first
    assert searched("porto", ranked=False) == ["Zoë O'Brien", "Ada Lovelace"]
    assert searched("ada port") == ["Ada Lovelace", "Zoë O'Brien"]  # Ada by name, then Zoë: "Ada" in her notes
    assert searched('partner:zo "porto again"') == ["Zoë O'Brien"]
    assert searched("since:2026-01-06 number") == ["Adam Smith"]


@pytest.mark.parametrize("typed", ['"', '"unclosed', "NEAR(", "AND", "OR NOT", "-", "- lisbon", ":", "^", "a:b",
                                   "(", ")", "*", "**", "\"*\"", "lisbon*)", "🙂", "\x00", "\x1b[2J", "\ud800",
                                   "{notes} : lisbon", "col:lisbon", "'", "\\", "%", "_"])
def test_any_typed_text_is_searched_without_an_error(three: None, typed: str) -> None:
    for ranked in (True, False):
        searched(typed, ranked)
        searched(f"porto {typed}", ranked)
    grep(typed)


def test_snippets_show_where_the_words_were_found(three: None) -> None:
    found = open_history()
    query = parse_query("porto ag")[0]
    chosen = found.select(query, ranked=True)
    snippets = found.snippets(query, chosen)
    found.close()
    assert [h.partner for h in chosen] == ["Zoë O'Brien"]
    assert list(snippets) == [chosen[0].file]
    assert snippets[chosen[0].file] == (f"café in {MARK}Porto{END}, then {MARK}Porto{END} {MARK}again{END} · "
                                        'wants to lead · the "big" release')  # one line: notes apart


# -- filters that need no index ---------------------------------------------------------------
def header(partner: str = "Ada Lovelace", day: int = 1, rating: int | None = 4, **fields: object) -> MeetingHeader:
    started = datetime(2026, 1, day, 14, 0, tzinfo=UTC)
    return MeetingHeader(f"2026-01-{day:02d}-1400-{slugify(partner)}", partner, slugify(partner), started,
                         started + timedelta(minutes=30), f"/x/{day}.toml", rating, **fields)


HEADERS = [header("Ada Lovelace", 20), header("Adam Smith", 15), header("Grace Hopper", 10), header("Ada Lovelace", 5)]


@pytest.mark.parametrize(("query", "days"), [
    (Query(), [20, 15, 10, 5]),
    (Query(partner="ada lovelace"), [20, 5]),
    (Query(partner=slugify("Grace Hopper")), [10]),
    (Query(partner="Ada"), []),  # the CLI's --partner wants the whole name
    (Query(partner_part="gra"), [10]),
    (Query(partner_part="ada"), [20, 5]),  # a word typed whole wins over the names it only starts
    (Query(partner_part="ad"), [20, 15, 5]),
    (Query(partner_part="ada lovelace"), [20, 5]),  # a whole name wins over a part of another
    (Query(partner_part="Ada Lo"), [20, 5]),  # each word starts one of the name's
    (Query(partner_part="love"), [20, 5]),
    (Query(partner_part="ovelace"), []),  # words are found by their start, as on the command line
    (Query(partner_part="ÁD"), [20, 15, 5]),  # any case or accent
    (Query(since=date(2026, 1, 10)), [20, 15, 10]),
    (Query(until=date(2026, 1, 10)), [10, 5]),
    (Query(since=date(2026, 1, 10), until=date(2026, 1, 15)), [15, 10]),
    (Query(partner_part="ad", since=date(2026, 1, 10)), [20, 15]),
])
def test_filters(query: Query, days: list[int]) -> None:
    assert [h.day.day for h in filter_headers(HEADERS, query)] == days


@pytest.mark.parametrize(("typed", "query", "complaints"), [
    ("", Query(), 0),
    ("  Lisbon   Move ", Query(words=(Term("Lisbon"), Term("Move"))), 0),
    ("  Lisbon   Mo", Query(words=(Term("Lisbon"), Term("Mo", prefix=True))), 0),  # the word being typed
    ("lisb* move", Query(words=(Term("lisb", prefix=True), Term("move", prefix=True))), 0),
    ("partner:ada", Query(partner_part="ada"), 0),
    ('partner:"Ada Lovelace" engines ', Query(partner_part="Ada Lovelace", words=(Term("engines"),)), 0),
    ('partner:"Ada Lo', Query(partner_part="Ada Lo"), 0),  # still typing the closing quote
    ("since:2026-01-10 until:2026-01-15", Query(since=date(2026, 1, 10), until=date(2026, 1, 15)), 0),
    ("SINCE:2026-01-10", Query(since=date(2026, 1, 10)), 0),
    ("since:2026-13-01", Query(), 1),
    ("since:", Query(), 0),  # still typing
    ("since:2026-1", Query(), 1),
    ("https://example.org ", Query(words=(Term("https://example.org"),)), 0),
    ('"design review"', Query(words=(Term("design review"),)), 0),
    ('"design rev', Query(words=(Term("design rev", prefix=True),)), 0),  # a phrase still being typed
    ("- * :", Query(), 0),  # nothing that is a word: nothing to search for
])
def test_the_screen_filter_reads_words_and_tokens(typed: str, query: Query, complaints: int) -> None:
    parsed, said = parse_query(typed)
    assert parsed == query
    assert len(said) == complaints


def test_ids_can_be_shortened_while_they_stay_unique() -> None:
    a, b = header("Ada Lovelace", 20), header("Ada Lovelace", 21)
    assert find_by_prefix(a.id, [a, b]) == [a]
    assert find_by_prefix("2026-01-2", [a, b]) == [a, b]
    assert find_by_prefix("2026-01-21", [a, b]) == [b]
    assert find_by_prefix("nope", [a, b]) == []
    assert find_by_prefix("  ", [a, b]) == []
    c = header("Ada Lovelace", 2)
    c.id = a.id[:10]  # an id that is also the start of others: it is still that one meeting
    assert find_by_prefix(a.id[:10], [a, b, c]) == [c]


# -- trends ----------------------------------------------------------------------------------
def test_sparkline() -> None:
    assert sparkline([1, 2, 3, 4, 5], 1, 5) == "▁▃▅▆█"
    assert sparkline([None, 5, 0], 1, 5) == "·█▁"
    assert sparkline([0.0, 0.5, 1.0], 0, 1) == "▁▅█"
    assert len(sparkline([3] * 100, 1, 5)) == trends_module.SPARK_WIDTH


def meetings(days: list[int], ratings: list[int | None] | None = None, **fields: object) -> list[MeetingHeader]:
    ratings = ratings or [4] * len(days)
    out = []
    for day, rating in zip(days, ratings, strict=True):
        started = datetime(2026, 1, 1, 14, tzinfo=UTC) + timedelta(days=day)
        out.append(MeetingHeader(f"m{day}", "Ada Lovelace", "ada", started, started + timedelta(minutes=30),
                                 f"/x/{day}.toml", rating, **fields))
    return out


@pytest.mark.parametrize("count", [0, 1, 2])
def test_early_on_rapport_takes_time_instead_of_empty_charts(count: int) -> None:
    t = trends(meetings([0, 7][:count]), TODAY)
    assert t.early
    report = trends_report(t)
    assert len(report) == 1 and "Rapport takes time" in report[0]
    assert not any(ch in report[0] for ch in trends_module.SPARK)
    assert trend_lines("Ada Lovelace", TODAY, meetings([0, 7][:count])) == report


def test_cadence_and_a_nudge_when_it_is_longer_than_usual() -> None:
    t = trends(meetings([0, 7, 14, 21]), date(2026, 1, 25))  # weekly; last met 3 days ago
    assert t.gaps == (7.0, 7.0, 7.0) and t.usual_gap == 7 and t.since_last == 3
    assert not t.longer_than_usual
    assert trends_module.cadence_line(t) == "Cadence ███  You meet about every 7 days; last time 3 days ago."

    late = trends(meetings([0, 7, 14, 21]), date(2026, 2, 12))  # 20 days since
    assert late.longer_than_usual
    assert "longer than usual. Time to reach out to Ada?" in trends_module.cadence_line(late)


def test_ratings_over_time_as_a_sparkline() -> None:
    t = trends(meetings([0, 7, 14, 21], [2, None, 4, 5]), TODAY)
    assert t.ratings == (2, None, 4, 5)
    assert trends_module.ratings_line(t) == "Ratings ▃·▆█  3.7 on average, last 5/5"
    assert trends_module.ratings_line(trends(meetings([0, 7, 14], [None] * 3), TODAY)) == "Ratings: none given yet."


def test_commitments_kept_over_time_come_from_the_partner_record() -> None:
    record = PartnerRecord(name="Ada Lovelace", commitments=[
        Commitment(text="a", made=date(2026, 1, 1), status=Status.DONE, closed=date(2026, 1, 8)),
        Commitment(text="b", made=date(2026, 1, 8), owner=Owner.THEM, status=Status.DROPPED, closed=date(2026, 1, 15)),
        Commitment(text="c", made=date(2026, 1, 8), owner=Owner.THEM, due=date(2026, 1, 20)),
        Commitment(text="d", made=date(2026, 1, 15), owner=Owner.BOTH, status=Status.DONE, closed=date(2026, 1, 22)),
    ])
    t = trends(meetings([0, 7, 14, 21]), TODAY, record)
    assert t.kept_points == (None, 1.0, 0.5, 0.5), "after each meeting; the last as it stands today"
    assert t.kept is not None and t.kept.rate == t.kept_points[-1]
    assert trends_module.kept_line(t) == ("Kept ·█▅▅  50 % — 2 of 4 (mine 1 of 1, theirs 0 of 2, shared 1 of 1); "
                                          "1 dropped, 1 overdue")
    assert trends_module.kept_line(t) in trends_report(t)
    assert trends_module.kept_line(trends(meetings([0, 7, 14]), TODAY)) is None, "no record: no kept line"
    assert trends_module.kept_line(trends(meetings([0, 7, 14]), TODAY, PartnerRecord(name="Ada"))) is None


def test_the_phase_that_keeps_overrunning() -> None:
    ms = meetings([0, 7, 14])
    for m, goals in zip(ms, (1200.0, 950.0, 1450.0), strict=True):
        m.phases = (PhaseTime("chit-chat", "Chit-chat", 300.0, 310.0), PhaseTime("goals", "Goals", 900.0, goals))
    t = trends(ms, TODAY)
    chit, goals = t.phases
    assert (chit.planned, chit.actual, chit.overruns) == (300.0, 310.0, 0)
    assert (goals.planned, goals.actual, goals.overruns, goals.meetings) == (900.0, 1200.0, 2, 3)
    assert t.most_overrun == goals
    report = "\n".join(trends_report(t))
    assert "Goals       15:00 →  20:00  overran 2 of 3" in report
    assert "Goals keeps overrunning" in report
    from coach.trends import overrun_lines
    assert overrun_lines(t) == ["Goals keeps overrunning: plan more time for it, or less to cover."]
    assert overrun_lines(t)[0] in report, "prep says it as the history does"
    assert trend_lines("Ada Lovelace", TODAY, ms)[-1] == overrun_lines(t)[0]


def test_trend_lines_for_prep_are_short(coach_dirs: tuple[Path, Path]) -> None:
    for day in (0, 14, 28):
        save(started=START + timedelta(days=day))
    save(partner="Grace Hopper")
    lines = trend_lines("Ada Lovelace", date(2026, 2, 5))
    assert 1 <= len(lines) <= 4
    assert lines[0] == "Cadence ██  You meet about every 2 weeks; last time 3 days ago."
    assert lines[1] == "Ratings ▆▆▆  4.0 on average, last 4/5"
    assert lines[2] == "Chit-chat keeps overrunning: plan more time for it, or less to cover."  # as in history
    assert len(lines) == 3  # nothing settled yet: no kept rate
    assert "Rapport takes time (1 meeting so far)" in trend_lines("Grace Hopper", TODAY)[0]
    assert "no meetings yet" in trend_lines("Nobody", TODAY)[0]


# -- reading one summary ---------------------------------------------------------------------
def test_summary_markdown_is_rendered_from_the_toml_not_the_file_beside_it(coach_dirs: tuple[Path, Path]) -> None:
    path = save()
    md = path.with_suffix(".md")
    md.write_text("# Edited by hand \x1b]2;owned\x07\n", encoding="utf-8")
    assert history.summary_markdown(path).startswith("# Meeting with Ada Lovelace")
    md.unlink()
    assert "asked about the move" in history.summary_markdown(path)


def test_summary_data_is_json_ready(coach_dirs: tuple[Path, Path]) -> None:
    path = save()
    data = history.summary_data(path)
    assert json.loads(json.dumps(data)) == data
    assert data["started"] == "2026-01-05T14:00:00+00:00"
    assert data["commitments"][1]["due"] == "2026-01-12"
    assert data["path"] == str(path)
