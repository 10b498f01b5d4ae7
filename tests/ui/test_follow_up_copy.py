"""F5 on the wrap-up: the follow-up goes to the clipboard and to a file in the exports folder,
and the toast says where; when the file cannot be written, the text is shown to select by hand."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from coach.app import CoachApp
from coach.clock import FakeClock
from screens.follow_up_text import FollowUpTextScreen
from screens.wrap_up import WrapUpScreen
from tests.ui.helpers import end_meeting, wait_for


async def _to_the_wrap_up(pilot, app: CoachApp) -> TextArea:
    await pilot.press("s")
    await pilot.pause()
    await pilot.press("ctrl+o")
    await pilot.pause()
    await pilot.press(*"send the slides", "enter")
    await pilot.pause()
    await end_meeting(pilot)
    return app.screen.query_one("#follow-up", TextArea)


async def test_f5_copies_the_follow_up_and_saves_it_in_the_exports_folder(quick_template, coach_dirs):
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        area = await _to_the_wrap_up(pilot, app)
        area.load_text(area.text + "PS: edited by hand\n")
        await pilot.press("f5")
        exports = coach_dirs[1] / "exports"
        await wait_for(pilot, lambda: any(exports.glob("follow-up-*.txt")), "the follow-up file")
        [path] = list(exports.glob("follow-up-*.txt"))
        assert path.name == f"follow-up-{app.meeting.id}.txt"
        text = path.read_text(encoding="utf-8")
        assert text.startswith("Hi Ada,") and "send the slides" in text and text.endswith("PS: edited by hand\n")
        assert app.clipboard == area.text
        [toast] = [n for n in app._notifications if "Follow-up" in n.message]
        assert str(path) in toast.message and "saved to" in toast.message
        await pilot.press("f5")  # again: the same file, rewritten
        await pilot.pause()
        assert list(exports.glob("follow-up-*.txt")) == [path]


async def test_when_the_file_cannot_be_written_the_text_is_shown_to_select(quick_template, coach_dirs):
    data: Path = coach_dirs[1]
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        area = await _to_the_wrap_up(pilot, app)
        (data / "exports").write_text("a file where the folder should be", encoding="utf-8")
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpTextScreen), "the follow-up shown")
        shown = app.screen.query_one("#follow-up-text", TextArea)
        assert shown.read_only and shown.text == area.text
        assert app.focused is shown
        problem = " ".join(str(label.render()) for label in app.screen.query(".error-text"))
        assert "not saved" in problem and "exports" in problem
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, WrapUpScreen), "back at the wrap-up")
