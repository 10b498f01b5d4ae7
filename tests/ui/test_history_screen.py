"""The history screen: every meeting, searched as you type (best match first, the words found
shown under each), a summary beside them, trends for one partner."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Markdown, Static

from coach import history_build, records, summaries
from coach.app import CoachApp
from coach.clock import FakeClock
from coach.model import Capture, CaptureKind, Owner, PhaseRecord, Summary, notes_of
from coach.store import slugify
from screens.history import HistoryScreen
from screens.prep import PrepScreen
from screens.widgets.meeting_list import MeetingList, cells
from tests.ui.helpers import files_read, palette_names, wait_for


@pytest.fixture(autouse=True)
def new_process():
    """Each test's app starts as a new process does: nothing remembered of an earlier build."""
    history_build._memos.clear()
    yield
    history_build._memos.clear()

START = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)


def a_summary(partner: str, day: int, notes: str = "talked about the week", rating: int | None = 4) -> Summary:
    started = START + timedelta(days=day)
    slug = slugify(partner)
    return Summary(
        id=f"{started:%Y-%m-%d-%H%M}-{slug}-{day:06x}", partner=partner, partner_slug=slug, template="standard",
        started=started, ended=started + timedelta(minutes=30),
        phases=[PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300.0, actual_seconds=330.0,
                            notes=notes),
                PhaseRecord(id="goals", title="Goals", planned_seconds=600.0, actual_seconds=900.0,
                            notes="set the goals")],
        **notes_of([Capture(CaptureKind.GOAL, "ship the beta"),
                    Capture(CaptureKind.COMMITMENT, "send the deck", owner=Owner.ME, due=date(2026, 2, 1))]),
        rating=rating, reflection="steady", follow_up=f"Hi {partner.split()[0]},\n\nThanks for {notes}.\n")


def meeting(partner: str, day: int, **kwargs: object) -> Path:
    path = summaries.save(a_summary(partner, day, **kwargs)).toml_path  # type: ignore[arg-type]
    when = time.time() - 3600
    os.utime(path, (when, when))
    return path


def handful() -> None:
    meeting("Ada Lovelace", 0, notes="the move to Lisbon")
    meeting("Ada Lovelace", 14, rating=5)
    meeting("Grace Hopper", 20, notes="compilers and cats")
    meeting("Ada Lovelace", 28, notes="her new team")


async def open_history(app: CoachApp, pilot: Pilot, partner: str | None = None) -> HistoryScreen:
    await pilot.pause()
    screen = HistoryScreen(partner, show_after=0, show_after_typing=0)  # no real timer to wait out
    app.push_screen(screen)
    await wait_for(pilot, lambda: screen.loaded, "the history read")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def rows(screen: HistoryScreen) -> list[tuple[str, str]]:
    """(date, partner) of each row, top to bottom."""
    return [(f"{h.started:%Y-%m-%d %H:%M}", h.partner) for h in screen.query_one(MeetingList).rows]


def line(screen: HistoryScreen, y: int) -> str:
    """What the list shows on its line `y` (0 is its header)."""
    return screen.query_one(MeetingList).render_line(y).text


def status(screen: HistoryScreen) -> str:
    return str(screen.query_one("#history-status", Static).render())


def shown_markdown(screen: HistoryScreen) -> str:
    return screen.query_one("#summary", Markdown).source


async def shows(pilot: Pilot, screen: HistoryScreen, words: str) -> None:
    """The summary is shown a moment after a row is highlighted: wait for it."""
    await wait_for(pilot, lambda: words in shown_markdown(screen), f"a summary with {words!r}")


async def filtered(pilot: Pilot, screen: HistoryScreen, typed: str) -> None:
    screen.query_one("#filter", Input).value = typed
    await pilot.pause()


