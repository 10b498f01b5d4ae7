"""Beside a video call: layouts, the privacy curtain, overrun help, first run, themes, status."""

from __future__ import annotations

from textual import events
from textual.widgets import Static, TextArea

from coach import store
from coach.app import CoachApp
from coach.clock import FakeClock
from coach.config import load_config
from screens.meeting import MeetingScreen
from screens.prep import PrepScreen
from screens.welcome import WelcomeScreen
from screens.widgets.timer import PhaseTimer
from tests.ui.helpers import files_read, palette_names, run_command, saved_summaries, wait_for


async def _known_partner(clock: FakeClock) -> None:
    """Ada has a remembered fact, an open goal and an open commitment."""
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        for key, text in (("ctrl+r", "sails on weekends"), ("ctrl+g", "ship the v2 plan"),
                          ("ctrl+o", "intro to the data team")):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press(*text, "enter")
            await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    clock.advance(7 * 86400)


async def test_the_side_panel_shows_at_120_columns_and_resizing_keeps_focus_and_text():
    clock = FakeClock()
    await _known_partner(clock)
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        side = screen.query_one("#side", Static)
        assert side.display and side.region.width > 0
        text = str(side.render())
        assert "sails on weekends" in text and "ship the v2 plan" in text and "intro to the data team" in text
        await pilot.press(*"half a thought")
        await pilot.resize_terminal(60, 20)
        await wait_for(pilot, lambda: screen.query_one("#side").region.width == 0, "the side panel gone at 60 columns")
        assert app.focused is screen.query_one("#notes", TextArea)
        await pilot.press(*" and the rest")
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: screen.query_one("#side").region.width > 0, "the side panel back at 120")
        assert screen.query_one("#notes", TextArea).text == "half a thought and the rest"
        assert app.focused is screen.query_one("#notes", TextArea)


async def test_the_privacy_curtain_hides_notes_and_memory_but_not_the_timer_or_the_card():
    clock = FakeClock()
    await _known_partner(clock)
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"secret notes")
        assert "Privacy curtain" in await palette_names(pilot)
        await run_command(pilot, "Privacy curtain")
        screen = app.screen
        assert app.has_class("-privacy")
        assert screen.query_one(".curtain-marker").display
        await wait_for(pilot, lambda: screen.query_one("#side").region.width == 0, "the side panel behind the curtain")
        notes = screen.query_one("#notes", TextArea)
        assert notes.styles.text_opacity == 0
        assert "sails on weekends" not in str(screen.query_one("#card").render()), "a fact card is hidden too"
        assert screen.query_one("#clock-seconds").region.height == 3 and screen.query_one("#strip").display
        await pilot.press(*" still typing")
        assert notes.text == "secret notes still typing"
        await pilot.press("f2")
        await pilot.pause()
        assert not app.has_class("-privacy")
        assert not screen.query_one(".curtain-marker").display
        assert "sails on weekends" in str(screen.query_one("#card").render())


async def test_the_curtain_can_be_the_default(coach_dirs):
    config = coach_dirs[0]
    config.mkdir(parents=True)
    (config / "config.toml").write_text("privacy = true\n", encoding="utf-8")
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert app.has_class("-privacy")
        assert app.screen.query_one(".curtain-marker").display
        assert not app.screen.query_one("#brief").display


async def test_rebalance_after_an_overrun_ends_on_time_and_is_recorded(coach_dirs):
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        clock.advance(10 * 60)  # chit-chat planned 5 min, ran 10
        app.screen.tick()
        await pilot.pause()
        assert "(planned 14:30)" in app.screen.query_one(PhaseTimer).projected
        assert "F8 rebalances" in str(app.screen.query_one("#timer-state").render())
        await run_command(pilot, "Rebalance")
        view = app.screen.view()
        assert abs(view.overrun) < 1
        assert [round(r.clock.planned) for r in app.screen.meeting.phases] == [300, 720, 480]
        await pilot.press("ctrl+f", "ctrl+f", "ctrl+f")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    [summary] = saved_summaries(coach_dirs[1])
    phases = summary["phases"]
    assert "rebalanced_seconds" not in phases[0]
    assert [(p["planned_seconds"], p["rebalanced_seconds"]) for p in phases[1:]] == [(900, 720), (600, 480)]


async def test_rebalance_never_goes_below_a_minute():
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        clock.advance(40 * 60)
        await pilot.press("f8")
        await pilot.pause()
        assert [r.clock.planned for r in app.screen.meeting.phases[1:]] == [60, 60]


