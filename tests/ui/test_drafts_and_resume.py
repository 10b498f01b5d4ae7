"""Never lose a word: autosave, resume, quitting mid-meeting, and failures to save."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox, Input, TextArea

from coach import draft as drafts
from coach import summaries
from coach.app import CoachApp
from coach.clock import FakeClock
from screens.confirm import Confirm
from screens.meeting import MeetingScreen
from screens.picker import PickerScreen
from screens.prep import PrepScreen
from screens.resume import ResumeScreen
from screens.save_failed import SaveFailedScreen
from screens.saved import SavedScreen
from screens.wrap_up import WrapUpScreen
from tests.ui.helpers import draft_text, palette_names, run_command, saved_summaries, wait_for


async def grace_after_a_meeting_left_behind(template: str) -> CoachApp:
    """coach started for Grace while the meeting with Ada waits as a draft (it asks about it first)."""
    clock = FakeClock()
    await _meeting_left_behind(clock, template)
    return CoachApp(partner="Grace", clock=clock)


async def _meeting_left_behind(clock: FakeClock, template: str) -> None:
    """Run a meeting into the goals phase, with notes and a fact, and leave it unfinished."""
    app = CoachApp(partner="Ada", template=template, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"chit chat words")
        clock.advance(2)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"goal words")
        clock.advance(1.5)
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press(*"likes sailing", "enter")
        await wait_for(pilot, lambda: "likes sailing" in draft_text() and "unsaved_capture" not in draft_text(),
                       "the autosave after the capture")
        state = tomllib.loads(drafts.draft_path().read_text(encoding="utf-8"))
        assert state["phases"][1]["notes"] == "goal words"
        assert [c["text"] for c in state["captures"]] == ["likes sailing"]


async def test_the_draft_is_written_soon_after_a_change_and_not_when_nothing_changed(quick_template):
    clock = FakeClock()
    app = CoachApp(partner="Ada", template=quick_template, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"hello")
        await wait_for(pilot, lambda: "hello" in draft_text(), "the autosave")
        path = drafts.draft_path()
        assert oct(path.stat().st_mode & 0o777) == oct(0o600)
        written = path.stat().st_mtime_ns
        clock.advance(10)
        assert app.in_progress.drafts.save(app.meeting, clock.monotonic(), clock.wall()) is False
        app.in_progress.changed()  # a change that changed nothing: the autosave runs and writes nothing
        assert app.in_progress.writing_soon
        await wait_for(pilot, lambda: not app.in_progress.writing_soon, "the autosave")
        assert path.stat().st_mtime_ns == written, "no write when nothing changed"


async def test_resume_restores_phase_notes_captures_and_timers(quick_template):
    clock = FakeClock()
    await _meeting_left_behind(clock, quick_template)
    clock.advance(600)  # ten minutes away
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        text = " ".join(str(label.render()) for label in app.screen.query("Label"))
        assert "Ada" in text and "in Goals" in text and "10 min" in text
        assert app.focused is app.screen.query_one("#resume", Button)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        notes = screen.query_one("#notes", TextArea)
        assert notes.text == "goal words"
        assert app.focused is notes
        assert notes.cursor_location == notes.document.end
        meeting = screen.meeting
        assert meeting.current.plan.id == "goals"
        assert meeting.phases[0].notes == "chit chat words"
        assert meeting.phases[0].clock.elapsed == pytest.approx(2)
        assert meeting.current.clock.at(clock.monotonic()) == pytest.approx(1.5, abs=0.01), "the gap is not counted"
        assert [c.text for c in meeting.captures] == ["likes sailing"]
        await pilot.press(*" and more")
        assert notes.text == "goal words and more"


async def test_resume_can_count_the_time_away(quick_template):
    clock = FakeClock()
    await _meeting_left_behind(clock, quick_template)
    clock.advance(120)
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#count-gap", Checkbox).value = True
        await pilot.click("#resume")
        await pilot.pause()
        meeting = app.screen.meeting
        assert meeting.current.clock.at(clock.monotonic()) == pytest.approx(121.5, abs=0.01)


async def test_a_draft_is_offered_before_another_partners_prep(quick_template, coach_dirs):
    app = await grace_after_a_meeting_left_behind(quick_template)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("s")  # not a key here: an `s` meant for "start meeting" must not save the draft
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("ctrl+s")  # Save as it is
        await wait_for(pilot, lambda: isinstance(app.screen, SavedScreen), "the draft saved as it is")
    [summary] = saved_summaries(coach_dirs[1])
    assert summary["partner"] == "Ada"
    assert [p["notes"] for p in summary["phases"]][:2] == ["chit chat words", "goal words"]
    assert not drafts.draft_path().exists(), "the draft goes once the summary is on disk"


async def test_discard_asks_once_more(quick_template):
    clock = FakeClock()
    await _meeting_left_behind(clock, quick_template)
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("enter")  # the focused answer is the safe one: cancel
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        assert drafts.draft_path().exists()
        await pilot.press("d")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert not drafts.draft_path().exists()


async def test_discard_with_the_buttons_leaves_the_app_at_the_partner_picker(quick_template):
    """Tab to Discard, Enter, Tab to Discard in the question, Enter: the app runs on, at the picker.

    (The buttons, not the `d` key: the answer then comes back to the dialog's own message loop,
    where awaiting its dismissal was a ScreenError that ended the app.)"""
    clock = FakeClock()
    await _meeting_left_behind(clock, quick_template)
    app = CoachApp(clock=clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen), "the resume offer")
        await pilot.press("tab", "tab")
        assert app.focused is app.screen.query_one("#discard", Button)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "the question")
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#yes", Button)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen), "the partner picker")
        assert app.is_running and app._exception is None
        assert not drafts.draft_path().exists()
        assert app.pending_draft is None
        await pilot.press(*"Grace", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "Grace's prep")
        assert app.screen.partner == "Grace"


async def test_decide_later_then_resume_from_the_palette(quick_template):
    app = await grace_after_a_meeting_left_behind(quick_template)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PrepScreen)
        assert "Resume meeting" in await palette_names(pilot)
        await run_command(pilot, "Resume meeting")
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.meeting.partner == "Ada"
        assert "Resume meeting" not in await palette_names(pilot)


async def test_a_broken_draft_is_kept_aside_and_reported(coach_dirs):
    data = coach_dirs[1]
    data.mkdir(parents=True)  # where an older version left it: moved first, then read
    (data / "draft.toml").write_text("schema = 1\nkind = 'draft'\npartner = \n", encoding="utf-8")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        [note] = [n for n in app._notifications if "draft" in n.title.lower()]
        assert f"{drafts.draft_path()}:3:" in note.message
    [kept] = drafts.draft_path().parent.glob("draft.toml.broken-*")
    assert "partner = " in kept.read_text(encoding="utf-8")
    assert not list(data.iterdir())


async def test_ctrl_q_in_a_meeting_asks_and_keeps_the_draft(quick_template):
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"keep me")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.focused is app.screen.query_one("#notes", TextArea)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
    assert app.return_code == 0
    state = tomllib.loads(drafts.draft_path().read_text(encoding="utf-8"))
    assert state["phases"][0]["notes"] == "keep me"


async def test_ctrl_c_is_not_a_crash(quick_template):
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MeetingScreen)


async def _reach_wrap_up(pilot) -> None:
    await pilot.press("s")
    await pilot.pause()
    await pilot.press(*"notes that must survive")
    await pilot.press("f10")
    await pilot.pause()
    await pilot.press("enter")  # End meeting? asks first
    await pilot.pause()
    assert isinstance(pilot.app.screen, WrapUpScreen)


@contextlib.contextmanager
def read_only(folder: Path):
    """Make `folder` read-only for this process: chmod for a normal user; for root, who
    ignores permissions, a read-only bind mount. Yields a function that makes it writable."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield lambda: folder.chmod(0o700)
        finally:
            folder.chmod(0o700)
        return
    mount = shutil.which("mount")
    ok = mount and subprocess.run([mount, "--bind", str(folder), str(folder)], capture_output=True).returncode == 0
    if not ok:
        pytest.skip("running as root and cannot bind-mount a read-only folder here")
    mounted = [True]

    def writable() -> None:
        if mounted[0]:
            subprocess.run(["umount", str(folder)], check=True)
            mounted[0] = False

    try:
        if subprocess.run([mount, "-o", "remount,bind,ro", str(folder)], capture_output=True).returncode:
            pytest.skip("running as root and cannot remount a folder read-only here")
        yield writable
    finally:
        writable()


