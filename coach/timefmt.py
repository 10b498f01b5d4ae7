"""How lengths of time and days read to people: `12:05`, `04:59`, `12 Oct`."""

from __future__ import annotations

from datetime import date


def duration(seconds: float, pad: bool = False) -> str:
    """`12:05` for 725 seconds, rounded to the second; `pad` gives two-digit minutes (`04:59`)."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes:02d}:{secs:02d}" if pad else f"{minutes}:{secs:02d}"


def short_date(day: date, today: date | None = None) -> str:
    """`12 Oct` (portable: no platform-specific strftime flags); `15 Jan 2030` when `today` is given
    and falls in another year (a due date next January must not read as this one)."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if today is not None and day.year != today.year else "")
