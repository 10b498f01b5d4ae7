"""Hostile files and keys, through the app: nothing reaches the terminal raw, no draft blocks a
start, and saving a meeting twice changes nothing.

Data with escape sequences (retitle the window, clear the screen, write the clipboard) and Rich
markup (`[b]`, `[link=…]`, `[@click=…]`) is written by the app's own writers, then every screen
that shows it is rendered and read back: no control character, and the markup shows as typed.
"""

from __future__ import annotations

import re
import shutil
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, TextArea

from coach import draft as drafts
from coach import partners, summaries
from coach.app import CoachApp
from coach.clock import FakeClock
from coach.model import (
    Capture,
    CaptureKind,
    Commitment,
    Fact,
    Goal,
    Owner,
    PartnerRecord,
    PhaseRecord,
    Summary,
    notes_of,
)
from coach.store import slugify
from screens.capture import CaptureDialog
from screens.decks import DecksScreen
from screens.goal_reached import GoalReachedScreen
from screens.meeting import MeetingScreen
from screens.picker import PickerScreen
from screens.prep import PrepScreen
from screens.resume import ResumeScreen
from screens.review import ReviewScreen
from screens.saved import SavedScreen
from screens.wrap_up import WrapUpScreen
from tests.ui.helpers import draft_text, files_read, saved_summaries, wait_for
from tests.ui.test_drafts_and_resume import _meeting_left_behind

ESCAPES = "\x1b]2;PWNED\x07\x1b[2J\x1b]52;c;aGk=\x07\x9b31m\x00"
MARKUP = "[b]bold[/b] [link=http://evil.example]x[/link] [@click=app.quit]q[/]"
NAME = f"Ada {MARKUP}"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def screen_text(app: CoachApp) -> str:
    """Everything the screen would send to the terminal, as text (its own styling aside)."""
    update = app.screen._compositor.render_update(full=True)
    return "\n".join("".join(segment.text for strip in line for segment in strip if not segment.control)
                     for line in update.strips)


def assert_clean(app: CoachApp, *shown: str) -> str:
    """No control character on screen; each of `shown` is on it as plain text."""
    text = screen_text(app)
    found = CONTROL.search(text)
    assert found is None, f"{type(app.screen).__name__} shows {found.group()!r} raw: {text!r}"
    for part in shown:  # wrapped lines and borders aside
        assert squash(part) in squash(text), f"{part!r} is not on {type(app.screen).__name__}:\n{text}"
    return text


async def clean(pilot, app: CoachApp, *shown: str) -> str:
    """`assert_clean` once each of `shown` is on screen (a busy machine may take a few turns)."""
    await wait_for(pilot, lambda: all(squash(part) in squash(screen_text(app)) for part in shown), f"{shown!r}")
    return assert_clean(app, *shown)


def squash(text: str) -> str:
    return re.sub(r"[\s│╭╮╰╯─▏▕]+", "", text)


DECK = f'''schema = 1
id = "hostile"
title = "Odd {MARKUP}"

[[cards]]
text = "What is new? \\u001b]2;PWNED\\u0007 {MARKUP}"
tip = "\\u001b[2J tip"
'''
TEMPLATE = '''schema = 1
id = "odd"
title = "Odd \\u001b[2J plan [b]x[/b]"

[[phases]]
id = "chit-chat"
title = "Chat \\u001b]2;PWNED\\u0007 [b]t[/b]"
minutes = 5
decks = ["hostile", "chit-chat"]

[[phases]]
id = "commitments"
title = "Commitments"
minutes = 5
decks = ["commitments"]
'''


