"""Who are you meeting? Type a new name or pick a known partner, most recent first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from coach.partners import Partner, closest, known_partners, resolve
from coach.problems import Problem
from coach.text import name_problem
from screens.commands import Command, CommandScreen, bindings
from screens.messages import OpenHistory, OpenPartner, OpenPrep, TitleChanged
from screens.safe import line, one_line
from screens.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from coach.app import CoachApp


class PickerScreen(CommandScreen):
    """The partner picker: the app's first screen."""

    app: CoachApp

    CSS_PATH = "picker.tcss"
    AUTO_FOCUS = "#name"
    ACTIONS = [
        Binding("down", "to_list", "Known partners", show=False),
        Command("History of this partner", "history", "Past meetings with the highlighted partner", key="f3",
                footer="History", id="picker.history"),
        Command("Partner record", "partner_record", "Everything kept about the highlighted partner: edit, "
                "re-date, forget; rename, merge, delete", id="picker.partner_record"),
    ]
    BINDINGS = bindings(ACTIONS)

    def __init__(self) -> None:
        super().__init__()
        self.partners: list[Partner] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Who are you meeting?", id="picker-title")
            name = Input(placeholder="Type a name, then Enter", id="name")
            name.cursor_blink = False  # idle CPU beside a video call
            yield name
            yield Label("", id="picker-hint")
            yield OptionList(id="known")
        yield KeyBar()

    def on_mount(self) -> None:
        self.app.post_message(TitleChanged("coach"))
        self.load_partners()

    @work(thread=True, exclusive=True)
    def load_partners(self) -> None:
        found, problems = known_partners()
        self.app.call_from_thread(self._loaded, found, problems)

    def _loaded(self, found: list[Partner], problems: list[Problem]) -> None:
        self.partners = found
        self.app.say_skipped(problems)
        self._filter(self.query_one("#name", Input).value)

    @on(Input.Changed, "#name")
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def _filter(self, text: str) -> None:
        wanted = text.strip().casefold()
        options = self.query_one("#known", OptionList)
        options.clear_options()
        matches = [(i, p) for i, p in enumerate(self.partners) if wanted in p.name.casefold()]
        for index, partner in matches:
            when = f"{partner.last_meeting:%d %b %Y}" if partner.last_meeting else "no meetings yet"
            options.add_option(Option(Text.assemble(one_line(partner.name), ("  " + when, "dim")),
                                      id=f"partner-{index}"))  # by place: two names may share a slug
        options.display = bool(matches)
        hint = self.query_one("#picker-hint", Label)
        hint.remove_class("-error")
        if not self.partners:
            hint.update("No partners yet: type the name of the person you are meeting.")
        elif text.strip() and resolve(text, self.partners) not in {p.name for p in self.partners}:
            similar = closest(text, self.partners)
            also = f" (↓ picks {similar[0].name})" if similar else ""
            hint.update(line(f"Enter: new partner {text.strip()}{also}"))
        else:
            hint.update("↓ to pick from the list")

    @on(Input.Submitted, "#name")
    def _submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            self.action_to_list()
            return
        if problem := name_problem(name):
            hint = self.query_one("#picker-hint", Label)
            hint.update(line(f"{problem[:1].upper()}{problem[1:]}: type the name again."))
            hint.add_class("-error")
            return
        self.app.post_message(OpenPrep(resolve(name, self.partners)))

    @on(OptionList.OptionSelected, "#known")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        chosen = self._partner(event.option.id)
        if chosen is None:
            return
        self.app.post_message(OpenPrep(chosen.name))

    def action_history(self) -> None:
        """The history, filtered to the highlighted partner when the list has focus."""
        options = self.query_one("#known", OptionList)
        chosen = None
        if options.has_focus and options.highlighted_option is not None:
            partner = self._partner(options.highlighted_option.id)
            chosen = partner.name if partner is not None else None
        self.app.post_message(OpenHistory(chosen))

    def action_partner_record(self) -> None:
        """The record of the highlighted partner (or of the only one the typed name lists)."""
        options = self.query_one("#known", OptionList)
        option = options.highlighted_option
        if option is None and options.option_count == 1:
            option = options.get_option_at_index(0)
        partner = self._partner(option.id) if option is not None else None
        if partner is None:
            self.notify("Pick a partner in the list first (↓), then ask for their record.", timeout=4)
            return
        self.app.post_message(OpenPartner(partner.name))

    def action_to_list(self) -> None:
        options = self.query_one("#known", OptionList)
        if options.option_count:
            options.focus()
            options.highlighted = 0

    def _partner(self, option_id: str | None) -> Partner | None:
        index = int(option_id.removeprefix("partner-")) if option_id and option_id.startswith("partner-") else -1
        return self.partners[index] if 0 <= index < len(self.partners) else None
