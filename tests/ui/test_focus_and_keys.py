"""Keys typed right after a focus change land in the newly focused field, however fast they come."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, RadioSet

from coach.app import CoachApp
from coach.clock import FakeClock
from tests.ui.helpers import end_meeting, wait_for


def type_at_once(app: CoachApp, *keys: str) -> None:
    """Queue `keys` all together, as a terminal delivers a burst (Pilot's press waits after each key)."""
    for key in keys:
        char = key if len(key) == 1 else None
        app.post_message(events.Key(key, char))


async def test_a_reflection_typed_right_after_tab_lands_in_the_reflection(quick_template):
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await end_meeting(pilot)
        await wait_for(pilot, lambda: isinstance(app.focused, RadioSet), "the rating focused")
        reflection = app.screen.query_one("#reflection", Input)
        type_at_once(app, "4", "tab", *"good energy")
        await wait_for(pilot, lambda: reflection.value == "good energy", "the reflection typed after Tab")
        assert app.focused is reflection
        await wait_for(pilot, lambda: app.screen.meeting.rating == 4, "the rating typed before Tab")
        type_at_once(app, "shift+tab", "tab", *" again")
        await wait_for(pilot, lambda: reflection.value == "good energy again", "the reflection after shift+tab, tab")
