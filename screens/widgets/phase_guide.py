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
"""Below this many rows, the guide holds the purpose or the tip, not both, so the notes keep room
(unless asked for with `Phase guide`)."""
LONGEST = 160
"""A purpose or tip longer than this is cut, with an ellipsis: the guide is a few lines at most."""


def _cut(text: str) -> str:
    text = one_line(text)
    return text if len(text) <= LONGEST else text[:LONGEST - 1].rstrip() + "…"


class PhaseGuideView(Static):
    """The guide of the phase just started; hidden when there is nothing to say or it was hidden."""

    _shown: tuple[str, PhaseGuide, bool] | None = None

    def show(self, title: str, guide: PhaseGuide, both: bool = False) -> None:
        """`both`: the purpose and the tip even on a short terminal (the user asked for the guide)."""
        self._shown = (title, guide, both) if guide else None
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
        title, guide, both = self._shown
        short = self.app.size.height < SHORT and not both
        body = Text()
        if guide.purpose:
            body.append(f"{one_line(title)}: ", style="bold")
            body.append(_cut(guide.purpose))
        if guide.tip and not (short and guide.purpose):
            if body:
                body.append("\n")
            body.append("Tip: ", style="bold")
            body.append(_cut(guide.tip), style="italic")
        body.append("  (Esc hides)", style="dim")
        self.update(body)