@pytest.fixture
def hostile(coach_dirs: tuple[Path, Path]) -> FakeClock:
    """A partner whose memory, last summary, deck and template all hold escapes and markup."""
    config, _data = coach_dirs
    (config / "decks").mkdir(parents=True)
    (config / "decks" / "hostile.toml").write_text(DECK, encoding="utf-8")
    (config / "templates").mkdir()
    (config / "templates" / "odd.toml").write_text(TEMPLATE, encoding="utf-8")
    clock = FakeClock()
    started = clock.wall() - timedelta(days=7)
    summary = Summary(
        id=f"{started:%Y-%m-%d-%H%M}-{slugify(NAME)}-abc123", partner=NAME, template="standard", started=started,
        ended=started + timedelta(minutes=30), rating=4, reflection=f"went {ESCAPES} well {MARKUP}",
        follow_up=f"Hi {ESCAPES}", phases=[PhaseRecord(id="chit-chat", title=f"Chit {ESCAPES}", planned_seconds=300,
                                                       notes=f"## Goals\n- forged {ESCAPES}\n{MARKUP}")],
        **notes_of([Capture(CaptureKind.GOAL, f"goal {ESCAPES}"), Capture(CaptureKind.FACT, f"fact {ESCAPES}")]))
    summaries.save(summary)
    partners.save_record(PartnerRecord(
        name=NAME, slug=slugify(NAME), created=started, last_meeting=started, meetings=[summary.id],
        facts=[Fact(f"has a cat {ESCAPES} {MARKUP}", started.date())],
        goals=[Goal(id="g1", text=f"give a talk {ESCAPES} {MARKUP}")],
        commitments=[Commitment(id="c1", text=f"send the paper {ESCAPES} {MARKUP}", owner=Owner.THEM,
                                due=date(2026, 1, 1))]))
    return clock


async def test_every_screen_shows_hostile_data_as_text(hostile: FakeClock, coach_dirs) -> None:
    hostile_dirs = coach_dirs
    app = CoachApp(clock=hostile)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await files_read(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, PickerScreen), "PickerScreen")
        assert isinstance(app.screen, PickerScreen)
        await clean(pilot, app, "[b]bold[/b]", "[link=http://evil.example]")

        app.open_prep(NAME)
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "PrepScreen")
        assert isinstance(app.screen, PrepScreen)
        await clean(pilot, app, f"Prep · {NAME}", "has a cat ␛]2;PWNED␇", "send the paper", "[@click=app.quit]")
        app.screen.query_one("#template").value = "odd"
        await pilot.pause()
        await clean(pilot, app, "Odd ␛[2J plan [b]x[/b]", "Chat ␛]2;PWNED␇")

        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "MeetingScreen")
        assert isinstance(app.screen, MeetingScreen)
        meeting = app.screen.meeting
        seen = []
        for _ in range(len(meeting.current.cards)):  # every card of the phase: facts and the hostile deck
            seen.append(assert_clean(app, "Chat ␛]2;PWNED␇ [b]t[/b]", "Ada [b]bold[/b]", "[@click=app.quit]q[/]",
                                     "␛]2;PWNED␇␛[2J␛]52;c;aGk=␇�31m␀"))
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert any(squash("What is new? ␛]2;PWNED␇") in squash(text) for text in seen)
        assert any(squash("they mentioned: has a cat") in squash(text) for text in seen)

        # a paste holding escape sequences lands in the notes as visible stand-ins
        app.post_message(events.Paste(f"pasted {ESCAPES}\r\nsecond line"))
        await pilot.pause()
        notes = app.screen.query_one("#notes", TextArea)
        assert notes.text.endswith("pasted ␛]2;PWNED␇␛[2J␛]52;c;aGk=␇\ufffd31m␀\nsecond line")
        assert_clean(app, "pasted ␛]2;PWNED␇")

        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, CaptureDialog), "CaptureDialog")
        assert isinstance(app.screen, CaptureDialog)
        app.post_message(events.Paste(f"likes {ESCAPES} {MARKUP}"))
        await pilot.pause()
        await clean(pilot, app, "likes ␛]2;PWNED␇")
        await pilot.press("enter")
        await pilot.pause()
        await clean(pilot, app, "Remembered: likes ␛]2;PWNED␇", "[@click=app.quit]q[/]")  # the toast

        await pilot.press("ctrl+f")  # the commitments phase opens with the review
        await pilot.pause()
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "ReviewScreen")
        assert isinstance(app.screen, ReviewScreen)
        await clean(pilot, app, "send the paper ␛]2;PWNED␇")
        await pilot.press("d")
        await pilot.pause()

        app.screen.action_mark_goal_reached()
        await wait_for(pilot, lambda: isinstance(app.screen, GoalReachedScreen), "GoalReachedScreen")
        assert isinstance(app.screen, GoalReachedScreen)
        await clean(pilot, app, "give a talk ␛]2;PWNED␇")
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WrapUpScreen), "WrapUpScreen")
        assert isinstance(app.screen, WrapUpScreen)
        await clean(pilot, app, f"Wrap-up · {NAME}", "likes ␛]2;PWNED␇")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedScreen), "SavedScreen")
        assert isinstance(app.screen, SavedScreen)
        await clean(pilot, app, "pasted ␛]2;PWNED␇")

        app.action_history()
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: "pasted" in screen_text(app), "the newest summary beside the table")
        assert_clean(app, "Ada [b]bold[/b]", "pasted ␛]2;PWNED␇")
        app.screen.query_one("#meetings").focus()
        await pilot.press("down")
        await wait_for(pilot, lambda: "forged" in screen_text(app), "the older summary beside the table")
        assert_clean(app, "## Goals", "went ␛]2;PWNED␇", "Ada [b]bold[/b]")
        await pilot.press("escape")
        await pilot.pause()

        app.action_decks()
        await wait_for(pilot, lambda: isinstance(app.screen, DecksScreen) and bool(app.screen.query("#items")),
                       "the Decks screen and its list")
        assert isinstance(app.screen, DecksScreen)
        options = app.screen.query_one("#items")
        options.highlighted = next(i for i in range(options.option_count)
                                   if options.get_option_at_index(i).id == "deck:hostile")
        await pilot.pause()
        await clean(pilot, app, "Odd [b]bold[/b]", "What is new? ␛]2;PWNED␇", "␛[2J tip")
    saved = saved_summaries(hostile_dirs[1])
    assert any("pasted ␛]2;PWNED␇" in p["notes"] for s in saved for p in s["phases"])
    assert any(ESCAPES in s["reflection"] for s in saved), "the files keep the exact data"


