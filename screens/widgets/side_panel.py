"""The side panel of a wide meeting screen: what you know about the partner, at a glance."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import Static

from coach.meeting import Meeting
from coach.model import CaptureKind, Status, learned_key
from coach.text import one_line
from coach.timefmt import short_date


def side_text(meeting: Meeting, today: date) -> Text:
    """Facts (newest first), open goals and open commitments, including this meeting's."""
    text = Text()
    memory = meeting.memory
    text.append(f"{one_line(meeting.partner)}\n\n", style="bold")
    facts = sorted(memory.facts, key=learned_key, reverse=True)[:6] if memory else []
    new_facts = [c.text for c in meeting.captures if c.kind is CaptureKind.FACT]
    text.append("Remembered\n", style="bold underline")
    for new_fact in new_facts[::-1]:
        text.append(f"• {one_line(new_fact)}\n", style="italic")
    for fact in facts:
        when = short_date(fact.learned) if fact.learned is not None else ""
        text.append(f"• {one_line(fact.text)}", style="")
        text.append(f"  {when}\n" if when else "\n", style="dim")
    if not facts and not new_facts:
        text.append("  nothing yet (ctrl+r)\n", style="dim")
    text.append("\nOpen goals\n", style="bold underline")
    goals = [g for _, g in meeting.open_goals()]
    for goal in goals:
        text.append(f"• {one_line(goal)}\n")
    if not goals:
        text.append("  none yet (ctrl+g)\n", style="dim")
    text.append("\nCommitments\n", style="bold underline")
    settled = {r.id: r.status for r in meeting.reviewed if r.kind is CaptureKind.COMMITMENT}
    earlier = [c for c in (memory.open_commitments() if memory else [])
               if settled.get(c.id, Status.OPEN) is Status.OPEN]
    shown = 0
    for item in earlier:
        late = item.overdue(today)
        text.append(f"• [{item.owner.value}] {one_line(item.text)}", style="yellow" if late else "")
        text.append(f"  due {short_date(item.due)}\n" if item.due else "\n", style="dim")
        shown += 1
    for capture in meeting.captures:
        if capture.kind is CaptureKind.COMMITMENT:
            text.append(f"• [{capture.owner.value}] {one_line(capture.text)}  new\n", style="italic")
            shown += 1
    if not shown:
        text.append("  none open (ctrl+o)\n", style="dim")
    return text


class SidePanel(Static):
    """Shown when the terminal is wide enough (120 columns and more)."""

    def show(self, meeting: Meeting, today: date) -> None:
        self.update(side_text(meeting, today))
