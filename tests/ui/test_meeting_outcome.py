"""One record, many views: over two meetings with one partner, what the second settled (a
commitment done in the review, a goal reached) is on its wrap-up, in its saved follow-up, and
counted by `coach history --json` as in each summary's own lists."""

from __future__ import annotations

import json
import subprocess
import sys

from textual.widgets import Label, Static, TextArea

from coach.app import CoachApp
from coach.clock import FakeClock
from screens.goal_reached import GoalReachedScreen
from screens.meeting import MeetingScreen
from screens.review import ReviewScreen
from screens.saved import SavedScreen
from screens.wrap_up import EDITED_LABEL, FOLLOW_UP_LABEL, WrapUpScreen
from tests.ui.helpers import end_meeting, run_command, saved_summaries, wait_for


def shown(app: CoachApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _first_meeting(clock: FakeClock, template: str) -> None:
    """A goal and a commitment captured; the follow-up edited by hand is then kept as edited."""
    app = CoachApp(partner="Zoë O'Brien", template=template, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        await pilot.press("ctrl+g", *"run a half marathon", "enter")
        await pilot.press("ctrl+o", *"send the training plan", "enter")
        await wait_for(pilot, lambda: len(app.screen.meeting.captures) == 2, "two captures")
        await end_meeting(pilot)
        area = app.screen.query_one("#follow-up", TextArea)
        assert "Goals we set:\n- run a half marathon\n" in area.text
        assert "I'll:\n- send the training plan\n" in area.text
        label = app.screen.query_one("#follow-up-label", Label)
        assert str(label.render()) == FOLLOW_UP_LABEL
        area.load_text(area.text + "PS: edited by hand\n")
        await wait_for(pilot, lambda: str(label.render()) == EDITED_LABEL, "the label saying it is edited")
        await pilot.press("ctrl+g", *"sleep more", "enter")
        await wait_for(pilot, lambda: "sleep more" in shown(app, "#captures"), "the new goal on the wrap-up")
        assert "sleep more" not in area.text and area.text.endswith("PS: edited by hand\n"), "edited: left alone"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedScreen), "the summary saved")


async def test_the_second_meeting_settles_the_first_and_every_view_says_so(quick_template, coach_dirs):
    clock = FakeClock()
    await _first_meeting(clock, quick_template)
    clock.advance(7 * 24 * 3600)

    app = CoachApp(partner="Zoë O'Brien", template=quick_template, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        await pilot.press("ctrl+f", "ctrl+f")  # into commitments: the review opens by itself
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "back in the meeting")
        await end_meeting(pilot)
        area = app.screen.query_one("#follow-up", TextArea)
        assert "Done since last time:\n- send the training plan (mine)\n" in area.text
        assert "Goals reached" not in area.text
        # On the wrap-up, the goal is reached: the follow-up, not edited, follows.
        await run_command(pilot, "Mark goal reached")
        assert isinstance(app.screen, GoalReachedScreen)
        await pilot.press("enter")  # the first open goal
        await wait_for(pilot, lambda: isinstance(app.screen, WrapUpScreen), "back on the wrap-up")
        captures = shown(app, "#captures")
        assert "1 commitment done · 1 goal reached" in captures
        assert "Done: send the training plan (me)" in captures and "Goal reached: run a half marathon" in captures
        assert "Goals reached — well done!\n- run a half marathon\n" in area.text
        assert "Done since last time:\n- send the training plan (mine)\n" in area.text
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedScreen), "the summary saved")

    first, second = saved_summaries(coach_dirs[1])
    assert first["follow_up"].endswith("PS: edited by hand\n")
    assert "Goals reached — well done!\n- run a half marathon\n" in second["follow_up"]
    assert "Done since last time:\n- send the training plan (mine)\n" in second["follow_up"]

    result = subprocess.run([sys.executable, "-m", "coach", "history", "--json"], capture_output=True, text=True,
                            timeout=60)
    assert (result.returncode, result.stderr) == (0, "")
    listed = {row["id"]: row for row in json.loads(result.stdout)}
    for summary in (first, second):
        row = listed[summary["id"]]
        for key in ("goals", "commitments", "remembered"):
            assert row[key] == len(summary.get(key, [])), key
    assert {k: listed[first["id"]][k] for k in ("goals", "commitments", "done", "goals_reached")} == {
        "goals": 2, "commitments": 1, "done": 0, "goals_reached": 0}
    assert {k: listed[second["id"]][k] for k in ("goals", "commitments", "done", "carried", "goals_reached")} == {
        "goals": 0, "commitments": 0, "done": 1, "carried": 0, "goals_reached": 1}
