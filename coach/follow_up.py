"""The follow-up message after a meeting: thanks, the goals talked about, who does what by when."""

from __future__ import annotations

import re
from pathlib import Path

from coach.model import Capture, CaptureKind, Owner
from coach.store import exports_dir, slugify, write_atomic
from coach.timefmt import short_date

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,99}")

WHO = {Owner.ME: "I will", Owner.THEM: "You will", Owner.BOTH: "We will"}


def follow_up_text(partner: str, captures: list[Capture]) -> str:
    """A short message after the meeting: goals, who does what by when, and thanks."""
    first_name = partner.split()[0] if partner.split() else partner
    goals = [c for c in captures if c.kind is CaptureKind.GOAL]
    commitments = [c for c in captures if c.kind is CaptureKind.COMMITMENT]
    lines = [f"Hi {first_name},", "", "Thank you for today's conversation."]
    if goals:
        lines += ["", "Goals we talked about:"] + [f"- {g.text}" for g in goals]
    if commitments:
        lines += ["", "Next steps:"]
        for c in commitments:
            due = f" (by {c.due:%a} {short_date(c.due)})" if c.due else ""
            lines.append(f"- {WHO[c.owner]} {c.text}{due}")
    lines += ["", "Looking forward to our next chat."]
    return "\n".join(lines) + "\n"


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
