"""`coach decks …` and `coach templates …`: list, check (PATH:LINE:COL: message) and path."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]

REPO_ROOT = Path(__file__).resolve().parents[2]

PROBLEM = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>\S.*)$")

MY_GOALS = """\
schema = 1
id = "goals"
title = "My goals"

[[cards]]
text = "What is the one thing you want from this month?"
"""

MY_STANDARD = """\
schema = 1
id = "standard"
title = "My standard"

[[phases]]
id = "talk"
title = "Talk"
minutes = 20
decks = ["goals"]
"""

VALID_TEMPLATE = """\
schema = 1
id = "tiny"
title = "Tiny"

[[phases]]
id = "chit-chat"
title = "Chit-chat"
minutes = 0.05
decks = ["chit-chat"]
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


def listing(stdout: str) -> dict[str, list[str]]:
    """`decks list` / `templates list` output, keyed by id (first column)."""
    rows: dict[str, list[str]] = {}
    for line in stdout.splitlines():
        item_id = line.split()[0]
        assert item_id not in rows, f"{item_id} listed twice"
        rows[item_id] = line.split()
    return rows


# --- list -------------------------------------------------------------------------------------


def test_decks_list_shows_the_builtin_decks(coach: Run) -> None:
    result = coach("decks", "list")

    assert result.returncode == 0
    assert result.stderr == ""
    rows = listing(result.stdout)
    for deck_id in ("chit-chat", "goals", "commitments", "first-meeting", "rapport-tips", "check-in", "deep-dive",
                    "goals-review", "closing", "whats-next", "staying-in-touch"):
        assert "built-in" in rows[deck_id]
        assert rows[deck_id][-1].endswith(f"{deck_id}.toml")


def test_templates_list_shows_the_builtin_templates(coach: Run) -> None:
    result = coach("templates", "list")

    assert result.returncode == 0
    assert result.stderr == ""
    rows = listing(result.stdout)
    for template_id in ("standard", "first-meeting", "check-in", "deep-dive", "goals-review", "closing"):
        assert "built-in" in rows[template_id]


def test_a_user_deck_overrides_the_builtin_with_its_id(coach: Run, config_dir: Path) -> None:
    mine = write(config_dir / "decks" / "my-goals.toml", MY_GOALS)

    result = coach("decks", "list")

    assert result.returncode == 0
    assert result.stderr == ""
    rows = listing(result.stdout)
    assert "user" in rows["goals"]
    assert "built-in" not in rows["goals"]
    assert Path(rows["goals"][-1]) == mine
    assert "built-in" in rows["chit-chat"]
    assert "built-in" in rows["commitments"]


def test_a_user_template_overrides_the_builtin_with_its_id(coach: Run, config_dir: Path) -> None:
    mine = write(config_dir / "templates" / "standard.toml", MY_STANDARD)

    result = coach("templates", "list")

    assert result.returncode == 0
    rows = listing(result.stdout)
    assert "user" in rows["standard"]
    assert Path(rows["standard"][-1]) == mine
    assert "built-in" in rows["first-meeting"]


def test_a_broken_user_deck_is_reported_and_the_rest_still_listed(coach: Run, config_dir: Path) -> None:
    broken = write(config_dir / "decks" / "broken.toml", 'schema = 1\nid = "broken"\ntitle "Broken"\n')

    result = coach("decks", "list")

    assert result.returncode == 0
    assert {"chit-chat", "goals", "commitments"} <= set(listing(result.stdout))
    assert "broken" not in listing(result.stdout)
    assert problems(result.stderr) == [(str(broken), 3, 7, "TOML syntax: expected '=' after a key in a "
                                        "key/value pair")]


def test_a_deeply_nested_user_deck_is_a_problem_not_a_crash(coach: Run, config_dir: Path) -> None:
    write(config_dir / "decks" / "deep.toml", "a = " + "[" * 3000 + "]" * 3000 + "\n")

    result = coach("decks", "list")

    assert "Traceback" not in result.stderr
    assert result.returncode == 0
    assert "deep.toml:1:" in result.stderr
    assert "goals" in listing(result.stdout)


# --- check ------------------------------------------------------------------------------------


def test_decks_check_points_at_a_toml_syntax_error(coach: Run, tmp_path: Path) -> None:
    deck = write(tmp_path / "bad.toml", 'schema = 1\nid = "bad"\ntitle "Bad"\n\n[[cards]]\ntext = "Hi"\n')

    result = coach("decks", "check", deck)

    assert result.returncode == 1
    [(path, line, col, message)] = problems(result.stdout)
    assert (path, line, col) == (str(deck), 3, 7)  # the `"` where `=` belongs
    assert message.startswith("TOML syntax: ")
    assert "Traceback" not in result.stderr


