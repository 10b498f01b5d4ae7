"""Remember the person: what one meeting learns comes back at the next."""

from __future__ import annotations

import tomllib

from textual.widgets import Static, TextArea

from coach import partners
from coach.app import CoachApp
from coach.clock import FakeClock
from screens.goal_reached import GoalReachedScreen
from screens.meeting import MeetingScreen
from screens.prep import PrepScreen
from screens.review import ReviewScreen
from screens.saved import SavedScreen
from screens.wrap_up import WrapUpScreen
from tests.ui.helpers import files_read, palette_names, run_command, saved_summaries


async def _first_meeting(clock: FakeClock, template: str) -> None:
    app = CoachApp(partner="Ada Lovelace", template=template, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert isinstance(app.screen, PrepScreen)
        assert "first meeting with Ada Lovelace" in str(app.screen.query_one("#brief", Static).render())
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press(*"training for the Lisbon marathon", "enter")
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press(*"run the design review", "enter")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*"send the reading list", "enter")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        follow_up = app.screen.query_one("#follow-up", TextArea).text
        assert "Hi Ada," in follow_up and "run the design review" in follow_up
        assert "I'll:\n- send the reading list\n" in follow_up
        await pilot.press("5", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SavedScreen)


async def test_two_meetings_in_a_row_remember_the_person(quick_template, coach_dirs):
    clock = FakeClock()
    await _first_meeting(clock, quick_template)
    clock.advance(7 * 24 * 3600)

    app = CoachApp(partner="Ada Lovelace", template=quick_template, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        brief = str(app.screen.query_one("#brief", Static).render())
        assert "Last meeting" in brief and "rated 5/5" in brief
        assert "training for the Lisbon marathon" in brief and "2 Mar 2026" in brief
        assert "run the design review" in brief
        assert "[me] send the reading list" in brief
        await files_read(pilot)
        assert "takes time" in str(app.screen.query_one("#trends", Static).render())
        await pilot.press("s")
        await pilot.pause()
        meeting = app.screen.meeting
        card = meeting.current.card
        assert card.deck == "memory" and "training for the Lisbon marathon" in card.text
        assert "Last time" in card.text
        await pilot.press(*"asked about the marathon")
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("ctrl+f")  # into commitments: the review opens by itself
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "send the reading list" in str(app.screen.query_one("#review-item").render())
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.focused is app.screen.query_one("#notes", TextArea)
        await run_command(pilot, "Mark goal reached")
        assert isinstance(app.screen, GoalReachedScreen)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, WrapUpScreen)
        kept = str(app.screen.query_one("#kept", Static).render())
        assert kept == "Kept 100 % — 1 of 1 (mine 1 of 1). Early days: a few more meetings will say more."
        assert "Copy follow-up" in await palette_names(pilot)
        await run_command(pilot, "Copy follow-up")
        assert "Hi Ada," in app.clipboard
        await pilot.press("4", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SavedScreen)

    first, second = saved_summaries(coach_dirs[1])
    assert [r["text"] for r in first["remembered"]] == ["training for the Lisbon marathon"]
    assert first["follow_up"].startswith("Hi Ada,")
    reviewed = {(r["kind"], r["text"], r["status"]) for r in second["reviewed"]}
    assert reviewed == {("commitment", "send the reading list", "done"), ("goal", "run the design review", "reached")}
    record = tomllib.loads(partners.partner_path("Ada Lovelace").read_text(encoding="utf-8"))
    [commitment] = record["commitments"]
    assert (commitment["status"], str(commitment["closed"])) == ("done", "2026-03-09")
    [goal] = record["goals"]
    assert goal["status"] == "reached"
    assert [f["text"] for f in record["facts"]] == ["training for the Lisbon marathon"]
    assert record["seen_cards"] and not any(k.startswith("memory:") for k in record["seen_cards"])


