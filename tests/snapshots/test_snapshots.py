"""Pictures of the screens at the sizes people use, with the clock frozen and no blinking."""

from __future__ import annotations

import pytest

from coach.app import CoachApp
from coach.clock import FakeClock


def _app(clock: FakeClock | None = None) -> CoachApp:
    return CoachApp(partner="Ada Lovelace", template="standard", clock=clock or FakeClock())


async def _steady(pilot) -> None:
    """No blinking cursors, no toasts: the same picture every run."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


def _meeting(advance: float = 0.0, paused: bool = False, notes: str = ""):
    async def run_before(pilot) -> None:
        await pilot.press("s")
        await pilot.pause()
        if notes:
            await pilot.press(*notes)
        clock: FakeClock = pilot.app.clock
        clock.advance(advance)
        if paused:
            await pilot.press("ctrl+t")
        pilot.app.screen.tick()
        await _steady(pilot)

    return run_before


def test_prep_80x24(snap_compare):
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_steady)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
def test_meeting_calm(snap_compare, size):
    assert snap_compare(_app(), terminal_size=size, run_before=_meeting(75, notes="Back from Lisbon"))


def test_meeting_warn_60x20(snap_compare):
    assert snap_compare(_app(), terminal_size=(60, 20), run_before=_meeting(4 * 60 + 20))


def test_meeting_overtime_80x24(snap_compare):
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_meeting(6 * 60 + 5))


def test_meeting_paused_80x24(snap_compare):
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_meeting(30, paused=True))


def test_wrap_up_80x24(snap_compare):
    async def run_before(pilot) -> None:
        await _meeting(90, notes="Talked about the new team")(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press(*"Ship the onboarding guide", "enter")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        await _steady(pilot)

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)
