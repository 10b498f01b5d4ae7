"""The follow-up message after a meeting, as a person would write it: what was done since last
time, goals reached, goals set, who does what by when, and what is still open."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from coach.model import Owner
from coach.outcome import Outcome, Promise
from coach.store import exports_dir, slugify, write_atomic
from coach.text import one_line
from coach.timefmt import short_date

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,99}")
MAX_FIRST_NAME = 40

OPENING = ("Thank you for today's conversation.",)
CLOSING = "Looking forward to our next chat."
DONE, REACHED, SET, OPEN = "Done since last time:", "Goals reached — well done!", "Goals we set:", "Still open:"
I_WILL, BOTH = "I'll:", "Both of us:"


def first_name(partner: str) -> str:
    """The first word of the partner's name, on one line and with nothing raw in it."""
    words = one_line(partner).split()
    return (words[0] if words else "there")[:MAX_FIRST_NAME]


def follow_up_text(partner: str, outcome: Outcome, today: date | None = None) -> str:
    """A short message after the meeting; the parts with nothing in them are left out. A due date
    in another year than `today` (the meeting's day) says its year."""
    name = first_name(partner)
    heads = {Owner.ME: I_WILL, Owner.THEM: f"{name}:", Owner.BOTH: BOTH}
    parts: list[tuple[str, list[str]]] = [
        (DONE, [_promise(p, name, today, who=True) for p in outcome.done]),
        (REACHED, [one_line(text) for text in outcome.goals_reached]),
        (SET, [one_line(text) for text in outcome.goals]),
        *[(heads[owner], [_promise(p, name, today) for p in outcome.commitments if p.owner is owner])
          for owner in Owner],
        (OPEN, [_promise(p, name, today, who=True) for p in outcome.carried]),
    ]
    lines = [f"Hi {name},", "", *OPENING]
    for head, items in parts:
        if items:
            lines += ["", head, *[f"- {item}" for item in items]]
    lines += ["", CLOSING]
    return "\n".join(lines) + "\n"


def _promise(promise: Promise, name: str, today: date | None, who: bool = False) -> str:
    """`send the slides by Wed 4 Mar`; with `who`, whose it is: `book physio (Zoë's)`."""
    text = _without_owner(one_line(promise.text), promise.owner, name)
    due = f" by {promise.due:%a} {short_date(promise.due, today)}" if promise.due else ""
    owner = {Owner.ME: "mine", Owner.THEM: f"{name}'s", Owner.BOTH: "ours"}[promise.owner] if who else ""
    return f"{text}{due}" + (f" ({owner})" if owner else "")


def _without_owner(text: str, owner: Owner, name: str) -> str:
    """The commitment without the words its heading already says ("Zoë to book physio" under
    "Zoë:" is "book physio"); the text as typed when nothing would be left."""
    subject = {Owner.ME: r"i", Owner.THEM: rf"{re.escape(name)}|you|they", Owner.BOTH: r"we|we both|both of us|both"}
    said = re.match(rf"(?:(?:{subject[owner]})\s+(?:will|shall|to)|(?:{subject[owner]})['’]ll)\s+(?=\S)", text,
                    re.IGNORECASE)
    return text[said.end():] if said else text


def follow_up_path(meeting_id: str, partner: str) -> Path:
    """Where a meeting's follow-up is kept as a file: one per meeting, in the exports folder.
    (`meeting_id` is made by coach, with the partner's slug in it; an id that is not a safe file
    name, as a hand-edited draft could hold, is replaced by the partner's slug.)"""
    stem = meeting_id if _SAFE_ID.fullmatch(meeting_id) else slugify(partner)
    return exports_dir() / f"follow-up-{stem}.txt"


def save_follow_up(meeting_id: str, partner: str, text: str) -> Path:
    """Write the follow-up (as edited) to its file, replacing an earlier copy; OSError if it cannot."""
    path = follow_up_path(meeting_id, partner)
    write_atomic(path, text if text.endswith("\n") else text + "\n")
    return path
