"""This device's files (draft, lock, first-run state) live in a device folder, one per data folder;
an older version's, left in the data folder, move there once and nothing typed is lost."""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import pytest

from coach import draft as drafts
from coach import store
from coach.device import DRAFTS_FROM_DATA, move_device_files
from coach.lock import AlreadyRunning, DataLock

root_writes_anywhere = pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes whatever the modes")
DRAFT = b"schema = 1\nkind = 'draft'\npartner = \"Ada\"\nnotes = \"what was typed \xc3\xa9\"\n"


@pytest.fixture
def data(data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An older version's data folder, with its partners and sessions; the state dir is fresh."""
    monkeypatch.setenv("COACH_STATE_DIR", str(tmp_path / "state"))
    (data_root / "partners").mkdir(parents=True)
    (data_root / "sessions").mkdir()
    return data_root


def only_what_the_user_made(data: Path) -> None:
    assert sorted(p.name for p in data.iterdir()) == ["partners", "sessions"]


def test_each_data_folder_has_its_own_device_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_STATE_DIR", str(tmp_path / "state"))
    home, work = tmp_path / "Notes" / "Coach Home", tmp_path / "work" / "coach"
    home.mkdir(parents=True)
    (tmp_path / "link").symlink_to(home)
    assert store.device_dir(home).parent == tmp_path / "state"
    assert store.device_dir(home).name.startswith("coach-home-")
    assert store.device_dir(work).name.startswith("coach-")
    assert store.device_dir(home) != store.device_dir(work)
    assert store.device_dir(tmp_path / "link") == store.device_dir(home), "one folder, however it is reached"
    monkeypatch.setenv("COACH_DATA_DIR", str(work))
    assert store.device_dir() == store.device_dir(work)
    assert drafts.draft_path() == store.device_dir(work) / "draft.toml"
    assert DataLock().path == store.device_dir(work) / "coach.lock"
    assert store.state_path() == store.device_dir(work) / "state.toml"


def test_the_first_start_moves_the_draft_the_state_and_drops_a_stale_lock(data, umask_zero):
    (data / "draft.toml").write_bytes(DRAFT)
    os.utime(data / "draft.toml", (1_700_000_000, 1_700_000_000))
    (data / "state.toml").write_text("schema = 1\nwelcomed = 2026-01-01T00:00:00Z\n", encoding="utf-8")
    (data / "coach.lock").write_text("4194303\n", encoding="ascii")
    (data / "cache").mkdir()
    (data / "cache" / "summaries.json").write_bytes(b"{}")
    (data / "draft.toml.broken-20260101-120000").write_text("kept aside once", encoding="utf-8")
    assert not store.first_run(), "the older version's mark counts"
    assert move_device_files() == []
    device = store.device_dir()
    assert (device / "draft.toml").read_bytes() == DRAFT
    assert (device / "draft.toml").stat().st_mtime == 1_700_000_000
    assert stat.S_IMODE((device / "draft.toml").stat().st_mode) == 0o600
    assert stat.S_IMODE(device.stat().st_mode) == 0o700
    assert (device / "draft.toml.broken-20260101-120000").read_text(encoding="utf-8") == "kept aside once"
    assert "welcomed" in (device / "state.toml").read_text(encoding="utf-8")
    assert not (device / "coach.lock").exists()
    assert not store.first_run()
    only_what_the_user_made(data)
    assert drafts.draft_path().read_bytes() == DRAFT
    assert move_device_files() == [], "once: a second start finds nothing to do"
    assert (device / "draft.toml").read_bytes() == DRAFT


def test_nothing_to_move_makes_nothing(data_root, tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_STATE_DIR", str(tmp_path / "state"))
    assert move_device_files() == []  # no data folder at all
    assert not data_root.exists() and not (tmp_path / "state").exists()


def test_a_draft_beside_this_devices_own_is_kept_aside_never_offered(data):
    device = store.device_dir()
    device.mkdir(parents=True)
    (device / "draft.toml").write_bytes(b"this device's meeting")
    (data / "draft.toml").write_bytes(DRAFT)
    os.utime(data / "draft.toml", (1_700_000_000, 1_700_000_000))
    [notice] = move_device_files()
    [aside] = (device / DRAFTS_FROM_DATA).iterdir()
    assert aside.name.startswith("draft-2023111") and aside.suffix == ".toml"
    assert aside.read_bytes() == DRAFT
    assert str(aside) in notice.message and "not offered" in notice.message and not notice.warning
    assert (device / "draft.toml").read_bytes() == b"this device's meeting"
    only_what_the_user_made(data)
    (data / "draft.toml").write_bytes(b"synced again, same time")
    os.utime(data / "draft.toml", (1_700_000_000, 1_700_000_000))
    [notice] = move_device_files()
    assert {p.name for p in (device / DRAFTS_FROM_DATA).iterdir()} == {aside.name, f"{aside.stem}-2.toml"}


def test_a_draft_synced_in_after_this_version_ran_here_is_not_taken_for_this_devices(data):
    store.device_dir().mkdir(parents=True)  # this version started here before: its drafts are kept there
    (data / "draft.toml").write_bytes(DRAFT)
    [notice] = move_device_files()
    assert "another device" in notice.message
    assert drafts.load() is None, "nothing to resume"
    [aside] = (store.device_dir() / DRAFTS_FROM_DATA).iterdir()
    assert aside.read_bytes() == DRAFT


def test_the_devices_own_state_stays_and_the_data_folders_goes(data):
    store.mark_welcomed(datetime(2026, 3, 1, 9, 0))
    mine = store.state_path().read_bytes()
    (data / "state.toml").write_text("schema = 1\nwelcomed = 2025-01-01T00:00:00Z\n", encoding="utf-8")
    assert move_device_files() == []
    assert store.state_path().read_bytes() == mine
    only_what_the_user_made(data)


@pytest.mark.parametrize("kind", ["link to nowhere", "folder"])
def test_a_draft_that_cannot_be_moved_stays_and_is_named(data, tmp_path, kind):
    old = data / "draft.toml"
    if kind == "folder":
        old.mkdir()
    else:
        old.symlink_to(tmp_path / "nowhere.toml")
    [notice] = move_device_files()
    assert notice.warning and f"Could not move {old} to {store.device_dir()}" in notice.message
    assert os.path.lexists(old) and not drafts.draft_path().exists()
    assert [n.message for n in move_device_files()] == [notice.message], "said again, never copied twice"


def test_an_older_coach_still_running_keeps_everything_where_it_is(data):
    fcntl = pytest.importorskip("fcntl", reason="an older coach locks with flock (POSIX)")
    (data / "draft.toml").write_bytes(DRAFT)
    held = os.open(data / "coach.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.write(held, b"4242\n")
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as the older coach does
        assert move_device_files() == []
        assert (data / "draft.toml").read_bytes() == DRAFT and (data / "coach.lock").exists()
        with pytest.raises(AlreadyRunning) as error:
            DataLock().acquire()
        assert error.value.pid == 4242 and error.value.folder == data
        assert str(data) in str(error.value)
    finally:
        os.close(held)
    assert move_device_files() == [], "once it has ended, its files move"
    assert drafts.draft_path().read_bytes() == DRAFT
    only_what_the_user_made(data)
    lock = DataLock()
    lock.acquire()
    lock.release()


@root_writes_anywhere
def test_an_unreadable_draft_stays_and_is_named(data):
    (data / "draft.toml").write_bytes(DRAFT)
    (data / "draft.toml").chmod(0)
    [notice] = move_device_files()
    assert notice.warning and str(data / "draft.toml") in notice.message
    assert not drafts.draft_path().exists()


@root_writes_anywhere
def test_a_read_only_data_folder_keeps_its_files_and_says_so(data):
    (data / "draft.toml").write_bytes(DRAFT)
    (data / "state.toml").write_text("schema = 1\n", encoding="utf-8")
    data.chmod(0o500)
    try:
        notices = move_device_files()
        assert notices and all(n.warning for n in notices)
        assert any(str(data / "draft.toml") in n.message for n in notices)
        assert (data / "draft.toml").read_bytes() == DRAFT, "never lost"
        assert not drafts.draft_path().exists(), "never in two places"
        again = move_device_files()  # the device folder is there now: the copy aside is taken back
        assert again and all(n.warning for n in again)
        assert not list((store.device_dir() / DRAFTS_FROM_DATA).glob("*"))
        assert (data / "draft.toml").read_bytes() == DRAFT
    finally:
        data.chmod(0o700)


@root_writes_anywhere
def test_a_read_only_state_folder_keeps_the_draft_in_the_data_folder(data, tmp_path):
    (data / "draft.toml").write_bytes(DRAFT)
    (tmp_path / "state").mkdir(mode=0o500)
    try:
        [notice] = move_device_files()
        assert notice.warning and str(data / "draft.toml") in notice.message
        assert (data / "draft.toml").read_bytes() == DRAFT
    finally:
        (tmp_path / "state").chmod(0o700)
