"""The brief: what to know two minutes before the call — the last meeting, open commitments and
goals, what you remember about them, the commitments kept, and a pre-call checklist."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from coach.clock import local
from coach.kept import kept, kept_sentence
from coach.model import Goal, PartnerRecord, Status, Summary, learned_key
from coach.outcome import Outcome
from coach.text import columns, one_line
from coach.timefmt import short_date

CHECKLIST = [
    "Camera on, at eye level",
    "Light in front of you, not behind",
    "Head and shoulders in the frame",
    "Look at the lens when you speak",
    "Notifications and other tabs closed",
]


@dataclass
class BriefLine:
    text: str
    style: Literal["", "dim", "warn"] = ""  # "warn": overdue


@dataclass
class Brief:
    """What to know two minutes before the call, as sections of lines."""

    partner: str
    first_meeting: bool
    sections: list[tuple[str, list[BriefLine]]] = field(default_factory=list)


def build_brief(record: PartnerRecord, today: date, last: Summary | None = None, unreadable: bool = False) -> Brief:
    """The prep content: last meeting, open commitments, goals, facts, kept rate, checklist.

    `last` is the partner's latest summary when there is one. `unreadable`: their file could not be
    read (`record` stands in for it), so whether they have met before is not known: never a
    "first meeting" then.
    """
    brief = Brief(record.name, first_meeting=not unreadable and last is None and record.last_meeting is None)
    if last is not None:
        brief.sections.append(("Last meeting", _last_meeting(last)))
    elif brief.first_meeting:
        brief.sections.append(("First meeting", [BriefLine(
            f"This is your first meeting with {record.name}. Start with introductions both ways, "
            "and agree how you will work together.")]))
    if record.open_commitments():
        brief.sections.append(("Open commitments", _open_commitments(record, today)))
    if record.open_goals():
        brief.sections.append(("Open goals", [BriefLine(g.text) for g in record.open_goals()]))
    if reached := reached_goals(record):
        brief.sections.append(("Goals reached", _reached_lines(reached)))
    if record.facts:
        facts = sorted(record.facts, key=learned_key, reverse=True)
        brief.sections.append(("Remembered", [
            BriefLine(f"{short_date(f.learned)} {f.learned:%Y}: {f.text}" if f.learned is not None else f.text)
            for f in facts]))
    if record.commitments:
        brief.sections.append(("Commitments kept", [BriefLine(kept_sentence(kept(record.commitments, today)))]))
    brief.sections.append(("Before the call", [BriefLine(f"☐ {item}", "dim") for item in CHECKLIST]))
    return brief


REACHED_SHOWN = 5
"""Reached goals the brief lists at most (the newest); the rest are counted."""


def reached_goals(record: PartnerRecord) -> list[Goal]:
    """The partner's reached goals, the most recently reached first (those of unknown date last)."""
    reached = [g for g in record.goals if g.status is Status.REACHED]
    return sorted(reached, key=lambda g: g.closed or date.min, reverse=True)


def _reached_lines(reached: list[Goal]) -> list[BriefLine]:
    lines = [BriefLine(f"{short_date(g.closed)} {g.closed:%Y}: {g.text}" if g.closed else g.text)
             for g in reached[:REACHED_SHOWN]]
    if len(reached) > REACHED_SHOWN:
        lines.append(BriefLine(f"and {len(reached) - REACHED_SHOWN} more", "dim"))
    return lines


def _last_meeting(last: Summary) -> list[BriefLine]:
    rating = f", rated {last.rating}/5" if last.rating else ""
    started = local(last.started)  # the day here, as the history and the picker say it
    lines = [BriefLine(f"{started:%a} {short_date(started)} {started:%Y}{rating}")]
    outcome = Outcome.of(last)  # what it captured and settled, as every view counts it
    if not outcome.empty:
        lines.append(BriefLine(outcome.line()))
    if last.reflection.strip():
        lines.append(BriefLine(f"“{last.reflection.strip()}”", "dim"))
    return lines


def _open_commitments(record: PartnerRecord, today: date) -> list[BriefLine]:
    """Soonest due first; overdue ones stand out."""
    lines = []
    for c in sorted(record.open_commitments(), key=lambda c: (c.due or date.max)):
        due = f" — due {short_date(c.due, today)}" if c.due else ""
        late = " (overdue)" if c.overdue(today) else ""
        lines.append(BriefLine(f"[{c.owner.value}] {c.text}{due}{late}", "warn" if late else ""))
    return lines


def brief_text(brief: Brief, plan: list[str] | None = None) -> str:
    """The brief as plain text for the terminal: one line an item, nothing raw from the files."""
    name = one_line(brief.partner)
    out = [name, "=" * min(60, columns(name))]  # as wide as the name on screen
    for title, lines in brief.sections:
        out += ["", title] + [f"  {one_line(line.text)}" for line in lines]
    if plan:
        out += ["", "Plan"] + [f"  {one_line(step)}" for step in plan]
    return "\n".join(out) + "\n"
