"""The CLI and the domain start fast: nothing but the app itself imports Textual."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]

# Runs coach's main() in-process, then reports (as the last stdout line) its exit code and
# every Textual module that got imported on the way.
RUN_MAIN = """
import json, sys
from coach.__main__ import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
textual = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps({"code": code, "textual": textual}))
"""

# Imports each coach module in turn, stopping at the first that pulls Textual in.
IMPORT_ALL = """
import importlib, json, pkgutil, sys
import coach
names = sys.argv[1:] + sorted("coach." + m.name for m in pkgutil.iter_modules(coach.__path__) if m.name != "app")
offender = None
for name in names:
    importlib.import_module(name)
    if "textual" in sys.modules:
        offender = name
        break
print(json.dumps({"imported": names, "offender": offender}))
"""

DOMAIN_MODULES = ["coach", "coach.cli", "coach.meeting", "coach.prompts", "coach.store", "coach.summaries",
                  "coach.partners", "coach.model", "coach.__main__"]

BUILTIN_DECK = "prompts/decks/goals.toml"  # relative to the repo root, where the subprocess runs


def command_id(value: object) -> str | None:
    return (" ".join(value) or "(no command)") if isinstance(value, list) else None


@pytest.mark.parametrize(("args", "code"), [
    (["--version"], 0),
    (["--help"], 0),
    (["decks", "list"], 0),
    (["decks", "check", BUILTIN_DECK], 0),
    (["decks", "path"], 0),
    (["templates", "list"], 0),
    (["templates", "check"], 0),
    (["templates", "path"], 0),
    (["doctor"], 0),
    (["doctor", "--fix"], 0),
    (["--template", "nope"], 2),
    (["decks", "bogus"], 2),
    ([], 2),  # no terminal: refused before the app is imported
], ids=command_id)
def test_commands_do_not_import_textual(python: Run, args: list[str], code: int) -> None:
    result = python("-c", RUN_MAIN, *args)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert outcome["code"] == code
    assert outcome["textual"] == []


def test_domain_modules_do_not_import_textual(python: Run) -> None:
    result = python("-c", IMPORT_ALL, *DOMAIN_MODULES)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert set(DOMAIN_MODULES) <= set(outcome["imported"])
    assert outcome["offender"] is None, f"{outcome['offender']} imports Textual"
