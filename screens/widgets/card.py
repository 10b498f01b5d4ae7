"""The prompt card of the moment, with its position in the phase's cards."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from coach.cards import MEMORY_DECK
from coach.model import Card
from coach.text import visible


class CardView(Static):
    """A card's text, its tip underneath, and `3/15` in the border."""

    def show(self, card: Card | None, position: int, count: int, hidden: bool = False) -> None:
        """`hidden`: behind the privacy curtain, where a card drawn from your notes is not shown."""
        if card is None:
            self.border_title = "No cards"
            self.update(Text("This phase has no cards: the notes are yours.", style="dim"))
            return
        self.border_title = f"Card {position}/{count}"
        if card.deck == MEMORY_DECK and hidden:
            self.update(Text("A card from your notes about them: hidden behind the privacy curtain.",
                             style="dim italic"))
            return
        body = Text(visible(card.text), style="bold")
        if card.tip:
            body.append("\n")
            body.append(visible(card.tip), style="italic dim")
        self.update(body)
