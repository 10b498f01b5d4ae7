"""Hand-edited and hostile files, from the shell: every command reads them the same way, skips
what cannot be used with `PATH:LINE:COL: message`, lists everything else, and never prints a
control character from the data (JSON and TOML keep the exact data, escaped)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach import partners, records, summaries
from coach.model import Capture, CaptureKind, Owner, PhaseRecord, Summary, notes_of
from coach.store import slugify

Run = Callable[..., subprocess.CompletedProcess[str]]
ESCAPES = "\x1b]2;PWNED\x07\x1b[2J\x1b]52;c;aGk=\x07\x9b31m"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
START = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def same_dirs(coach_dirs: tuple[Path, Path], config_dir: Path, data_dir: Path) -> None:
    assert coach_dirs == (config_dir, data_dir)


def meet(partner: str, day: int, notes: str = "talked about the week", fact: str = "has two cats",
         reflection: str = "steady") -> Path:
    """A summary and the partner's file, as the app writes them."""
    started = START + timedelta(days=day)
    summary = Summary(
        id=f"{started:%Y-%m-%d-%H%M}-{slugify(partner)}-{day:06x}", partner=partner, template="standard",
        started=started, ended=started + timedelta(minutes=30), rating=4, reflection=reflection,
        phases=[PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300.0, actual_seconds=330.0,
                            notes=notes)],
        **notes_of([Capture(CaptureKind.FACT, fact),
                    Capture(CaptureKind.COMMITMENT, f"send {fact}", owner=Owner.THEM)]))
    path = summaries.save(summary).toml_path
    partners.remember_meeting(summary)
    return path


