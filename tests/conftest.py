"""Every test runs with its own config, data and cache folders: nothing touches the user's files."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

QUICK_TEMPLATE = """\
schema = 1
id = "quick"
title = "Quick test meeting"

[[phases]]
id = "chit-chat"
title = "Chit-chat"
minutes = 0.05
decks = ["chit-chat"]

[[phases]]
id = "goals"
title = "Goals"
minutes = 0.05
decks = ["goals"]

[[phases]]
id = "commitments"
title = "Commitments"
minutes = 0.05
decks = ["commitments"]
"""


@pytest.fixture(autouse=True)
def coach_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Point COACH_CONFIG_DIR, COACH_DATA_DIR and COACH_CACHE_DIR at fresh folders for this test."""
    config, data = tmp_path / "config", tmp_path / "data"
    monkeypatch.setenv("COACH_CONFIG_DIR", str(config))
    monkeypatch.setenv("COACH_DATA_DIR", str(data))
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COACH_STATE_DIR", str(tmp_path / "state"))
    return config, data


@pytest.fixture
def quick_template(coach_dirs: tuple[Path, Path]) -> str:
    """A user template of three 3-second phases; returns its id."""
    folder = coach_dirs[0] / "templates"
    folder.mkdir(parents=True)
    (folder / "quick.toml").write_text(QUICK_TEMPLATE, encoding="utf-8")
    return "quick"


def pytest_configure(config: pytest.Config) -> None:
    """Pilot waits after each key until the app is idle, looking every 20 ms; every 5 ms is
    plenty on a test machine, and a typed sentence no longer costs seconds.

    Compiled code is kept for the run, outside the checkout: hundreds of tests start `coach` in a
    subprocess, and where PYTHONDONTWRITEBYTECODE is set each of them compiled every module from
    source again (a third of a CLI test's time)."""
    if not hasattr(config, "workerinput") and os.environ.get("PYTHONDONTWRITEBYTECODE"):
        prefix = tempfile.mkdtemp(prefix="coach-tests-pycache-")
        config.add_cleanup(lambda: shutil.rmtree(prefix, ignore_errors=True))
        del os.environ["PYTHONDONTWRITEBYTECODE"]  # the workers and every subprocess inherit these two
        os.environ["PYTHONPYCACHEPREFIX"] = prefix
        sys.dont_write_bytecode, sys.pycache_prefix = False, prefix
    if not hasattr(config, "workerinput") and config.getoption("numprocesses", None) and not sys.dont_write_bytecode:
        compile_once(config)
    import textual._wait as waiting

    waiting.SLEEP_GRANULARITY = 1 / 200
    waiting.SLEEP_IDLE = waiting.SLEEP_GRANULARITY / 20


def compile_once(config: pytest.Config) -> None:
    """Before the workers start, one collection compiles what they all import (coach, Textual, the
    tests with their asserts rewritten) into the run's cache: each worker compiled all of it again
    at the same moment, 8 s of CPU apiece. A collection that fails here fails again in the workers,
    where it is reported."""
    import subprocess

    subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "-p", "no:cacheprovider",
                    *config.args], cwd=config.rootpath, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
