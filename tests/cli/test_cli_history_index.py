"""The history index from the shell: `coach history --grep` searches what was said (words, "a
phrase", prefix*), the index lives in the cache folder and never in the data folder, and whatever
happens to it (deleted, damaged, of another version, nowhere to write it) the listing is the same."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from coach.history_index import INDEX_VERSION
from tests.cli.test_cli_history import meeting

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def talks(coach_dirs: tuple[Path, Path]) -> dict[str, Path]:
    return {
        "ada": meeting("Ada Lovelace", 0, notes="We talked about the design review and her move to Lisbon."),
        "zoe": meeting("Zoë O'Brien", 3, notes="Reviewing the roadmap; the design is not final.",
                       fact="Training for the Porto marathon"),
        "grace": meeting("Grace Hopper", 10, notes="Compilers, and a review of the budget."),
    }


def listed(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 0, result.stderr
    return [row["partner"] for row in json.loads(result.stdout)]


def test_grep_finds_a_phrase_and_a_word_prefix_in_the_notes(coach: Run, talks: dict[str, Path]) -> None:
    assert listed(coach("history", "--json", "--grep", '"design review"')) == ["Ada Lovelace"]
    assert listed(coach("history", "--json", "--grep", "review*")) == ["Grace Hopper", "Zoë O'Brien", "Ada Lovelace"]
    assert listed(coach("history", "--json", "--grep", "review")) == ["Grace Hopper", "Ada Lovelace"]
    assert listed(coach("history", "--json", "--grep", "design lisb*")) == ["Ada Lovelace"]
    assert listed(coach("history", "--json", "--grep", "porto")) == ["Zoë O'Brien"]  # a fact
    assert listed(coach("history", "--json", "--grep", "ZOE")) == [], "names are not searched"


def test_grep_shows_where_the_words_were_found(coach: Run, talks: dict[str, Path]) -> None:
    table = coach("history", "--grep", '"design review"')
    assert table.returncode == 0 and table.stderr == ""
    _head, row, found = table.stdout.splitlines()
    assert row.startswith("2026-01-05 14:00  Ada Lovelace")
    assert found == "    We talked about the «design review» and her move to Lisbon."
    rows = json.loads(coach("history", "--json", "--grep", "lisbon").stdout)
    assert rows[0]["snippet"] == "We talked about the design review and her move to Lisbon.", "plain text"
    assert "snippet" not in json.loads(coach("history", "--json").stdout)[0]


HOSTILE = ['"', '"unclosed phrase', "NEAR(design review)", "design AND", "OR", "-design", "design -", ":", "^design",
           "notes:design", "{notes}:design", "(design", "design)", "*design", "design**", "🙂", "\x1b[2J design",
           "design\x07", "' OR 1=1 --", "%", "_", "\\", "design\u202e"]


@pytest.mark.parametrize("query", HOSTILE)
def test_any_grep_text_gets_an_answer_never_an_error(coach: Run, talks: dict[str, Path], query: str) -> None:
    commands = [["history", "--json", f"--grep={query}"]]
    if query in HOSTILE[:3]:  # the table and export read the same query: a few are enough there
        commands += [["history", f"--grep={query}"], ["export", "--format", "json", f"--grep={query}"]]
    for args in commands:
        result = coach(*args)
        assert "Traceback" not in result.stderr and "sqlite" not in result.stderr.lower(), (args, result.stderr)
        assert result.returncode in (0, 2), (args, result.stderr)
        if result.returncode == 2:
            assert "holds no word to look for" in result.stderr


def test_a_grep_of_no_word_is_a_usage_error(coach: Run, talks: dict[str, Path]) -> None:
    result = coach("history", "--grep", "*^-")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "coach history: error: --grep '*^-' holds no word to look for (letters, digits or emoji)\n"


def user_files(data_dir: Path) -> list[str]:
    return sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if p.is_file())


def test_no_command_leaves_anything_derived_in_the_data_folder(coach: Run, talks: dict[str, Path], data_dir: Path,
                                                              cache_dir: Path, coach_env: dict[str, str]) -> None:
    before = user_files(data_dir)
    assert before and all(name.startswith(("sessions/", "partners/")) for name in before)
    coach_env["VISUAL"] = coach_env["EDITOR"] = "true"
    commands = [["history"], ["history", "--json"], ["history", "--grep", "design"], ["show", talks["ada"].stem],
                ["show", talks["ada"].stem, "--format", "json"], ["export", "--format", "json"],
                ["export", "--format", "md", "--grep", "review"], ["brief", "Ada Lovelace"], ["decks", "list"],
                ["decks", "check"], ["decks", "path"], ["decks", "new", "mine"], ["decks", "edit", "mine"],
                ["templates", "list"], ["templates", "check"], ["templates", "new", "mine"], ["config", "path"],
                ["config", "new"], ["config", "check"]]
    for args in commands:
        result = coach(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert user_files(data_dir) == before, args
    assert [p.name for p in cache_dir.iterdir()] and all(p.name.startswith("history-") for p in cache_dir.iterdir())


def test_deleting_the_cache_folder_gives_the_same_history(coach: Run, talks: dict[str, Path], cache_dir: Path) -> None:
    outputs = [coach("history", "--json").stdout, coach("history", "--grep", "review").stdout]
    shutil.rmtree(cache_dir)
    assert [coach("history", "--json").stdout, coach("history", "--grep", "review").stdout] == outputs
    assert any(cache_dir.glob("history-*.sqlite3"))


def index_of(cache_dir: Path) -> Path:
    [index] = cache_dir.glob("history-*.sqlite3")
    return index


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed", "folder", "old version", "newer version"])
def test_a_damaged_or_outdated_index_is_rebuilt(coach: Run, talks: dict[str, Path], cache_dir: Path,
                                                damage: str) -> None:
    expected = coach("history", "--json").stdout
    grep = coach("history", "--grep", "review*").stdout
    index = index_of(cache_dir)
    if damage == "garbage":
        index.write_bytes(os.urandom(20000))
    elif damage == "truncated":
        index.write_bytes(index.read_bytes()[:6000])
    elif damage == "zeroed":
        raw = bytearray(index.read_bytes())
        raw[4096:8192] = bytes(4096)
        index.write_bytes(bytes(raw))
    elif damage == "folder":
        index.unlink()
        index.mkdir()
    else:
        with sqlite3.connect(index) as db:
            db.execute(f"PRAGMA user_version = {0 if damage == 'old version' else 99}")
    result = coach("history", "--json")
    assert (result.returncode, result.stdout, result.stderr) == (0, expected, "")
    assert coach("history", "--grep", "review*").stdout == grep
    if damage != "folder":
        with sqlite3.connect(index) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_cache_folder_that_cannot_be_written_costs_only_time(coach: Run, talks: dict[str, Path], tmp_path: Path,
                                                              coach_env: dict[str, str]) -> None:
    expected = coach("history", "--json").stdout
    (tmp_path / "a file").write_text("not a folder", encoding="utf-8")
    coach_env["COACH_CACHE_DIR"] = str(tmp_path / "a file" / "cache")
    result = coach("history", "--json")
    assert (result.returncode, result.stdout, result.stderr) == (0, expected, "")
    assert listed(coach("history", "--json", "--grep", '"design review"')) == ["Ada Lovelace"]


def test_the_cache_folder_is_per_device_and_follows_coach_cache_dir(coach: Run, talks: dict[str, Path],
                                                                   tmp_path: Path, coach_env: dict[str, str]) -> None:
    coach_env.pop("COACH_CACHE_DIR")
    coach_env["XDG_CACHE_HOME"] = str(tmp_path / "xdg-cache")  # where platformdirs puts it on Linux
    coach_env["HOME"] = str(tmp_path / "home")
    assert coach("history").returncode == 0
    assert list((tmp_path / "xdg-cache" / "coach").glob("history-*.sqlite3"))


def test_an_old_cache_in_the_data_folder_is_removed(coach: Run, talks: dict[str, Path], data_dir: Path) -> None:
    old = data_dir / "cache"
    old.mkdir()
    (old / "summaries.json").write_text('{"version": 3, "files": {}}', encoding="utf-8")
    (old / "summaries-text.jsonl").write_text('{"version": 3}\n', encoding="utf-8")
    assert listed(coach("history", "--json")) == ["Grace Hopper", "Zoë O'Brien", "Ada Lovelace"]
    assert not old.exists()


def test_a_grep_that_is_not_utf8_gets_an_answer(talks: dict[str, Path], coach_env: dict[str, str]) -> None:
    import sys

    from tests.cli.conftest import REPO_ROOT

    for raw in (b"\xff\xfe", b"design \xff", b"\xc3("):  # from a shell in another encoding
        result = subprocess.run([sys.executable, "-m", "coach", "history", b"--grep=" + raw], cwd=REPO_ROOT,
                                env=coach_env, capture_output=True, timeout=60)
        err = result.stderr.decode("utf-8", "replace")
        assert result.returncode in (0, 2) and "Traceback" not in err, err
    found = subprocess.run([sys.executable, "-m", "coach", "history", "--json", b"--grep=design \xff"],
                           cwd=REPO_ROOT, env=coach_env, capture_output=True, timeout=60)
    assert [row["partner"] for row in json.loads(found.stdout)] == ["Zoë O'Brien", "Ada Lovelace"]


def test_a_first_build_says_how_far_it_has_come_on_a_terminal(coach_env: dict[str, str], data_dir: Path) -> None:
    import pty
    import sys

    from tests.cli.conftest import REPO_ROOT

    for day in range(260):
        meeting("Grace Hopper", day)
    controller, terminal = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "coach", "history", "--json"], cwd=REPO_ROOT, env=coach_env,
                                stdout=subprocess.PIPE, stderr=terminal, timeout=120)
        os.close(terminal)  # the last end: once what was written is read, reading fails
        said = b""
        while chunk := _read(controller):
            said += chunk
    finally:
        os.close(controller)
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 260
    text = said.decode()
    assert text.startswith("\rIndexing 0 of 260 summaries…\rIndexing 50 of 260 summaries…"), text
    assert text.endswith("\r\x1b[K"), "and the line is cleared when it is done"
    second = subprocess.run([sys.executable, "-m", "coach", "history", "--json"], cwd=REPO_ROOT, env=coach_env,
                            capture_output=True, timeout=120)
    assert second.stderr == b"", "a pipe is not told (and an index up to date has nothing to say)"


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # all read, and the terminal's other end is closed
        return b""


def test_grep_takes_the_history_filters_keys_too(coach: Run, talks: dict[str, Path]) -> None:
    assert listed(coach("history", "--json", "--grep", "partner:zo design")) == ["Zoë O'Brien"]
    assert listed(coach("history", "--json", "--grep", "review* until:2026-01-07")) == ["Ada Lovelace"]
    assert listed(coach("history", "--json", "--grep", "since:2026-01-08")) == ["Grace Hopper", "Zoë O'Brien"]
    narrower = coach("history", "--json", "--since", "2026-01-01", "--grep", "since:2026-01-10 review*")
    assert listed(narrower) == ["Grace Hopper"], "--since and since: together: the later day wins"
    wrong = coach("history", "--grep", "until:someday")
    assert wrong.returncode == 2 and "until: wants a date like" in wrong.stderr and "Traceback" not in wrong.stderr


def test_a_grep_of_many_words_is_refused_but_repeats_count_once(coach: Run, talks: dict[str, Path]) -> None:
    assert listed(coach("history", "--json", "--grep", " ".join(["lisbon"] * 500))) == ["Ada Lovelace"]
    many = coach("history", "--grep", " ".join(f"word{n}" for n in range(30)))
    assert many.returncode == 2 and "at most 24 different words can be looked for, not 30" in many.stderr


def test_history_and_export_work_with_stderr_closed(talks: dict[str, Path], coach_env: dict[str, str]) -> None:
    broken = talks["ada"].parent / "broken.toml"  # something to say on the closed stderr
    broken.write_text("rating = [\n", encoding="utf-8")
    for command in (["history", "--json"], ["export", "--format", "json"]):
        result = subprocess.run([sys.executable, "-m", "coach", *command], env=coach_env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=None, text=True, timeout=60,
                                preexec_fn=lambda: os.close(2))
        assert result.returncode == 0, command
        assert "Ada Lovelace" in result.stdout


def test_partner_and_repeats_ignore_case_and_accents(coach: Run, talks: dict[str, Path]) -> None:
    assert listed(coach("history", "--json", "--grep", "partner:zoe")) == ["Zoë O'Brien"]
    assert listed(coach("history", "--json", "--grep", "partner:ZOË design")) == ["Zoë O'Brien"]
    variants = ["lisbon", "LISBON", "lisbön"] + [f"word{n}" for n in range(22)]  # 23 different words
    assert coach("history", "--grep", " ".join(variants)).returncode == 0


@pytest.mark.parametrize("out", ["closed", "/dev/full"])
def test_history_says_when_it_cannot_write_its_output(talks: dict[str, Path], coach_env: dict[str, str],
                                                      out: str) -> None:
    if out != "closed" and not Path(out).exists():
        pytest.skip("no /dev/full here")
    for command in (["history"], ["export", "--format", "json"]):
        with open(out, "w") if out != "closed" else open(os.devnull) as sink:
            result = subprocess.run([sys.executable, "-m", "coach", *command], env=coach_env,
                                    stdin=subprocess.DEVNULL, stdout=sink if out != "closed" else None,
                                    stderr=subprocess.PIPE, text=True, timeout=60,
                                    preexec_fn=(lambda: os.close(1)) if out == "closed" else None)
        assert result.returncode == 1, command
        assert result.stderr.startswith("coach: could not write the output:"), result.stderr
        assert "Traceback" not in result.stderr