async def test_filter_select_and_read_a_summary() -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        assert rows(screen) == [("2026-02-02 14:00", "Ada Lovelace"), ("2026-01-25 14:00", "Grace Hopper"),
                                ("2026-01-19 14:00", "Ada Lovelace"), ("2026-01-05 14:00", "Ada Lovelace")]
        assert "4 meetings, newest first" in status(screen)
        assert screen.focused is screen.query_one("#filter", Input)
        await shows(pilot, screen, "her new team")  # the newest, highlighted

        await pilot.press(*"lisb")
        await pilot.pause()
        assert rows(screen) == [("2026-01-05 14:00", "Ada Lovelace")]
        assert "1 of 4 meetings, best match first" in status(screen)

        await filtered(pilot, screen, "partner:grace")
        await pilot.press("down")
        assert screen.focused is screen.query_one(MeetingList)
        await pilot.press("up")  # up from the first meeting: back to the filter…
        assert screen.focused is screen.query_one("#filter", Input)
        await pilot.press("down")  # …and down again
        assert screen.focused is screen.query_one(MeetingList)
        await pilot.press("enter")
        await pilot.pause()
        source = shown_markdown(screen)
        assert source.startswith("# Meeting with Grace Hopper") and "compilers and cats" in source

        await filtered(pilot, screen, "since:2026-01-10 until:2026-01-20")
        assert rows(screen) == [("2026-01-19 14:00", "Ada Lovelace")]

        await filtered(pilot, screen, "nothing like this")
        assert rows(screen) == []
        assert "No meeting matches" in status(screen)


async def test_trends_show_when_the_filter_comes_down_to_one_partner() -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        panel = screen.query_one("#trends", Static)
        assert not panel.display

        await filtered(pilot, screen, "partner:ada")
        assert panel.display
        report = str(panel.render())
        assert "Ada Lovelace: 3 meetings since 05 Jan 2026" in report
        assert ("Cadence ██  You meet about every 2 weeks; last time 28 days ago, longer than usual. "
                "Time to reach out to Ada?") in report
        assert "Ratings ▆█▆" in report and "Goals keeps overrunning" in report

        await filtered(pilot, screen, "cats")  # one meeting, so one partner: Grace, early days
        assert "Rapport takes time (1 meeting so far)" in str(panel.render())

        await filtered(pilot, screen, "")
        assert not panel.display


async def test_opened_for_a_partner_it_starts_filtered() -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot, "Grace Hopper")
        assert screen.query_one("#filter", Input).value == 'partner:"Grace Hopper" '
        assert rows(screen) == [("2026-01-25 14:00", "Grace Hopper")]
        assert "Rapport takes time" in str(screen.query_one("#trends", Static).render())

    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot, "Someone New")
        assert rows(screen) == []
        assert "Rapport takes time (no meetings yet)" in str(screen.query_one("#trends", Static).render())


async def test_copy_the_follow_up_and_prep_the_next_meeting() -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        await pilot.press("down", "down")  # to the list, then the second row: Grace
        await shows(pilot, screen, "compilers and cats")
        assert screen.selected is not None and screen.selected.partner == "Grace Hopper"
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "Hi Grace,\n\nThanks for compilers and cats."
        assert any("copied" in n.message for n in app._notifications)

        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PrepScreen) and app.screen.partner == "Grace Hopper"
        assert not any(isinstance(s, HistoryScreen) for s in app.screen_stack)


def screen_lines(app: CoachApp) -> list[str]:
    """The screen as the terminal shows it, line by line."""
    update = app.screen._compositor.render_update(full=True)
    return ["".join(segment.text for strip in row for segment in strip if not segment.control)
            for row in update.strips]


def hint(screen: HistoryScreen) -> str:
    return str(screen.query_one("#history-hint", Static).render())


async def test_escape_goes_to_the_list_from_the_filter_and_back_from_the_list() -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in (["escape", "escape"], ["down", "escape"], ["enter", "escape"]):
            screen = await open_history(app, pilot)
            await pilot.press(keys[0])
            assert screen.focused is screen.query_one(MeetingList), keys
            await pilot.press(keys[1])
            assert not isinstance(app.screen, HistoryScreen)

        screen = await open_history(app, pilot)
        await pilot.press(*"nothing like it")
        await pilot.press("escape")  # no meeting to go down to: Escape goes back
        assert not isinstance(app.screen, HistoryScreen)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
