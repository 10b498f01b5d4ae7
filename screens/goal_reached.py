"""Mark a goal reached: pick one of the open goals."""

from __future__ import annotations

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


class GoalReachedScreen(ModalScreen[GoalKey | None]):
    """Returns the key of the goal reached, or None."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goal_reached.cancel")]

    def __init__(self, goals: list[OpenGoal]) -> None:
        super().__init__()
        self.goals = goals

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Mark goal reached"
            if self.goals:
                yield Label("Which goal was reached? Enter marks it.", classes="question")
                yield OptionList(*[Option(Text(one_line(goal.text))) for goal in self.goals], id="goals")
            else:
                yield Label("There are no open goals. Add one with ctrl+g.", classes="question")
            yield Label("Esc cancels", classes="detail")

    @on(OptionList.OptionSelected, "#goals")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.goals[event.option_index].key)

    def action_cancel(self) -> None:
        self.dismiss(None)
