"""What a phase is for and a rapport tip, between the card and the notes when a phase starts.

It takes its own rows (the notes shrink, never hidden), at most a few, and Esc hides it. On a
short terminal it says one thing: the purpose while the phase still shows it, else the tip.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from coach.guides import PhaseGuide
from coach.text import cut, one_line

SHORT = 24
"""Below this many rows, the guide holds the purpose or the tip, not both, so the notes keep room
(unless asked for with `Phase guide`)."""
HINT = "  (Esc hides)"


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
        tip = guide.tip if not (short and guide.purpose) else ""
        # Each part gets two lines (three when alone), so the hint at the end is always in view
        # (word wrapping may lose a few characters a line: leave them).
        width = max(20, (self.content_region.width or self.app.size.width - 4) - 4)
        lines = 2 if guide.purpose and tip else 3
        body = Text()
        if guide.purpose:
            label = f"{one_line(title)}: "
            body.append(label, style="bold")
            body.append(cut(guide.purpose, width * lines - len(label) - (0 if tip else len(HINT))))
        if tip:
            if body:
                body.append("\n")
            body.append("Tip: ", style="bold")
            body.append(cut(tip, width * lines - len("Tip: ") - len(HINT)), style="italic")
        body.append(HINT, style="dim")
        self.update(body)
