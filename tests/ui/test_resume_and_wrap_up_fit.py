"""The resume offer and the wrap-up at 60x20: nothing cut, checkboxes that read right, counts
that read right, and what asks for an answer on screen from the start."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label

from coach.app import CoachApp
from coach.clock import FakeClock
from screens.resume import ResumeScreen
from screens.widgets.rating import Rating
from screens.widgets.tick_box import TickBox
from tests.ui.helpers import end_meeting, wait_for
from tests.ui.test_drafts_and_resume import _meeting_left_behind


def _fits(widget) -> bool:
    """Every line of the widget's text has a row, and the widget is inside the screen's width."""
    rendered = widget.render()
    if hasattr(rendered, "wrap") and len(rendered.wrap(widget.content_size.width)) > widget.content_size.height:
        return False
    return widget.region.right <= widget.screen.size.width


@pytest.mark.parametrize("size", [(60, 20), (44, 20), (80, 24)])
async def test_the_resume_checkbox_reads_unticked_then_ticked_and_is_never_cut(quick_template, size):
    clock = FakeClock()
    await _meeting_left_behind(clock, quick_template)
    clock.advance(3 * 3600)
    app = CoachApp(clock=clock)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen), "the resume offer")
        box = app.screen.query_one("#count-gap", TickBox)
        assert str(box.render()).startswith("[ ] Count the time away (3 h 00 min)")
        assert _fits(box)
        detail = " ".join(str(label.render()) for label in app.screen.query(".detail"))
        assert "1 captured item are kept" in detail and "items" not in detail
        await pilot.press("tab", "tab", "tab")
        assert app.focused is box
        await pilot.press("space")
        assert box.value and str(box.render()).startswith("[x] ")
        assert _fits(box)


@pytest.mark.parametrize(("counts", "said"), [
    ((5, 1, False), "5 words of notes and 1 captured item are kept."),
    ((3, 0, True), "3 words of notes and a capture still being typed are kept."),
    ((1, 0, False), "1 word of notes is kept."),
    ((0, 2, False), "2 captured items are kept."),
    ((0, 0, True), "A capture still being typed is kept."),
    ((2, 3, True), "2 words of notes, 3 captured items and a capture still being typed are kept."),
    ((0, 0, False, True, True), "The rating and the reflection are kept."),
    ((0, 0, False, True), "The rating is kept."),
    ((4, 0, False, False, True), "4 words of notes and the reflection are kept."),
])
def test_what_a_draft_keeps_reads_as_a_sentence(counts, said):
    from screens.resume import kept_text

    assert kept_text(*counts) == said


async def at_the_wrap_up(pilot) -> None:
    """Start the meeting on prep, end it at once: the wrap-up, its rating focused."""
    await pilot.press("s")
    await end_meeting(pilot)
    await wait_for(pilot, lambda: isinstance(pilot.app.focused, Rating), "the rating focused")


async def offered_on_restart(size: tuple[int, int]) -> str:
    """What the resume offer says the draft keeps, at the next start."""
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen), "the resume offer")
        return " ".join(str(label.render()) for label in app.screen.query(".detail"))


async def test_a_meeting_left_before_anything_was_typed_says_so_in_words(quick_template):
    """Not "0 words of notes and 0 captured items are kept"."""
    from coach.meeting import Stage
    from screens.meeting import MeetingScreen
    from tests.ui.helpers import draft_text

    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        assert app.meeting is not None and app.meeting.stage is Stage.PHASE
        app.in_progress.save_draft()
        await wait_for(pilot, lambda: "Ada" in draft_text(), "the draft on disk")
    detail = await offered_on_restart((60, 20))
    assert "Nothing was typed or captured yet; the phases and their times are kept." in detail
    assert "0 words" not in detail and "0 captured" not in detail


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_wrap_up_asks_its_questions_on_the_first_screen(quick_template, size):
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await end_meeting(pilot)
        screen = app.screen
        await wait_for(pilot, lambda: isinstance(app.focused, Rating), "the rating focused")
        visible_rows = size[1] - 1  # above the footer
        for widget in (screen.query_one("#wrap-title"), *screen.query(".question")[:2],
                       screen.query_one("#rating"), screen.query_one("#reflection", Input)):
            assert _fits(widget), f"{widget} is cut"
            assert widget.region.y >= 0 and widget.region.bottom <= visible_rows, f"{widget} is off screen"
        question = screen.query(Label).filter(".question").first()
        assert "worth the time" in str(question.render())
        assert [str(b.render())[:3] for b in screen.query_one(Rating).children] == ["( )"] * 5
        await pilot.press("3")
        assert [str(b.render())[:3] for b in screen.query_one(Rating).children] == ["( )", "( )", "(•)", "( )", "( )"]
        assert screen.meeting.rating == 3


async def test_words_typed_as_the_wrap_up_opens_go_to_the_reflection_and_change_no_rating(quick_template):
    """The rating has the focus: a digit rates, and the first letter typed takes the reflection's
    field, with everything after it — never a space that picks the highlighted rating."""
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_the_wrap_up(pilot)
        await pilot.press("4", *"good talk, then goals")
        reflection = app.screen.query_one("#reflection", Input)
        await wait_for(pilot, lambda: reflection.value == "good talk, then goals", "the reflection typed")
        assert app.focused is reflection
        assert app.meeting.rating == 4 and app.meeting.reflection == "good talk, then goals"


async def test_words_typed_behind_the_end_of_the_meeting_all_reach_the_reflection(quick_template):
    """Typed in one burst with the Enter that ends the meeting: they wait for the wrap-up's rating,
    the first letter is not lost, and a space is a space, not rating 1. After the arrows, a space
    chooses the highlighted rating."""
    from screens.confirm import Confirm
    from screens.meeting import MeetingScreen

    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "the end-meeting question")
        app.screen.query_one("#yes").focus()
        await pilot.press("enter", *" great chat")
        reflection = app.screen.query_one("#reflection", Input)
        await wait_for(pilot, lambda: reflection.value == " great chat", "the reflection typed")
        assert app.meeting.rating is None
        await pilot.press("shift+tab")
        assert isinstance(app.focused, Rating)
        await pilot.press("right", "right", "space")
        assert app.meeting.rating == 3


async def test_a_meeting_left_at_the_wrap_up_says_its_rating_and_reflection_are_kept(quick_template):
    from tests.ui.helpers import draft_text

    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_the_wrap_up(pilot)
        await pilot.press("3", *"good")
        await wait_for(pilot, lambda: app.meeting.reflection == "good", "the reflection typed")
        app.in_progress.save_draft()
        await wait_for(pilot, lambda: 'reflection = "good"' in draft_text(), "the draft on disk")
    assert "The rating and the reflection are kept." in await offered_on_restart((80, 24))


async def test_a_space_right_behind_the_wrap_up_opening_is_the_reflections(quick_template):
    """Textual's radio set moves its highlight itself as it mounts: that is no arrow key, and a space
    that comes before the rating's focus is handled (80 ms after Enter) is text, not rating 1."""
    from textual import events

    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await at_the_wrap_up(pilot)
        rating = app.screen.query_one("#rating", Rating)
        fresh = Rating(None, text_to="#reflection")  # mounted, never focused: as at the wrap-up's first moment
        await app.screen.mount(fresh)
        assert fresh.field_for(events.Key("space", " ")) is app.screen.query_one("#reflection", Input)
        await pilot.press("right")  # an arrow on the focused rating: now a space chooses
        assert rating.field_for(events.Key("space", " ")) is None