async def test_a_read_only_data_dir_keeps_everything_and_retries(quick_template, coach_dirs):
    sessions = coach_dirs[1] / "sessions"
    sessions.mkdir(parents=True)
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    with read_only(sessions) as make_writable:
        async with app.run_test(size=(80, 24)) as pilot:
            await _reach_wrap_up(pilot)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, SaveFailedScreen)
            message = str(app.screen.query_one(".error-text").render())
            assert str(sessions) in message
            assert "Permission denied" in message or "Read-only file system" in message
            assert "notes that must survive" in drafts.draft_path().read_text(encoding="utf-8")
            make_writable()
            await pilot.click("#retry")
            await pilot.pause()
            assert isinstance(app.screen, SavedScreen)
    [summary] = saved_summaries(coach_dirs[1])
    assert summary["phases"][0]["notes"] == "notes that must survive"


async def test_a_full_disk_keeps_everything_and_saves_elsewhere(quick_template, coach_dirs, tmp_path, monkeypatch):
    real_write = summaries.write_atomic
    sessions = coach_dirs[1] / "sessions"

    def full_disk(path, data):
        if sessions in path.parents:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real_write(path, data)

    monkeypatch.setattr(summaries, "write_atomic", full_disk)
    elsewhere = tmp_path / "usb stick"
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await _reach_wrap_up(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SaveFailedScreen)
        message = str(screen.query_one(".error-text").render())
        assert "No space left on device" in message and str(sessions) in message
        assert "notes that must survive" in drafts.draft_path().read_text(encoding="utf-8")
        await pilot.click("#retry")
        await pilot.pause()
        assert isinstance(app.screen, SaveFailedScreen), "still full: still offered"
        app.screen.query_one("#other-folder", Input).value = str(elsewhere)
        await pilot.click("#elsewhere")
        await pilot.pause()
        assert isinstance(app.screen, SavedScreen)
    [path] = elsewhere.glob("*.toml")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["phases"][0]["notes"] == "notes that must survive"
    assert not drafts.draft_path().exists()


