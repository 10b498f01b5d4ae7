"""UI tests look at toasts whenever they get to it: no toast expires during a test. They keep the
parsed CSS in one file for the run (each has a new cache folder). Prep's trends are worked out in
the app, not in a helper process (`test_trends_apart.py` turns it back on)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def toasts_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    """A toast's expiry is a real timer; on a busy machine a test could look after it has gone."""
    from coach.app import CoachApp

    monkeypatch.setattr(CoachApp, "toast_seconds_min", 3600.0)


@pytest.fixture(scope="session")
def css_kept_for_the_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kept-css") / "stylesheet.pickle"


@pytest.fixture(autouse=True)
def css_parsed_once_a_run(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
                          css_kept_for_the_run: Path) -> None:
    """Each test has a cache folder of its own, where every test would parse all the CSS again:
    the UI tests keep it in one file for the run instead, read back as at any start
    (`test_kept_stylesheet.py` keeps it in each test's own cache folder)."""
    if request.module.__name__.endswith("test_kept_stylesheet"):
        return
    from screens import stylesheet

    monkeypatch.setattr(stylesheet, "kept_path", lambda: css_kept_for_the_run)


@pytest.fixture(autouse=True)
def trends_in_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Prep's trends in the app, not in a helper process (`test_trends_apart.py` tests that)."""
    from coach.app import CoachApp

    monkeypatch.setattr(CoachApp, "trends_apart", False)