async def test_the_screen_says_how_to_reach_the_rows_and_their_keys_work_there(size: tuple[int, int]) -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=size) as pilot:
        screen = await open_history(app, pilot)
        meetings, typed = screen.query_one(MeetingList), screen.query_one("#filter", Input)
        assert screen.focused is typed and hint(screen) == "↓ Enter: to the list"
        assert any(row.rstrip().endswith("↓ Enter: to the list") for row in screen_lines(app)), "on screen"
        await pilot.press("p")  # in the filter, a letter is a letter
        assert typed.value == "p" and isinstance(app.screen, HistoryScreen)
        await pilot.press("backspace", "enter")
        assert screen.focused is meetings and hint(screen) == "/ search · Enter read"
        await pilot.press("down", "enter")  # Enter reads the meeting at once
        assert screen.selected is not None and screen.selected.partner == "Grace Hopper"
        assert "compilers and cats" in shown_markdown(screen)
        await pilot.press("c")
        assert app.clipboard == "Hi Grace,\n\nThanks for compilers and cats."
        await pilot.press("slash")
        assert screen.focused is typed
        await pilot.press("down", "p")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "the prep screen")
        assert app.screen.partner == "Grace Hopper"


async def test_prep_is_hidden_while_a_meeting_runs(quick_template: str) -> None:
    handful()
    app = CoachApp(partner="Ada Lovelace", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: app.meeting is not None, "the meeting started")
        screen = await open_history(app, pilot)
        await pilot.press("down")
        assert screen.selected is not None
        assert screen.check_action("prep", ()) is False and screen.check_action("copy_follow_up", ()) is True
        assert "p" not in screen.active_bindings and "c" in screen.active_bindings
        assert "Prep with this partner" not in await palette_names(pilot)
        await pilot.press("p")
        assert app.screen is screen, "p does nothing, and the footer does not offer it"


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)], ids=["60x20", "80x24", "120x40"])
async def test_every_column_fits_the_width(coach_dirs: tuple[Path, Path], size: tuple[int, int]) -> None:
    many(coach_dirs, 40)  # more than fit: the list has its scroll bar
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=size) as pilot:
        screen = await open_history(app, pilot)
        meetings = screen.query_one(MeetingList)
        width = meetings.scrollable_content_region.width
        assert meetings.max_scroll_y > 0 and width < meetings.size.width
        heading = line(screen, 0)
        assert heading.rstrip().endswith("Commits") and len(heading.rstrip()) <= width
        for y in range(1, meetings.scrollable_content_region.height):
            assert line(screen, y).rstrip().endswith("  1"), line(screen, y)  # the commitments, whole
        assert ("14:00" in line(screen, 1)) is (size[0] >= 80), "narrow: the date without its time"


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
async def test_a_wrong_date_in_the_filter_is_said_in_full(size: tuple[int, int]) -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=size) as pilot:
        screen = await open_history(app, pilot)
        await pilot.press(*"since:2026-13-45 lisbon")
        complaint = "since: wants a date like 2026-03-02 (YYYY-MM-DD), not '2026-13-45'"
        shown = " ".join(row.strip() for row in screen_lines(app))
        assert complaint in shown, shown
        assert "1 of 4 meetings, best match first" in status(screen)
        await pilot.press(*(["backspace"] * 23))
        assert complaint not in " ".join(screen_lines(app))
        assert not screen.query_one("#history-problem").display


async def test_at_80x24_the_list_and_the_summary_share_the_height() -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        meetings, detail = screen.query_one(MeetingList), screen.query_one("#history-detail")
        assert meetings.region.height == 5, "a heading and four meetings, no empty rows"
        assert detail.region.height >= 14
        await wait_for(pilot, lambda: "her new team" in "".join(screen_lines(app)), "the summary drawn")
        rows_shown = screen_lines(app)[detail.region.y:detail.region.bottom]
        assert rows_shown[0].strip("─") == "", "the line between the list and the summary"
        assert rows_shown[1].strip() == "Meeting with Ada Lovelace", "the title on the summary's first line"


async def test_with_many_meetings_the_list_takes_half_and_the_curtain_gives_it_all(coach_dirs) -> None:
    many(coach_dirs, 60)
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        meetings, body = screen.query_one(MeetingList), screen.query_one("#history-body")
        assert meetings.region.height == body.region.height // 2
        await pilot.press("f2")
        assert meetings.region.height == body.region.height


