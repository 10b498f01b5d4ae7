"""Starting coach: the partner picker, prep, bad prompt files, and fitting a narrow split."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Input, OptionList, TextArea

from coach import partners
from coach.app import CoachApp
from coach.clock import FakeClock
from coach.model import PartnerRecord
from coach.store import slugify
from screens.meeting import MeetingScreen
from screens.picker import PickerScreen
from screens.prep import PrepScreen
from tests.ui.helpers import files_read


async def test_new_partner_from_the_picker(coach_dirs):
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        assert isinstance(app.screen, PickerScreen)
        assert app.focused is app.screen.query_one("#name", Input)
        await pilot.press(*"Zoë O'Brien", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PrepScreen)
        assert app.screen.partner == "Zoë O'Brien"
    _config, data = coach_dirs
    [path] = (data / "partners").glob("*.toml")
    assert path.parent == data / "partners"
    assert 'name = "Zoë O\'Brien"' in path.read_text(encoding="utf-8")


def met(name: str, when: datetime) -> None:
    """`name` was last met `when` (as their partner file says after a meeting)."""
    partners.save_record(PartnerRecord(name=name, slug=slugify(name), created=when, last_meeting=when))


async def test_known_partners_most_recent_first_and_filtered():
    met("Grace Hopper", datetime(2026, 1, 5, tzinfo=UTC))
    met("Ada Lovelace", datetime(2026, 2, 9, tzinfo=UTC))
    met("Alan Kay", datetime(2025, 12, 1, tzinfo=UTC))
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        options = app.screen.query_one("#known", OptionList)

        def shown() -> list[str]:
            return [str(options.get_option_at_index(i).prompt).split("  ")[0] for i in range(options.option_count)]

        assert shown() == ["Ada Lovelace", "Grace Hopper", "Alan Kay"]
        await pilot.press(*"a")
        await pilot.pause()
        assert shown() == ["Ada Lovelace", "Alan Kay", "New partner: a"], "names with a word starting so"
        await pilot.press("backspace", *"HOP")
        await pilot.pause()
        assert shown() == ["Grace Hopper", "New partner: HOP"]
        await pilot.press("backspace", "backspace", "backspace", *"A")
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PrepScreen)
        assert app.screen.partner == "Alan Kay"


async def test_typing_escape_or_up_from_the_first_row_go_back_to_the_name_field():
    """In the list, a letter typed is the name's (it was lost), Esc and ↑ on the first row go back to
    the field (↑ went round to the last row); ↑ further down still moves up the list."""
    met("Grace Hopper", datetime(2026, 1, 5, tzinfo=UTC))
    met("Ada Lovelace", datetime(2026, 2, 9, tzinfo=UTC))
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        name, options = app.screen.query_one("#name", Input), app.screen.query_one("#known", OptionList)
        await pilot.press("down")
        assert app.focused is options
        await pilot.press(*"gra")
        assert app.focused is name and name.value == "gra"
        await pilot.press("ctrl+u", "down", "down")
        assert app.focused is options and options.highlighted == 1
        await pilot.press("up")
        assert app.focused is options and options.highlighted == 0
        await pilot.press("up")
        assert app.focused is name
        await pilot.press("down", "escape")
        assert app.focused is name and name.value == ""
        await pilot.press("down", "enter")
        assert isinstance(app.screen, PrepScreen) and app.screen.partner == "Ada Lovelace"


async def test_names_differing_only_by_case_are_found_and_a_new_one_is_an_explicit_choice():
    met("Ada Lovelace", datetime(2026, 2, 9, tzinfo=UTC))
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        await pilot.press(*"ada lovelace")
        await pilot.pause()
        hint = str(app.screen.query_one("#picker-hint").render())
        assert hint == "Enter picks Ada Lovelace · ↓ for a new partner"
        await pilot.press("down", "down", "enter")  # the last row: New partner: ada lovelace
        await pilot.pause()
        assert app.screen.partner == "ada lovelace"
    assert len(list(partners.partners_dir().glob("*.toml"))) == 2


async def test_prep_can_switch_template_then_start(quick_template):
    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert "30 minutes;" in str(app.screen.query_one("#plan").render())
        app.screen.query_one("#template").value = quick_template
        await pilot.pause()
        assert "0.15 minutes;" in str(app.screen.query_one("#plan").render())
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.meeting.template.id == quick_template


async def test_a_broken_deck_is_reported_and_the_app_still_starts(coach_dirs):
    config, _data = coach_dirs
    (config / "decks").mkdir(parents=True)
    broken = config / "decks" / "mine.toml"
    broken.write_text('schema = 1\nid = "mine"\ntitle = "Mine"\n[[cards]]\ntext = "unclosed\n', encoding="utf-8")
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await files_read(pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith(f"{broken}:5:") for m in messages), messages
        assert isinstance(app.screen, PrepScreen)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.meeting.current.cards, "the built-in decks still load"


async def test_meeting_fits_in_60_by_20():
    app = CoachApp(partner="Ada", clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        for selector in ("#timer", "#clock-seconds", "#timer-state", "#card", "#notes", "#strip", "KeyBar"):
            region = screen.query_one(selector).region
            assert region.height > 0 and region.width > 0, selector
            assert region.bottom <= 20 and region.right <= 60, selector
        notes = screen.query_one("#notes", TextArea)
        assert notes.region.height >= 4
        assert screen.query_one("#card").region.bottom <= notes.region.y


async def test_a_name_typed_before_the_list_is_read_finds_its_partner():
    """The list is read in a thread after the first frame: a name and Enter typed at once still
    find the partner it names (no new partner of that name), and ↓ still reaches the list."""
    met("Zoë O'Brien", datetime(2026, 2, 9, tzinfo=UTC))
    met("Anna Bell", datetime(2026, 2, 1, tzinfo=UTC))
    met("Anna Karenina", datetime(2026, 1, 1, tzinfo=UTC))
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, PickerScreen) and not app.screen.partners_read
        await pilot.press(*"zoe", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PrepScreen) and app.screen.partner == "Zoë O'Brien"
    assert sorted(p.name for p in partners.known_partners()[0]) == ["Anna Bell", "Anna Karenina", "Zoë O'Brien"]
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Anna", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen), "two Annas: the list, not a new partner"
        assert app.screen.query_one("#known", OptionList).has_focus


async def test_what_a_thread_read_for_a_screen_that_gave_way_is_dropped():
    """A worker's result can come back while its screen is being taken down (off the stack, its
    widgets going, itself still attached): it is dropped, never applied to what is left of it."""
    from coach.partners import Partner
    from screens.widgets.hanging import Hanging

    met("Ada Lovelace", datetime(2026, 2, 9, tzinfo=UTC))
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        app.open_prep("Ada Lovelace")  # the picker gives way
        assert picker.is_attached and not picker.on_stack
        picker.partners_read = picker.calendar_read = False
        picker._loaded([Partner("Grace Hopper", None)], [])
        picker._calendar_loaded([], [])
        assert not picker.partners_read and not picker.calendar_read
        assert [p.name for p in picker.partners] == ["Ada Lovelace"]
        await pilot.pause()
        prep = app.screen
        assert isinstance(prep, PrepScreen)
        await files_read(pilot)
        app.open_picker()  # and prep gives way
        assert prep.is_attached and not prep.on_stack
        before = str(prep.query_one("#trends").render())
        prep._show_trends(Hanging().add("Read for a screen that has gone"))
        prep._read_more()
        assert str(prep.query_one("#trends").render()) == before
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, PickerScreen)


async def test_the_first_words_typed_right_behind_s_go_into_the_notes(coach_dirs):
    """Typed before the meeting was drawn, they went to prep (where `p` opens the partner record)."""
    from textual import events

    from tests.ui.helpers import wait_for

    app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert isinstance(app.screen, PrepScreen)
        for ch in "shop plans: priorities":  # as fast as a paste: all queued before `s` is handled
            app.post_message(events.Key({" ": "space", ":": "colon"}.get(ch, ch), ch))
        await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
        notes = app.screen.query_one("#notes", TextArea)
        await wait_for(pilot, lambda: notes.text == "hop plans: priorities", "the words in the notes")
        assert isinstance(app.screen, MeetingScreen) and app.focused is notes


async def test_keys_held_for_a_screen_that_never_asks_come_all_the_same(coach_dirs, monkeypatch):
    from textual import events

    import coach.app
    from tests.ui.helpers import wait_for

    monkeypatch.setattr(coach.app, "HOLD_AT_MOST", 0.01)
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert isinstance(app.screen, PickerScreen)
        app.hold_keys()
        for ch in "Bo":
            app.post_message(events.Key(ch, ch))
        name = app.screen.query_one(Input)
        await wait_for(pilot, lambda: name.value == "Bo", "the held keys in the name field")


async def test_a_very_long_name_takes_one_row_of_the_list():
    long = "Ada " + "Lovelace-Byron " * 40
    met(long.strip(), datetime(2026, 2, 9, tzinfo=UTC))
    met("Grace Hopper", datetime(2026, 1, 5, tzinfo=UTC))
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(60, 20)) as pilot:
        await files_read(pilot)
        options = app.screen.query_one("#known", OptionList)
        first = str(options.get_option_at_index(0).prompt)
        assert first.startswith("Ada Lovelace-Byron") and "…  09 Feb 2026" in first
        assert options.get_option_at_index(0).prompt.cell_len <= options.content_size.width
        typed = "Ada " + "Lovelace-Byron " * 5 + "Lo"  # the start of the long name: a new one is offered too
        app.screen.query_one(Input).value = typed
        await pilot.pause()
        new = str(options.get_option_at_index(options.option_count - 1).prompt)
        assert new.startswith("New partner: Ada Lovelace-Byron") and new.endswith("…")
