"""The Partner screen: the record of one partner, tended item by item, and the partner as a whole
(rename, merge, delete), opened from prep, from a meeting's palette and from the picker. Every
change is read back from the partner file on disk."""

from __future__ import annotations

import errno
import os
import tomllib
from datetime import date, datetime
from pathlib import Path

from textual.widgets import Input, OptionList, Static, TextArea

from coach import partners
from coach.app import CoachApp
from coach.clock import FakeClock
from coach.model import Commitment, Fact, Goal, Owner, PartnerRecord, Status
from screens.choose_one import ChooseOne
from screens.confirm import Confirm
from screens.edit_text import EditText
from screens.meeting import MeetingScreen
from screens.partner import PartnerScreen
from screens.picker import PickerScreen
from screens.prep import PrepScreen
from screens.widgets.record_list import RecordList
from tests.ui.helpers import end_meeting, run_command, wait_for
from tests.ui.screen_text import screen_lines

ADA = "Ada Lovelace"


def seed(name: str = ADA, **extra) -> Path:
    """A partner with two facts, an open and a reached goal, an open and a done commitment."""
    fields = dict(
        facts=[Fact("training for the Lisbon marathon", date(2026, 2, 20), "m1"), Fact("has two cats", None)],
        goals=[Goal(text="run the design review", added=date(2026, 2, 16)),
               Goal(text="ship the onboarding guide", status=Status.REACHED, added=date(2026, 2, 2),
                    closed=date(2026, 2, 20))],
        commitments=[Commitment(text="send the reading list", owner=Owner.ME, due=date(2026, 3, 10),
                                made=date(2026, 2, 20), made_in="m1"),
                     Commitment(text="book the physio", owner=Owner.THEM, status=Status.DONE,
                                made=date(2026, 2, 16), closed=date(2026, 2, 20))],
        last_meeting=datetime(2026, 2, 20, 14, 0))
    fields.update(extra)
    record = PartnerRecord(name=name, slug=partners.partner_path(name).stem, **fields)
    return partners.save_record(record)


def on_disk(name: str = ADA) -> dict:
    return tomllib.loads(partners.partner_path(name).read_text(encoding="utf-8"))


def shown(app: CoachApp) -> str:
    return "\n".join(screen_lines(app))


async def open_from_prep(pilot) -> PartnerScreen:
    assert isinstance(pilot.app.screen, PrepScreen)
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PartnerScreen), "the partner record")
    return pilot.app.screen


async def highlight(pilot, label: str) -> None:
    """Move the cursor down the list to the item `label` (`f1`, `g2`, `c1`)."""
    items = pilot.app.screen.query_one(RecordList)
    await pilot.press("home")
    for _ in range(items.option_count):
        if (item := items.highlighted_item) is not None and item.label == label:
            return
        await pilot.press("down")
    raise AssertionError(f"{label} is not listed")


