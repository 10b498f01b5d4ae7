"""Each phase says what it is for when it starts (the first few times), with a rapport tip; cards
dealt `once` never come back for the same partner, `every-meeting` ones come in each meeting."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static, TextArea

from coach.app import CoachApp
from coach.clock import FakeClock
from coach.guides import GUIDE_TIMES
from screens.help import HelpScreen
from screens.meeting import MeetingScreen
from screens.prep import PrepScreen
from screens.saved import SavedScreen
from screens.widgets.card import CardView
from screens.widgets.phase_guide import PhaseGuideView
from tests.ui.helpers import end_meeting, files_read, run_command, wait_for
from tests.ui.screen_text import screen_lines

TEMPLATE = """\
schema = 1
id = "guided"
title = "Guided meeting"

[[phases]]
id = "chit-chat"
title = "Chit-chat"
minutes = 0.05
decks = ["life"]
purpose = "Warm up as people before any work talk."

[[phases]]
id = "goals"
title = "Goals"
minutes = 0.05
decks = ["goals"]
purpose = "Agree what a good outcome looks like, in their words."
"""

LIFE = """\
schema = 1
id = "life"
title = "Life"

[[cards]]
id = "standing"
text = "How are you, really, this week?"
deal = "every-meeting"

[[cards]]
id = "hometown"
text = "Where did you grow up?"
deal = "once"

[[cards]]
id = "weekend"
text = "What did the weekend bring?"
"""

TIPS = """\
schema = 1
id = "rapport-tips"  # yours replaces the built-in tips
title = "My tips"
kind = "tips"

[[cards]]
text = "Smile before you speak."
tags = ["chit-chat"]

[[cards]]
text = "Ask what done looks like."
tags = ["goals"]
"""


def _write(config: Path) -> None:
    for folder, name, text in (("templates", "guided", TEMPLATE), ("decks", "life", LIFE), ("decks", "tips", TIPS)):
        (config / folder).mkdir(parents=True, exist_ok=True)
        (config / folder / f"{name}.toml").write_text(text, encoding="utf-8")


def _plain(content) -> str:
    """What a Static holds, as plain text (a Rich table too), on long lines."""
    console = Console(width=400, file=io.StringIO(), record=True)
    console.print(content)
    return " ".join(console.export_text().split())


def _guide(app: CoachApp) -> str:
    view = app.screen.query_one(PhaseGuideView)
    return str(view.render()) if view.display else ""


def _card_texts(app: CoachApp) -> list[str]:
    meeting = app.meeting
    assert meeting is not None
    return [card.text for card in meeting.phases[0].cards]


async def _meeting(clock: FakeClock, size=(80, 24), check=None) -> None:
    """One meeting with Ada on the guided template, through to the saved summary."""
    app = CoachApp(partner="Ada", template="guided", clock=clock)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        if check is not None:
            await check(app, pilot)
        await end_meeting(pilot)
        await pilot.press("4", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedScreen), "the saved screen")


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_phase_says_what_it_is_for_then_esc_hides_it_and_typing_goes_on(coach_dirs, size):
    config, _data = coach_dirs
    _write(config)
    short = size[1] < 24  # a short terminal says one thing at a time: the purpose first

    async def check(app: CoachApp, pilot) -> None:
        shown = _guide(app)
        assert "Chit-chat: Warm up as people before any work talk." in shown
        assert ("Tip:" in shown) is not short
        assert short or "Tip: Smile before you speak." in shown  # the tip tagged for this phase
        notes = app.screen.query_one("#notes", TextArea)
        assert app.focused is notes and notes.region.height >= 4  # the notes keep their rows
        assert not notes.region.overlaps(app.screen.query_one(PhaseGuideView).region)
        await pilot.press("escape")
        assert _guide(app) == ""
        await pilot.press(*"hello")
        assert notes.text == "hello" and app.focused is notes
        await pilot.press("ctrl+f")  # the next phase says what it is for
        await wait_for(pilot, lambda: "Goals: Agree what a good outcome" in _guide(app), "the goals guide")
        assert short or "Ask what done looks like." in _guide(app)
        await pilot.press("f9")  # back to chit-chat: its guide was already shown in this meeting
        await wait_for(pilot, lambda: app.meeting.index == 0, "chit-chat again")
        assert _guide(app) == ""
        await run_command(pilot, "Phase guide")  # asked for: shown again, with its tip also when short
        assert "Warm up as people" in _guide(app) and "Tip: Smile before you speak." in _guide(app)

    await _meeting(FakeClock(), size=size, check=check)
    counts = tomllib.loads((coach_dirs[0].parent / "state" / "guides.toml").read_text(encoding="utf-8"))
    assert {row["phase"]: row["times"] for row in counts["shown"]} == {"guided/chit-chat": 1, "guided/goals": 1}


async def test_after_a_few_meetings_the_purpose_rests_but_help_and_prep_keep_it(coach_dirs):
    config, _data = coach_dirs
    _write(config)
    clock = FakeClock()
    for _ in range(GUIDE_TIMES):
        await _meeting(clock)
        clock.advance(7 * 24 * 3600)

    app = CoachApp(partner="Ada", template="guided", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert isinstance(app.screen, PrepScreen)
        plan = str(app.screen.query_one("#purposes", Static).render())
        assert "Warm up as people" in plan and "Agree what a good outcome" in plan
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        shown = _guide(app)
        assert "Warm up as people" not in shown and "Tip:" in shown  # the tip stays, the purpose rests
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        text = " ".join(_plain(s.content) for s in app.screen.query(Static))
        assert "Warm up as people before any work talk." in text and "Smile before you speak." in text


async def test_once_cards_never_come_back_and_standing_cards_come_every_time(coach_dirs):
    config, data = coach_dirs
    _write(config)
    clock = FakeClock()
    dealt: list[list[str]] = []

    async def look(app: CoachApp, pilot) -> None:
        dealt.append(_card_texts(app))
        assert "How are you, really" in str(app.screen.query_one(CardView).render())  # the standing card first
        await pilot.press("ctrl+n")  # the next card is shown, so it counts as seen

    for _ in range(3):
        await _meeting(clock, check=look)
        clock.advance(7 * 24 * 3600)

    assert dealt[0] == ["How are you, really, this week?", "Where did you grow up?", "What did the weekend bring?"]
    assert "Where did you grow up?" not in dealt[1] and "Where did you grow up?" not in dealt[2]
    assert all(cards[0] == "How are you, really, this week?" for cards in dealt)
    record = tomllib.loads(next((data / "partners").glob("*.toml")).read_text(encoding="utf-8"))
    assert record["cards_once"] == ["life:hometown"]


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_a_very_long_purpose_is_cut_with_an_ellipsis_and_the_hint_stays_in_view(coach_dirs, size):
    config, _data = coach_dirs
    _write(config)
    long = "Talk about it " * 120
    path = config / "templates" / "guided.toml"
    path.write_text(TEMPLATE.replace("Warm up as people before any work talk.", long), encoding="utf-8")

    async def check(app: CoachApp, pilot) -> None:
        for _ in range(2):  # as the phase starts, then asked for with its tip
            screen = "\n".join(screen_lines(app))
            assert "…" in _guide(app) and "(Esc hides)" in screen, screen
            await run_command(pilot, "Phase guide")
        assert "Tip:" in _guide(app)

    await _meeting(FakeClock(), size=size, check=check)
