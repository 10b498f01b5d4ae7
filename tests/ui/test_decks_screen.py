"""Decks a user writes: the Decks screen, editing in $EDITOR, and live reload mid-meeting."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from textual import events
from textual.widgets import OptionList, Static

from coach.app import CoachApp
from coach.clock import FakeClock
from screens.decks import DecksScreen
from screens.meeting import MeetingScreen
from screens.widgets.status_line import StatusLine
from tests.ui.helpers import files_read, run_command, wait_for

MY_DECK = """\
schema = 1
id = "mine"
title = "My questions"

[[cards]]
id = "one"
text = "What made you smile this week?"

[[cards]]
id = "two"
text = "What is on your mind?"
"""

MY_TEMPLATE = """\
schema = 1
id = "mine"
title = "Mine"

[[phases]]
id = "chit-chat"
title = "Chit-chat"
minutes = 5
decks = ["mine"]
"""


def _write(config: Path, noun: str, text: str) -> Path:
    path = config / noun / "mine.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _touch_later(path: Path, text: str) -> None:
    """Rewrite a file so that its modification time surely moves."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))


def _options(screen: DecksScreen) -> list[str]:
    options = screen.query_one("#items", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_decks_screen_lists_previews_and_edits(coach_dirs, tmp_path, monkeypatch):
    config = coach_dirs[0]
    _write(config, "decks", MY_DECK)
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('smile', 'laugh'))\n", encoding="utf-8")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await run_command(pilot, "Decks")
        screen = app.screen
        assert isinstance(screen, DecksScreen)
        shown = _options(screen)
        assert any(line.startswith("chit-chat") and "built-in" in line for line in shown)
        assert any(line.startswith("mine") and "yours" in line for line in shown)
        options = screen.query_one("#items", OptionList)
        options.highlighted = next(i for i, line in enumerate(shown) if line.startswith("mine"))
        await pilot.pause()
        assert "What made you smile this week?" in str(screen.query_one("#preview", Static).render())
        await pilot.press("e")
        await pilot.pause()
        assert "What made you laugh this week?" in str(screen.query_one("#preview", Static).render())
        assert any("Reloaded: mine" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DecksScreen)


async def test_editing_a_built_in_copies_it_into_the_config_dir(coach_dirs, tmp_path, monkeypatch):
    config = coach_dirs[0]
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('title = \"Goals\"', 'title = \"My goals\"'))\n",
                      encoding="utf-8")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await run_command(pilot, "Decks")
        screen = app.screen
        options = screen.query_one("#items", OptionList)
        options.highlighted = next(i for i, line in enumerate(_options(screen)) if line.startswith("goals"))
        await pilot.press("e")
        await pilot.pause()
        assert app.library.decks["goals"].title == "My goals"
        assert not app.library.decks["goals"].builtin
    assert (config / "decks" / "goals.toml").exists()


async def test_live_reload_mid_meeting_and_a_broken_edit_keeps_the_last_good_deck(coach_dirs):
    config = coach_dirs[0]
    deck = _write(config, "decks", MY_DECK)
    _write(config, "templates", MY_TEMPLATE)
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="mine", clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.meeting.current.card.text == "What made you smile this week?"

        _touch_later(deck, MY_DECK.replace("What is on your mind?", "What are you proud of lately?"))
        clock.advance(3)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.meeting.current.card.text == "What are you proud of lately?"
        said = app.screen.query_one(StatusLine)
        assert said.text == "Reloaded: mine", "on the status line: nothing over the notes"

        _touch_later(deck, MY_DECK.replace('text = "What is on your mind?"', 'text = "unclosed'))
        clock.advance(3)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert said.text == "A prompt file has a problem: F4 shows it" and said.has_class("-warning")
        assert not app._notifications, "no toast over the notes mid-meeting"
        assert [c.text for c in app.screen.meeting.current.cards] == [
            "What made you smile this week?", "What are you proud of lately?"]
        assert app.focused is app.screen.query_one("#notes")


async def test_the_warning_threshold_comes_from_config(coach_dirs):
    config = coach_dirs[0]
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text("warn_percent = 50\nwarn_max_seconds = 600\n", encoding="utf-8")
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="standard", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        clock.advance(151)  # 149 s of 300 left: under half
        app.screen.tick()
        await pilot.pause()
        assert app.screen.query_one("#timer").has_class("-warn")