async def type_over(pilot, text: str) -> None:
    """In the open edit dialog: clear the line, type `text`, Enter."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, EditText), "the edit dialog")
    await pilot.press("end", "ctrl+u", *text, "enter")
    await pilot.pause()


async def confirm(pilot) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, Confirm), "the question")
    await pilot.click("#yes")
    await pilot.pause()


async def choose(pilot, label: str) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChooseOne), "the choice")
    options = pilot.app.screen.query_one("#choices", OptionList)
    labels = [str(options.get_option_at_index(i).prompt).removesuffix(" (now)") for i in range(options.option_count)]
    options.highlighted = labels.index(label)
    await pilot.press("enter")
    await pilot.pause()


def app_for(partner: str | None = ADA) -> CoachApp:
    return CoachApp(partner=partner, template="standard", clock=FakeClock())


async def test_prep_opens_the_record_with_every_item_and_its_dates_and_esc_comes_back():
    seed()
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        prep = app.screen
        assert "p Record" in screen_lines(app)[-1]
        await open_from_prep(pilot)
        text = shown(app)
        assert "Partner · Ada Lovelace" in text
        assert "2 facts · 1 open goal, 1 reached · 2 commitments, 1 open" in text
        for expected in ("f1 training for the Lisbon marathon · learned 20 Feb 2026",
                         "f2 has two cats · date not known",
                         "g1 ☐ run the design review · since 16 Feb 2026",
                         "g2 ✓ ship the onboarding guide · reached 20 Feb 2026",
                         "c1 [me] send the reading list · due 10 Mar 2026 · open · made 20 Feb 2026",
                         "c2 [them] book the physio · done 20 Feb 2026 · made 16 Feb 2026"):
            assert expected in text, expected
        footer = screen_lines(app)[-1]
        for key in ("e Edit", "d Date", "s Status", "f Forget", "Esc Back", "^p palette"):
            assert key in footer, key
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is prep  # nothing changed: the same prep, as it was


async def test_a_fact_is_edited_re_dated_and_forgotten_in_the_file():
    seed()
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_prep(pilot)
        await highlight(pilot, "f1")
        await pilot.press("e")
        await type_over(pilot, "running the Lisbon marathon in May")
        assert on_disk()["facts"][0]["text"] == "running the Lisbon marathon in May"
        assert on_disk()["facts"][0]["updated"] == app.clock.wall(), "dated by the app's clock"
        fact_id = on_disk()["facts"][0]["id"]
        assert "f1 running the Lisbon marathon in May · learned 20 Feb 2026" in shown(app)
        await pilot.press("d")
        await type_over(pilot, "2026-01-05")
        assert on_disk()["facts"][0]["learned"] == date(2026, 1, 5)
        await pilot.press("d")
        await type_over(pilot, "next week")  # not a date: the dialog stays, with what was typed
        assert isinstance(app.screen, EditText)
        assert app.screen.query_one(Input).value == "next week"
        assert "is not a date" in str(app.screen.query_one("#edit-hint").render())
        await pilot.press("escape")
        await pilot.press("f")
        await confirm(pilot)
        facts = on_disk()["facts"]
        assert [f["text"] for f in facts] == ["has two cats"]
        assert on_disk()["forgotten"] == [{"id": fact_id, "at": app.clock.wall()}], "a tombstone, never shown"
        assert "Forgot f1: running the Lisbon marathon in May" in shown(app) and fact_id not in shown(app)
        assert [item.text for item in app.screen.query_one(RecordList).items.values()][:1] == ["has two cats"]
        assert app.screen.query_one(RecordList).highlighted_item.label == "f1"  # the next one


async def test_a_goal_is_reached_reopened_and_edited_in_the_file():
    seed()
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_prep(pilot)
        await highlight(pilot, "g1")
        await pilot.press("s")
        await choose(pilot, "Reached")
        goal = on_disk()["goals"][0]
        assert goal["status"] == "reached" and goal["closed"] == date(2026, 3, 2)
        assert "g1 ✓ run the design review · reached 2 Mar 2026" in shown(app)
        await highlight(pilot, "g2")
        await pilot.press("s")
        await choose(pilot, "Open")
        goal = on_disk()["goals"][1]
        assert goal["status"] == "open" and "closed" not in goal
        await pilot.press("e")
        await type_over(pilot, "ship the onboarding guide v2")
        assert on_disk()["goals"][1]["text"] == "ship the onboarding guide v2"


async def test_a_commitment_is_re_dated_settled_and_forgotten_in_the_file():
    seed()
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_prep(pilot)
        await highlight(pilot, "c1")
        await pilot.press("d")
        await type_over(pilot, "2026-04-01")
        assert on_disk()["commitments"][0]["due"] == date(2026, 4, 1)
        await pilot.press("d")
        await type_over(pilot, "")  # blank: no due date
        assert "due" not in on_disk()["commitments"][0]
        await pilot.press("s")
        await choose(pilot, "Dropped")
        assert on_disk()["commitments"][0]["status"] == "dropped"
        await highlight(pilot, "c2")
        await pilot.press("f")
        await confirm(pilot)
        assert [c["text"] for c in on_disk()["commitments"]] == ["send the reading list"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PrepScreen)  # a fresh prep: the record as it is now
        assert "send the reading list" not in str(app.screen.query_one("#brief", Static).render())


async def test_a_full_disk_keeps_the_edit_dialog_open_with_its_text(monkeypatch):
    seed()
    real_write = partners.write_atomic

    def full_disk(path, data, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_prep(pilot)
        await highlight(pilot, "f2")
        monkeypatch.setattr(partners, "write_atomic", full_disk)
        await pilot.press("e")
        await type_over(pilot, "has three cats now")
        assert isinstance(app.screen, EditText)
        assert app.screen.query_one(Input).value == "has three cats now"
        assert "No space left on device" in str(app.screen.query_one("#edit-hint").render())
        monkeypatch.setattr(partners, "write_atomic", real_write)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the dialog closed")
    assert on_disk()["facts"][1]["text"] == "has three cats now"


async def test_rename_from_prep_then_the_picker_lists_the_new_name():
    seed()
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_prep(pilot)
        await pilot.press("r")
        await type_over(pilot, "Ada King")
        assert "Partner · Ada King" in shown(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen) and app.screen.partner == "Ada King",
                       "prep for the new name")
        assert "training for the Lisbon marathon" in str(app.screen.query_one("#brief", Static).render())
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen) and app.screen.partners, "the picker")
        names = [p.name for p in app.screen.partners]
        assert "Ada King" in names and ADA not in names
    assert on_disk("Ada King")["name"] == "Ada King"


async def test_delete_from_the_picker_and_the_picker_lists_them_no_more():
    seed()
    seed("Grace Hopper", facts=[Fact("likes COBOL", date(2026, 1, 1))])
    app = app_for(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen) and app.screen.partners, "the picker")
        await pilot.press(*"Grace")
        await pilot.press("down")
        await run_command(pilot, "Partner record")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner record")
        assert app.screen.partner == "Grace Hopper"
        await pilot.press("ctrl+d")
        await confirm(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen) and app.screen.partners, "the picker")
        assert [p.name for p in app.screen.partners] == [ADA]
    assert not partners.partner_path("Grace Hopper").exists()
    assert list((partners.partners_dir()).rglob("*grace*")), "moved aside, not destroyed"


async def test_merge_the_accidental_duplicate_into_the_partner():
    seed("Zoë O'Brien")
    seed("Zo", facts=[Fact("plays the cello", date(2026, 2, 27))], goals=[], commitments=[])
    app = app_for("Zoë O'Brien")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_prep(pilot)
        await pilot.press("m")
        await choose(pilot, "Zo")
        await confirm(pilot)
        assert "f3 plays the cello · learned 27 Feb 2026" in shown(app)
        assert "plays the cello" in [f["text"] for f in on_disk("Zoë O'Brien")["facts"]]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "prep")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen) and app.screen.partners, "the picker")
        assert [p.name for p in app.screen.partners] == ["Zoë O'Brien"]


async def test_in_a_meeting_the_palette_opens_the_record_and_esc_gives_the_notes_back():
    seed()
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        await pilot.press(*"asked about the marathon")
        meeting = app.screen
        await run_command(pilot, "Partner record")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner record")
        assert app.screen.partner == ADA
        await highlight(pilot, "f2")
        await pilot.press("f")
        await confirm(pilot)
        assert [f["text"] for f in on_disk()["facts"]] == ["training for the Lisbon marathon"]
        await pilot.press("r")  # not while the meeting runs: its summary would bring the old name back
        await pilot.pause()
        assert not isinstance(app.screen, EditText)
        assert "Not while a meeting with Ada Lovelace is unfinished" in shown(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is meeting, "back in the meeting")
        notes = meeting.query_one("#notes", TextArea)
        await wait_for(pilot, lambda: notes.has_focus, "the notes focused")
        await pilot.press(*" and cats")
        assert notes.text == "asked about the marathon and cats"
        await end_meeting(pilot)
        wrap_up = app.screen
        follow_up = wrap_up.query_one("#follow-up", TextArea)
        follow_up.focus()
        await run_command(pilot, "Partner record")
        await wait_for(pilot, lambda: isinstance(app.screen, PartnerScreen), "the partner record")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is wrap_up and follow_up.has_focus, "back in the wrap-up")


async def test_a_broken_partner_file_shows_its_problem_and_nothing_is_edited():
    path = seed()
    broken = path.read_text(encoding="utf-8").replace('status = "done"', 'status = "finished"')
    path.write_text(broken, encoding="utf-8")
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_from_prep(pilot)
        problem = str(screen.query_one("#partner-problem", Static).render())
        assert f"{path}:" in problem and "finished" in problem
        assert screen.query_one(RecordList).highlighted_item is None
        await pilot.press("e", "f", "d", "s")
        await pilot.pause()
        assert app.screen is screen
    assert path.read_text(encoding="utf-8") == broken


async def test_the_curtain_hides_every_text_but_keeps_labels_and_dates():
    seed()
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_prep(pilot)
        await pilot.press("f2")
        await pilot.pause()
        text = shown(app)
        for private in ("marathon", "cats", "design review", "onboarding", "reading list", "physio"):
            assert private not in text, private
        assert "f1 (hidden) · learned 20 Feb 2026" in text and "Curtain on" in text
        await highlight(pilot, "f1")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditText), "the edit dialog")
        assert "marathon" not in shown(app)
        await pilot.press("escape")
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm), "the question")
        assert "marathon" not in shown(app)


async def test_it_fits_at_60x20_and_shows_file_text_as_typed():
    seed(facts=[Fact("likes [b]bold[/b] \x1b[31mred\x1b[0m things", date(2026, 2, 20)), Fact("has two cats", None)])
    app = app_for()
    async with app.run_test(size=(60, 20)) as pilot:
        await open_from_prep(pilot)
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert "[b]bold[/b]" in text and "␛[31mred␛[0m" in text  # as typed, nothing raw
        assert "\x1b" not in text
        for label in ("f1", "f2", "g1", "g2", "c1", "c2"):
            assert f"{label} " in text, label
        assert all(len(row) <= 60 for row in lines)
        footer = lines[-1]
        for key in ("e Edit", "d Date", "s Status", "f Forget", "^p palette"):
            assert key in footer, key


async def test_the_curtain_changed_on_the_record_holds_on_the_screen_shown_again():
    """F2 on the Partner record, then Escape: the screen under it shows the curtain as it is now,
    both ways (Textual restyles only the top screen by itself)."""
    seed()
    app = app_for()
    async with app.run_test(size=(60, 20)) as pilot:
        prep = app.screen
        await open_from_prep(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.privacy, "the curtain on")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is prep, "prep again")
        await pilot.pause()
        assert prep.query_one(".curtain-marker").display, "the marker says the curtain is on"
        assert not prep.query_one("#brief").display, "the memory is hidden"
        assert "send the reading list" not in shown(app)
        await open_from_prep(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: not app.privacy, "the curtain lifted")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is prep, "prep again")
        await pilot.pause()
        assert not prep.query_one(".curtain-marker").display
        assert "send the reading list" in shown(app)


async def test_a_long_name_ends_with_an_ellipsis_in_the_titles_of_prep_and_the_record():
    name = "Maximiliana Wilhelmina Bartholomew-Featherstonehaugh von Lichtenstein-Habsburg the Third"
    seed(name)
    app = app_for(name)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(pilot, lambda: screen_lines(app)[0].strip().startswith("Prep · Maximiliana"), "prep")
        assert screen_lines(app)[0].rstrip().endswith("…") and "Wilhelmina" not in screen_lines(app)[1]
        await open_from_prep(pilot)
        title = next(line for line in screen_lines(app) if "Partner · " in line)
        assert title.rstrip().endswith("…")
