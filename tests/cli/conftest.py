"""Run `coach` the way a user does: `python -m coach …` in a subprocess, from the repo root,
with config, data and cache folders of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """The COACH_CONFIG_DIR the subprocess sees (not created: coach must cope)."""
    return tmp_path / "config"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The COACH_DATA_DIR the subprocess sees."""
    return tmp_path / "data"


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    """The COACH_CACHE_DIR the subprocess sees: the history index lives there."""
    return tmp_path / "cache"


@pytest.fixture
def coach_env(config_dir: Path, data_dir: Path, cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["COACH_CONFIG_DIR"] = str(config_dir)
    env["COACH_DATA_DIR"] = str(data_dir)
    env["COACH_CACHE_DIR"] = str(cache_dir)
    env["COACH_STATE_DIR"] = str(cache_dir.parent / "state")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.fixture
def python(coach_env: dict[str, str]) -> Run:
    """`python(*args)`: run the interpreter from the repo root; stdin is not a terminal."""

    def run(*args: str | Path, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *map(str, args)],
            cwd=cwd,
            env=coach_env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )

    return run


@pytest.fixture
def coach(python: Run) -> Run:
    """`coach(*args)`: run `python -m coach *args`."""
    return lambda *args, **kwargs: python("-m", "coach", *args, **kwargs)
