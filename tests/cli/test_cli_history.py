"""`coach history`, `coach show` and `coach export`, run as a user runs them."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from coach import summaries
from coach.model import Capture, CaptureKind, Owner, PhaseRecord, Summary, notes_of
from coach.store import slugify
from tests.cli.conftest import REPO_ROOT

Run = Callable[..., subprocess.CompletedProcess[str]]
START = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)


def meeting(partner: str, day: int, rating: int | None = 4, notes: str = "talked about the week",
            fact: str = "has two cats", minutes: int = 31) -> Path:
    """Save a real summary (in the data dir the subprocess sees) and give it an older time."""
    started = START + timedelta(days=day)
    slug = slugify(partner)
    summary = Summary(
        id=f"{started:%Y-%m-%d-%H%M}-{slug}-{day:06x}", partner=partner, partner_slug=slug, template="standard",
        started=started, ended=started + timedelta(minutes=minutes),
        phases=[PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300.0, actual_seconds=330.0,
                            notes=notes)],
        **notes_of([Capture(CaptureKind.FACT, fact), Capture(CaptureKind.GOAL, "ship the beta"),
                    Capture(CaptureKind.COMMITMENT, "send the deck", owner=Owner.ME, due=date(2026, 2, 1))]),
        rating=rating, reflection="steady", follow_up=f"Hi {partner.split()[0]},\n\nThanks!\n")
    path = summaries.save(summary).toml_path
    when = time.time() - 3600
    for each in (path, path.with_suffix(".md")):
        os.utime(each, (when, when))
    return path


@pytest.fixture
def three(coach_dirs: tuple[Path, Path]) -> dict[str, Path]:
    """Ada twice (one unrated), Zoë once, with notes to grep."""
    return {
        "ada1": meeting("Ada Lovelace", 0, notes="moving to Lisbon soon"),
        "zoe": meeting("Zoë O'Brien", 3, rating=5, fact="Learning the CELLO"),
        "ada2": meeting("Ada Lovelace", 10, rating=None, minutes=45),
    }


def ids(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [row["id"] for row in json.loads(result.stdout)]


def stem(path: Path) -> str:
    return path.stem


# -- coach history -----------------------------------------------------------------------------
def test_no_data_dir_means_no_meetings_yet(coach: Run, data_dir: Path) -> None:
    result = coach("history")
    assert (result.returncode, result.stdout) == (0, "")
    assert "No meetings yet" in result.stderr
    as_json = coach("history", "--json")
    assert (as_json.returncode, as_json.stdout) == (0, "[]\n")
    assert not data_dir.exists()


def test_history_is_a_readable_table_newest_first(coach: Run, three: dict[str, Path]) -> None:
    result = coach("history")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    head, *rows = result.stdout.splitlines()
    assert head.split() == ["DATE", "PARTNER", "LENGTH", "RATING", "GOALS", "COMMITMENTS", "ID"]
    assert [row.split()[-1] for row in rows] == [stem(three["ada2"]), stem(three["zoe"]), stem(three["ada1"])]
    assert re.match(r"2026-01-15 14:00  Ada Lovelace\s+45 min\s+–\s+1\s+1  ", rows[0])
    assert re.match(r"2026-01-08 14:00  Zoë O'Brien\s+31 min\s+5/5\s+1\s+1  ", rows[1])


def test_history_json_gives_one_object_per_meeting(coach: Run, three: dict[str, Path]) -> None:
    result = coach("history", "--json")

    assert result.returncode == 0 and result.stderr == ""
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == [stem(three["ada2"]), stem(three["zoe"]), stem(three["ada1"])]
    first = rows[0]
    assert {"id", "partner", "started", "ended", "rating", "path"} <= set(first)
    assert first["partner"] == "Ada Lovelace" and first["rating"] is None and rows[1]["rating"] == 5
    assert datetime.fromisoformat(first["started"]) == START + timedelta(days=10)
    assert datetime.fromisoformat(first["ended"]) == START + timedelta(days=10, minutes=45)
    assert Path(first["path"]) == three["ada2"]
    assert (first["minutes"], first["goals"], first["commitments"], first["remembered"]) == (45.0, 1, 1, 1)
    assert rows[1]["partner"] == "Zoë O'Brien"  # not escaped


@pytest.mark.parametrize(("args", "expected"), [
    (["--partner", "ada lovelace"], ["ada2", "ada1"]),
    (["--partner", "  Zoë O'Brien "], ["zoe"]),
    (["--since", "2026-01-08"], ["ada2", "zoe"]),
    (["--until", "2026-01-08"], ["zoe", "ada1"]),
    (["--since", "2026-01-06", "--until", "2026-01-14"], ["zoe"]),
    (["--grep", "LISBON"], ["ada1"]),
    (["--grep", "cello"], ["zoe"]),  # facts are searched too
    (["--grep", "ship the beta"], ["ada2", "zoe", "ada1"]),
    (["--grep", "nowhere"], []),
    (["--partner", "Ada Lovelace", "--grep", "lisbon", "--since", "2026-01-01"], ["ada1"]),
])
def test_history_filters(coach: Run, three: dict[str, Path], args: list[str], expected: list[str]) -> None:
    result = coach("history", "--json", *args)
    assert result.returncode == 0, result.stderr
    assert ids(result) == [stem(three[key]) for key in expected]


@pytest.mark.parametrize("command", [["history"], ["export", "--format", "json"], ["brief"]])
@pytest.mark.parametrize("typed", ["zoe", "ZOE", "Zoë", "zoë o'brien"])
def test_a_name_in_any_case_or_accent_finds_the_partner(coach: Run, three: dict[str, Path], command: list[str],
                                                        typed: str) -> None:
    args = [*command, typed] if command == ["brief"] else [*command, "--partner", typed]
    result = coach(*args)
    assert result.returncode == 0, result.stderr
    assert "Zoë O'Brien" in result.stdout and "Ada Lovelace" not in result.stdout


@pytest.mark.parametrize("command", [["history"], ["export", "--format", "json"], ["brief"]])
def test_an_unknown_partner_exits_1_alike_with_the_known_ones(coach: Run, three: dict[str, Path],
                                                               command: list[str]) -> None:
    for typed in ("Nobody", ""):
        args = [*command, typed] if command == ["brief"] else [*command, "--partner", typed]
        result = coach(*args)
        assert (result.returncode, result.stdout) == (1, "")
        assert f"coach {command[0]}: no partner called {typed!r}. Known: Ada Lovelace, Zoë O'Brien." in result.stderr


@pytest.mark.parametrize("command", ["history", "export --format json"])
@pytest.mark.parametrize(("args", "message"), [
    (["--since", "yesterday"], "argument --since: wants a date like 2026-03-02"),
    (["--until", "2026-02-30"], "argument --until: wants a date like 2026-03-02"),
    (["--since", "20260101"], "argument --since"),
    (["--since", "2026-02-01", "--until", "2026-01-01"], "--since 2026-02-01 is after --until 2026-01-01"),
    (["--bogus"], "unrecognized arguments: --bogus"),
])
def test_usage_errors_exit_2(coach: Run, three: dict[str, Path], command: str, args: list[str], message: str) -> None:
    result = coach(*command.split(), *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_files_are_listed_as_skipped_and_hide_nothing(coach: Run, three: dict[str, Path],
                                                            data_dir: Path) -> None:
    year = data_dir / "sessions" / "2026"
    (year / "2026-02-01-0900-bad-1.toml").write_text('schema = 1\nid = "x"\npartner = "Ada\n', encoding="utf-8")
    (year / "2026-02-02-0900-bad-2.toml").write_bytes(b'schema = 1\nid = "caf\xe9"\n')
    (year / "2026-02-03-0900-bad-3.toml").write_text(three["zoe"].read_text().replace("schema = 1", "schema = 7"),
                                                    encoding="utf-8")
    (year / ".2026-02-04-0900-x.toml.tmp").write_text("half a fi", encoding="utf-8")

    for _ in range(2):  # the same from the cache
        result = coach("history", "--json")
        assert result.returncode == 0
        assert len(ids(result)) == 3
        lines = result.stderr.splitlines()
        assert lines[0].startswith(f"{year / '2026-02-01-0900-bad-1.toml'}:3:")
        assert lines[1] == f"{year / '2026-02-02-0900-bad-2.toml'}:2:10: not UTF-8 text"
        assert lines[2].startswith(f"{year / '2026-02-03-0900-bad-3.toml'}:1:1: written by a newer coach")
        assert lines[3] == "coach: skipped 3 files that could not be read"


def test_three_at_once_all_answer_and_leave_a_valid_index(coach: Run, coach_env: dict[str, str],
                                                         three: dict[str, Path], cache_dir: Path) -> None:
    for day in range(20, 160):
        meeting("Grace Hopper", day, notes=f"meeting number {day}")
    runs = [subprocess.Popen([sys.executable, "-m", "coach", *args], cwd=REPO_ROOT, env=coach_env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
            for args in (["history", "--json"], ["history", "--json"], ["history", "--grep", "number"])]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0]
    assert [err for _out, err in outputs] == ["", "", ""], "no 'database is locked', nothing at all"
    assert outputs[0][0] == outputs[1][0] and len(json.loads(outputs[0][0])) == 143
    assert outputs[2][0].count("«number»") == 140
    [index] = cache_dir.glob("history-*.sqlite3")
    with sqlite3.connect(index) as db:
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 143
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert coach("history", "--json").stdout == outputs[0][0]


def test_a_closed_pipe_ends_quietly(coach_env: dict[str, str], three: dict[str, Path]) -> None:
    for day in range(20, 400):
        meeting("Grace Hopper", day)
    run = subprocess.Popen([sys.executable, "-m", "coach", "history"], cwd=REPO_ROOT, env=coach_env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert run.stdout is not None and run.stderr is not None
    run.stdout.readline()
    run.stdout.close()  # like `coach history | head -1`
    err = run.stderr.read().decode()
    assert run.wait(timeout=60) == 0
    assert "Traceback" not in err


# -- coach show --------------------------------------------------------------------------------
def test_show_prints_the_markdown_by_default(coach: Run, three: dict[str, Path]) -> None:
    result = coach("show", stem(three["zoe"]))
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == three["zoe"].with_suffix(".md").read_text(encoding="utf-8")
    assert result.stdout.startswith("# Meeting with Zoë O'Brien")


def test_show_renders_markdown_when_the_file_beside_is_missing(coach: Run, three: dict[str, Path]) -> None:
    expected = three["zoe"].with_suffix(".md").read_text(encoding="utf-8")
    three["zoe"].with_suffix(".md").unlink()
    result = coach("show", stem(three["zoe"]), "--format", "md")
    assert (result.returncode, result.stdout) == (0, expected)


def test_show_toml_is_the_file_itself(coach: Run, three: dict[str, Path]) -> None:
    result = coach("show", stem(three["ada1"]), "--format", "toml")
    assert result.returncode == 0
    assert result.stdout == three["ada1"].read_text(encoding="utf-8")


def test_show_json_is_the_summary_with_iso_dates(coach: Run, three: dict[str, Path]) -> None:
    result = coach("show", stem(three["ada1"]), "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    doc = tomllib.loads(three["ada1"].read_text(encoding="utf-8"))
    assert data["id"] == doc["id"] and data["partner"] == "Ada Lovelace"
    assert data["started"] == "2026-01-05T14:00:00+00:00" and data["commitments"][0]["due"] == "2026-02-01"
    assert data["phases"][0]["notes"] == "moving to Lisbon soon"
    assert data["path"] == str(three["ada1"])


def test_show_takes_a_unique_prefix(coach: Run, three: dict[str, Path]) -> None:
    result = coach("show", "2026-01-08", "--format", "toml")
    assert result.returncode == 0
    assert result.stdout == three["zoe"].read_text(encoding="utf-8")


def test_an_ambiguous_id_exits_1_with_the_candidates(coach: Run, three: dict[str, Path]) -> None:
    result = coach("show", "2026-01")
    assert (result.returncode, result.stdout) == (1, "")
    assert "'2026-01' matches 3 meetings; give more of the id:" in result.stderr
    for key in three:
        assert stem(three[key]) in result.stderr


def test_an_unknown_id_exits_1_with_the_closest(coach: Run, three: dict[str, Path]) -> None:
    typo = stem(three["zoe"]).replace("2026-01-08", "2026-01-09")
    result = coach("show", typo)
    assert (result.returncode, result.stdout) == (1, "")
    assert f"no meeting with id {typo!r}. Did you mean:" in result.stderr
    assert stem(three["zoe"]) in result.stderr
    nothing = coach("show", "zzz")
    assert nothing.returncode == 1 and "The latest are:" in nothing.stderr


def test_show_with_no_meetings_or_a_bad_format(coach: Run) -> None:
    result = coach("show", "2026")
    assert result.returncode == 1 and "there are no meetings yet" in result.stderr
    bad = coach("show", "2026", "--format", "pdf")
    assert bad.returncode == 2 and "invalid choice: 'pdf'" in bad.stderr
    missing = coach("show")
    assert missing.returncode == 2 and "ID" in missing.stderr


def test_show_a_summary_that_broke_since_it_was_listed(coach: Run, three: dict[str, Path]) -> None:
    coach("history")  # cached
    path = three["zoe"]
    path.write_text(path.read_text(encoding="utf-8").replace('partner = "', "partner = "), encoding="utf-8")
    result = coach("show", stem(path))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"{path}:3:11: TOML syntax"), "the meeting's file is named, not 'no such id'"
    assert "no meeting with id" not in result.stderr


def test_every_command_reads_a_summary_the_same_way(coach: Run, three: dict[str, Path]) -> None:
    """One shape, one reader: a value `show` refuses is refused by `history` and `export` too."""
    path = three["zoe"]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('owner = "me"', 'owner = "boss"'), encoding="utf-8")
    line = text.splitlines().index('owner = "me"') + 1
    where = f"{path}:{line}:1: [[commitments]] #1: `owner` cannot be 'boss'"
    for args in (("show", stem(path)), ("show", stem(path), "--format", "json"), ("history",),
                 ("export", "--format", "json")):
        result = coach(*args)
        assert where in result.stderr, args
        assert stem(path) not in result.stdout, args
        assert "Traceback" not in result.stderr
    assert coach("show", stem(path)).returncode == 1
    assert stem(three["ada1"]) in coach("history").stdout


# -- coach export ------------------------------------------------------------------------------
def test_export_json_is_every_summary_oldest_first(coach: Run, three: dict[str, Path]) -> None:
    result = coach("export", "--format", "json")
    assert result.returncode == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == [stem(three["ada1"]), stem(three["zoe"]), stem(three["ada2"])]
    assert data[0]["phases"][0]["notes"] == "moving to Lisbon soon" and data[0]["path"] == str(three["ada1"])


def test_export_md_joins_the_summaries(coach: Run, three: dict[str, Path]) -> None:
    result = coach("export", "--format", "md", "--partner", "Ada Lovelace")
    assert result.returncode == 0
    parts = result.stdout.split("\n---\n\n")
    assert len(parts) == 2
    assert parts[0] == three["ada1"].with_suffix(".md").read_text(encoding="utf-8")
    assert "Thu 15 Jan 2026" in parts[1]


@pytest.mark.parametrize(("args", "expected"), [
    (["--since", "2026-01-06"], ["zoe", "ada2"]),
    (["--until", "2026-01-06"], ["ada1"]),
    (["--grep", "cello"], ["zoe"]),
])
def test_export_filters(coach: Run, three: dict[str, Path], args: list[str], expected: list[str]) -> None:
    result = coach("export", "--format", "json", *args)
    assert result.returncode == 0
    assert [d["id"] for d in json.loads(result.stdout)] == [stem(three[key]) for key in expected]


def test_export_out_writes_one_private_file(coach: Run, three: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "exports" / "ada.json"
    result = coach("export", "--format", "json", "--partner", "ada lovelace", "--out", out)
    assert (result.returncode, result.stdout) == (0, "")
    assert f"Exported 2 meetings to {out}" in result.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 2
    assert out.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["ada.json"]  # no temp file left


def test_export_usage_and_write_errors(coach: Run, three: dict[str, Path], tmp_path: Path) -> None:
    missing = coach("export")
    assert missing.returncode == 2 and "--format" in missing.stderr
    bad = coach("export", "--format", "pdf")
    assert bad.returncode == 2
    (tmp_path / "folder").mkdir()
    into_folder = coach("export", "--format", "md", "--out", tmp_path / "folder")
    assert into_folder.returncode == 1 and "coach export: cannot write" in into_folder.stderr
    assert "Traceback" not in into_folder.stderr


def test_the_commands_are_in_help(coach: Run) -> None:
    result = coach("--help")
    for name in ("history", "show", "export"):
        assert re.search(rf"^\s+{name}\s", result.stdout, re.MULTILINE)
    history = coach("history", "--help").stdout
    for flag in ("--partner NAME", "--since YYYY-MM-DD", "--until YYYY-MM-DD", "--grep TEXT", "--json"):
        assert flag in history
    assert "--format {md,toml,json}" in coach("show", "--help").stdout
    assert "--out PATH" in coach("export", "--help").stdout


RUN_MAIN = """
import json, sys
from coach.__main__ import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "textual": sorted(m for m in sys.modules if m.split(".")[0] == "textual")}))
"""


@pytest.mark.parametrize("args", [["history"], ["history", "--json", "--grep", "x"], ["show", "2026-01-08"],
                                  ["show", "2026", "--format", "json"], ["export", "--format", "md"]])
def test_none_of_them_imports_textual(python: Run, three: dict[str, Path], args: list[str]) -> None:
    result = python("-c", RUN_MAIN, *args)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["textual"] == []
