"""The picker's list of known partners, under the name field: typing, Esc, or ↑ on the first row
goes back to the field (a letter typed in the list was lost, and only shift+Tab went back)."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import OptionList


class KnownList(OptionList):
    class BackToName(Message):
        """Back to the name field, with what was typed (if anything) for it."""

        def __init__(self, text: str = "") -> None:
            super().__init__()
            self.text = text

    def action_cursor_up(self) -> None:
        if not self.highlighted:  # the first row (or none): up is the field above, not the last row
            self.post_message(self.BackToName())
            return
        super().action_cursor_up()

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape" or (event.is_printable and event.character and event.character != " "):
            event.stop()
            event.prevent_default()
            self.post_message(self.BackToName("" if event.key == "escape" else event.character or ""))
