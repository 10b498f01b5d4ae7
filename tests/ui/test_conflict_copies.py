"""At start, the app merges the conflict copies a folder sync made (issue 17's bar, as after a start
of the app): in a worker after the first frame, said in a toast."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.app import CoachApp
from coach.clock import FakeClock
from coach.store import partners_dir
from screens.picker import PickerScreen
from tests.two_devices import PARTNER, check_joined, device_env, two_devices
from tests.ui.helpers import wait_for


async def test_a_start_merges_the_other_devices_copy_and_says_so(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    data = two_devices(tmp_path, "Syncthing")
    for key, value in device_env(tmp_path, "laptop").items():
        if key.startswith("COACH_"):
            monkeypatch.setenv(key, value)
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: any(n.title == "Conflict copies" for n in app._notifications), "the toast")
        assert isinstance(app.screen, PickerScreen)
        said = [n.message for n in app._notifications]
        assert said == [f"Merged 1 conflict copy of {PARTNER}'s file (from Syncthing); the copy is in conflicts/"]
    check_joined(data, "Syncthing")


async def test_nothing_to_merge_says_nothing_and_a_failure_is_a_toast(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.merging is not None and app.merging.is_finished, "the merge")
        assert not app._notifications

    def broken() -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr("coach.conflict_fix.tidy", broken)
    copy = partners_dir() / "ada.sync-conflict-20261130-141503-ABCDEF7.toml"  # something to merge
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text('name = "Ada"\n', encoding="utf-8")
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await wait_for(pilot, lambda: bool(app._notifications), "the toast")
        assert [n.message for n in app._notifications] == [
            "Could not look for conflict copies in the data folder: the disk went away"]
        assert isinstance(app.screen, PickerScreen)


async def test_prep_opened_before_the_merge_shows_the_merged_record(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Static

    from screens.prep import PrepScreen
    from tests.ui.test_kept_and_names import flat

    two_devices(tmp_path, "Syncthing")
    for key, value in device_env(tmp_path, "laptop").items():
        if key.startswith("COACH_"):
            monkeypatch.setenv(key, value)
    app = CoachApp(partner=PARTNER, clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.merging is not None and app.merging.is_finished, "the merge")

        def brief() -> str:
            screen = app.screen
            return flat(screen.query_one("#brief", Static)) if isinstance(screen, PrepScreen) and screen.filled else ""

        await wait_for(pilot, lambda: "moving to Lisbon" in brief() and "runs a 10k" in brief(),
                       "both devices' facts in the brief")
