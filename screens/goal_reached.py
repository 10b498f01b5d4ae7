"""Mark a goal reached: pick one of the open goals (behind the privacy curtain, by number)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from coach.meeting import GoalKey, OpenGoal
from coach.text import one_line
from screens.widgets.curtain import PRIVACY_KEY

if TYPE_CHECKING:
    from coach.app import CoachApp


class GoalReachedScreen(ModalScreen[GoalKey | None]):
    """Returns the key of the goal reached, or None."""

    app: CoachApp
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goal_reached.cancel"), PRIVACY_KEY]

    def __init__(self, goals: list[OpenGoal]) -> None:
        super().__init__()
        self.goals = goals

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Mark goal reached"
            if self.goals:
                yield Label("Which goal was reached? Enter marks it.", classes="question")
                yield OptionList(*[Option(self._prompt(n)) for n in range(len(self.goals))], id="goals")
            else:
                yield Label("There are no open goals. Add one with ctrl+g.", classes="question")
            yield Label("Esc cancels", classes="detail")

    def on_mount(self) -> None:
        self.watch(self.app, "privacy", self._curtain, init=False)

    def _prompt(self, index: int) -> Text:
        if self.app.privacy:
            return Text(f"Goal {index + 1} (hidden: F2 lifts the curtain)", style="dim")
        return Text(one_line(self.goals[index].text))

    def _curtain(self) -> None:
        for options in self.query("#goals").results(OptionList):
            for index in range(len(self.goals)):
                options.replace_option_prompt_at_index(index, self._prompt(index))

    @on(OptionList.OptionSelected, "#goals")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.goals[event.option_index].key)

    def action_cancel(self) -> None:
        self.dismiss(None)
