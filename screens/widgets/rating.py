"""A 1–5 rating that reads as one choice and takes its digits itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.content import Content
from textual.widget import Widget
from textual.widgets import RadioButton, RadioSet

from screens.follow import follow

if TYPE_CHECKING:
    from coach.app import CoachApp


class Choice(RadioButton):
    """`(•) 4` chosen, `( ) 4` not: Textual's shows a dot on every button, coloured when chosen,
    which reads as all chosen."""

    app: CoachApp

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble(("(", style), ("•" if self.value and not self._curtained else " ", style), (")", style))

    @property
    def _curtained(self) -> bool:
        """Behind the privacy curtain, in a `.private-text` rating: the choice made is not shown
        (the button's own style is not dimmed by the curtain's `text-opacity`)."""
        return self.app.privacy and any(a.has_class("private-text") for a in self.ancestors)


class Rating(RadioSet):
    """Choices 1 to 5. A digit typed while the rating has the focus is handled here, as it
    arrives: a screen binding would look at the focus when the key reaches it, and after a fast
    `4` Tab that is already the next field, which takes the `4` as text."""

    app: CoachApp

    def __init__(self, value: int | None, *, text_to: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(*[Choice(str(n), name=str(n), value=n == value) for n in range(1, 6)],
                         id=id, classes=classes)
        self.text_to = text_to  # the field for text typed or pasted here (the reflection)
        self._moved = False  # arrow keys moved the highlight since the rating got the focus (Textual's
        # own first move, as it mounts, is not one: a space right behind it picked rating 1)

    def on_focus(self) -> None:
        self._moved = False

    def field_for(self, event: events.Key | events.Paste) -> Widget | None:
        """The field that takes `event` instead of the rating (asked by the app as the key comes):
        a paste, and any character but the digits 1 to 5 — a space too, until the arrows moved the
        highlight (then it chooses, as in any list of choices; it picked 1 under typed words)."""
        if self.text_to is None:
            return None
        if isinstance(event, events.Key):
            character = event.character
            if not event.is_printable or character is None or character in "12345":
                return None
            if character == " " and self._moved:
                return None
        return self.screen.query_one(self.text_to)

    def on_mount(self) -> None:
        follow(self, "privacy", self._curtain_moved, init=False)  # the dot follows the curtain

    def _curtain_moved(self) -> None:
        self.query(Choice).refresh()

    def rate(self, value: int) -> None:
        list(self.query(RadioButton))[value - 1].value = True

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("up", "down", "left", "right"):
            self._moved = True  # (the bindings move the highlight)
        if event.character is not None and event.character in "12345":
            event.stop()
            event.prevent_default()
            self.rate(int(event.character))
