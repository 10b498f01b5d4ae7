"""The follow-up message after a meeting: thanks, the goals talked about, who does what by when."""

from __future__ import annotations

from coach.model import Capture, CaptureKind, Owner
from coach.timefmt import short_date

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
