"""The history screen: every meeting, filtered as you type, a summary beside them, trends for one partner."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Markdown, Static

import screens.history as history_screen
from coach import records, summaries
from coach.app import CoachApp
from coach.clock import FakeClock
from coach.model import Capture, CaptureKind, Owner, PhaseRecord, Summary, notes_of
from coach.store import slugify
from screens.history import HistoryScreen
from screens.prep import PrepScreen
from tests.ui.helpers import palette_names

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
    screen = HistoryScreen(partner)
    app.push_screen(screen)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    while not screen.loaded:
        await pilot.pause()
    return screen


def rows(screen: HistoryScreen) -> list[tuple[str, str]]:
    """(date, partner) of each row, top to bottom."""
    table = screen.query_one("#meetings", DataTable)
    return [(str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1])) for i in range(table.row_count)]


def shown_markdown(screen: HistoryScreen) -> str:
    return screen.query_one("#summary", Markdown).source


async def settle(pilot: Pilot) -> None:
    await pilot.pause(0.5)  # the summary is shown a moment after a row is highlighted
    await pilot.pause()


async def test_filter_select_and_read_a_summary() -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        assert rows(screen) == [("2026-02-02 14:00", "Ada Lovelace"), ("2026-01-25 14:00", "Grace Hopper"),
                                ("2026-01-19 14:00", "Ada Lovelace"), ("2026-01-05 14:00", "Ada Lovelace")]
        assert "4 meetings, newest first" in str(screen.query_one("#history-status", Static).render())
        assert screen.focused is screen.query_one("#filter", Input)
        await settle(pilot)
        assert "her new team" in shown_markdown(screen)  # the newest, highlighted

        await pilot.press(*"lisbon")
        await pilot.pause()
        assert rows(screen) == [("2026-01-05 14:00", "Ada Lovelace")]
        assert "1 of 4 meetings" in str(screen.query_one("#history-status", Static).render())

        screen.query_one("#filter", Input).value = "partner:grace"
        await pilot.pause()
        await pilot.press("down")
        assert screen.focused is screen.query_one("#meetings", DataTable)
        await pilot.press("enter")
        await pilot.pause()
        source = shown_markdown(screen)
        assert source.startswith("# Meeting with Grace Hopper") and "compilers and cats" in source

        screen.query_one("#filter", Input).value = "since:2026-01-10 until:2026-01-20"
        await pilot.pause()
        assert rows(screen) == [("2026-01-19 14:00", "Ada Lovelace")]

        screen.query_one("#filter", Input).value = "nothing like this"
        await pilot.pause()
        assert rows(screen) == []
        assert "No meeting matches" in str(screen.query_one("#history-status", Static).render())


async def test_trends_show_when_the_filter_comes_down_to_one_partner() -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        panel = screen.query_one("#trends", Static)
        assert not panel.display

        screen.query_one("#filter", Input).value = "partner:ada"
        await pilot.pause()
        assert panel.display
        report = str(panel.render())
        assert "Ada Lovelace: 3 meetings since 05 Jan 2026" in report
        assert "You meet every 14 days or so; the last time was 28 days ago, longer than usual." in report
        assert "Ratings ▆█▆" in report and "Goals keeps overrunning" in report

        screen.query_one("#filter", Input).value = "cats"  # one meeting, so one partner: Grace, early days
        await pilot.pause()
        assert "Rapport takes time (1 meeting so far)" in str(panel.render())

        screen.query_one("#filter", Input).value = ""
        await pilot.pause()
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
        await pilot.press("down", "down")  # to the table, then the second row: Grace
        await settle(pilot)
        assert screen.selected is not None and screen.selected.partner == "Grace Hopper"
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == "Hi Grace,\n\nThanks for compilers and cats."
        assert any("copied" in n.message for n in app._notifications)

        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PrepScreen) and app.screen.partner == "Grace Hopper"
        assert not any(isinstance(s, HistoryScreen) for s in app.screen_stack)


async def test_escape_goes_back_from_the_filter_and_from_the_table() -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in (["escape"], ["down", "escape"]):
            await open_history(app, pilot)
            await pilot.press(*keys)
            await pilot.pause()
            assert not isinstance(app.screen, HistoryScreen)


async def test_the_summary_sits_beside_the_table_when_wide() -> None:
    handful()
    for size, wide in (((120, 40), True), ((80, 24), False), ((60, 20), False)):
        app = CoachApp(clock=FakeClock())
        async with app.run_test(size=size) as pilot:
            screen = await open_history(app, pilot)
            body, table = screen.query_one("#history-body"), screen.query_one("#meetings", DataTable)
            detail = screen.query_one("#history-detail")
            assert body.has_class("-wide") is wide
            if wide:
                assert detail.region.x >= table.region.right and detail.region.y == table.region.y
            else:
                assert detail.region.y >= table.region.bottom
            await pilot.resize_terminal(130 if not wide else 80, 30)
            await pilot.pause()
            assert body.has_class("-wide") is not wide


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
        assert "No meetings yet" in str(screen.query_one("#history-status", Static).render())
        assert screen.check_action("prep", ()) is None and screen.check_action("copy_follow_up", ()) is None


async def test_many_meetings_arrive_in_batches_and_more_as_you_scroll(coach_dirs: tuple[Path, Path],
                                                                       monkeypatch) -> None:
    monkeypatch.setattr(history_screen, "WINDOW", 100)
    folder = coach_dirs[1] / "sessions" / "2025"
    folder.mkdir(parents=True)
    for day in range(300):
        summary = a_summary(["Ada Lovelace", "Grace Hopper", "Alan Turing"][day % 3], day - 400,
                            notes=f"meeting number {day}")
        (folder / f"{summary.id}.toml").write_text(records.encode(summary), encoding="utf-8")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        table = screen.query_one("#meetings", DataTable)
        assert table.row_count == 100
        assert "300 meetings, newest first · more as you scroll" in str(
            screen.query_one("#history-status", Static).render())
        await pilot.press("down", "ctrl+end")  # the cursor near the last row brings the next ones
        await pilot.pause()
        while not screen.loaded:
            await pilot.pause()
        assert table.row_count == 200
        table.scroll_end(animate=False)  # and so does scrolling
        await pilot.pause()
        while not screen.loaded:
            await pilot.pause()
        assert table.row_count == 300
        assert "more as you scroll" not in str(screen.query_one("#history-status", Static).render())

        screen.query_one("#filter", Input).value = "turing"
        await pilot.pause()
        assert table.row_count >= history_screen.FIRST_ROWS  # a screenful at once…
        while not screen.loaded:
            await pilot.pause()
        assert table.row_count == 100  # …and the rest soon after
        screen.query_one("#filter", Input).value = '"number 17"'  # a phrase; number 17 would match 117 too
        await pilot.pause()
        assert len(rows(screen)) == 11  # 17, 170–179


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
        await pilot.press("escape")  # before a single summary is read
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        assert app.is_running and not isinstance(app.screen, HistoryScreen)
        screen = await open_history(app, pilot)  # and it opens again, from the cache it left
        assert len(screen.headers) == 400


async def test_the_palette_offers_the_history_commands() -> None:
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(app, pilot)
        await pilot.press("down")
        await pilot.pause(0.3)
        names = await palette_names(pilot)
        for name in ("Prep with this partner", "Copy follow-up", "Filter meetings", "Close history"):
            assert name in names


async def test_the_privacy_curtain_hides_ratings_and_summaries_in_the_history():
    handful()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_history(app, pilot)
        assert "/5" in str(screen.query_one("#meetings", DataTable).get_row_at(0))
        await pilot.press("f2")
        await pilot.pause(0.3)
        assert "/5" not in str(screen.query_one("#meetings", DataTable).get_row_at(0))
        assert screen.query_one("#history-detail").region.height == 0


def test_a_name_with_brackets_or_backslashes_shows_in_the_table_as_typed() -> None:
    from coach.history import MeetingHeader

    started = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)
    for name in ("Ada \\[x", "[b]Ada[/b]", "C:\\Ada"):
        cell = history_screen.row_cells(MeetingHeader("m", name, "ada", started, started, "f"))[1]
        assert str(cell) == name and not isinstance(cell, str)
    assert isinstance(history_screen.row_cells(MeetingHeader("m", "Ada", "ada", started, started, "f"))[1], str)
