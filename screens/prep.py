"""Prep, untimed: the plan of the meeting before the call starts."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, Select, Static

from coach.meeting import Meeting
from coach.model import Template
from coach.partners import ensure_partner
from coach.prompts import DEFAULT_TEMPLATE
from screens.commands import ScreenCommands


class PrepScreen(Screen):
    """The partner, the template and its phase plan, and `Start meeting`."""

    CSS_PATH = "prep.tcss"
    COMMANDS = {ScreenCommands}
    AUTO_FOCUS = "#start"
    BINDINGS = [
        Binding("s", "start_meeting", "Start meeting", id="prep.start"),
        Binding("escape", "back", "Partners", id="prep.back"),
    ]
    PALETTE = [
        ("Start meeting", "start_meeting", "Start the clock on the first phase"),
        ("Change partner", "back", "Back to the partner picker"),
    ]

    def __init__(self, partner: str, template_id: str | None = None) -> None:
        super().__init__()
        self.partner = partner
        self.template_id = template_id or DEFAULT_TEMPLATE

    def compose(self) -> ComposeResult:
        templates = self.app.library.templates
        if self.template_id not in templates and templates:
            self.template_id = next(iter(templates))
        with VerticalScroll(id="prep"):
            yield Label(f"Prep · {self.partner}", id="prep-title")
            yield Select([(t.title, t.id) for t in templates.values()], value=self.template_id,
                         allow_blank=False, id="template")
            yield Static(id="plan")
            with Horizontal(id="prep-buttons"):
                yield Button("Start meeting", id="start", variant="primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.app.set_window_title(f"coach · prep · {self.partner}")
        try:
            ensure_partner(self.partner, self.app.clock.wall())
        except OSError as error:
            self.notify(f"Could not create the partner file: {error.strerror or error}", severity="warning")
        self.show_plan()

    @property
    def template(self) -> Template:
        return self.app.library.templates[self.template_id]

    def show_plan(self) -> None:
        template = self.template
        text = Text()
        if template.description:
            text.append(template.description + "\n\n", style="dim")
        for i, phase in enumerate(template.phases, 1):
            text.append(f"{i}. {phase.title:<18.18}", style="bold")
            text.append(f"{phase.minutes:>5g} min  ")
            text.append(", ".join(phase.decks) + "\n", style="dim")
        total = template.planned_seconds
        ends = self.app.clock.wall() + timedelta(seconds=total)
        text.append(f"\n{total / 60:g} minutes in all; starting now ends around {ends:%H:%M}.")
        self.query_one("#plan", Static).update(text)

    @on(Select.Changed, "#template")
    def _template_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.template_id = event.value
            self.show_plan()

    @on(Button.Pressed, "#start")
    def action_start_meeting(self) -> None:
        meeting = Meeting(self.partner, self.template, self.app.library.decks)
        meeting.start(self.app.clock.monotonic(), self.app.clock.wall())
        self.app.open_meeting(meeting)

    def action_back(self) -> None:
        self.app.open_picker()
