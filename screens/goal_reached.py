"""Mark a goal reached: pick one of the open goals (behind the privacy curtain, by number); a goal
marked reached in this meeting by mistake is listed too, and Enter on it makes it open again."""

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

from coach.meeting import GoalChoice
from coach.text import one_line
from screens.follow import follow
from screens.widgets.curtain import PRIVACY_KEY

if TYPE_CHECKING:
    from coach.app import CoachApp


class GoalReachedScreen(ModalScreen[GoalChoice | None]):
    """Returns the goal chosen (to mark reached, or to open again when it is marked), or None."""

    app: CoachApp
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goal_reached.cancel"), PRIVACY_KEY]

    def __init__(self, goals: list[GoalChoice]) -> None:
        super().__init__()
        self.goals = goals

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Mark goal reached"
            if self.goals:
                again = " (Enter on one marked ✓ opens it again)" if any(g.reached for g in self.goals) else ""
                yield Label(f"Which goal was reached? Enter marks it.{again}", classes="question")
                yield OptionList(*[Option(self._prompt(n)) for n in range(len(self.goals))], id="goals")
            else:
                yield Label("There are no open goals. Add one with ctrl+g.", classes="question")
            yield Label("Esc cancels", classes="detail")

    def on_mount(self) -> None:
        follow(self, "privacy", self._curtain, init=False)

    def _prompt(self, index: int) -> Text:
        goal = self.goals[index]
        text = Text("✓ reached  ", style="green") if goal.reached else Text()
        if self.app.privacy:
            return text.append(f"Goal {index + 1} (hidden: F2 lifts the curtain)", style="dim")
        return text.append(one_line(goal.text))

    def _curtain(self) -> None:
        for options in self.query("#goals").results(OptionList):
            for index in range(len(self.goals)):
                options.replace_option_prompt_at_index(index, self._prompt(index))

    @on(OptionList.OptionSelected, "#goals")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.goals[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