async def test_a_broken_partner_file_is_reported_and_never_lost(quick_template, coach_dirs):
    path = partners.partner_path("Ada")
    path.parent.mkdir(parents=True)
    path.write_text('schema = 1\nname = "Ada"\n\n[[commitments]]\ntext = "x"\nstatus = "finished"\n',
                    encoding="utf-8")
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await files_read(pilot)
        problem = str(app.screen.query_one("#partner-problem", Static).render())
        assert f"{path}:6:1:" in problem and "status" in problem
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"still works", "f10")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SavedScreen)
    [backup] = path.parent.glob(f"{path.name}.broken-*")
    assert 'status = "finished"' in backup.read_text(encoding="utf-8")
    assert partners.load_record("Ada").name == "Ada"
    [summary] = saved_summaries(coach_dirs[1])
    assert summary["phases"][0]["notes"] == "still works"


async def test_a_former_name_whose_file_cannot_be_read_is_named_and_no_second_file_is_made(coach_dirs):
    """Renamed, then their file broken by hand: prep for the former name (the history still shows
    it) names the file that may hold them, and makes no new, empty partner of the same person."""
    from datetime import UTC, datetime

    from coach import partner_edit, summaries
    from coach.model import PhaseRecord, Summary

    met = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    summary = Summary(id="2026-11-02-1400-grace-a1b2c3", partner="Grace", partner_slug="grace", template="standard",
                      started=met, ended=met.replace(hour=15),
                      phases=[PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300.0,
                                          actual_seconds=300.0, notes="hello")])
    summaries.save(summary)
    partners.remember_meeting(summary)
    path = partner_edit.rename("Grace", "Grace Hopper", met)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] += " oops = ["  # a slip of the editor, after the name line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = sorted(path.parent.glob("*.toml"))

    app = CoachApp(partner="Grace", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        problem = str(app.screen.query_one("#partner-problem", Static).render())
        assert f"{path}:2:" in problem and "may hold what coach remembers of them" in problem
    assert sorted(path.parent.glob("*.toml")) == before, "no second file for Grace"

    app = CoachApp(partner="Linus", clock=FakeClock())  # someone new: the broken file is not theirs
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert not app.screen.query_one("#partner-problem", Static).display
    assert partners.has_file("Linus")


async def test_the_first_meeting_template_is_suggested_for_someone_new():
    app = CoachApp(partner="Grace", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert app.screen.template_id == "first-meeting"
        assert "adds introductions" in str(app.screen.query_one("#plan", Static).render())


async def _meeting_saved(clock: FakeClock, template: str | None, choose: str | None = None) -> str:
    """A meeting with Ada, saved; the template chosen on prep (by `--template`, by coach, or by
    `choose`, the title picked from Prep's list). Returns the template's id the prep chose."""
    from tests.ui.helpers import end_meeting, wait_for
    from tests.ui.test_decks_screen import choose_template

    app = CoachApp(partner="Ada", template=template, clock=clock)
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen) and app.screen.query("#template"), "prep")
        prep = app.screen
        chosen = prep.template_id
        if choose is not None:
            prep.query_one("#template").focus()
            await choose_template(pilot, choose)
            prep.query_one("#start").focus()
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        await end_meeting(pilot)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedScreen), "the summary saved")
        said = [n.message for n in app._notifications]
        assert not [m for m in said if "template" in m.casefold()], said
    clock.advance(7 * 86400)
    return chosen


def _remembered() -> str | None:
    return tomllib.loads(partners.partner_path("Ada").read_text(encoding="utf-8")).get("template")


async def test_the_template_chosen_for_a_partner_is_chosen_again_next_time(quick_template, coach_dirs):
    clock = FakeClock()
    assert await _meeting_saved(clock, quick_template) == "quick"  # --template quick
    assert _remembered() == "quick"
    assert await _meeting_saved(clock, None) == "quick", "preselected at the next prep"
    assert await _meeting_saved(clock, "standard") == "standard", "--template wins"
    assert _remembered() == "standard"
    assert await _meeting_saved(clock, None, choose="Quick test meeting") == "standard"  # chosen on prep
    assert _remembered() == "quick"
    (coach_dirs[0] / "templates" / "quick.toml").unlink()
    assert await _meeting_saved(clock, None) == "standard", "gone since: the default, quietly"
    assert _remembered() == "standard"
