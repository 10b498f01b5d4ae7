"""Pick one from a short list: a status, the partner to merge. Enter picks, Escape cancels."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from screens.safe import line
from screens.widgets.curtain import PRIVACY_KEY


class ChooseOne(ModalScreen[str | None]):
    """Returns the id of the choice picked (`choices` are (id, label) pairs), or None."""

    CSS_PATH = "ask.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose_one.cancel"), PRIVACY_KEY]
    AUTO_FOCUS = "#choices"

    def __init__(self, title: str, question: str, choices: Sequence[tuple[str, str]],
                 current: str | None = None) -> None:
        super().__init__()
        self.title_text, self.question, self.choices, self.current = title, question, list(choices), current

    def compose(self) -> ComposeResult:
        with Vertical(classes="ask-box") as box:
            box.border_title = line(self.title_text)
            yield Label(line(self.question), classes="ask-question")
            yield OptionList(*[Option(line(label), id=f"choice-{n}") for n, (_, label) in enumerate(self.choices)],
                             id="choices")
            yield Label("Enter picks · Esc cancels", classes="ask-hint")

    def on_mount(self) -> None:
        ids = [choice_id for choice_id, _ in self.choices]
        self.query_one("#choices", OptionList).highlighted = ids.index(self.current) if self.current in ids else 0

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