# -- drafts never block a start --------------------------------------------------------------
async def _left_behind(clock: FakeClock, template: str) -> str:
    """A meeting in its second phase with notes and a fact, left behind; its draft's text."""
    await _meeting_left_behind(clock, template)
    return draft_text()


BROKEN_DRAFTS = {  # what is changed, and the start of the line the message must point at
    "phase_index = 99": ("phase_index = 1", "phase_index = 99", "phase_index ="),
    "notes = 5": ('notes = "goal words"', "notes = 5", "notes = 5"),
    'saved_at = "x"': ("saved_at = ", 'saved_at = "x"\nwas_saved_at = ', "saved_at ="),
    'rating = "five"': ("paused = false", 'paused = false\nrating = "five"', "rating ="),
    "started = 5": ("started = ", "started = 5\nwas_started = ", "started ="),
    "planned_seconds = nan": ("planned_seconds = 3.0", "planned_seconds = nan", "planned_seconds = nan"),
    "not TOML": ("[template]", "[template", "[template"),
}


@pytest.mark.parametrize(("old", "new", "line_start"), BROKEN_DRAFTS.values(), ids=BROKEN_DRAFTS.keys())
async def test_a_draft_that_cannot_be_resumed_is_set_aside_and_the_app_starts(quick_template, coach_dirs, old,
                                                                              new, line_start) -> None:
    clock = FakeClock()
    text = await _left_behind(clock, quick_template)
    assert old in text
    broken = text.replace(old, new, 1)
    drafts.draft_path().write_text(broken, encoding="utf-8")
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await files_read(pilot)
        assert isinstance(app.screen, PickerScreen), "the app starts as usual"
        [note] = [n for n in app._notifications if n.title == "Could not read the draft"]
        assert note.message.startswith(f"{drafts.draft_path()}:") and "cannot be resumed" in note.message
    assert not drafts.draft_path().exists()
    [aside] = drafts.draft_path().parent.glob("draft.toml.broken-*")
    assert aside.read_text(encoding="utf-8") == broken, "nothing the user wrote is deleted"
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    line = int(note.message.split(":")[1])
    assert broken.splitlines()[line - 1].startswith(line_start), note.message


