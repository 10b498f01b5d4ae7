"""One kept rate on every screen that shows it, and one name matcher wherever a name is typed in
the app: the picker, `coach --partner`, and History's `partner:` filter."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from coach import history_build, partners, summaries
from coach.app import CoachApp
from coach.clock import FakeClock
from coach.history_query import parse_query
from coach.model import Capture, CaptureKind, Owner, PartnerRecord, PhaseRecord, Review, Status, Summary, notes_of
from coach.store import slugify
from screens.history import HistoryScreen
from screens.picker import PickerScreen
from screens.prep import PrepScreen
from screens.widgets.meeting_list import MeetingList
from tests.ui.helpers import end_meeting, files_read, wait_for
from tests.ui.pty_driver import CoachTerminal, terminal_env

ZOE = "Zoë O'Brien"
START = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)
TODAY = FakeClock().wall()  # 2 Mar 2026
FIGURE = "33 % — 1 of 3 (mine 1 of 1, theirs 0 of 1, shared 0 of 1); 1 dropped, 1 overdue"
"""Zoë's record on 2 Mar 2026: the deck sent, the paper dropped, the offsite late."""


@pytest.fixture(autouse=True)
def new_process():
    """Each app starts as a new process does: nothing remembered of an earlier build of the index."""
    history_build._memos.clear()
    yield
    history_build._memos.clear()


def meet(partner: str, day: int, captures: tuple[Capture, ...] | list[Capture] = (),
         reviewed: tuple[Review, ...] | list[Review] = ()) -> None:
    """A meeting saved as the app saves it: the summary, then the partner's record."""
    started = START + timedelta(days=day)
    slug = slugify(partner)
    summary = Summary(
        id=f"{started:%Y-%m-%d-%H%M}-{slug}-{day:06x}", partner=partner, partner_slug=slug, template="standard",
        started=started, ended=started + timedelta(minutes=30),
        phases=[PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300.0, actual_seconds=330.0,
                            notes="talked about the week")],
        rating=4, reflection="steady", reviewed=list(reviewed), **notes_of(list(captures)))
    path = summaries.save(summary).toml_path
    when = time.time() - 3600
    os.utime(path, (when, when))
    partners.remember_meeting(summary)


def zoe_over_three_meetings() -> None:
    meet(ZOE, 0, [Capture(CaptureKind.COMMITMENT, "send the deck", owner=Owner.ME, due=date(2026, 1, 20)),
                  Capture(CaptureKind.COMMITMENT, "read the paper", owner=Owner.THEM),
                  Capture(CaptureKind.GOAL, "lead the design review")])
    record = partners.load_record(ZOE)
    deck, paper = record.commitments
    [goal] = record.goals
    meet(ZOE, 14, reviewed=[Review(CaptureKind.COMMITMENT, deck.id, deck.text, Status.DONE),
                            Review(CaptureKind.COMMITMENT, paper.id, paper.text, Status.DROPPED, Owner.THEM),
                            Review(CaptureKind.GOAL, goal.id, goal.text, Status.REACHED)])
    meet(ZOE, 28, [Capture(CaptureKind.COMMITMENT, "plan the offsite", owner=Owner.BOTH, due=date(2026, 2, 10))])
    meet("Grace Hopper", 20)


def flat(widget: Static) -> str:
    """What a panel says, its wrapped lines joined: one space between words."""
    return " ".join(str(widget.render()).split())


async def history_for(app: CoachApp, pilot: Pilot, typed: str) -> HistoryScreen:
    screen = HistoryScreen(show_after=0, show_after_typing=0)  # no real timer to wait out
    app.push_screen(screen)
    await wait_for(pilot, lambda: screen.loaded, "the history read")
    await app.workers.wait_for_complete()
    screen.query_one("#filter", Input).value = typed
    await wait_for(pilot, lambda: screen.query_now == parse_query(typed)[0], "the filter applied")
    await pilot.pause()
    return screen


# -- the kept rate ---------------------------------------------------------------------------------
async def test_the_kept_rate_is_one_figure_in_prep_over_time_the_wrap_up_and_history(quick_template) -> None:
    zoe_over_three_meetings()
    app = CoachApp(partner="zoe", template=quick_template, clock=FakeClock())  # --partner finds her
    async with app.run_test(size=(120, 40)) as pilot:
        await files_read(pilot)
        assert isinstance(app.screen, PrepScreen) and app.screen.partner == ZOE
        brief = flat(app.screen.query_one("#brief", Static))
        assert f"Commitments kept Kept {FIGURE}." in brief
        assert "Goals reached 19 Jan 2026: lead the design review" in brief
        trends = app.screen.query_one("#trends", Static)
        await wait_for(pilot, lambda: "Kept" in flat(trends), "the trends read")
        over_time = flat(trends)
        assert f"Kept ·▅▃ {FIGURE}" in over_time, "the rate after each meeting, ending at today's figure"
        assert "Cadence ██ You meet about every 2 weeks; last time 28 days ago, longer than usual." in over_time
        assert "every 0 days" not in over_time

        await pilot.press("s")
        await end_meeting(pilot)
        assert f"Kept {FIGURE}." in flat(app.screen.query_one("#kept", Static)), "nothing reviewed: the same"

    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await files_read(pilot)
        screen = await history_for(app, pilot, "partner:zoe")
        assert {h.partner for h in screen.query_one(MeetingList).rows} == {ZOE}
        assert f"Kept ·▅▃ {FIGURE}" in flat(screen.query_one("#trends", Static))


