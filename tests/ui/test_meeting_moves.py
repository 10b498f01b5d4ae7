"""Moving through a meeting in the app: back a phase, ending after a question, and one set of
time figures on the phase strip, the wrap-up and the saved summary."""

from __future__ import annotations

import re

from textual.widget import Widget
from textual.widgets import TextArea

from coach.app import CoachApp
from coach.clock import FakeClock
from coach.timefmt import duration
from screens.confirm import Confirm
from screens.meeting import MeetingScreen
from screens.saved import SavedScreen
from screens.widgets.phase_strip import PhaseStrip
from screens.wrap_up import WrapUpScreen
from tests.ui.helpers import palette_names, run_command, saved_summaries, wait_for

SHORT = """\
schema = 1
id = "short"
title = "Short phases"

[[phases]]
id = "warm-up"
title = "Warm-up"
minutes = 1
decks = ["chit-chat"]

[[phases]]
id = "check-in"
title = "Check-in"
minutes = 0.5
decks = ["goals"]

[[phases]]
id = "goals"
title = "Goals"
minutes = 0.5
decks = ["goals"]

[[phases]]
id = "next"
title = "Next steps"
minutes = 2
decks = ["commitments"]
"""


def shown(widget: Widget) -> str:
    """The widget's lines as they are on screen."""
    return "\n".join(widget.render_line(y).text.rstrip() for y in range(widget.size.height)).strip()


def notes(app: CoachApp) -> TextArea:
    return app.screen.query_one("#notes", TextArea)


async def test_previous_phase_from_the_palette_and_its_key_brings_back_the_notes(quick_template):
    clock = FakeClock()
    app = CoachApp(partner="Ada", template=quick_template, clock=clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert "Previous phase" in await palette_names(pilot)
        await pilot.press(*"talked about the move")
        clock.advance(2)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"wants to lead")
        clock.advance(5)
        meeting = app.screen.meeting

        await run_command(pilot, "Previous phase")
        assert meeting.index == 0
        assert notes(app).text == "talked about the move" and app.focused is notes(app)
        assert "Chit-chat" in notes(app).border_title
        await pilot.press(*", and the cats")  # typed into the phase it went back to
        clock.advance(1)
        assert meeting.phases[0].notes == "talked about the move, and the cats"
        assert meeting.phases[1].notes == "wants to lead"

        await pilot.press("f9")  # the first phase: nothing before it
        await pilot.pause()
        assert meeting.index == 0 and notes(app).text == "talked about the move, and the cats"

        await pilot.press("ctrl+f")
        await pilot.pause()
        assert notes(app).text == "wants to lead"
        clock.advance(4)
        await pilot.press("f9")
        await pilot.pause()
        assert meeting.index == 0 and notes(app).text == "talked about the move, and the cats"
        now = clock.monotonic()
        assert [round(run.clock.at(now)) for run in meeting.phases] == [3, 9, 0], "no second counted twice"
        assert "▶ Chit-chat" in shown(app.screen.query_one(PhaseStrip))


async def test_end_meeting_asks_first(quick_template):
    clock = FakeClock()
    app = CoachApp(partner="Ada", template=quick_template, clock=clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"half a thought")
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "the question")
        await pilot.pause()
        assert "Skip the phases still to come" in shown(app.screen.query_one(".question"))
        assert app.focused is app.screen.query_one("#yes"), "Enter ends the meeting"
        await pilot.press("left")  # the arrows move between the two buttons, as Tab does
        assert app.focused is app.screen.query_one("#no")
        await pilot.press("right")
        assert app.focused is app.screen.query_one("#yes")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen) and app.focused is notes(app)
        await pilot.press(*" goes on")
        assert app.screen.meeting.phases[0].notes == "half a thought goes on"

        await run_command(pilot, "End meeting")
        assert isinstance(app.screen, Confirm)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WrapUpScreen), "the wrap-up")
        assert app.screen.meeting.phases[0].notes == "half a thought goes on"


async def test_the_strip_the_wrap_up_and_the_summary_show_the_same_times(coach_dirs):
    config, data = coach_dirs
    (config / "templates").mkdir(parents=True)
    (config / "templates" / "short.toml").write_text(SHORT, encoding="utf-8")
    clock = FakeClock()
    app = CoachApp(partner="Ada", template="short", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        strip = app.screen.query_one(PhaseStrip)
        await pilot.press("ctrl+l")  # +1 min: the warm-up has 2
        await pilot.pause()
        assert shown(strip) == "▶ Warm-up 2′ │ Check-in 0:30 │ Goals 0:30 │ Next steps 2′"
        clock.advance(4 * 60)  # two minutes late
        app.screen.tick()
        before = app.screen.view().projected_end
        await run_command(pilot, "Rebalance")
        assert app.screen.view().projected_end <= before
        assert shown(strip) == "▶ Warm-up 2′ │ Check-in 0:30 │ Goals 0:30 │ Next steps 1′↓"
        for seconds in (20, 40, 50):
            await pilot.press("ctrl+f")
            await pilot.pause()
            clock.advance(seconds)
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, WrapUpScreen), "the wrap-up")
        table = shown(app.screen.query_one("#time-table"))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedScreen), "the save")

    lines = dict(re.fullmatch(r"(.+?) +(\d+:\d\d of .*)", line).groups() for line in table.splitlines())
    assert lines == {
        "Warm-up": "4:00 of 2:00 (1:00 planned + 1:00 added)",
        "Check-in": "0:20 of 0:30 planned",
        "Goals": "0:40 of 0:30 planned",
        "Next steps": "0:50 of 1:00 rebalanced (2:00 planned)",
    }
    [summary] = saved_summaries(data)
    for phase in summary["phases"]:
        planned = phase["planned_seconds"] + phase.get("added_seconds", 0)
        allowed = phase.get("rebalanced_seconds", planned)
        assert allowed <= planned, "no phase rebalanced above its plan"
        said = f"{duration(phase['actual_seconds'])} of {duration(allowed)}"
        assert lines[phase["title"]].startswith(said)
    assert [p.get("rebalanced_seconds") for p in summary["phases"]] == [None, None, None, 60]
    markdown = next((data / "sessions").rglob("*.md")).read_text(encoding="utf-8")
    for number, (title, figures) in enumerate(lines.items(), 1):
        assert f"## {number}. {title}\n\n*{figures}*" in markdown