@pytest.mark.parametrize("change", [
    ("saved_at = ", "saved_at = 2026-03-02T14:00:03\nwas_saved_at = "),  # no offset: local time
    ("started = ", "started = 2026-03-02\nwas_started = "),  # a date alone: local midnight
])
@pytest.mark.parametrize("choice", ["r", "ctrl+s"])
async def test_a_draft_with_local_times_resumes_and_saves(quick_template, coach_dirs, change, choice) -> None:
    clock = FakeClock()
    text = await _left_behind(clock, quick_template)
    drafts.draft_path().write_text(text.replace(*change, 1), encoding="utf-8")
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press(choice)
        await pilot.pause()
        if choice == "r":
            assert isinstance(app.screen, MeetingScreen)
            assert app.screen.query_one("#notes", TextArea).text == "goal words"
            await pilot.press("f10")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("ctrl+s")
            await pilot.pause()
        assert isinstance(app.screen, SavedScreen)
    [summary] = saved_summaries(coach_dirs[1])
    assert [p["notes"] for p in summary["phases"]][:2] == ["chit chat words", "goal words"]
    assert summary["ended"] >= summary["started"]


# -- saving twice changes nothing ----------------------------------------------------------------
async def test_a_meeting_saved_just_before_a_crash_is_not_saved_twice(quick_template, coach_dirs) -> None:
    """coach died after writing the summary and the partner file, before removing the draft."""
    clock = FakeClock()
    await _left_behind(clock, quick_template)
    left = drafts.draft_path().read_bytes()
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")  # save as it is
        await pilot.pause()
        assert isinstance(app.screen, SavedScreen)
    [summary_path] = (coach_dirs[1] / "sessions").rglob("*.toml")
    summary_bytes = summary_path.read_bytes()
    partner_path = partners.partner_path("Ada")
    partner_bytes = partner_path.read_bytes()
    drafts.draft_path().write_bytes(left)  # as if the process had died before removing it

    clock.advance(3600)
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen), "no meeting to resume: it was saved"
        assert any("was saved before coach stopped" in n.message for n in app._notifications)
    assert summary_path.read_bytes() == summary_bytes, "the summary is never rewritten"
    assert partner_path.read_bytes() == partner_bytes, "facts, goals and commitments are not doubled"
    assert not drafts.draft_path().exists()
    record = partners.load_record("Ada")
    assert [f.text for f in record.facts] == ["likes sailing"]


async def test_a_crash_before_the_partner_file_was_updated_is_made_good_once(quick_template, coach_dirs) -> None:
    clock = FakeClock()
    await _left_behind(clock, quick_template)
    left = drafts.draft_path().read_bytes()
    before = partners.partner_path("Ada").read_bytes()
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    drafts.draft_path().write_bytes(left)
    partners.partner_path("Ada").write_bytes(before)  # died before the partner file was written
    for _ in range(2):
        app = CoachApp(clock=clock)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, PickerScreen)
    assert [f.text for f in partners.load_record("Ada").facts] == ["likes sailing"]
    assert len(list((coach_dirs[1] / "sessions").rglob("*.toml"))) == 1


# -- settings and the status file ------------------------------------------------------------------
HAND_WRITTEN = '''# my settings, written by hand
schema = 1
"theme" = "nord"   # quoted key, a comment after it
sound = true # ring

# the timer
warn_percent = 25
'''


async def test_a_theme_picked_in_the_app_keeps_every_comment_and_key(coach_dirs) -> None:
    import tomllib

    config = coach_dirs[0]
    config.mkdir(parents=True)
    path = config / "config.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        app.theme = "gruvbox"  # what picking it in the palette does
        await pilot.pause()
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN.replace('"nord"', '"gruvbox"')
    assert tomllib.loads(path.read_text(encoding="utf-8"))["warn_percent"] == 25


