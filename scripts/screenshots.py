"""Make the README's screenshots from the app itself: `python scripts/screenshots.py`.

Runs coach headless with a frozen clock on a throw-away data folder that holds one earlier
meeting with Ada, then saves the prep and meeting screens at 80x24 as SVG in docs/.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


async def _earlier_meeting(clock) -> None:
    from coach.app import CoachApp

    app = CoachApp(partner="Ada Lovelace", template="standard", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        for key, text in (("ctrl+r", "training for the Lisbon half marathon"),
                          ("ctrl+g", "lead the design review in March"),
                          ("ctrl+o", "send Ada the reading list on team rituals")):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press(*text, "enter")
            await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("4", "ctrl+s")
        await pilot.pause()


async def _shoot(clock, out: Path) -> None:
    from coach.app import CoachApp

    app = CoachApp(partner="Ada Lovelace", template="standard", clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(str(out / "prep.svg"))
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"Half marathon went well: 1:52! Knee is fine now.")
        clock.advance(3 * 60 + 20)
        app.screen.tick()
        for widget in app.screen.query("TextArea"):
            widget.cursor_blink = False
        app.clear_notifications()
        await pilot.pause(0.5)
        app.save_screenshot(str(out / "meeting.svg"))


async def main() -> None:
    from coach.clock import FakeClock

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COACH_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ["COACH_CONFIG_DIR"] = str(Path(tmp) / "config")
        clock = FakeClock(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))
        await _earlier_meeting(clock)
        clock.advance(7 * 86400)
        out = ROOT / "docs"
        out.mkdir(exist_ok=True)
        await _shoot(clock, out)
    print(f"wrote {out / 'prep.svg'} and {out / 'meeting.svg'}")


if __name__ == "__main__":
    asyncio.run(main())
