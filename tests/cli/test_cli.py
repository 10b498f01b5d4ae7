"""The top-level command line: --version, --help, --partner/--template, usage errors."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]

SUBCOMMANDS = """
import argparse, json
from coach.__main__ import build_parser
parser = build_parser()
groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
print(json.dumps(sorted(name for group in groups for name in group.choices)))
"""

QUICK_TEMPLATE = """\
schema = 1
id = "quick"
title = "Quick"

[[phases]]
id = "chit-chat"
title = "Chit-chat"
minutes = 0.05
decks = ["chit-chat"]
"""


def test_version_prints_the_package_version(coach: Run, python: Run) -> None:
    version = python("-c", "import coach; print(coach.__version__)").stdout.strip()
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?\S*", version)

    result = coach("--version")

    assert result.returncode == 0
    assert result.stdout == f"coach {version}\n"
    assert result.stderr == ""


def test_help_lists_every_subcommand_and_option(coach: Run, python: Run) -> None:
    registered = json.loads(python("-c", SUBCOMMANDS).stdout)
    assert {"decks", "templates"} <= set(registered)

    result = coach("--help")

    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.startswith("usage: coach")
    for name in registered:
        assert re.search(rf"^\s+{re.escape(name)}\s", result.stdout, re.MULTILINE), name
    for option in ("--partner NAME", "--template ID", "--version", "--help"):
        assert option in result.stdout


@pytest.mark.parametrize("noun", ["decks", "templates"])
def test_subcommand_help_lists_its_actions(coach: Run, noun: str) -> None:
    result = coach(noun, "--help")

    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: coach {noun}")
    for action in ("list", "check", "path"):
        assert re.search(rf"^\s+{action}\s", result.stdout, re.MULTILINE), action


@pytest.mark.parametrize("args", [["--template", "nope"], ["--partner", "Ada", "--template", "nope"]])
def test_unknown_template_names_it_and_the_known_ones(coach: Run, data_dir: Path, args: list[str]) -> None:
    result = coach(*args)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "nope" in result.stderr
    assert "standard" in result.stderr
    assert "first-meeting" in result.stderr
    assert "Traceback" not in result.stderr
    assert not data_dir.exists() or not any(data_dir.rglob("*")), "a refused start must not create files"


def test_unknown_template_lists_the_users_own_templates(coach: Run, config_dir: Path) -> None:
    (config_dir / "templates").mkdir(parents=True)
    (config_dir / "templates" / "quick.toml").write_text(QUICK_TEMPLATE, encoding="utf-8")

    result = coach("--template", "nope")

    assert result.returncode == 2
    assert "quick" in result.stderr


def test_a_users_template_id_is_accepted(coach: Run, config_dir: Path) -> None:
    (config_dir / "templates").mkdir(parents=True)
    (config_dir / "templates" / "quick.toml").write_text(QUICK_TEMPLATE, encoding="utf-8")

    result = coach("--template", "quick")

    # Past the template check, the app itself is refused: there is no terminal here.
    assert result.returncode == 2
    assert "unknown template" not in result.stderr
    assert "terminal" in result.stderr


@pytest.mark.parametrize("args", [[], ["--partner", "Ada"], ["--template", "first-meeting"],
                                  ["--partner", "Zoë O'Brien", "--template", "standard"]])
def test_the_app_refuses_to_run_without_a_terminal(coach: Run, args: list[str]) -> None:
    result = coach(*args)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "needs a terminal" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_blank_partner_name_is_a_usage_error(coach: Run) -> None:
    result = coach("--partner", "   ")

    assert result.returncode == 2
    assert "--partner" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [
    ["bogus"],
    ["--bogus"],
    ["--partner"],
    ["--template"],
    ["decks"],
    ["decks", "bogus"],
    ["decks", "list", "extra"],
    ["decks", "path", "extra"],
    ["templates"],
    ["templates", "--bogus"],
])
def test_bad_usage_exits_2_with_a_usage_line(coach: Run, args: list[str]) -> None:
    result = coach(*args)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage: coach" in result.stderr
    assert "error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_empty_template_id_is_refused(coach: Run) -> None:
    result = coach("--template", "")

    assert result.returncode == 2
    assert "unknown template ''" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_fast_path_knows_every_subcommand() -> None:
    """`coach` builds subcommand parsers only when argv names one: the list must be complete."""
    from coach.__main__ import COMMANDS, build_parser

    parser = build_parser(commands=True)
    [subparsers] = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    assert set(subparsers.choices) == set(COMMANDS)