def test_decks_check_points_at_an_unclosed_table_header(coach: Run, tmp_path: Path) -> None:
    deck = write(tmp_path / "bad.toml", 'schema = 1\nid = "bad"\ntitle = "Bad"\n\n[[cards]\ntext = "Hi"\n')

    result = coach("decks", "check", deck)

    assert result.returncode == 1
    assert [p[:3] for p in problems(result.stdout)] == [(str(deck), 5, 8)]  # where `]]` belongs


def test_decks_check_reports_every_problem_at_its_line(coach: Run, tmp_path: Path) -> None:
    deck = write(tmp_path / "mine.toml", """\
schema = 1
id = "mine"
title = "Mine"

[[cards]]
text = "Fine"

[[cards]]
tip = "a card with no text"
tags = "solo"
""")

    result = coach("decks", "check", deck)

    assert result.returncode == 1
    found = problems(result.stdout)
    assert sorted((line, col) for _, line, col, _ in found) == [(8, 1), (10, 1)]
    by_line = {line: message for _, line, _, message in found}
    assert "text" in by_line[8]
    assert "tags" in by_line[10]


def test_decks_check_reports_a_file_that_is_not_utf8(coach: Run, tmp_path: Path) -> None:
    deck = write(tmp_path / "latin.toml", b'schema = 1\nid = "x"\ntitle = "X"\n[[cards]]\ntext = "caf\xe9"\n')

    result = coach("decks", "check", deck)

    assert result.returncode == 1
    [(_, line, col, message)] = problems(result.stdout)
    assert (line, col) == (5, 12)
    assert "UTF-8" in message


def test_decks_check_reports_a_missing_file(coach: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"

    result = coach("decks", "check", missing)

    assert result.returncode == 1
    [(path, line, col, message)] = problems(result.stdout)
    assert (path, line, col) == (str(missing), 1, 1)
    assert "cannot read" in message


def test_decks_check_passes_a_valid_file(coach: Run, config_dir: Path) -> None:
    deck = write(config_dir / "decks" / "goals.toml", MY_GOALS)

    result = coach("decks", "check", deck)

    assert result.returncode == 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_decks_check_with_no_paths_checks_the_users_decks(coach: Run, config_dir: Path) -> None:
    write(config_dir / "decks" / "goals.toml", MY_GOALS)
    broken = write(config_dir / "decks" / "zz-broken.toml", "schema = 1\nid = 'broken'\n")

    result = coach("decks", "check")

    assert result.returncode == 1
    found = problems(result.stdout)
    assert {path for path, *_ in found} == {str(broken)}
    assert any("title" in message for *_, message in found)


def test_decks_check_with_no_user_decks_passes(coach: Run) -> None:
    result = coach("decks", "check")

    assert result.returncode == 0
    assert result.stdout == ""


@pytest.mark.parametrize("noun", ["decks", "templates"])
def test_the_builtin_prompts_pass_their_own_check(coach: Run, noun: str) -> None:
    # Relative paths, as a contributor would type them from the checkout.
    relative = sorted(str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "prompts" / noun).glob("*.toml"))
    assert relative

    result = coach(noun, "check", *relative)

    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


@pytest.mark.parametrize("minutes", ["-1", "0", "601", '"5"', "true", "nan"])
def test_templates_check_points_at_a_bad_minutes_line(coach: Run, tmp_path: Path, minutes: str) -> None:
    template = write(tmp_path / "tiny.toml", VALID_TEMPLATE.replace("minutes = 0.05", f"minutes = {minutes}"))

    result = coach("templates", "check", template)

    assert result.returncode == 1
    [(path, line, col, message)] = problems(result.stdout)
    assert (path, line, col) == (str(template), 8, 1)
    assert "minutes" in message


def test_templates_check_passes_a_valid_file_with_fractional_minutes(coach: Run, tmp_path: Path) -> None:
    template = write(tmp_path / "tiny.toml", VALID_TEMPLATE)

    result = coach("templates", "check", template)

    assert result.returncode == 0
    assert result.stdout == ""


def test_templates_check_reports_a_deck_file_as_not_a_template(coach: Run, config_dir: Path) -> None:
    deck = write(config_dir / "decks" / "goals.toml", MY_GOALS)

    result = coach("templates", "check", deck)

    assert result.returncode == 1
    assert any("phases" in message for *_, message in problems(result.stdout))