async def test_the_welcome_shows_once(coach_dirs):
    assert store.first_run()
    app = CoachApp(clock=FakeClock(), welcome=store.first_run())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        text = str(app.screen.query_one("#welcome-text").render())
        assert str(coach_dirs[1]) in text and str(coach_dirs[0]) in text
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)
    assert not store.first_run()
    app = CoachApp(clock=FakeClock(), welcome=store.first_run())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)


async def test_a_theme_chosen_in_the_app_is_kept_in_config(coach_dirs):
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        app.theme = "gruvbox"
        await pilot.pause()
    assert load_config()[0].theme == "gruvbox"
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert app.theme == "gruvbox"


async def test_the_status_file_and_window_title_show_phase_and_time_left(tmp_path):
    status = tmp_path / "status.txt"
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock, status_file=status)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        clock.advance(61)
        app.screen.tick()
        await pilot.pause()
        assert app.sub_title == "Chit-chat 03:59"
        assert status.read_text(encoding="utf-8") == "Chit-chat 03:59\n"


async def test_warn_and_overtime_alerts_on_the_status_line_not_in_toasts(coach_dirs):
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("s")
        await pilot.pause()
        clock.advance(4 * 60 + 5)
        app.screen.tick()
        assert app.screen.status.text == "55 s left: time to wrap it up"
        clock.advance(60)
        app.screen.tick()
        await pilot.pause()
        assert app.screen.status.text == "Over time: ^f moves on, F8 rebalances"
        assert not app._notifications
        assert isinstance(app.screen, MeetingScreen)




async def test_a_name_typed_right_behind_the_welcome_reaches_the_picker(coach_dirs):
    """The picker comes once the welcome is closed: what is typed right behind the Enter that closes
    it waits for the picker's field instead of being lost."""
    app = CoachApp(clock=FakeClock(), welcome=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        for key, character in (("enter", "\r"), ("A", "A"), ("d", "d"), ("a", "a"), ("enter", "\r")):
            app.post_message(events.Key(key, character))  # as a terminal sends them: all at once
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        assert app.screen.partner == "Ada"


async def test_the_title_bar_follows_the_screen_on_top_when_a_screen_over_it_closes():
    from screens.history import HistoryScreen
    from screens.prep import PrepScreen
    from tests.ui.helpers import files_read, wait_for

    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert isinstance(app.screen, PrepScreen) and app.sub_title == "coach · prep · Ada"
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.sub_title == "coach · history",
                       "the history's title")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep again")
        await wait_for(pilot, lambda: app.sub_title == "coach · prep · Ada", "prep's title again")
        await pilot.press("p")  # the partner record says its own
        await wait_for(pilot, lambda: app.sub_title == "coach · partner · Ada", "the partner record's title")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.sub_title == "coach · prep · Ada", "prep's title once more")


async def test_a_due_date_complaint_is_read_whole_at_60_columns():
    from textual.widgets import Input

    from screens.capture import CaptureDialog
    from tests.ui.helpers import files_read, wait_for
    from tests.ui.test_hostile_data import screen_text

    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await files_read(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen.query("#notes"), "the meeting")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureDialog), "the commitment dialog")
        await pilot.press(*"write it")
        app.screen.query_one("#capture-due", Input).focus()
        await pilot.press(*"2026-13-45", "enter")
        await wait_for(pilot, lambda: "is not a date" in screen_text(app), "the complaint")
        text = " ".join(screen_text(app).replace("│", " ").split())
        assert "“2026-13-45” is not a date: use YYYY-MM-DD, e.g. 2026-12-04" in text


async def test_prep_looks_the_same_after_a_visit_to_the_history():
    """history.tcss styled `#trends` for the whole app once loaded: prep's trends moved down and in."""
    from textual.widgets import Static

    from screens.history import HistoryScreen
    from screens.prep import PrepScreen
    from tests.ui.helpers import files_read, wait_for
    from tests.ui.test_kept_and_names import ZOE, zoe_over_three_meetings

    zoe_over_three_meetings()
    app = CoachApp(partner=ZOE, clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await files_read(pilot)
        trends = app.screen.query_one("#trends", Static)
        await wait_for(pilot, lambda: "Cadence" in str(trends.render()), "the trends")
        before = (trends.region, trends.styles.margin, trends.styles.padding, app.screen.query_one("#start").region)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        await app.workers.wait_for_complete()
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep again")
        await pilot.pause()
        after = (trends.region, trends.styles.margin, trends.styles.padding, app.screen.query_one("#start").region)
        assert after == before