def clean(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """No traceback, and no control character from the data in what is printed for people."""
    assert "Traceback" not in result.stdout + result.stderr
    for stream in (result.stdout, result.stderr):
        found = CONTROL.search(stream.replace("\n", "").replace("\t", ""))
        assert found is None, f"{found.group()!r} printed raw: {stream!r}"
    return result


@pytest.mark.parametrize("started", ["2026-01-06T09:00:00", "2026-01-06", '"2026-01-06T09:00:00"'])
def test_a_summary_with_a_local_time_is_listed_by_every_command(coach: Run, started: str) -> None:
    """A date-time without an offset is local time, and a date alone local midnight: not errors."""
    other = meet("Grace Hopper", 0)
    edited = meet("Ada Lovelace", 1)
    text = edited.read_text(encoding="utf-8")
    edited.write_text(re.sub(r"(?m)^started = .*$", f"started = {started}", text), encoding="utf-8")

    history = clean(coach("history", "--json"))
    assert history.returncode == 0 and history.stderr == ""
    listed = {row["id"]: row for row in json.loads(history.stdout)}
    assert set(listed) == {edited.stem, other.stem}
    local = datetime(2026, 1, 6, 9 if "T" in started else 0).astimezone()
    assert datetime.fromisoformat(listed[edited.stem]["started"]) == local
    for args in (("history",), ("show", edited.stem), ("export", "--format", "md"), ("brief", "Ada Lovelace")):
        result = clean(coach(*args))
        assert result.returncode == 0 and result.stderr == "", (args, result.stderr)


BROKEN = {
    "rating with an Arabic-Indic digit": ("rating = 4", "rating = 1\u0663", "TOML syntax"),
    "a 5,000-digit rating": ("rating = 4", "rating = " + "9" * 5000, "a number too long to read"),
    "rating out of range": ("rating = 4", "rating = 13", "`rating` must be a whole number at most 5"),
    "a deeply nested rating": ("rating = 4", "rating = " + "[" * 2000 + "]" * 2000, "nested too deeply"),
    "notes not text": ('notes = "talked about the week"', "notes = 5", "`notes` must be text"),
    "started out of range": ("started = ", "started = 0001-01-01T00:00:00\nwas = ", "from 1900 to 9990"),
}


@pytest.mark.parametrize(("old", "new", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_summary_is_refused_the_same_way_everywhere_and_hides_nothing(coach: Run, old: str, new: str,
                                                                                 message: str) -> None:
    meet("Grace Hopper", 0)
    broken = meet("Ada Lovelace", 1)
    text = broken.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    broken.write_text(changed, encoding="utf-8")
    line = next(i for i, row in enumerate(changed.splitlines(), 1) if row.startswith(new.split(" = ")[0] + " ="))
    for args in (("history",), ("history", "--json"), ("export", "--format", "json"), ("export", "--format", "md"),
                 ("show", broken.stem), ("brief", "Grace Hopper")):
        result = clean(coach(*args))
        if args[0] != "brief":
            assert f"{broken}:{line}:" in result.stderr and message in result.stderr, (args, result.stderr)
        assert broken.stem not in result.stdout, args
        if args[0] in ("history", "export"):
            assert result.returncode == 0 and "Grace Hopper" in result.stdout, args
    assert coach("show", broken.stem).returncode == 1


def test_escape_sequences_in_the_data_are_shown_never_sent(coach: Run, data_dir: Path) -> None:
    path = meet("Ada Lovelace", 0, notes=f"notes {ESCAPES} end", fact=f"cat {ESCAPES}",
                reflection=f"went {ESCAPES} well")
    for args in (("history",), ("history", "--grep", "notes"), ("show", path.stem), ("export", "--format", "md"),
                 ("brief", "Ada Lovelace")):
        result = clean(coach(*args))
        assert result.returncode == 0, args
        if args[0] != "history":
            assert "PWNED␇" in result.stdout, args

    as_json = coach("show", path.stem, "--format", "json")
    assert as_json.returncode == 0 and not CONTROL.search(as_json.stdout.replace("\n", ""))
    assert "\\u001b]2;PWNED\\u0007" in as_json.stdout and "\\u009b31m" in as_json.stdout
    assert json.loads(as_json.stdout)["phases"][0]["notes"] == f"notes {ESCAPES} end", "JSON keeps the exact data"
    exported = json.loads(coach("export", "--format", "json").stdout)
    assert exported[0]["reflection"] == f"went {ESCAPES} well"

    as_toml = coach("show", path.stem, "--format", "toml")
    assert as_toml.returncode == 0 and not CONTROL.search(as_toml.stdout.replace("\n", ""))
    assert tomllib.loads(as_toml.stdout)["phases"][0]["notes"] == f"notes {ESCAPES} end", "TOML keeps it too"
    assert not CONTROL.search(path.read_text(encoding="utf-8").replace("\n", "")), "`cat` of the file is safe"
    assert not CONTROL.search(path.with_suffix(".md").read_text(encoding="utf-8").replace("\n", ""))


def test_a_file_name_with_an_escape_is_named_safely(coach: Run, data_dir: Path) -> None:
    meet("Grace Hopper", 0)
    odd = data_dir / "sessions" / "2026" / "x\x1b]2;PWNED\x07.toml"
    odd.write_text("schema = 1\nid = \n", encoding="utf-8")
    result = clean(coach("history"))
    assert "x␛]2;PWNED␇.toml:2:6: TOML syntax" in result.stderr


def test_markdown_of_a_summary_renders_notes_as_text(coach: Run) -> None:
    path = meet("[Ada](http://x.example) <b>", 0, notes="## Goals\n- fake goal\n<script>alert(1)</script>")
    shown = clean(coach("show", path.stem)).stdout
    assert "# Meeting with \\[Ada\\](http://x.example) \\<b\\>" in shown
    assert "\\#\\# Goals" in shown and "\\- fake goal" in shown and "\\<script\\>" in shown
    assert "\n## Goals" not in shown and "<script>" not in shown


def test_names_that_look_different_never_share_a_partner(coach: Run, data_dir: Path) -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    for name in ("AdaLovelace", "Ada\u200bLovelace", family, "\U0001f468\U0001f469\U0001f467"):
        meet(name, len(name))
    files = sorted((data_dir / "partners").glob("*.toml"))
    assert len(files) == 4
    assert {records.read(partners.PartnerRecord, f).name for f in files} >= {family, "Ada\u200bLovelace"}


def test_the_app_refuses_a_name_with_control_characters(coach: Run, data_dir: Path) -> None:
    result = clean(coach("--partner", "Ada\nLovelace"))
    assert result.returncode == 2
    assert "a name cannot contain control characters (a line break)" in result.stderr
    assert not data_dir.exists()


def test_links_pipes_and_loops_in_the_data_folder_are_named_never_followed_forever(coach: Run,
                                                                                     data_dir: Path) -> None:
    good = meet("Grace Hopper", 0)
    year = good.parent
    (year / "loop.toml").symlink_to(year / "loop.toml")
    (year / "dangling.toml").symlink_to(year / "nowhere.toml")
    os.mkfifo(year / "pipe.toml")
    os.mkfifo(data_dir / "partners" / "pipe.toml")
    for args in (("history",), ("brief", "Grace Hopper"), ("export", "--format", "json")):
        result = clean(coach(*args))
        assert result.returncode == 0 and "Grace Hopper" in result.stdout, args
    result = coach("history")
    assert f"{year / 'loop.toml'}:1:1: cannot read: Too many levels of symbolic links" in result.stderr
    assert f"{year / 'dangling.toml'}:1:1: cannot read: No such file or directory" in result.stderr
    assert f"{year / 'pipe.toml'}:1:1: cannot read: not a regular file (a pipe or a device)" in result.stderr


def test_export_writes_through_a_link_and_refuses_a_device(coach: Run, tmp_path: Path) -> None:
    meet("Grace Hopper", 0)
    target = tmp_path / "dotfiles" / "meetings.md"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "meetings.md"
    link.symlink_to(target)
    assert clean(coach("export", "--format", "md", "--out", str(link))).returncode == 0
    assert link.is_symlink() and "Grace Hopper" in target.read_text(encoding="utf-8")
    refused = clean(coach("export", "--format", "md", "--out", "/dev/null"))
    assert refused.returncode == 1 and "not a regular file" in refused.stderr
    assert Path("/dev/null").is_char_device()


def test_a_summary_reached_twice_through_a_link_is_listed_once(coach: Run, data_dir: Path) -> None:
    good = meet("Grace Hopper", 0)
    (good.parent / "z-link.toml").symlink_to(good)
    (data_dir / "sessions" / "2099").symlink_to(good.parent)
    listed = json.loads(coach("history", "--json").stdout)
    assert [row["path"] for row in listed] == [str(good)]
    assert clean(coach("show", good.stem)).returncode == 0
    stderr = coach("history").stderr
    assert f"{good.parent / 'z-link.toml'}:1:1: the same file as {good} (through a link): listed once" in stderr


def test_history_reads_in_this_computers_time_zone(coach: Run, coach_env: dict[str, str]) -> None:
    east = meet("Grace Hopper", 0)
    east.write_text(re.sub(r"(?m)^started = .*$", "started = 2026-03-06T14:00:00+05:00",
                           re.sub(r"(?m)^ended = .*$", "ended = 2026-03-06T14:30:00+05:00", east.read_text())),
                    encoding="utf-8")
    naive = meet("Ada Lovelace", 1)
    naive.write_text(re.sub(r"(?m)^started = .*$", "started = 2026-03-06T10:00:00",
                            re.sub(r"(?m)^ended = .*$", "ended = 2026-03-06T10:30:00", naive.read_text())),
                     encoding="utf-8")
    for path in (east, naive):  # old enough to be cached
        os.utime(path, (path.stat().st_mtime - 3600,) * 2)

    def started(zone: str) -> dict[str, str]:
        coach_env["TZ"] = zone
        return {row["partner"]: row["started"] for row in json.loads(coach("history", "--json").stdout)}

    assert started("UTC") == {"Grace Hopper": "2026-03-06T09:00:00+00:00", "Ada Lovelace": "2026-03-06T10:00:00+00:00"}
    assert started("UTC") == started("UTC"), "the same from the cache"
    assert started("America/New_York") == {"Grace Hopper": "2026-03-06T04:00:00-05:00",
                                           "Ada Lovelace": "2026-03-06T10:00:00-05:00"}, "a local time is local"


def test_a_sessions_path_that_is_a_file_is_named(coach: Run, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "sessions").write_text("not a folder", encoding="utf-8")
    result = clean(coach("history"))
    assert result.returncode == 0
    assert f"{data_dir / 'sessions'}:1:1: cannot read the sessions folder: Not a directory" in result.stderr


def test_a_copied_summary_is_listed_once_and_shows(coach: Run, data_dir: Path) -> None:
    import shutil

    good = meet("Grace Hopper", 0)
    (data_dir / "sessions" / "archive").mkdir()
    copy = data_dir / "sessions" / "archive" / "copy.toml"
    shutil.copy(good, copy)
    listed = json.loads(coach("history", "--json").stdout)
    assert [row["path"] for row in listed] == [str(good)]
    assert f"{copy}:1:1: holds the same meeting ({good.stem}) as {good}: listed once" in coach("history").stderr
    assert clean(coach("show", good.stem)).returncode == 0


def test_show_names_the_broken_file_of_the_id_asked_for_not_a_longer_one(coach: Run, data_dir: Path) -> None:
    good = meet("Grace Hopper", 0)
    broken = good.with_name(good.stem[:-2] + ".toml")  # its id is a prefix of the good one's
    broken.write_text("schema = 1\nid = \n", encoding="utf-8")
    result = clean(coach("show", broken.stem))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"{broken}:2:6: TOML syntax")


def test_summaries_in_folders_below_the_years_are_listed(coach: Run, data_dir: Path) -> None:
    good = meet("Grace Hopper", 0)
    deep = data_dir / "sessions" / "archive" / "old"
    deep.mkdir(parents=True)
    moved = good.rename(deep / good.name)
    (deep / "up").symlink_to(data_dir / "sessions")  # a link back up: read once, not forever
    listed = json.loads(clean(coach("history", "--json")).stdout)
    assert [row["path"] for row in listed] == [str(moved)]
    assert clean(coach("show", good.stem)).returncode == 0
