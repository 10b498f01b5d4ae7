"""UI tests look at toasts whenever they get to it: no toast expires during a test. And they keep
no parsed CSS: each test has a new cache folder, where keeping it would only cost the writing
(`test_kept_stylesheet.py` turns it back on). Prep's trends are worked out in the app, not in a
helper process (`test_trends_apart.py` turns it back on)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def toasts_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    """A toast's expiry is a real timer; on a busy machine a test could look after it has gone."""
    from coach.app import CoachApp

    monkeypatch.setattr(CoachApp, "toast_seconds_min", 3600.0)


@pytest.fixture(autouse=True)
def no_kept_css(monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.app import CoachApp

    monkeypatch.setattr(CoachApp, "keep_css", False)


@pytest.fixture(autouse=True)
def trends_in_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Prep's trends in the app, not in a helper process (`test_trends_apart.py` tests that)."""
    from coach.app import CoachApp

    monkeypatch.setattr(CoachApp, "trends_apart", False)
