"""SIGTERM and SIGHUP (the terminal closed) keep the draft and end coach quietly."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

pytest.importorskip("pty", reason="needs a POSIX pseudo-terminal (pty)")
pytest.importorskip("termios", reason="needs a POSIX pseudo-terminal (termios)")

from coach.store import device_dir
from tests.ui.pty_driver import CoachTerminal, read_toml, terminal_env, wait_until


@pytest.fixture
def terminal(quick_template: str, coach_dirs: tuple[Path, Path]):
    config, data = coach_dirs
    env = terminal_env(config, data)
    term = CoachTerminal(["--partner", "Ada", "--template", quick_template], env)
    try:
        yield term
    finally:
        term.close()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_keeps_the_draft_and_exits_quietly(terminal: CoachTerminal, coach_dirs, signum):
    data = coach_dirs[1]
    terminal.start()
    terminal.wait_for_screen("Start meeting")
    terminal.press("s")
    terminal.wait_for_screen("Notes")
    terminal.type("pelican tangerine")
    terminal.wait_for_screen("tangerine")
    os.kill(terminal.pid, signum)  # at once: no autosave has had time to run
    code = terminal.proc.wait(timeout=10)
    assert code == 0, terminal.output(False)[-1500:]
    assert "Traceback" not in terminal.output(False)
    state = read_toml(device_dir(data) / "draft.toml")
    assert state is not None and state["phases"][0]["notes"] == "pelican tangerine"
    assert not (device_dir(data) / "coach.lock").read_text(encoding="ascii").strip(), "the lock is given back"


def test_a_sighup_with_the_terminal_still_there_gives_it_back_as_it_was(terminal: CoachTerminal):
    """`kill -HUP` (the terminal is not gone): its main screen, cursor, mouse and title come back."""
    from coach.shutdown import TERMINAL_AS_IT_WAS

    terminal.start()
    terminal.wait_for_screen("Start meeting")
    before = len(terminal.raw())
    os.kill(terminal.pid, signal.SIGHUP)
    assert terminal.proc.wait(timeout=10) == 0
    wait_until("the terminal given back", lambda: TERMINAL_AS_IT_WAS in terminal.raw()[before:])


def test_the_lock_is_released_for_the_next_start(terminal: CoachTerminal, coach_dirs):
    terminal.start()
    terminal.wait_for_screen("Start meeting")
    os.kill(terminal.pid, signal.SIGTERM)
    assert terminal.proc.wait(timeout=10) == 0
    terminal.close()
    again = CoachTerminal(terminal.args, terminal.env).start()
    try:
        again.wait_for_screen("Start meeting")
        lock = device_dir(coach_dirs[1]) / "coach.lock"
        wait_until("the lock held by the new process",
                   lambda: lock.read_text(encoding="ascii").strip() == str(again.pid))
        assert "already running" not in again.output(False)
    finally:
        again.close()
    wait_until("process gone", lambda: not again.alive() or None, timeout=5)


async def test_the_template_choice_mounted_as_coach_closes_leaves_no_traceback(coach_dirs):
    """The race behind an exit status 1 on SIGTERM or ctrl+q: the prep's template Select was mounted
    while coach was closing, and its mount looked for its list and label, already taken down. The
    mount goes the way Textual sends it: to the handler of each class, Textual's Select's too."""
    from textual import events
    from textual.css.query import NoMatches

    from coach.app import CoachApp
    from screens.prep import PrepScreen
    from screens.widgets.select import Select
    from tests.ui.helpers import wait_for

    app = CoachApp(partner="Ada")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen) and bool(app.screen.query("#template")),
                       "the template choice")
        select = app.screen.query_one("#template", Select)
        await select.query_one("SelectCurrent #label").remove()
        await select.query_one("SelectOverlay").remove()
        select.set_reactive(Select.value, Select.BLANK)  # as before its mount: the value is still to fill in
        with pytest.raises(NoMatches):  # while coach runs, a missing part is a bug and says so
            await select._dispatch_message(events.Mount())
        app.exit()  # what ctrl+q and the SIGTERM handler do
        select.set_reactive(Select.value, Select.BLANK)
        await select._dispatch_message(events.Mount())  # the mount as it comes while the screens are taken down
        select.set_options([("Another", "another")])  # a template read meanwhile
    assert app.return_code == 0