def test_templates_check_reports_a_phase_naming_an_unknown_deck(coach: Run, tmp_path: Path) -> None:
    template = write(tmp_path / "tiny.toml", VALID_TEMPLATE.replace('["chit-chat"]', '["chit-chat", "nosuch"]'))

    result = coach("templates", "check", template)

    assert result.returncode == 1
    [(_, line, _, message)] = problems(result.stdout)
    assert line == 9
    assert "nosuch" in message


# --- path -------------------------------------------------------------------------------------


@pytest.mark.parametrize("noun", ["decks", "templates"])
def test_path_prints_the_users_folder(coach: Run, config_dir: Path, noun: str) -> None:
    result = coach(noun, "path")

    assert result.returncode == 0
    assert result.stdout == f"{config_dir / noun}\n"
    assert result.stderr == ""


# --- cards that know their life, decks of tips, phases that say what they are for -------------
LIVES = """\
schema = 1
id = "lives"
title = "Lives"
kind = "cards"

[[cards]]
text = "Where did you grow up?"
deal = "once"

[[cards]]
text = "How are you, really?"
deal = "every-meeting"

[[cards]]
text = "What made you laugh this week?"
deal = "rotation"
"""


def test_decks_check_passes_every_way_of_dealing(coach: Run, tmp_path: Path) -> None:
    result = coach("decks", "check", write(tmp_path / "lives.toml", LIVES))

    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


@pytest.mark.parametrize(("old", "new", "line", "expected"), [
    ('deal = "once"', 'deal = "onse"', 8, "`deal` is 'onse'; did you mean 'once'?"),
    ('deal = "once"', "deal = 2", 8, "`deal` must be one of 'rotation', 'once', 'every-meeting', not a whole number"),
    ('kind = "cards"', 'kind = "tip"', 4, "`kind` is 'tip'; did you mean 'tips'?"),
])
def test_decks_check_points_at_a_wrong_deal_or_kind(coach: Run, tmp_path: Path, old: str, new: str, line: int,
                                                    expected: str) -> None:
    deck = write(tmp_path / "lives.toml", LIVES.replace(old, new))

    result = coach("decks", "check", deck)

    assert result.returncode == 1
    [(path, found_line, _col, message)] = problems(result.stdout)
    assert Path(path) == deck and found_line == line and expected in message


def test_a_deck_of_tips_is_listed_as_tips_and_a_phase_naming_it_is_warned(coach: Run, tmp_path: Path) -> None:
    listed = listing(coach("decks", "list").stdout)
    assert "tips" in listed["rapport-tips"]
    template = write(tmp_path / "tiny.toml", VALID_TEMPLATE.replace('["chit-chat"]', '["chit-chat", "rapport-tips"]'))

    result = coach("templates", "check", template)

    assert result.returncode == 0  # a warning: the tips show at phase starts instead
    [(_, line, _, message)] = problems(result.stdout)
    assert line == 9 and "holds tips" in message


def test_templates_check_reads_a_purpose_and_refuses_one_that_is_not_text(coach: Run, tmp_path: Path) -> None:
    good = write(tmp_path / "good.toml", VALID_TEMPLATE + 'purpose = "Warm up."\n')
    bad = write(tmp_path / "bad.toml", VALID_TEMPLATE + "purpose = 3\n")

    assert coach("templates", "check", good).returncode == 0
    result = coach("templates", "check", bad)
    assert result.returncode == 1
    [(_, _line, _, message)] = problems(result.stdout)
    assert "`purpose` must be text" in message


def test_a_template_naming_the_old_introductions_deck_still_gets_the_first_meeting_cards(coach: Run,
                                                                                         tmp_path: Path) -> None:
    template = write(tmp_path / "old.toml", VALID_TEMPLATE.replace('["chit-chat"]', '["introductions"]'))

    result = coach("templates", "check", template)

    assert result.returncode == 0 and result.stdout == ""


def test_templates_check_tells_a_wrong_purpose_and_an_unknown_deck_in_one_pass(coach: Run, tmp_path: Path) -> None:
    text = VALID_TEMPLATE.replace('["chit-chat"]', '["chit-chat", "nosuch"]') + "purpose = 5\n"
    result = coach("templates", "check", write(tmp_path / "two.toml", text))

    assert result.returncode == 1
    messages = [message for _, _, _, message in problems(result.stdout)]
    assert any("`purpose` must be text" in m for m in messages) and any("nosuch" in m for m in messages)
