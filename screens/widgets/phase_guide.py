"""What a phase is for and a rapport tip, between the card and the notes when a phase starts.

It takes its own rows (the notes shrink, never hidden), at most a few, and Esc hides it.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from coach.guides import PhaseGuide
from coach.text import one_line


class PhaseGuideView(Static):
    """The guide of the phase just started; hidden when there is nothing to say or it was hidden."""

    def show(self, title: str, guide: PhaseGuide) -> None:
        self.display = bool(guide)
        if not guide:
            return
        body = Text()
        if guide.purpose:
            body.append(f"{one_line(title)}: ", style="bold")
            body.append(one_line(guide.purpose))
        if guide.tip:
            if body:
                body.append("\n")
            body.append("Tip: ", style="bold")
            body.append(one_line(guide.tip), style="italic")
        body.append("  (Esc hides)", style="dim")
        self.update(body)

    def hide(self) -> None:
        self.display = False