async def test_back_from_a_failed_save_returns_to_the_wrap_up(quick_template, monkeypatch):
    def broken(path, data):
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))

    monkeypatch.setattr(summaries, "write_atomic", broken)
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await _reach_wrap_up(pilot)
        await pilot.press("4")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        assert app.meeting.rating == 4


def test_gap_helper_reads_naturally():
    from screens.resume import away_text

    assert away_text(30) == "under a minute"
    assert away_text(timedelta(minutes=12).total_seconds()) == "12 min"
    assert away_text(timedelta(hours=3, minutes=5).total_seconds()) == "3 h 05 min"
    assert away_text(timedelta(days=5).total_seconds()) == "5 days"


async def test_a_capture_being_typed_is_kept_and_reopened(quick_template):
    from screens.capture import CaptureDialog

    clock = FakeClock()
    app = CoachApp(partner="Ada", template=quick_template, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press(*"her sister is visiting")
        await wait_for(pilot, lambda: "her sister is visiting" in draft_text(), "the autosave with the dialog open")
    state = tomllib.loads(drafts.draft_path().read_text(encoding="utf-8"))
    assert state["unsaved_capture"] == {"kind": "fact", "text": "her sister is visiting", "owner": "me", "due": ""}

    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # Resume
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CaptureDialog)
        field = app.screen.query_one("#capture-text", Input)
        assert field.value == "her sister is visiting" and app.focused is field
        await pilot.press(*" in May", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert [c.text for c in app.meeting.captures] == ["her sister is visiting in May"]
        assert app.meeting.unsaved_capture is None


async def test_ctrl_q_on_the_unfinished_meeting_question_quits_and_keeps_the_draft(quick_template):
    app = await grace_after_a_meeting_left_behind(quick_template)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0
    assert drafts.draft_path().is_file(), "offered again at the next start"
