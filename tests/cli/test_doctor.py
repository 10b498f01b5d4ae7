"""`coach doctor` as a user runs it: what it lists, what `--fix` does, and the bar of issue 17 (two
devices, one synced folder, joined by Syncthing, Dropbox or Nextcloud)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.two_devices import COPY_NAMES, PARTNER, check_joined, device_env, hold, two_devices


def ok(result: subprocess.CompletedProcess[str], code: int = 0) -> subprocess.CompletedProcess[str]:
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == code, result.stdout + result.stderr
    return result


@pytest.mark.parametrize("engine", sorted(COPY_NAMES))
def test_two_devices_joined_by_a_sync_engine_lose_no_meeting_and_no_fact(tmp_path: Path, engine: str) -> None:
    data = two_devices(tmp_path, engine)
    env = device_env(tmp_path, "laptop")
    found = ok(run_coach(env, "doctor"), 1)
    assert f"made by {engine}" in found.stdout
    fixed = ok(run_coach(env, "doctor", "--fix"))
    assert f"merged {data / 'partners'}" in fixed.stdout and "nothing wrong" in fixed.stderr
    check_joined(data, engine)
    meetings = json.loads(ok(run_coach(env, "history", "--json")).stdout)
    assert sorted(m["id"][-6:] for m in meetings) == ["aaaaaa", "bbbbbb", "cccccc"]  # both devices' meetings
    listed = ok(run_coach(env, "partners", "list"))
    assert listed.stdout.count(PARTNER) == 1 and not listed.stderr  # one partner, no file skipped
    assert ok(run_coach(env, "doctor")).stdout == ""  # and again: nothing left to do


def run_coach(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coach", *args], cwd=Path(__file__).parents[2], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_doctor_lists_broken_files_git_markers_copies_and_leftovers_and_fix_leaves_those_alone(
        coach: Run, data_dir: Path, tmp_path: Path) -> None:
    env = device_env(tmp_path, "device")
    env["COACH_DATA_DIR"] = str(data_dir)
    hold(env, 3, "aaaaaa", facts=["has a cat"])
    partners = data_dir / "partners"
    (original,) = partners.glob("*.toml")
    text = original.read_text(encoding="utf-8")
    broken_copy = partners / f"{original.stem} (conflicted copy 2026-11-30 141503).toml"
    broken_copy.write_text(text.replace('schema = 1', 'schema = "one"'), encoding="utf-8")
    marked = partners / "bob-12345678.toml"
    marked.write_text('schema = 1\nname = "Bob"\n<<<<<<< HEAD\n[[facts]]\ntext = "a"\n=======\n'
                      '[[facts]]\ntext = "b"\n>>>>>>> desktop\n', encoding="utf-8")
    (partners / "bob-12345678 2.toml").write_text('schema = 1\nname = "Bob"\n', encoding="utf-8")
    (data_dir / "draft.toml").write_text("", encoding="utf-8")
    (data_dir / "cache").mkdir()
    before = {p: p.read_bytes() for p in partners.iterdir()}

    listed = ok(coach("doctor"), 1).stdout.splitlines()
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("schema"))
    assert f"{broken_copy}:{line}:1: unknown schema 'one': this coach reads schema 1" in listed
    assert f"{marked}:3:1: git conflict markers" in "\n".join(listed)
    assert any(f"{broken_copy}:1:1: a conflict copy of {original.name} made by Nextcloud" in row for row in listed)
    assert any("bob-12345678 2.toml:1:1: a conflict copy of bob-12345678.toml made by iCloud" in row for row in listed)
    assert [row.split(":")[0] for row in listed[-2:]] == [str(data_dir / "draft.toml"), str(data_dir / "cache")]

    fixed = ok(coach("doctor", "--fix"), 1)
    assert not any(row.startswith("merged ") for row in fixed.stdout.splitlines())  # the broken copy waits; Bob's
    # file, marked, is left alone
    assert {p: p.read_bytes() for p in partners.iterdir()} == before
    assert not (data_dir / "conflicts").exists()
    assert not (data_dir / "draft.toml").exists() and not (data_dir / "cache").exists(), "an older coach's files moved"
    assert str(data_dir / "draft.toml") not in fixed.stdout


def test_fix_waits_for_the_app_to_quit(coach: Run, data_dir: Path, tmp_path: Path) -> None:
    """The app may be writing the very partner file a fix would merge: `--fix` refuses while it runs."""
    from coach.lock import DataLock

    env = device_env(tmp_path, "device")
    env["COACH_DATA_DIR"] = str(data_dir)
    hold(env, 3, "aaaaaa", facts=["has a cat"])
    (original,) = (data_dir / "partners").glob("*.toml")
    copy = original.with_name(f"{original.stem}.sync-conflict-20261130-141503-ABCDEF7.toml")
    shutil.copy(original, copy)
    running = DataLock()
    running.acquire()
    try:
        refused = ok(coach("doctor", "--fix"), 1)
    finally:
        running.release()
    assert "already running" in refused.stderr and "quit it" in refused.stderr
    assert copy.exists() and not (data_dir / "conflicts").exists()
    assert "merged" in ok(coach("doctor", "--fix")).stdout


def test_a_copy_without_its_original_is_put_in_its_place(coach: Run, data_dir: Path, tmp_path: Path) -> None:
    env = device_env(tmp_path, "device")
    env["COACH_DATA_DIR"] = str(data_dir)
    hold(env, 3, "aaaaaa", facts=["has a cat"])
    (original,) = (data_dir / "partners").glob("*.toml")
    copy = original.with_name(COPY_NAMES["Dropbox"].format(stem=original.stem))
    original.rename(copy)
    fixed = ok(coach("doctor", "--fix"))
    assert f"renamed {copy} (Dropbox on Laptop) to {original}" in fixed.stdout
    assert [p.name for p in (data_dir / "partners").iterdir()] == [original.name]


def test_a_summary_in_two_versions_is_kept_twice_listed_twice_and_flagged(coach: Run, data_dir: Path,
                                                                           tmp_path: Path) -> None:
    env = device_env(tmp_path, "device")
    env["COACH_DATA_DIR"] = str(data_dir)
    hold(env, 3, "aaaaaa", facts=["has a cat"])
    (summary,) = (data_dir / "sessions").rglob("*.toml")
    other = summary.with_name(f"{summary.stem}.sync-conflict-20261130-141503-ABCDEF7.toml")
    other.write_text(summary.read_text(encoding="utf-8").replace('reflection = ""', 'reflection = "went well"'),
                     encoding="utf-8")
    same = summary.with_name(f"{summary.stem} (conflicted copy 2026-11-30).toml")
    shutil.copy2(summary, same)
    fixed = ok(coach("doctor", "--fix"), 1)
    kept = summary.with_name(f"{summary.stem}-conflict-1.toml")
    assert f"kept {other} (Syncthing on ABCDEF7) as {kept}" in fixed.stdout
    assert f"moved {same} (Dropbox), the same as {summary}" in fixed.stdout
    assert f"{kept}:1:1: another version of the meeting in {summary.name}" in fixed.stdout
    assert kept.with_suffix(".md").exists()
    assert (data_dir / "conflicts" / same.name).read_bytes() == summary.read_bytes()
    meetings = json.loads(ok(coach("history", "--json")).stdout)
    assert sorted(m["id"] for m in meetings) == [summary.stem, kept.stem]
    assert "went well" in ok(coach("show", kept.stem)).stdout


def test_a_meeting_saved_while_git_markers_are_in_the_file_waits_and_is_merged_once_they_are_gone(
        coach: Run, data_dir: Path, tmp_path: Path) -> None:
    """The file is left as the user's merge left it; the new meeting's memory waits beside it, and
    nothing of either side is lost once the markers are resolved."""
    env = device_env(tmp_path, "device")
    env["COACH_DATA_DIR"] = str(data_dir)
    hold(env, 3, "aaaaaa", facts=["has a cat"])
    (original,) = (data_dir / "partners").glob("*.toml")
    text = original.read_text(encoding="utf-8")
    marked = f"{text}<<<<<<< HEAD\n=======\n>>>>>>> desktop\n"
    original.write_text(marked, encoding="utf-8")

    hold(env, 1, "bbbbbb", facts=["runs a 10k"])

    assert original.read_text(encoding="utf-8") == marked, "left as it is"
    [waiting] = (data_dir / "partners").glob("*.coach-waiting-*.toml")
    listed = ok(coach("doctor"), 1).stdout
    line = marked.splitlines().index("<<<<<<< HEAD") + 1
    assert f"{original}:{line}:1: git conflict markers" in listed and f"{waiting}:1:1: a conflict copy" in listed
    assert "`coach doctor --fix` merges it" not in listed, "not while the markers are there"
    tried = ok(coach("doctor", "--fix"), 1).stdout
    assert not any(row.startswith("merged ") for row in tried.splitlines())
    assert tried.count(f"{original}:{line}:1: git conflict markers") == 1

    original.write_text(text, encoding="utf-8")  # the user resolves them
    ok(coach("doctor", "--fix"))
    shown = ok(coach("partners", "show", PARTNER)).stdout
    assert "has a cat" in shown and "runs a 10k" in shown
    assert not waiting.exists() and (data_dir / "conflicts" / waiting.name).exists()


def test_two_copies_of_a_missing_file_are_both_found_and_merged_in_one_pass(coach: Run, data_dir: Path,
                                                                           tmp_path: Path) -> None:
    root = tmp_path / "scene"
    data = two_devices(root, "Syncthing")
    partners = data / "partners"
    (copy,) = [p for p in partners.glob("*.toml") if "sync-conflict" in p.name]
    original = copy.with_name(copy.name.split(".sync-conflict")[0] + ".toml")
    original.rename(original.with_name(f"{original.stem} 2.toml"))  # iCloud's name for the other version
    env = device_env(root, "laptop")
    listed = ok(run_coach(env, "doctor"), 1).stdout
    assert "made by Syncthing" in listed and "made by iCloud" in listed
    ok(run_coach(env, "doctor", "--fix"))
    check_joined(data, "Syncthing")


def test_after_fix_what_is_left_carries_no_promise_that_fix_would_mend_it(coach: Run, data_dir: Path,
                                                                          tmp_path: Path) -> None:
    env = device_env(tmp_path, "device")
    env["COACH_DATA_DIR"] = str(data_dir)
    hold(env, 3, "aaaaaa", facts=["has a cat"])
    (original,) = (data_dir / "partners").glob("*.toml")
    broken = original.with_name(f"{original.stem}.sync-conflict-20261130-141503-ABCDEF7.toml")
    broken.write_text("schema = 1\nname = [\n", encoding="utf-8")
    fixed = ok(coach("doctor", "--fix"), 1)
    assert "`coach doctor --fix`" not in fixed.stdout + fixed.stderr
    assert f"{broken}:1:1: a conflict copy of {original.name} made by Syncthing on ABCDEF7: not merged" in fixed.stdout
