"""Decks a user writes: the Decks screen, editing in $EDITOR, and live reload mid-meeting."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from textual.widgets import OptionList, Static

from coach.app import CoachApp
from coach.clock import FakeClock
from screens.decks import DecksScreen
from screens.meeting import MeetingScreen
from tests.ui.helpers import run_command

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
        assert any("Reloaded: mine" in n.message for n in app._notifications)

        _touch_later(deck, MY_DECK.replace('text = "What is on your mind?"', 'text = "unclosed'))
        clock.advance(3)
        await pilot.press("ctrl+n")
        await pilot.pause()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any(m.startswith(f"{deck}:") and "last good version" in m for m in errors), errors
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
        await pilot.pause()
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
        await pilot.pause()
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
