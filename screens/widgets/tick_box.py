"""A checkbox that reads as one: `[ ]` unticked, `[x]` ticked, and its label wraps."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Checkbox


class TickBox(Checkbox):
    """Textual's checkbox shows an `X` ticked or not (only its colour changes), which reads as
    ticked; this one shows the tick only when there is one. Styled in app.tcss."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble(("[", style), ("x" if self.value else " ", style), ("]", style))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the label needs at this width (Textual's keeps one, and cuts it)."""
        return max(1, len(self.render().wrap(max(1, width))))
