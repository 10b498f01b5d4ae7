"""`coach next`: who's next in the user's calendar, with a short brief each, for a status bar or a
script. Nothing here imports Textual."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, datetime, timedelta

from coach.calendar import Slot, partner_records, slot_relative, slot_time, upcoming
from coach.model import PartnerRecord
from coach.text import json_safe, one_line, plural

_SPAN = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|min)", re.IGNORECASE)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "min": "minutes"}


def add_next(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "next", help="the next meetings with your partners, from your calendar",
        description="The next meetings in your calendar (`calendar` and `me` in config.toml) with someone "
        "you have a partner file for — by an attendee's e-mail (`emails` in their file) or by their name "
        "or one of their `calendar` words in the title — each with a short brief; then 1:1s with someone "
        "new. Exits 1 when there is none.")
    command.add_argument("--at", metavar="DATETIME", type=moment,
                         help="look from this moment instead of now: ISO 8601, e.g. 2026-03-02T13:45 (local "
                         "time unless an offset is given)")
    command.add_argument("--within", metavar="DURATION", type=duration, default=timedelta(hours=24),
                         help="how far ahead to look: 90m, 8h, 2d, 1w, 1h30m (default: 24h)")
    command.add_argument("--json", action="store_true",
                         help="a JSON array: partner, suggested, title, start, end, minutes, source")
    command.set_defaults(run=run_next)


AT_YEARS = 10
"""`--at` looks at most this many years from today either way: a series is expanded from its first
meeting, so a moment centuries away would take minutes (and one near the year 9999 overflows)."""


def moment(text: str) -> datetime:
    """`--at`: an ISO 8601 date and time; naive is local time; within AT_YEARS of today."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date and time: {text!r} (e.g. 2026-03-02T13:45)") from None
    try:
        value = value if value.tzinfo is not None else value.astimezone()
    except (OverflowError, OSError, ValueError):
        raise argparse.ArgumentTypeError(f"a date and time out of range: {text!r}") from None
    today = datetime.now().astimezone()
    if abs(value.year - today.year) > AT_YEARS:
        raise argparse.ArgumentTypeError(f"a moment within {AT_YEARS} years of today, not {text!r}")
    return value


def duration(text: str) -> timedelta:
    """`--within`: `90m`, `8h`, `2d`, `1w`, or several (`1h30m`); more than nothing, at most a year."""
    compact = "".join(text.split())
    parts = _SPAN.findall(compact)
    if not parts or "".join(n + u for n, u in parts).lower() != compact.lower():
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 90m, 8h, 2d)")
    span = sum((timedelta(**{_UNITS[unit.lower()]: float(n)}) for n, unit in parts), timedelta())
    if not timedelta(0) < span <= timedelta(days=366):
        raise argparse.ArgumentTypeError(f"a duration from a minute to a year, not {text!r}")
    return span


def run_next(args: argparse.Namespace) -> int:
    from coach.config import config_path, load_config

    config, config_problems = load_config()
    now = args.at or datetime.now().astimezone()
    for problem in config_problems:
        print(problem, file=sys.stderr)
    if not config.calendar:
        print(f"coach next: no calendar set: add `calendar = \"PATH\"` (an .ics file or a folder of them) "
              f"to {config_path()}", file=sys.stderr)
        return 1
    records = partner_records()
    found, problems = upcoming(now, args.within, config, records)
    slots = [s for s in found if s.partner] + [s for s in found if not s.partner]  # partners first, then new
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.json:
        _write(json_safe(json.dumps([as_json(s) for s in slots], ensure_ascii=False, indent=2)) + "\n", exact=True)
    elif slots:
        by_name = {r.name: r for r in records}
        _write("".join(slot_text(s, now, by_name.get(s.partner) if s.partner else None) for s in slots))
    if not slots:
        print(f"coach next: no meeting with a partner in the next {_ahead(args.within)}", file=sys.stderr)
        return 1
    return 0


def as_json(slot: Slot) -> dict:
    return {"partner": slot.partner, "suggested": slot.suggested, "title": slot.title,
            "start": slot.start.isoformat(), "end": slot.end.isoformat(), "minutes": round(slot.minutes, 2),
            "source": str(slot.source)}


def slot_text(slot: Slot, now: datetime, record: PartnerRecord | None) -> str:
    """`Zoë O'Brien · Mon 14:00–14:30 (in 12 min) · 30 min`, then a few lines of brief."""
    when = f"{slot_time(slot, now)} ({slot_relative(slot, now)}) · {slot.minutes:.0f} min"
    if slot.partner is None:
        return f"new partner? {one_line(slot.suggested or '')} · {when}\n  {one_line(slot.title)}\n"
    lines = [f"{one_line(slot.partner)} · {when}"]
    lines += [f"  {line}" for line in brief_lines(record or PartnerRecord(name=slot.partner), now.date())]
    return "\n".join(lines) + "\n"


def brief_lines(record: PartnerRecord, today: date) -> list[str]:
    """Two or three lines of the prep brief: the last meeting, what is open."""
    from coach import summaries
    from coach.brief import build_brief

    brief = build_brief(record, today, summaries.latest(record.name))
    sections = dict(brief.sections)
    lines = []
    if "Last meeting" in sections:
        lines.append(f"last met {one_line(sections['Last meeting'][0].text)}")
    elif brief.first_meeting:
        lines.append("first meeting")
    open_items = []
    if commitments := record.open_commitments():
        late = sum(c.overdue(today) for c in commitments)
        open_items.append(plural(len(commitments), "open commitment") + (f" ({late} overdue)" if late else ""))
    if goals := record.open_goals():
        open_items.append(plural(len(goals), "open goal"))
    if open_items:
        lines.append(", ".join(open_items))
    return lines


def _ahead(span: timedelta) -> str:
    minutes = round(span.total_seconds() / 60)
    if minutes % 1440 == 0:
        return plural(minutes // 1440, "day")
    return plural(minutes // 60, "hour") if minutes % 60 == 0 else plural(minutes, "minute")


def _write(text: str, exact: bool = False) -> None:
    from coach.history_cli import write

    write(text, exact)