# -- names -----------------------------------------------------------------------------------------
def known(*names: str) -> None:
    for n, name in enumerate(names):
        when = datetime(2026, 2, 1 + n, tzinfo=UTC)
        partners.save_record(PartnerRecord(name=name, slug=slugify(name), created=when, last_meeting=when))


def listed(app: CoachApp) -> list[str]:
    options = app.screen.query_one("#known", OptionList)
    return [str(options.get_option_at_index(i).prompt).split("  ")[0] for i in range(options.option_count)]


async def picker(app: CoachApp, pilot: Pilot) -> PickerScreen:
    await files_read(pilot)
    await pilot.pause()
    assert isinstance(app.screen, PickerScreen)
    return app.screen


@pytest.mark.parametrize("typed", ["zoe", "Zo", "ZOË", "o'brien", "zoe o"])
async def test_the_picker_finds_a_partner_by_any_case_accent_or_word_start_and_enter_picks_them(typed: str) -> None:
    known(ZOE, "Grace Hopper")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await picker(app, pilot)
        await pilot.press(*typed)
        await pilot.pause()
        assert listed(app) == [ZOE, f"New partner: {typed}"]
        assert str(app.screen.query_one("#picker-hint").render()) == f"Enter picks {ZOE} · ↓ for a new partner"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        assert app.screen.partner == ZOE, "not a new partner"
    assert len(list(partners.partners_dir().glob("*.toml"))) == 2


async def test_the_picker_makes_a_new_partner_when_nothing_matches_or_when_asked() -> None:
    known(ZOE)
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await picker(app, pilot)
        await pilot.press(*"Zed")
        await pilot.pause()
        assert listed(app) == [] and str(app.screen.query_one("#picker-hint").render()) == "Enter: new partner Zed"
        await pilot.press("backspace", "backspace", "o")  # "Zo" finds Zoë: a new "Zo" is the last row
        await pilot.pause()
        assert listed(app) == [ZOE, "New partner: Zo"]
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        assert app.screen.partner == "Zo"
    assert {p.name for p in partners.known_partners()[0]} == {ZOE, "Zo"}


async def test_enter_with_several_matches_goes_to_the_list() -> None:
    known(ZOE, "Zoe Smith")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await picker(app, pilot)
        await pilot.press(*"zoe")
        await pilot.pause()
        assert listed(app) == ["Zoe Smith", ZOE, "New partner: zoe"], "most recent first"
        assert str(app.screen.query_one("#picker-hint").render()) == "2 partners match: type more, or ↓ to pick one"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen) and app.focused is app.screen.query_one("#known", OptionList)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        assert app.screen.partner == ZOE


@pytest.mark.parametrize(("typed", "opens"), [("zoe", ZOE), ("ZOË O'BRIEN", ZOE), ("Nobody", "Nobody")])
async def test_partner_option_opens_the_one_it_finds_or_a_new_one(typed: str, opens: str) -> None:
    known(ZOE, "Grace Hopper")
    app = CoachApp(partner=typed, clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await files_read(pilot)
        assert isinstance(app.screen, PrepScreen) and app.screen.partner == opens
    assert opens in {p.name for p in partners.known_partners()[0]}, "created if new"


async def test_an_ambiguous_partner_option_opens_the_picker_filtered_saying_why() -> None:
    known(ZOE, "Zoe Smith")
    app = CoachApp(partner="Zo", clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await picker(app, pilot)
        assert app.screen.query_one("#name", Input).value == "Zo"
        assert str(app.screen.query_one("#picker-hint").render()) == (
            "Zo could be any of 2 partners: pick one, or type more.")
        assert listed(app) == ["Zoe Smith", ZOE, "New partner: Zo"]
        await pilot.press(*"e s", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        assert app.screen.partner == "Zoe Smith"
    assert len(list(partners.partners_dir().glob("*.toml"))) == 2, "no partner called Zo"


@pytest.mark.parametrize("typed", ["partner:zoe", "partner:Zo", 'partner:"zoe o"', "partner:ZOË"])
async def test_history_partner_filter_finds_as_the_command_line_does(typed: str) -> None:
    zoe_over_three_meetings()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await history_for(app, pilot, typed)
        rows = screen.query_one(MeetingList).rows
        assert [h.partner for h in rows] == [ZOE] * 3


async def test_history_partner_filter_by_the_middle_of_a_word_finds_nobody() -> None:
    zoe_over_three_meetings()
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await history_for(app, pilot, "partner:rien")
        assert screen.query_one(MeetingList).rows == []


def test_coach_partner_in_a_terminal_opens_the_prep_of_the_one_it_finds(coach_dirs: tuple[Path, Path]) -> None:
    config, data = coach_dirs
    known(ZOE, "Zoe Smith", "Grace Hopper")
    term = CoachTerminal(["--partner", "grace"], terminal_env(config, data), size=(80, 24)).start()
    try:
        term.wait_for_screen("Prep · Grace Hopper")
    finally:
        term.close()
    term = CoachTerminal(["--partner", "zo"], terminal_env(config, data), size=(80, 24)).start()
    try:
        term.wait_for_screen("zo could be any of 2 partners")
    finally:
        term.close()
