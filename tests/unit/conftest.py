"""Fixtures for the domain's unit tests: a fake clock, private folders, a permissive umask."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data dir (not created yet), given through COACH_DATA_DIR."""
    root = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(root))
    return root


@pytest.fixture
def config_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh config dir with empty `decks/` and `templates/`, given through COACH_CONFIG_DIR."""
    root = tmp_path / "config"
    (root / "decks").mkdir(parents=True)
    (root / "templates").mkdir()
    monkeypatch.setenv("COACH_CONFIG_DIR", str(root))
    return root


@pytest.fixture
def umask_zero() -> Iterator[None]:
    """Run the test with umask 0, so only explicit modes keep files private."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)