async def test_a_broken_config_is_reported_and_defaults_are_used(coach_dirs):
    config = coach_dirs[0]
    config.mkdir(parents=True, exist_ok=True)
    path = config / "config.toml"
    path.write_text('theme = "nordd"\nsound = "yes"\n', encoding="utf-8")
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await files_read(pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith(f"{path}:1:1:") and "nord" in m for m in messages), messages
        assert any(m.startswith(f"{path}:2:1:") for m in messages)
        assert app.config.sound is False


async def test_the_theme_comes_from_config(coach_dirs):
    config = coach_dirs[0]
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text('theme = "nord"\n', encoding="utf-8")
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert app.theme == "nord"


async def test_an_editor_that_does_not_exist_is_said_and_the_app_carries_on(coach_dirs, monkeypatch):
    monkeypatch.setenv("VISUAL", "no-such-editor-anywhere")
    app = CoachApp(partner="Ada", clock=FakeClock())
    suspended = []
    monkeypatch.setattr(app, "suspend", lambda: suspended.append(True))  # it must not get that far
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await run_command(pilot, "Decks")
        options = app.screen.query_one("#items", OptionList)
        options.highlighted = next(i for i, line in enumerate(_options(app.screen)) if line.startswith("goals"))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, DecksScreen)
        [note] = [n for n in app._notifications if n.title == "Could not edit"]
        assert "could not start the editor 'no-such-editor-anywhere'" in note.message
    assert suspended == []


# -- a broken file is marked in the list, with its problems ----------------------------------------
BROKEN_TWICE = MY_DECK.replace('title = "My questions"', "title = My questions").replace(
    'text = "What is on your mind?"', 'text = "What is on your mind?')


def screen_lines(app: CoachApp) -> list[str]:
    """The screen as the terminal shows it, line by line."""
    update = app.screen._compositor.render_update(full=True)
    return ["".join(segment.text for strip in row for segment in strip if not segment.control)
            for row in update.strips]


def squashed(text: str) -> str:
    """Text with its wrapping, borders and scroll bars taken out."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "│╭╮╰╯─▏▕▁▂▃▄▅▆▇█▌▐")


async def highlight(pilot, screen: DecksScreen, starts: str) -> None:
    """Move the list's cursor with the keys, as a user does, to the line that starts so."""
    options = screen.query_one("#items", OptionList)
    for _ in range(options.option_count):
        if _options(screen)[options.highlighted or 0].startswith(starts):
            return
        await pilot.press("down")
    raise AssertionError(f"no line starts with {starts!r}: {_options(screen)}")


@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
async def test_a_deck_broken_by_an_edit_is_marked_and_says_its_problems(coach_dirs, size):
    deck = _write(coach_dirs[0], "decks", MY_DECK)
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=size, notifications=True) as pilot:
        await run_command(pilot, "Decks")
        screen = app.screen
        assert isinstance(screen, DecksScreen)
        assert "mine  2 cards · yours" in _options(screen)
        _touch_later(deck, BROKEN_TWICE)
        await pilot.press("r")
        await wait_for(pilot, lambda: "⚠ mine  2 cards · yours" in _options(screen), "the deck marked")
        assert not any("⚠" in line for line in _options(screen) if "mine" not in line)
        await highlight(pilot, screen, "⚠ mine")
        assert any("⚠ mine" in row for row in screen_lines(app)), "the mark is on screen"
        preview = str(screen.query_one("#preview", Static).render())
        problems = [f"{deck}:3:9: TOML syntax: invalid value", f"{deck}:11:30: TOML syntax: illegal character '\\n'"]
        assert "This file has 2 problems" in preview
        assert all(problem in preview for problem in problems)
        assert "The last good version, below, stays in use until the file is fixed." in preview
        assert "What is on your mind?" in preview, "the last good version's cards"
        [toast] = [n for n in app._notifications if n.title == "Prompt file has a problem"]
        assert toast.message.splitlines()[:2] == problems, "one toast for the file, every problem in it"
        app.clear_notifications()
        await pilot.pause()
        box = screen.query_one("#preview-box").region
        shown = squashed("".join(row[box.x:box.right] for row in screen_lines(app)[box.y:box.bottom]))
        assert squashed(problems[0]) in shown, "the first problem is on screen, whole"

        _touch_later(deck, MY_DECK)  # fixed
        await pilot.press("r")
        await wait_for(pilot, lambda: "mine  2 cards · yours" in _options(screen), "the mark gone")
        assert "problem" not in str(screen.query_one("#preview", Static).render())