async def test_the_summary_sits_beside_the_table_when_wide() -> None:
    handful()
    for size, wide in (((120, 40), True), ((80, 24), False), ((60, 20), False)):
        app = CoachApp(clock=FakeClock())
        async with app.run_test(size=size) as pilot:
            screen = await open_history(app, pilot)
            body, table = screen.query_one("#history-body"), screen.query_one(MeetingList)
            detail = screen.query_one("#history-detail")
            assert body.has_class("-wide") is wide
            if wide:
                assert detail.region.x >= table.region.right and detail.region.y == table.region.y
            else:
                assert detail.region.y >= table.region.bottom
            await pilot.resize_terminal(130 if not wide else 80, 30)
            await wait_for(pilot, lambda body=body, wide=wide: body.has_class("-wide") is not wide, "the new layout")


async def test_skipped_files_are_a_notice_and_hide_nothing(coach_dirs: tuple[Path, Path]) -> None:
    handful()
    broken = coach_dirs[1] / "sessions" / "2026" / "2026-02-10-0900-broken-1.toml"
    broken.write_text('schema = 1\nid = "x"\npartner = "Ada\n', encoding="utf-8")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        assert len(rows(screen)) == 4
        warnings = [n for n in app._notifications if n.severity == "warning"]
        assert any(f"{broken}:3:" in n.message and n.title == "Skipped 1 file" for n in warnings)


async def test_no_meetings_yet() -> None:
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        assert rows(screen) == []
        assert "No meetings yet" in status(screen)
        assert screen.check_action("prep", ()) is None and screen.check_action("copy_follow_up", ()) is None


def many(coach_dirs: tuple[Path, Path], count: int) -> None:
    folder = coach_dirs[1] / "sessions" / "2025"
    folder.mkdir(parents=True)
    for day in range(count):
        summary = a_summary(["Ada Lovelace", "Grace Hopper", "Alan Turing"][day % 3], day - 400,
                            notes=f"meeting number {day}")
        (folder / f"{summary.id}.toml").write_text(records.encode(summary), encoding="utf-8")
        os.utime(folder / f"{summary.id}.toml", (time.time() - 3600,) * 2)


async def test_thousands_of_meetings_are_one_list_drawn_a_screenful_at_a_time(coach_dirs: tuple[Path, Path]) -> None:
    many(coach_dirs, 300)
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        meetings = screen.query_one(MeetingList)
        assert meetings.row_count == 300 and "300 meetings, newest first" in status(screen)
        assert line(screen, 1).startswith(" 2025-09-26 14:00  Alan Turing")
        await pilot.press("down", "end")
        await pilot.pause()
        assert meetings.cursor == 299 and meetings.scroll_y > 0
        assert "2024-12-01 14:00  Ada Lovelace" in line(screen, meetings.scrollable_content_region.height - 1)
        await pilot.press("home")
        await pilot.pause()
        assert meetings.cursor == 0 and meetings.scroll_y == 0

        await filtered(pilot, screen, "turing")
        assert meetings.row_count == 100
        await filtered(pilot, screen, '"number 17"')  # a phrase: number 170 is another number
        assert len(rows(screen)) == 1
        await filtered(pilot, screen, '"number 17')  # …while the phrase is typed, its last word is a prefix
        assert len(rows(screen)) == 11  # 17, 170–179


async def test_a_search_shows_the_words_found_highlighted(coach_dirs: tuple[Path, Path]) -> None:
    meeting("Ada Lovelace", 0, notes="We talked about the move to Lisbon [b]with her team[/b] next year")
    meeting("Grace Hopper", 20, notes="compilers and cats")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await open_history(app, pilot)
        await pilot.press(*"lisb")
        await pilot.pause()
        meetings = screen.query_one(MeetingList)
        assert meetings.row_height == 2
        assert line(screen, 1).startswith(" 2026-01-05 14:00  Ada Lovelace")
        found = meetings.render_line(2)
        assert "…move to Lisbon [b]with her team[/b] next year" in found.text, "as typed, never markup"
        [match] = [segment for segment in found if segment.text == "Lisbon"]
        assert match.style is not None and match.style.bold and match.style.underline
        others = [segment for segment in found if segment.text.strip() and segment.text != "Lisbon"]
        assert others and not any(segment.style and segment.style.underline for segment in others)

        await pilot.press("f2")  # the privacy curtain: what was said goes
        await pilot.pause()
        assert meetings.row_height == 1 and "Lisbon" not in line(screen, 2)
        await pilot.press("f2")
        await pilot.pause()
        assert "Lisbon" in line(screen, 2)