async def test_a_theme_picked_while_the_config_is_broken_is_not_saved_and_says_where(coach_dirs) -> None:
    config = coach_dirs[0]
    config.mkdir(parents=True)
    path = config / "config.toml"
    path.write_text("sound = true\nwarn_percent = \n", encoding="utf-8")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.theme = "gruvbox"
        await pilot.pause()
        assert any(f"{path}:2:" in n.message and n.title == "Could not save the theme" for n in app._notifications)
    assert path.read_text(encoding="utf-8") == "sound = true\nwarn_percent = \n"


async def test_an_unknown_theme_in_the_config_is_named_at_its_line(coach_dirs) -> None:
    config = coach_dirs[0]
    config.mkdir(parents=True)
    path = config / "config.toml"
    path.write_text('sound = true\ntheme = "nrod"\n', encoding="utf-8")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark" and app.config.sound is True
        assert any(f"{path}:2:1: unknown theme 'nrod'; did you mean 'nord'?" in n.message
                   for n in app._notifications)


async def test_the_status_file_is_private_and_plain(tmp_path, quick_template, coach_dirs) -> None:
    status = tmp_path / "status.txt"
    shutil.rmtree(tmp_path / "config" / "templates")
    (tmp_path / "config" / "templates").mkdir()
    (tmp_path / "config" / "templates" / "odd.toml").write_text(TEMPLATE.replace('"hostile", ', ""),
                                                                 encoding="utf-8")
    app = CoachApp(partner="Ada", template="odd", clock=FakeClock(), status_file=status)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        text = status.read_text(encoding="utf-8")
    assert stat.S_IMODE(status.stat().st_mode) == 0o600
    assert not CONTROL.search(text.rstrip("\n")) and text.startswith("Chat ␛]2;PWNED␇ [b]t[/b] 05:00")


async def test_an_input_shows_a_pasted_escape_as_text(coach_dirs) -> None:
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.post_message(events.Paste("Ada\x1b]2;PWNED\x07"))
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "Ada␛]2;PWNED␇"
        assert_clean(app, "Ada␛]2;PWNED␇")


async def test_a_shortened_phase_title_is_shortened_after_it_is_made_safe(coach_dirs) -> None:
    config = coach_dirs[0]
    (config / "templates").mkdir(parents=True)
    (config / "templates" / "long.toml").write_text(TEMPLATE.replace(
        "Chat \\u001b]2;PWNED\\u0007 [b]t[/b]", "Intro\\u001b]2;PWNED\\u0007 and a title far too long for the strip"
    ).replace('"hostile", ', ""), encoding="utf-8")
    app = CoachApp(partner="Ada", template="odd", clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        text = assert_clean(app, "Intro␛]")
        assert "…" in text.splitlines()[0], "the strip is shortened at 60 columns"


async def test_a_draft_that_holds_more_than_the_summary_of_its_id_is_kept(quick_template, coach_dirs) -> None:
    clock = FakeClock()
    await _left_behind(clock, quick_template)
    left = draft_text()
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")  # save as it is
        await pilot.pause()
    different = left.replace('notes = "goal words"', 'notes = "goal words, and much more since"')
    drafts.draft_path().write_text(different, encoding="utf-8")
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert any(n.title == "Draft not resumed" for n in app._notifications)
    [aside] = drafts.draft_path().parent.glob("draft.toml.broken-*")
    assert aside.read_text(encoding="utf-8") == different, "the words not in the summary are kept"


async def test_a_status_file_that_cannot_be_written_is_said_once(tmp_path, quick_template) -> None:
    app = CoachApp(partner="Ada", template=quick_template, clock=FakeClock(), status_file=tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("s")
        await pilot.pause()
        app.screen.tick()
        await pilot.pause()
        assert [n.title for n in app._notifications].count("Status file") == 1
        assert app.status.path is None


@pytest.mark.parametrize("link", ["nowhere", "loop"])
async def test_a_draft_that_is_a_broken_link_is_set_aside_and_autosave_works(coach_dirs, tmp_path, link) -> None:
    drafts.draft_path().parent.mkdir(parents=True)
    drafts.draft_path().symlink_to(tmp_path / "nowhere.toml" if link == "nowhere" else drafts.draft_path())
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert any(n.title == "Could not read the draft" for n in app._notifications)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"kept")
        await wait_for(pilot, lambda: "kept" in draft_text(), "the autosave")
    assert not drafts.draft_path().is_symlink() and not (tmp_path / "nowhere.toml").exists()
    [aside] = drafts.draft_path().parent.glob("draft.toml.broken-*")
    assert aside.is_symlink()


async def test_a_meeting_left_for_later_is_never_written_over_by_a_new_one(quick_template, coach_dirs) -> None:
    clock = FakeClock()
    left = await _left_behind(clock, quick_template)
    app = CoachApp(partner="Grace", clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("escape")  # decide later
        await pilot.pause()
        assert isinstance(app.screen, PrepScreen)
        await pilot.press("s")  # a new meeting with Grace
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen), "the unfinished meeting is offered first"
        assert any("unfinished meeting with Ada" in n.message for n in app._notifications)
    assert draft_text() == left


async def test_a_saved_meeting_moved_elsewhere_is_still_not_saved_twice(quick_template, coach_dirs) -> None:
    clock = FakeClock()
    await _left_behind(clock, quick_template)
    left = draft_text()
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = (coach_dirs[1] / "sessions").rglob("*.toml")
    archive = coach_dirs[1] / "sessions" / "archive"
    archive.mkdir()
    moved = saved.rename(archive / "renamed.toml")
    drafts.draft_path().write_text(left, encoding="utf-8")
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen), "not offered again: it is saved"
    assert [p.name for p in (coach_dirs[1] / "sessions").rglob("*.toml")] == [moved.name]


