"""Safety: one app per data dir, no network, no file outside coach's folders, hostile names."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from textual.widgets import Label

from coach.app import CoachApp
from coach.clock import FakeClock
from coach.lock import DataLock
from coach.store import device_dir, partners_dir
from screens.busy import BusyScreen
from screens.picker import PickerScreen
from screens.saved import SavedScreen
from tests.ui.helpers import saved_summaries, whole_meeting

REPO = Path(__file__).resolve().parents[2]


async def test_a_second_coach_is_told_a_meeting_is_already_running():
    holder = DataLock()
    holder.acquire()
    try:
        app = CoachApp(clock=FakeClock())
        async with app.run_test(size=(60, 20)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, BusyScreen)
            text = " ".join(str(label.render()) for label in app.screen.query(Label))
            assert "already running" in text and f"process {os.getpid()}" in text
            assert "coach decks list" in text
            await pilot.press("q")
            await pilot.pause()
        assert not app.is_running
    finally:
        holder.release()


async def test_a_stale_lock_from_a_dead_process_is_recovered(coach_dirs):
    data = coach_dirs[1]
    data.mkdir(parents=True)
    (data / "coach.lock").write_text("999999\n", encoding="ascii")  # where an older version kept it
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert not (data / "coach.lock").exists(), "nobody's lock: gone from the data folder"
        assert (device_dir() / "coach.lock").read_text(encoding="ascii").strip() == str(os.getpid())


async def test_a_whole_meeting_never_touches_the_network(quick_template, monkeypatch):
    attempts: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(name)
            raise OSError("network use is not allowed in coach")

        return blocked

    class NoSocket(socket.socket):
        def __init__(self, family=-1, *args, **kwargs):
            if family in (socket.AF_INET, socket.AF_INET6):
                attempts.append("socket")
                raise OSError("network use is not allowed in coach")
            super().__init__(family, *args, **kwargs)

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await whole_meeting(pilot)
        await pilot.press("n")
        await pilot.pause()
    assert attempts == []


TOOL_CACHES = {"__pycache__", ".pytest_cache", ".git", ".venv", ".ruff_cache", ".hypothesis"}
"""Folders the test tools write to while other tests run beside this one (never coach)."""


def _files_under(root: Path) -> dict[Path, int]:
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in TOOL_CACHES]
        for name in files:
            path = Path(folder, name)
            try:
                found[path] = path.stat().st_mtime_ns
            except FileNotFoundError:
                continue
    return found


async def test_nothing_is_written_outside_the_config_and_data_dirs(quick_template, coach_dirs, tmp_path,
                                                                   monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.chdir(home)
    watched = [tmp_path, REPO]
    before = {root: _files_under(root) for root in watched}
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await whole_meeting(pilot)
    config, data = coach_dirs
    device = device_dir()  # the lock, while the app runs
    for root in watched:
        after = _files_under(root)
        changed = [p for p, mtime in after.items() if before[root].get(p) != mtime]
        outside = [p for p in changed if not {config, data, device} & set(p.parents)]
        assert outside == [], outside
    assert saved_summaries(data)


HOSTILE = ["../../x", "/", ".", "..", "CON", "x" * 300, "🦊 fox", "Zoë O'Brien", "李雷", "👨\u200d👩\u200d👧",
           "con.txt", "a/b\\c", " lead space", "[b]bold[/b] [link=http://x]y[/link]"]


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
async def test_hostile_partner_names_stay_inside_the_data_dir(name, quick_template, coach_dirs):
    app = CoachApp(partner=name, template=quick_template, clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"hi", "f10")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SavedScreen)
    config, data, device = (d.resolve() for d in (*coach_dirs, device_dir()))  # the device's: the lock
    written = [p for p in coach_dirs[1].parent.rglob("*")
               if p.is_file() and not {config, device} & set(p.resolve().parents)]
    for path in written:
        assert data in path.resolve().parents, path
    [summary] = saved_summaries(coach_dirs[1])
    assert summary["partner"].strip()


@pytest.mark.parametrize("name", ["a\x00b", "\u202eevil", "\x1b[31mred", "Ada\nLovelace", "tab\there"])
async def test_a_name_with_control_characters_is_refused_and_nothing_is_written(name, coach_dirs):
    app = CoachApp(partner=name, clock=FakeClock())
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        [note] = [n for n in app._notifications if "control characters" in n.message]
        assert "\x1b" not in note.message and "\x00" not in note.message
    assert not partners_dir().exists()


async def test_a_second_coach_can_still_read_history_and_decks_but_not_write():
    from screens.decks import DecksScreen
    from screens.history import HistoryScreen

    holder = DataLock()
    holder.acquire()
    try:
        app = CoachApp(clock=FakeClock())
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.pause()
            await pilot.click("#history")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.click("#decks")
            await pilot.pause()
            assert isinstance(app.screen, DecksScreen)
            app.open_prep("Ada")
            await pilot.pause()
            assert not isinstance(app.screen, PickerScreen)
            assert any("Read-only" in n.message for n in app._notifications)
    finally:
        holder.release()
    assert not list(partners_dir().glob("*.toml")), "nothing was written to the data dir"
