"""A 1–5 rating that reads as one choice and takes its digits itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
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

    BINDINGS = [Binding("space", "space", show=False)]  # Enter still chooses the highlighted one

    def __init__(self, value: int | None, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(*[Choice(str(n), name=str(n), value=n == value) for n in range(1, 6)],
                         id=id, classes=classes)
        self._moved = False  # the arrows moved the highlight since the rating got the focus

    def on_focus(self) -> None:
        self._moved = False

    def action_previous_button(self) -> None:
        self._moved = True
        super().action_previous_button()

    def action_next_button(self) -> None:
        self._moved = True
        super().action_next_button()

    def action_space(self) -> None:
        """After the arrows, a space chooses the highlighted rating, as in any list of choices;
        before them, it is a space between words typed for the reflection (it picked 1)."""
        if self._moved:
            self.action_toggle_button()
        else:
            self.post_message(self.TypedAhead(" "))

    def on_mount(self) -> None:
        follow(self, "privacy", self._curtain_moved, init=False)  # the dot follows the curtain

    def _curtain_moved(self) -> None:
        self.query(Choice).refresh()

    def rate(self, value: int) -> None:
        list(self.query(RadioButton))[value - 1].value = True

    class TypedAhead(Message):
        """A character that is not a rating was typed while the rating had the focus: text for the
        next field (typed as the wrap-up opened, before the rating was chosen)."""

        def __init__(self, character: str) -> None:
            super().__init__()
            self.character = character

    async def _on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character in "12345":
            event.stop()
            event.prevent_default()
            self.rate(int(event.character))
        elif event.is_printable and event.character is not None and event.character != " ":
            event.stop()
            event.prevent_default()
            self.post_message(self.TypedAhead(event.character))