async def test_a_file_that_never_loaded_is_listed_and_can_be_opened(coach_dirs, tmp_path, monkeypatch):
    template = _write(coach_dirs[0], "templates", MY_TEMPLATE.replace("= 5", "= five").replace('"mine"]', '"goals"]'))
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('five', '5'))\n", encoding="utf-8")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await run_command(pilot, "Decks")
        screen = app.screen
        assert "⚠ mine  not loaded" in _options(screen)
        await highlight(pilot, screen, "⚠ mine  not loaded")
        preview = str(screen.query_one("#preview", Static).render())
        assert f"{template}:8:11: TOML syntax: invalid value" in preview and "Not loaded" in preview
        await pilot.press("e")
        await wait_for(pilot, lambda: "mine  5 min · yours" in _options(screen), "the template loaded")
        assert "mine" in app.library.templates
        options = screen.query_one("#items", OptionList)
        assert _options(screen)[options.highlighted or 0] == "mine  5 min · yours", "the cursor stays on it"


# -- templates reload live, like decks ----------------------------------------------------------------
async def choose_template(pilot, title: str) -> None:
    """Open Prep's template list with the keys and pick `title`."""
    from textual.widgets import Select

    select = pilot.app.screen.query_one("#template", Select)
    await pilot.press("enter")
    await wait_for(pilot, lambda: select.expanded, "the list open")
    titles = [str(prompt) for prompt, _value in select._options]
    at, now = titles.index(title), titles.index(str(next(p for p, v in select._options if v == select.value)))
    await pilot.press(*(["down"] * (at - now) if at >= now else ["up"] * (now - at)), "enter")
    await wait_for(pilot, lambda: not select.expanded, "the list closed")


async def test_a_new_template_shows_up_in_prep_without_a_restart(coach_dirs):
    clock = FakeClock()
    app = CoachApp(partner="Ada", clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await files_read(pilot)
        assert "mine" not in app.library.templates
        _write(coach_dirs[0], "templates", MY_TEMPLATE.replace('decks = ["mine"]', 'decks = ["goals"]'))
        clock.advance(3)
        await pilot.press("tab")  # to the template list: about to choose, so the files are looked at
        await wait_for(pilot, lambda: "mine" in app.library.templates, "the new template read")
        await choose_template(pilot, "Mine")
        assert "1. Chit-chat" in str(app.screen.query_one("#plan", Static).render())
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        assert [phase.id for phase in app.meeting.template.phases] == ["chit-chat"]


async def test_a_broken_template_edit_keeps_the_last_good_one_and_says_every_problem(coach_dirs):
    template = _write(coach_dirs[0], "templates", MY_TEMPLATE)
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="mine", clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await files_read(pilot)
        _touch_later(template, MY_TEMPLATE.replace('title = "Mine"', "title = Mine").replace("= 5", "= -5"))
        clock.advance(3)
        app.post_message(events.AppFocus())  # back from the editor's window
        await wait_for(pilot, lambda: any(n.title == "Prompt file has a problem" for n in app._notifications),
                       "the problems said")
        [toast] = [n for n in app._notifications if n.title == "Prompt file has a problem"]
        assert toast.message.splitlines() == [f"{template}:3:9: TOML syntax: invalid value",
                                              f"{template}:8:1: [[phases]] #1: `minutes` must be a number above 0 "
                                              "and at most 600, not -5",
                                              "The last good version stays in use."]
        assert app.library.templates["mine"].phases[0].minutes == 5
        assert "5 min" in str(app.screen.query_one("#plan", Static).render())

        template.unlink()  # gone: the default takes its place, and the plan says so
        clock.advance(3)
        app.post_message(events.AppFocus())
        await wait_for(pilot, lambda: "mine" not in app.library.templates, "the template gone")
        assert app.screen.template_id == "standard"
        assert "30 minutes;" in str(app.screen.query_one("#plan", Static).render())


async def test_the_open_decks_screen_picks_up_an_edit_by_itself_and_keeps_the_selection(coach_dirs):
    """No `r` needed: while the list is open, a file saved in another window is looked at again
    (driven here by the app's clock and the screen's look, not by waiting)."""
    deck = _write(coach_dirs[0], "decks", MY_DECK)
    clock = FakeClock()
    app = CoachApp(partner="Ada", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Decks")
        screen = app.screen
        assert isinstance(screen, DecksScreen)
        await highlight(pilot, screen, "mine  2 cards")
        _touch_later(deck, BROKEN_TWICE)
        clock.advance(10)
        screen.look_for_edits()
        await wait_for(pilot, lambda: "⚠ mine  2 cards · yours" in _options(screen), "the deck marked without r")
        options = screen.query_one("#items", OptionList)
        assert "⚠ mine" in str(options.get_option_at_index(options.highlighted).prompt), "the selection stays"
        assert "This file has 2 problems" in str(screen.query_one("#preview", Static).render())
