"""`coach decks|templates new|edit`, `coach config path|check|new`, and the warnings and odd files
`check` reports: run as a user would, in a subprocess, with an editor that is a small script."""

from __future__ import annotations

import json
import re
import shlex
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILTIN = REPO_ROOT / "prompts"

PROBLEM = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>\S.*)$")

MY_DECK = """\
schema = 1
id = "mine"
title = "Mine"

[[cards]]
text = "What are you reading?"
"""

# Runs coach's main() in-process and reports its exit code and any Textual module imported.
RUN_MAIN = """
import json, sys
from coach.__main__ import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "textual": sorted(m for m in sys.modules if m.split(".")[0] == "textual")}))
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems(stdout: str) -> list[tuple[str, int, int, str]]:
    """Parse `PATH:LINE:COL: message` lines; every line of output must be one."""
    found = []
    for line in stdout.splitlines():
        match = PROBLEM.match(line)
        assert match, f"not a PATH:LINE:COL: message line: {line!r}"
        found.append((match["path"], int(match["line"]), int(match["col"]), match["message"]))
    return found


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def use_editor(coach_env: dict[str, str], tmp_path: Path) -> Callable[..., None]:
    """`use_editor(append=…, exit_code=…)`: $EDITOR becomes a script that appends text to the file."""

    def install(append: str = "", exit_code: int = 0) -> None:
        script = write(tmp_path / "editor.py", "import sys\n"
                       f"with open(sys.argv[-1], 'a', encoding='utf-8') as fh:\n    fh.write({append!r})\n"
                       f"sys.exit({exit_code})\n")
        coach_env.pop("VISUAL", None)
        coach_env["EDITOR"] = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"

    return install


def lines_and_tables(path: Path, table: str) -> tuple[int, int]:
    """How many lines a file has, and how many `[[table]]` headers."""
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return len(text.splitlines()), text.count(f"[[{table}]]")


# --- new ------------------------------------------------------------------------------------


@pytest.mark.parametrize("noun", ["decks", "templates"])
def test_new_writes_a_private_starter_that_passes_check(coach: Run, config_dir: Path, noun: str) -> None:
    result = coach(noun, "new", "my-questions")

    path = config_dir / noun / "my-questions.toml"
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{path}\n"
    assert path.is_file()
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700
    assert mode_of(config_dir) == 0o700

    check = coach(noun, "check", path)
    assert (check.returncode, check.stdout) == (0, "")
    assert "my-questions" in coach(noun, "list").stdout


@pytest.mark.parametrize("noun", ["decks", "templates"])
def test_new_refuses_to_overwrite(coach: Run, config_dir: Path, noun: str) -> None:
    assert coach(noun, "new", "mine").returncode == 0
    path = config_dir / noun / "mine.toml"
    write(path, "# my own words\n")

    result = coach(noun, "new", "mine")

    assert result.returncode == 1
    assert result.stdout == ""
    assert "already exists" in result.stderr
    assert f"coach {noun} edit mine" in result.stderr
    assert path.read_text(encoding="utf-8") == "# my own words\n"


@pytest.mark.parametrize("name", ["My Questions", "../escape", "zoë", "a_b"])
@pytest.mark.parametrize("noun", ["decks", "templates"])
def test_new_with_a_name_that_is_not_an_id_is_a_usage_error(coach: Run, config_dir: Path, noun: str,
                                                            name: str) -> None:
    result = coach(noun, "new", name)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "not a usable id" in result.stderr
    assert "Traceback" not in result.stderr
    assert not config_dir.exists()


@pytest.mark.parametrize("args", [
    ["decks", "new"],
    ["templates", "edit"],
    ["decks", "new", "a", "b"],
    ["config"],
    ["config", "bogus"],
    ["config", "path", "extra"],
])
def test_missing_or_extra_arguments_are_usage_errors(coach: Run, args: list[str]) -> None:
    result = coach(*args)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage: coach" in result.stderr
    assert "Traceback" not in result.stderr


# --- edit -----------------------------------------------------------------------------------


def test_editing_a_builtin_deck_copies_it_and_checks_the_edit(coach: Run, config_dir: Path,
                                                             use_editor: Callable[..., None]) -> None:
    builtin = BUILTIN / "decks" / "goals.toml"
    original = builtin.read_bytes()
    use_editor(append='\n[[cards]]\ntext = "Added in my editor"\n')

    result = coach("decks", "edit", "goals")

    mine = config_dir / "decks" / "goals.toml"
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "1 file checked, no errors" in result.stderr
    assert mine.read_bytes() == original + b'\n[[cards]]\ntext = "Added in my editor"\n'
    assert mode_of(mine) == 0o600
    assert builtin.read_bytes() == original
    listed = next(line for line in coach("decks", "list").stdout.splitlines() if line.startswith("goals "))
    assert " user " in listed and listed.endswith(str(mine))


def test_an_edit_that_breaks_the_deck_is_reported_at_its_line(coach: Run, config_dir: Path,
                                                             use_editor: Callable[..., None]) -> None:
    lines, cards = lines_and_tables(BUILTIN / "decks" / "goals.toml", "cards")
    use_editor(append="\n[[cards]]\ntext = 5\n")

    result = coach("decks", "edit", "goals")

    mine = config_dir / "decks" / "goals.toml"
    assert result.returncode == 1
    assert problems(result.stdout) == [(str(mine), lines + 3, 1, f"[[cards]] #{cards + 1}: `text` must be text, "
                                        "not a whole number")]
    assert "Traceback" not in result.stderr


def test_editing_again_opens_the_users_copy_not_a_fresh_one(coach: Run, config_dir: Path,
                                                           use_editor: Callable[..., None]) -> None:
    use_editor(append='\n[[cards]]\ntext = "First edit"\n')
    assert coach("decks", "edit", "goals").returncode == 0
    use_editor(append='\n[[cards]]\ntext = "Second edit"\n')

    assert coach("decks", "edit", "goals").returncode == 0

    text = (config_dir / "decks" / "goals.toml").read_text(encoding="utf-8")
    assert "First edit" in text and "Second edit" in text


def test_editing_a_builtin_template_copies_it_and_checks_the_edit(coach: Run, config_dir: Path,
                                                                 use_editor: Callable[..., None]) -> None:
    builtin = BUILTIN / "templates" / "standard.toml"
    original = builtin.read_bytes()
    use_editor(append='\n[[phases]]\nid = "extra"\ntitle = "Extra"\nminutes = 2.5\ndecks = ["goals"]\n')

    result = coach("templates", "edit", "standard")

    mine = config_dir / "templates" / "standard.toml"
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert mine.read_text(encoding="utf-8").endswith('minutes = 2.5\ndecks = ["goals"]\n')
    assert builtin.read_bytes() == original


def test_an_edit_that_breaks_the_template_is_reported_at_its_line(coach: Run, config_dir: Path,
                                                                 use_editor: Callable[..., None]) -> None:
    lines, phases = lines_and_tables(BUILTIN / "templates" / "standard.toml", "phases")
    use_editor(append='\n[[phases]]\nid = "extra"\ntitle = "Extra"\nminutes = 601\ndecks = ["goals"]\n')

    result = coach("templates", "edit", "standard")

    mine = str(config_dir / "templates" / "standard.toml")
    assert result.returncode == 1
    assert problems(result.stdout) == [
        (mine, lines + 5, 1, f"[[phases]] #{phases + 1}: `minutes` must be a number above 0 and at most 600, "
                             "not 601"),
    ]


def test_a_template_edit_naming_a_missing_deck_fails_the_check(coach: Run, config_dir: Path,
                                                              use_editor: Callable[..., None]) -> None:
    lines, _phases = lines_and_tables(BUILTIN / "templates" / "standard.toml", "phases")
    use_editor(append='\n[[phases]]\nid = "extra"\ntitle = "Extra"\nminutes = 1\ndecks = ["nosuch"]\n')

    result = coach("templates", "edit", "standard")

    assert result.returncode == 1
    [(path, line, col, message)] = problems(result.stdout)
    assert (path, line, col) == (str(config_dir / "templates" / "standard.toml"), lines + 6, 1)
    assert "`nosuch`, which does not exist" in message


def test_an_editor_that_fails_is_reported_and_the_file_still_checked(coach: Run,
                                                                    use_editor: Callable[..., None]) -> None:
    use_editor(exit_code=3)

    result = coach("decks", "edit", "goals")

    assert result.returncode == 0
    assert "the editor exited with status 3" in result.stderr
    assert "1 file checked, no errors" in result.stderr


def test_an_editor_that_cannot_start_is_a_clear_error(coach: Run, coach_env: dict[str, str], tmp_path: Path) -> None:
    coach_env["VISUAL"] = str(tmp_path / "no-such-editor")

    result = coach("decks", "edit", "goals")

    assert result.returncode == 1
    assert "could not start the editor" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("noun", ["decks", "templates"])
def test_editing_an_unknown_id_points_at_new(coach: Run, config_dir: Path, noun: str,
                                            use_editor: Callable[..., None]) -> None:
    use_editor(append="edited\n")

    result = coach(noun, "edit", "nosuch")

    assert result.returncode == 1
    assert result.stdout == ""
    assert f"`coach {noun} new nosuch`" in result.stderr
    assert not (config_dir / noun / "nosuch.toml").exists()


def test_editing_with_a_name_that_is_not_an_id_is_a_usage_error(coach: Run, config_dir: Path,
                                                               use_editor: Callable[..., None]) -> None:
    use_editor(append="edited\n")

    result = coach("decks", "edit", "../goals")

    assert result.returncode == 2
    assert "not a usable id" in result.stderr
    assert not config_dir.exists()


def test_editing_a_users_override_edits_the_users_file(coach: Run, config_dir: Path,
                                                      use_editor: Callable[..., None]) -> None:
    mine = write(config_dir / "decks" / "my-goals.toml", MY_DECK.replace('"mine"', '"goals"'))
    use_editor(append='\n[[cards]]\ntext = "Edited"\n')

    result = coach("decks", "edit", "goals")

    assert result.returncode == 0
    assert mine.read_text(encoding="utf-8").endswith('text = "Edited"\n')
    assert sorted(p.name for p in (config_dir / "decks").glob("*.toml")) == ["my-goals.toml"]
    assert coach("decks", "check").stdout == ""


# --- check: warnings, duplicates and odd files -------------------------------------------------


def test_check_with_only_warnings_prints_them_and_passes(coach: Run, config_dir: Path) -> None:
    deck = write(config_dir / "decks" / "mine.toml", MY_DECK.replace('title = "Mine"',
                                                                      'title = "Mine"\ndescripton = "x"'))

    result = coach("decks", "check")

    assert result.returncode == 0
    assert result.stdout == f"{deck}:4:1: warning: unknown key `descripton`; did you mean `description`?\n"
    assert "1 file checked, no errors, 1 warning" in result.stderr


def test_check_with_a_warning_and_an_error_fails(coach: Run, tmp_path: Path) -> None:
    template = write(tmp_path / "t.toml", 'schema = 1\nid = "t"\ntitle = "T"\n\n[[phases]]\nid = "a"\n'
                     'title = "A"\nminuts = 5\n')

    result = coach("templates", "check", template)

    assert result.returncode == 1
    assert problems(result.stdout) == [
        (str(template), 8, 1, "warning: [[phases]] #1: unknown key `minuts`; did you mean `minutes`?"),
        (str(template), 5, 1, "[[phases]] #1: missing required key `minutes`"),
    ]


def test_check_names_both_files_that_share_an_id(coach: Run, config_dir: Path) -> None:
    first = write(config_dir / "decks" / "a.toml", MY_DECK)
    second = write(config_dir / "decks" / "b.toml", "# a copy\n" + MY_DECK)

    result = coach("decks", "check")

    assert result.returncode == 1
    [(path, _line, _col, message)] = problems(result.stdout)
    assert path == str(second)
    assert str(first) in message and "'mine'" in message


def test_check_points_a_duplicate_id_at_its_line(coach: Run, config_dir: Path) -> None:
    write(config_dir / "decks" / "a.toml", MY_DECK)
    second = write(config_dir / "decks" / "b.toml", "# a copy\n" + MY_DECK)

    result = coach("decks", "check")

    assert [p[:3] for p in problems(result.stdout)] == [(str(second), 3, 1)]


@pytest.mark.parametrize("noun", ["decks", "templates"])
def test_check_reports_an_empty_file(coach: Run, tmp_path: Path, noun: str) -> None:
    empty = write(tmp_path / "empty.toml", "")

    result = coach(noun, "check", empty)

    assert result.returncode == 1
    [(path, line, col, message)] = problems(result.stdout)
    assert (path, line, col) == (str(empty), 1, 1)
    assert message.startswith("the file is empty")


def test_check_reports_a_directory_named_like_a_deck(coach: Run, config_dir: Path) -> None:
    folder = config_dir / "decks" / "folder.toml"
    folder.mkdir(parents=True)

    result = coach("decks", "check")

    assert result.returncode == 1
    assert problems(result.stdout) == [(str(folder), 1, 1, "cannot read: Is a directory")]


def make_loop(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "b.toml").symlink_to(folder / "a.toml")
    (folder / "a.toml").symlink_to(folder / "b.toml")
    return folder / "a.toml"


def test_list_reports_a_symlink_loop_and_lists_the_rest(coach: Run, config_dir: Path) -> None:
    loop = make_loop(config_dir / "decks")

    result = coach("decks", "list")

    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert f"{loop}:1:1: cannot read: Too many levels of symbolic links" in result.stderr.splitlines()
    assert "goals" in result.stdout


@pytest.mark.parametrize("explicit", [True, False], ids=["named", "all user decks"])
def test_check_reports_a_symlink_loop(coach: Run, config_dir: Path, explicit: bool) -> None:
    loop = make_loop(config_dir / "decks")

    result = coach("decks", "check", *([loop] if explicit else []))

    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert (str(loop), 1, 1, "cannot read: Too many levels of symbolic links") in problems(result.stdout)


# --- config ---------------------------------------------------------------------------------


def test_config_path_is_in_the_config_dir(coach: Run, config_dir: Path) -> None:
    result = coach("config", "path")

    assert result.returncode == 0
    assert result.stdout == f"{config_dir / 'config.toml'}\n"
    assert result.stderr == ""
    assert not config_dir.exists()


def test_config_new_writes_a_private_file_that_passes_check(coach: Run, config_dir: Path) -> None:
    result = coach("config", "new")

    path = config_dir / "config.toml"
    assert result.returncode == 0
    assert result.stdout == f"{path}\n"
    assert mode_of(path) == 0o600
    assert mode_of(config_dir) == 0o700
    check = coach("config", "check")
    assert (check.returncode, check.stdout) == (0, "")
    assert f"{path}: no problems" in check.stderr


def test_config_new_refuses_to_overwrite(coach: Run, config_dir: Path) -> None:
    path = write(config_dir / "config.toml", 'theme = "nord"\n')

    result = coach("config", "new")

    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert path.read_text(encoding="utf-8") == 'theme = "nord"\n'


@pytest.mark.parametrize(("text", "line", "col", "start"), [
    ("sound = true\ntheme = \n", 2, 9, "TOML syntax: invalid value"),
    ('# settings\ntheme = "nord"\nwarn_percent = 150\n', 3, 1, "`warn_percent` must be a number from 1 to 90"),
    ('sound = "loud"\n', 1, 1, "`sound` must be true or false, not 'loud'"),
    (b'theme = "caf\xe9"\n', 1, 13, "not UTF-8 text"),
])
def test_config_check_reports_a_broken_file_at_its_line(coach: Run, config_dir: Path, text: str | bytes, line: int,
                                                       col: int, start: str) -> None:
    path = write(config_dir / "config.toml", text)

    result = coach("config", "check")

    assert result.returncode == 1
    [(found, found_line, found_col, message)] = problems(result.stdout)
    assert (found, found_line, found_col) == (str(path), line, col)
    assert message.startswith(start)
    assert "Traceback" not in result.stderr


def test_config_check_with_only_warnings_passes(coach: Run, config_dir: Path) -> None:
    path = write(config_dir / "config.toml", 'theme = "nord"\nthem = "nord"\n')

    result = coach("config", "check")

    assert result.returncode == 0
    assert result.stdout == f"{path}:2:1: warning: unknown key `them`; did you mean `theme`?\n"


def test_config_check_without_a_file_passes_with_a_note(coach: Run, config_dir: Path) -> None:
    result = coach("config", "check")

    assert result.returncode == 0
    assert result.stdout == ""
    assert f"{config_dir / 'config.toml'} does not exist" in result.stderr
    assert "coach config new" in result.stderr


def test_config_check_reports_a_directory(coach: Run, config_dir: Path) -> None:
    (config_dir / "config.toml").mkdir(parents=True)

    result = coach("config", "check")

    assert result.returncode == 1
    assert problems(result.stdout) == [(str(config_dir / "config.toml"), 1, 1, "cannot read: Is a directory")]


def test_config_check_reports_a_symlink_loop(coach: Run, config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "other.toml").symlink_to(config_dir / "config.toml")
    (config_dir / "config.toml").symlink_to(config_dir / "other.toml")

    result = coach("config", "check")

    assert result.returncode == 1
    assert problems(result.stdout) == [(str(config_dir / "config.toml"), 1, 1,
                                        "cannot read: Too many levels of symbolic links")]


def test_config_check_reports_a_default_template_that_does_not_exist(coach: Run, config_dir: Path) -> None:
    path = write(config_dir / "config.toml", 'theme = "nord"\ndefault_template = "standrad"\n')

    result = coach("config", "check")

    assert result.returncode == 1
    [(found, line, col, message)] = problems(result.stdout)
    assert (found, line, col) == (str(path), 2, 1)
    assert "standrad" in message


# --- none of it imports Textual ----------------------------------------------------------


@pytest.mark.parametrize(("args", "code"), [
    (["decks", "new", "mine"], 0),
    (["templates", "new", "mine"], 0),
    (["decks", "new", "Not An Id"], 2),
    (["decks", "edit", "goals"], 0),
    (["templates", "edit", "standard"], 0),
    (["decks", "edit", "nosuch"], 1),
    (["config", "path"], 0),
    (["config", "new"], 0),
    (["config", "check"], 0),
], ids=lambda value: " ".join(value) if isinstance(value, list) else None)
def test_authoring_commands_do_not_import_textual(python: Run, coach_env: dict[str, str], args: list[str],
                                                  code: int) -> None:
    coach_env.pop("VISUAL", None)
    coach_env["EDITOR"] = "true"

    result = python("-c", RUN_MAIN, *args)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert outcome == {"code": code, "textual": []}
