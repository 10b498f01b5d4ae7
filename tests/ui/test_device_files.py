"""The data folder holds only what the user made: the draft, the lock and the first-run state are
this device's, in its own folder, and an older version's are moved there when the app starts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from textual.widgets import Label, TextArea

from coach import draft as drafts
from coach import store
from coach.app import CoachApp
from coach.clock import FakeClock
from screens.busy import BusyScreen
from screens.meeting import MeetingScreen
from screens.resume import ResumeScreen
from screens.welcome import WelcomeScreen
from tests.ui.helpers import draft_text, wait_for, whole_meeting

USERS = {"partners", "sessions", "exports"}


def outside_what_the_user_made(data: Path) -> list[Path]:
    return [p for p in data.rglob("*") if not p.is_dir() and p.relative_to(data).parts[0] not in USERS]


async def test_an_older_versions_draft_is_moved_and_offered_back(quick_template, coach_dirs):
    clock = FakeClock()
    app = CoachApp(partner="Ada", template=quick_template, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"words from before")
        await wait_for(pilot, lambda: "words from before" in draft_text(), "the autosave")
    data, device = coach_dirs[1], store.device_dir()
    # As an older version left it: the draft, a lock nobody holds and the welcome's mark in the data folder.
    shutil.move(device / "draft.toml", data / "draft.toml")
    (data / "coach.lock").write_text("4194303\n", encoding="ascii")
    (data / "state.toml").write_text("schema = 1\nwelcomed = 2026-01-01T00:00:00Z\n", encoding="utf-8")
    shutil.rmtree(device)
    assert not store.first_run()
    app = CoachApp(clock=clock, welcome=store.first_run())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        assert not app._notifications, "nothing to say: the files were only moved"
        assert "words from before" in (device / "draft.toml").read_text(encoding="utf-8")
        assert (device / "state.toml").exists()
        assert sorted(p.name for p in data.iterdir()) == ["partners"], "no draft, lock or state left"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.query_one("#notes", TextArea).text == "words from before"


async def test_after_a_meeting_the_data_folder_holds_no_draft_lock_state_or_cache(quick_template, coach_dirs):
    data = coach_dirs[1]
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock(), welcome=store.first_run())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
        await pilot.press("enter")
        await pilot.pause()
        await whole_meeting(pilot)
        await pilot.press("f3")  # the history builds its index
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert outside_what_the_user_made(data) == []
    assert outside_what_the_user_made(data) == []
    assert list((data / "sessions").rglob("*.toml")) and list((data / "partners").glob("*.toml"))
    assert not store.first_run() and store.state_path().exists()
    assert not drafts.draft_path().exists(), "the draft went once the summary was saved"
    assert (store.device_dir() / "coach.lock").exists()


async def test_an_older_coach_still_running_is_told_and_its_draft_left_alone(coach_dirs):
    fcntl = pytest.importorskip("fcntl", reason="an older coach locks with flock (POSIX)")
    data = coach_dirs[1]
    data.mkdir(parents=True)
    (data / "draft.toml").write_text("the older coach's meeting", encoding="utf-8")
    held = os.open(data / "coach.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.write(held, f"{os.getpid()}\n".encode("ascii"))
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as an older coach holds it
        app = CoachApp(clock=FakeClock())
        async with app.run_test(size=(60, 20)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, BusyScreen)
            text = " ".join(str(label.render()) for label in app.screen.query(Label))
            assert f"process {os.getpid()}" in text and str(data) in text
        assert (data / "draft.toml").read_text(encoding="utf-8") == "the older coach's meeting"
        assert not store.device_dir().exists()
    finally:
        os.close(held)
