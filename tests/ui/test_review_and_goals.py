"""A review you can correct: `Review commitments` (F6) lists every open commitment from earlier
meetings with this meeting's answer, and d / o / x / n change it until the summary is saved — in a
phase or at the wrap-up. The automatic review at the commitments phase asks only about the
unanswered ones. `Mark goal reached` (F7) opens again a goal marked reached by mistake."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime

import pytest
from textual.widgets import Label, OptionList, TextArea

from coach import partners
from coach.app import CoachApp
from coach.clock import FakeClock
from coach.model import Commitment, Goal, Owner, PartnerRecord, Status
from coach.store import slugify
from screens.goal_reached import GoalReachedScreen
from screens.meeting import MeetingScreen
from screens.review import ReviewScreen
from screens.saved import SavedScreen
from screens.widgets.key_bar import KeyBar
from screens.widgets.status_line import StatusLine
from screens.wrap_up import WrapUpScreen
from tests.ui.helpers import end_meeting, saved_summaries, wait_for
from tests.ui.test_hostile_data import screen_text

MET = datetime(2026, 2, 23, 14, 0, tzinfo=UTC)
PROMISES = [("c1", "send the reading list", Owner.ME, date(2026, 2, 27)),
            ("c2", "book the physio", Owner.THEM, None),
            ("c3", "write the team charter", Owner.BOTH, None)]


def known_partner() -> None:
    """Zoë: three open commitments and two open goals from a meeting a week ago."""
    name = "Zoë O'Brien"
    partners.save_record(PartnerRecord(
        name=name, slug=slugify(name), created=MET, last_meeting=MET, meetings=["m1"],
        goals=[Goal(id="g1", text="lead the design review", added=MET.date(), meeting="m1"),
               Goal(id="g2", text="find a mentor", added=MET.date(), meeting="m1")],
        commitments=[Commitment(id=i, text=text, owner=owner, due=due, made=MET.date(), made_in="m1")
                     for i, text, owner, due in PROMISES]))


def app_for_zoe() -> CoachApp:
    known_partner()
    return CoachApp(partner="Zoë O'Brien", template="standard", clock=FakeClock())


async def start(pilot) -> MeetingScreen:
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, MeetingScreen), "the meeting")
    return pilot.app.screen


async def open_review(pilot) -> ReviewScreen:
    await pilot.press("f6")  # the key, not the palette: the notes (a TextArea) have the focus
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "the review")
    return pilot.app.screen


def rows(screen: ReviewScreen) -> list[str]:
    """Each row of the list as the screen shows it: `still open  You: send the reading list`."""
    region = screen.query_one(OptionList).region
    lines = screen_text(screen.app).splitlines()[region.y:region.bottom]
    return [" ".join(line[region.x:region.right].split()) for line in lines if line[region.x:region.right].strip()]


def count(screen: ReviewScreen) -> str:
    return str(screen.query_one("#review-count", Label).render())


async def close(pilot, key: str, back_to: type) -> None:
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, back_to), "the review to close")


async def test_an_answer_shows_and_changes_and_the_list_fits_at_60x20():
    app = app_for_zoe()
    async with app.run_test(size=(60, 20)) as pilot:
        meeting = (await start(pilot)).meeting
        await pilot.press(*"asked about the move")
        review = await open_review(pilot)
        assert count(review) == "0 of 3 answered · open from earlier meetings"
        assert rows(review) == ["not yet You: send the reading list", "not yet They: book the physio",
                                "not yet Both: write the team charter"]
        box = review.query_one("#review-box").region
        assert box.y >= 0 and box.bottom <= review.query_one(KeyBar).region.y, "the dialog fits above the keys"
        assert "Due 27 Feb — overdue" in screen_text(app), "the highlighted one in full, with its due date"
        await pilot.press("o")  # the first is still open; the cursor goes on to the next
        assert review.query_one(OptionList).highlighted == 1
        assert count(review) == "1 of 3 answered · open from earlier meetings"
        await close(pilot, "escape", MeetingScreen)
        assert app.focused is app.screen.query_one("#notes", TextArea)
        assert app.focused.text == "asked about the move", "the notes behind it are as they were"

        review = await open_review(pilot)  # the bug: "No open commitments" although one is open
        assert rows(review)[0] == "still open You: send the reading list"
        await pilot.press("d")  # changed: done after all
        assert rows(review)[0] == "done You: send the reading list"
        await pilot.press("x", "k", "n")  # the second dropped, then taken back: not yet (k moves up)
        assert rows(review)[1] == "not yet They: book the physio"
        await pilot.press("x", "up", "up", "o")
        assert rows(review) == ["still open You: send the reading list", "not yet They: book the physio",
                                "dropped Both: write the team charter"]
        assert count(review) == "2 of 3 answered · open from earlier meetings"
        await close(pilot, "enter", MeetingScreen)
        assert [(r.id, r.status) for r in meeting.reviewed] == [("c3", Status.DROPPED), ("c1", Status.OPEN)]
        assert app.focused is app.screen.query_one("#notes", TextArea)


async def test_the_automatic_review_asks_only_about_the_unanswered_ones_and_closes_after_the_last():
    app = app_for_zoe()
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = (await start(pilot)).meeting
        review = await open_review(pilot)
        await pilot.press("j", "o")  # answered early, in chit-chat (j moves down)
        await close(pilot, "escape", MeetingScreen)
        await pilot.press("ctrl+f", "ctrl+f")  # the commitments phase: the review opens by itself
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "the automatic review")
        review = app.screen
        assert rows(review) == ["not yet You: send the reading list", "not yet Both: write the team charter"]
        assert count(review) == "0 of 2 answered · open from earlier meetings"
        await pilot.press("d")
        assert isinstance(app.screen, ReviewScreen) and review.query_one(OptionList).highlighted == 1
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the review to close after the last")
        assert {r.id: r.status for r in meeting.reviewed} == {"c1": Status.DONE, "c2": Status.OPEN,
                                                              "c3": Status.DROPPED}
        assert app.focused is app.screen.query_one("#notes", TextArea)


async def test_answers_change_at_the_wrap_up_until_the_summary_is_saved(coach_dirs):
    app = app_for_zoe()
    async with app.run_test(size=(60, 20)) as pilot:
        await start(pilot)
        review = await open_review(pilot)
        await pilot.press("d", "d", "d")
        await close(pilot, "escape", MeetingScreen)
        await end_meeting(pilot)
        kept = str(app.screen.query_one("#kept").render())
        review = await open_review(pilot)
        assert count(review) == "3 of 3 answered · open from earlier meetings"
        await pilot.press("up", "o", "k", "n")  # the third: still open after all; the second: not yet
        assert rows(review) == ["done You: send the reading list", "not yet They: book the physio",
                                "still open Both: write the team charter"]
        await close(pilot, "escape", WrapUpScreen)
        assert str(app.screen.query_one("#kept").render()) != kept, "the wrap-up's figures follow the answers"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedScreen), "the summary saved")
    [summary] = saved_summaries(coach_dirs[1])
    assert [(r["id"], r["status"]) for r in summary["reviewed"]] == [("c1", "done"), ("c3", "open")]
    record = tomllib.loads(partners.partner_path("Zoë O'Brien").read_text(encoding="utf-8"))
    assert [c["status"] for c in record["commitments"]] == ["done", "open", "open"]


async def test_behind_the_curtain_the_list_hides_every_text_but_keeps_who_and_the_answers():
    app = app_for_zoe()
    async with app.run_test(size=(60, 20)) as pilot:
        await start(pilot)
        await pilot.press("f2")
        review = await open_review(pilot)
        await pilot.press("x")
        text = screen_text(app)
        assert not any(promise[1] in text for promise in PROMISES)
        assert rows(review) == ["dropped You: commitment 1 (hidden)", "not yet They: commitment 2 (hidden)",
                                "not yet Both: commitment 3 (hidden)"]
        await pilot.press("f2")  # lifted while it is open
        await wait_for(pilot, lambda: "book the physio" in screen_text(app), "the texts back")


async def choose_goal(pilot, screen: MeetingScreen, *keys: str) -> None:
    await pilot.press("f7")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, GoalReachedScreen), "the goal dialog")
    await pilot.press(*keys, "enter")
    await wait_for(pilot, lambda: pilot.app.screen is screen, "back to the meeting")


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_goal_marked_reached_by_mistake_opens_again(size, coach_dirs):
    app = app_for_zoe()
    async with app.run_test(size=size) as pilot:
        screen = await start(pilot)
        await choose_goal(pilot, screen)  # the first: lead the design review, by mistake
        assert [g.text for g in screen.meeting.open_goals()] == ["find a mentor"]
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, GoalReachedScreen), "the goal dialog")
        assert "✓ reached  lead the design review" in screen_text(app), "listed, to open again"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "back to the meeting")
        await choose_goal(pilot, screen, "down")  # Enter on the one marked: open again
        assert screen.query_one(StatusLine).text == "Goal open again: lead the design review"
        assert [g.text for g in screen.meeting.open_goals()] == ["lead the design review", "find a mentor"]
        await choose_goal(pilot, screen, "down")  # the one that was reached
        assert screen.query_one(StatusLine).text == "Goal reached: find a mentor"
        assert app.focused is screen.query_one("#notes", TextArea)
        await end_meeting(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedScreen), "the summary saved")
    [summary] = saved_summaries(coach_dirs[1])
    assert [(r["id"], r["status"]) for r in summary["reviewed"]] == [("g2", "reached")]
    record = tomllib.loads(partners.partner_path("Zoë O'Brien").read_text(encoding="utf-8"))
    assert [(g["id"], g["status"]) for g in record["goals"]] == [("g1", "open"), ("g2", "reached")]


async def test_the_review_asked_for_twice_at_once_opens_once():
    """As the commitments phase opened it could be asked for twice (and F6 meanwhile): two reviews
    were pushed, one over the other, and one could mount with its parts already gone."""
    app = app_for_zoe()
    async with app.run_test(size=(80, 24)) as pilot:
        meeting_screen = await start(pilot)
        meeting_screen.review_pending()
        meeting_screen.review_pending()
        meeting_screen.action_review_commitments()
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        await pilot.pause()
        assert sum(isinstance(screen, ReviewScreen) for screen in app.screen_stack) == 1
        await close(pilot, "escape", MeetingScreen)
