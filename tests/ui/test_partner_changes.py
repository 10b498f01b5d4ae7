"""The app after partners were renamed, merged or deleted (from the shell or the Partner screen):
the picker lists each person once, under the name they have now, and not the deleted ones."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import OptionList

from coach import partner_edit, partners, summaries
from coach.app import CoachApp
from coach.clock import FakeClock
from coach.model import Capture, CaptureKind
from screens.prep import PrepScreen
from tests.ui.helpers import wait_for
from tests.unit.test_partner_record import meeting_summary

WALL = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def save_meeting(name: str, day: int, suffix: str) -> None:
    summary = meeting_summary(name, datetime(2026, 3, day, 14, 0, tzinfo=UTC),
                              [Capture(CaptureKind.FACT, f"said on day {day}")], suffix=suffix)
    summaries.save(summary)
    partners.remember_meeting(summary)


async def test_the_picker_lists_partners_as_they_are_now():
    save_meeting("Zoë O'Brien", 2, "a1")
    save_meeting("Zo", 9, "b2")  # the accidental one, met last
    save_meeting("Ada", 5, "c3")
    save_meeting("Grace", 4, "d4")
    partner_edit.merge("Zoë O'Brien", "Zo", WALL)
    partner_edit.rename("Grace", "Grace Hopper", WALL)
    partner_edit.delete("Ada", WALL)
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        options = app.screen.query_one("#known", OptionList)

        def shown() -> list[str]:
            return [str(options.get_option_at_index(i).prompt).split("  ")[0] for i in range(options.option_count)]

        await wait_for(pilot, lambda: options.option_count > 0, "the known partners")
        assert shown() == ["Zoë O'Brien", "Grace Hopper"]  # Zoë last met on day 9, as Zo
        await pilot.press(*"Ada", "enter")  # typed again: a new partner
        await wait_for(pilot, lambda: isinstance(app.screen, PrepScreen), "the prep screen")
        assert app.screen.partner == "Ada"
    assert partners.load_record("Ada").facts == []