async def test_a_commitment_being_typed_keeps_its_owner_and_due_date_through_a_crash(quick_template,
                                                                                     coach_dirs) -> None:
    from textual.widgets import RadioButton

    clock = FakeClock()
    app = CoachApp(partner="Ada", template=quick_template, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press(*"full commitment")
        assert isinstance(app.screen, CaptureDialog)
        [_me, them, _both] = app.screen.query("#capture-owner RadioButton").results(RadioButton)
        them.value = True
        app.screen.query_one("#capture-due", Input).focus()
        await pilot.press(*"2026-12-24")
        await wait_for(pilot, lambda: "2026-12-24" in draft_text() and '"them"' in draft_text(), "the autosave")

    app = CoachApp(clock=clock)  # after the crash: Resume reopens the dialog as it was
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CaptureDialog)
        assert app.screen.query_one("#capture-due", Input).value == "2026-12-24"
        app.screen.query_one("#capture-text", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        [item] = app.meeting.captures
        assert (item.text, item.owner, item.due) == ("full commitment", Owner.THEM, date(2026, 12, 24))


async def test_save_as_it_is_keeps_a_commitment_being_typed_whole(quick_template, coach_dirs) -> None:
    clock = FakeClock()
    await _left_behind(clock, quick_template)
    text = draft_text() + ('\n[unsaved_capture]\nkind = "commitment"\ntext = "call the bank"\nowner = "both"\n'
                           'due = "2026-12-24"\n')
    drafts.draft_path().write_text(text, encoding="utf-8")
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SavedScreen)
    [summary] = saved_summaries(coach_dirs[1])
    [commitment] = summary["commitments"]
    assert (commitment["owner"], commitment["due"], commitment["phase"]) == ("both", date(2026, 12, 24), "goals")


async def test_save_as_it_is_keeps_a_due_date_that_is_not_one_yet_in_the_text(quick_template, coach_dirs) -> None:
    clock = FakeClock()
    await _left_behind(clock, quick_template)
    text = draft_text() + '\n[unsaved_capture]\nkind = "commitment"\ntext = "call the bank"\ndue = "2026-1"\n'
    drafts.draft_path().write_text(text, encoding="utf-8")
    app = CoachApp(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    [summary] = saved_summaries(coach_dirs[1])
    [commitment] = summary["commitments"]
    assert commitment["text"] == "call the bank (due: 2026-1)" and "due" not in commitment
