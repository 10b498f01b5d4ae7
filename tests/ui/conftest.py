"""UI tests look at toasts whenever they get to it: no toast expires during a test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def toasts_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    """A toast's expiry is a real timer; on a busy machine a test could look after it has gone."""
    from coach.app import CoachApp

    monkeypatch.setattr(CoachApp, "toast_seconds_min", 3600.0)