@pytest.mark.parametrize("typed", ['"', "NEAR(", "AND OR", "-", ":", "^x", "(", "*", "🙂", "\x1b[2J", "{notes}:x",
                                   'partner:"', "since:x", "l*i*s"])
async def test_anything_typed_in_the_filter_gets_an_answer(typed: str) -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        await pilot.press(*typed)
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, HistoryScreen)
        assert "\x1b" not in status(screen)
        assert set(rows(screen)) <= {("2026-02-02 14:00", "Ada Lovelace"), ("2026-01-25 14:00", "Grace Hopper"),
                                     ("2026-01-19 14:00", "Ada Lovelace"), ("2026-01-05 14:00", "Ada Lovelace")}


async def test_a_first_build_shows_progress_and_the_newest_meetings_first(coach_dirs: tuple[Path, Path]) -> None:
    seen: list[tuple[str, list[str]]] = []
    real = HistoryScreen._progress

    def progress(screen: HistoryScreen, update: history_build.Progress) -> None:
        real(screen, update)
        seen.append((status(screen), [h.id for h in screen.query_one(MeetingList).rows]))

    HistoryScreen._progress = progress  # type: ignore[method-assign]
    try:
        app = CoachApp(clock=FakeClock())
        async with app.run_test(size=(80, 24)) as pilot:
            await files_read(pilot)  # the picker has looked for partners: no meetings yet
            many(coach_dirs, 400)  # …and now there are many, that the History screen is the first to read
            screen = await open_history(app, pilot)
            every = [h.id for h in screen.headers]
            assert "400 meetings, newest first" in status(screen)
    finally:
        HistoryScreen._progress = real  # type: ignore[method-assign]
    assert [text for text, _ids in seen] == ["Indexing 0 of 400 meetings… newest first",
                                             "Indexing 50 of 400 meetings… newest first",
                                             "Indexing 300 of 400 meetings… newest first"]
    assert [len(ids) for _text, ids in seen] == [0, 50, 300]
    for _text, ids in seen:
        assert ids == every[:len(ids)], "the newest meetings first"


async def test_using_the_app_leaves_nothing_derived_in_the_data_folder(coach_dirs: tuple[Path, Path],
                                                                        tmp_path: Path) -> None:
    handful()
    data = coach_dirs[1]
    before = {p for p in data.rglob("*") if p.is_file()}
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        await pilot.press(*"lisbon", "down", "enter")
        await shows(pilot, screen, "Lisbon")
        await pilot.press("escape")
        await pilot.pause()
    after = {p for p in data.rglob("*") if p.is_file()}
    assert after == before, "the app's own files (lock, state) are in the device folder"
    assert not (data / "cache").exists()
    assert list((tmp_path / "cache").glob("history-*.sqlite3")), "the index is in the cache folder"


async def test_closing_the_screen_while_it_loads_is_fine(coach_dirs: tuple[Path, Path]) -> None:
    folder = coach_dirs[1] / "sessions" / "2025"
    folder.mkdir(parents=True)
    for day in range(400):
        summary = a_summary("Ada Lovelace", day - 500)
        (folder / f"{summary.id}.toml").write_text(records.encode(summary), encoding="utf-8")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(HistoryScreen())
        await pilot.press("down", "escape")  # before a single summary is read
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, HistoryScreen)
        screen = await open_history(app, pilot)  # and it opens again, from the index it left
        assert len(screen.headers) == 400


async def test_the_palette_offers_the_history_commands() -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(app, pilot)
        await pilot.press("down")
        await pilot.pause()
        names = await palette_names(pilot)
        for name in ("Prep with this partner", "Copy follow-up", "Filter meetings", "Close history"):
            assert name in names


async def test_the_privacy_curtain_hides_ratings_and_summaries_in_the_history():
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(app, pilot)
        assert "/5" in line(screen, 1)
        await pilot.press("f2")
        await pilot.pause()
        assert "/5" not in line(screen, 1) and "•" in line(screen, 1)
        assert screen.query_one("#history-detail").region.height == 0


async def test_a_name_with_brackets_or_backslashes_shows_in_the_list_as_typed(coach_dirs: tuple[Path, Path]) -> None:
    from coach.history import MeetingHeader

    started = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)
    for name in ("Ada \\[x", "[b]Ada[/b]", "C:\\Ada", "Ada\x1b]2;x\x07"):
        assert cells(MeetingHeader("m", name, "ada", started, started, "f"))[1] in (name, "Ada␛]2;x␇")
    meeting("[b]Ada[/b] \\[x", 0)
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        assert "[b]Ada[/b] \\[x" in line(screen, 1)


