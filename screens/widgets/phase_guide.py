"""What a phase is for and a rapport tip, between the card and the notes when a phase starts.

It takes its own rows (the notes shrink, never hidden), at most a few, and Esc hides it. On a
short terminal it says one thing: the purpose while the phase still shows it, else the tip.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from coach.guides import PhaseGuide
from coach.text import one_line

SHORT = 24
"""Below this many rows, the guide holds the purpose or the tip, not both, so the notes keep room."""


class PhaseGuideView(Static):
    """The guide of the phase just started; hidden when there is nothing to say or it was hidden."""

    _shown: tuple[str, PhaseGuide] | None = None

    def show(self, title: str, guide: PhaseGuide) -> None:
        self._shown = (title, guide) if guide else None
        self.display = bool(guide)
        self._draw()

    def hide(self) -> None:
        self._shown = None
        self.display = False

    def on_resize(self, _event: events.Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        if self._shown is None:
            return
        title, guide = self._shown
        short = self.app.size.height < SHORT
        body = Text()
        if guide.purpose:
            body.append(f"{one_line(title)}: ", style="bold")
            body.append(one_line(guide.purpose))
        if guide.tip and not (short and guide.purpose):
            if body:
                body.append("\n")
            body.append("Tip: ", style="bold")
            body.append(one_line(guide.tip), style="italic")
        body.append("  (Esc hides)", style="dim")
        self.update(body)