async def test_coach_history_in_another_terminal_while_the_screen_is_open(coach_dirs: tuple[Path, Path],
                                                                         tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        await filtered(pilot, screen, "lisb")
        later = meeting("Grace Hopper", 40, notes="a trip to Lisbon")  # another device synced a meeting in
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        runs = [subprocess.Popen([sys.executable, "-m", "coach", "history", "--json", "--grep", "lisbon"],
                                 cwd=Path(__file__).resolve().parents[2], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, encoding="utf-8") for _ in range(2)]
        for run in runs:
            out, err = run.communicate(timeout=60)
            assert (run.returncode, err) == (0, ""), err
            assert json.loads(out)[0]["path"] == str(later)
        await filtered(pilot, screen, "lisbo")  # the open screen still searches (what it read)
        assert rows(screen) == [("2026-01-05 14:00", "Ada Lovelace")]
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_history(app, pilot)  # opened again: the new meeting is there
        await filtered(pilot, screen, "lisbo")
        assert len(rows(screen)) == 2


async def test_an_index_damaged_under_a_search_is_built_again(coach_dirs: tuple[Path, Path], monkeypatch) -> None:
    import sqlite3

    from coach import history_index

    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        real, failures = history_index.Index.ranked, [sqlite3.DatabaseError("database disk image is malformed")]

        def ranked(self: history_index.Index, expression: str) -> dict[int, float]:
            if failures:
                raise failures.pop()
            return real(self, expression)

        monkeypatch.setattr(history_index.Index, "ranked", ranked)
        await filtered(pilot, screen, "lisb")
        await wait_for(pilot, lambda: screen.loaded, "the index built again")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rows(screen) == [("2026-01-05 14:00", "Ada Lovelace")]
        assert len(screen.headers) == 4


async def test_a_first_build_in_the_app_reads_in_the_app(coach_dirs: tuple[Path, Path], monkeypatch) -> None:
    """Many files and spare cores: the command line reads them in several processes; the app, whose
    stderr Textual has taken over, reads them itself (and says how far it has come meanwhile)."""
    monkeypatch.setattr(history_build, "SHARED_FROM", 10)
    monkeypatch.setattr(history_build, "_workers", lambda: 2)
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        many(coach_dirs, 120)
        screen = await open_history(app, pilot)
        assert len(rows(screen)) == 120 and "120 meetings, newest first" in status(screen)


async def test_files_coach_cannot_read_are_said_once_in_one_toast() -> None:
    handful()
    original = meeting("Grace Hopper", 3)
    copy = original.parent / "archive" / original.name
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())
    for n in range(3):
        (original.parent / f"broken-{n}.toml").write_text("rating = [\n", encoding="utf-8")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: bool(app._notifications), "the picker's toast")
        [toast] = list(app._notifications)
        assert toast.title == "Skipped 3 files", "the copy is listed once, not skipped"
        assert "broken-0.toml:" in toast.message.splitlines()[0]
        lines = toast.message.splitlines()
        assert all("broken-" in shown for shown in lines[:3]), "skipped files first"
        assert lines[3:] == ["… and 1 more: `coach history` lists them"], "a small toast beside a call"
        await pilot.press("f3")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await wait_for(pilot, lambda: screen.loaded, "the history read")
        await pilot.pause()
        assert len(app._notifications) == 1, "the same files are not said again"


async def test_a_meeting_that_comes_in_above_the_top_row_is_the_one_highlighted_and_shown() -> None:
    """A sync brings a newer meeting while the list shows: the top stays the top (the list and the
    summary beside it never disagree); a row the user moved to stays theirs."""
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_history(app, pilot)
        listing = screen.query_one(MeetingList)
        every = list(listing.rows)
        listing.show(every[1:])  # as the list was before the newest meeting arrived
        await shows(pilot, screen, "compilers and cats")
        listing.show(every, keep=True)
        assert listing.highlighted == every[0]
        await shows(pilot, screen, "her new team")
        listing.cursor = 2
        listing.show([*every[1:], every[0]], keep=True)
        assert listing.highlighted == every[2], "moved to by the user: kept"
