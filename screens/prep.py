"""Prep, untimed: the two minutes before the call — what you know, what is open, the plan."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Label, Select, Static

from coach import partners, summaries
from coach.brief import Brief, build_brief
from coach.meeting import Meeting
from coach.model import PartnerRecord, Summary, Template
from coach.problems import ProblemsError
from coach.prompts import DEFAULT_TEMPLATE
from coach.store import slugify
from coach.text import plural
from coach.trends import trend_lines
from screens.commands import Command, CommandScreen, bindings
from screens.messages import OpenMeeting, OpenPicker, ResumeRequested, TitleChanged
from screens.safe import line, one_line, plain
from screens.widgets.curtain import CurtainMarker

if TYPE_CHECKING:
    from coach.app import CoachApp

FIRST_MEETING_TEMPLATE = "first-meeting"
STYLES = {"warn": "bold yellow", "dim": "dim", "good": "green", "": ""}


def brief_renderable(brief: Brief) -> Text:
    """The brief's sections as styled text."""
    text = Text()
    for title, lines in brief.sections:
        text.append(f"{title}\n", style="bold underline")
        for item in lines:
            text.append(f"  {one_line(item.text)}\n", style=STYLES.get(item.style, ""))
        text.append("\n")
    return text


class PrepScreen(CommandScreen):
    """The partner's brief, the template and its phase plan, and `Start meeting`."""

    app: CoachApp
    CSS_PATH = "prep.tcss"
    AUTO_FOCUS = "#start"
    ACTIONS = [
        Command("Start meeting", "start_meeting", "Start the clock on the first phase", key="s",
                footer="Start meeting", id="prep.start"),
        Command("Change partner", "back", "Back to the partner picker", key="escape", footer="Partners",
                id="prep.back"),
    ]
    BINDINGS = bindings(ACTIONS)

    def __init__(self, partner: str, template_id: str | None = None, default: str = DEFAULT_TEMPLATE) -> None:
        super().__init__()
        self.partner = partner
        self.chosen_template = template_id
        self.template_id = template_id or default
        self.record: PartnerRecord | None = None
        self.problem = ""
        self.last: Summary | None = None

    def compose(self) -> ComposeResult:
        yield CurtainMarker()
        with VerticalScroll(id="prep"):
            yield Label(line(f"Prep · {self.partner}"), id="prep-title")
            with Horizontal(id="prep-top"):
                yield Button("Start meeting", id="start", variant="primary")
                # the template Select is mounted here once the partner's file is read (on_mount)
            yield Static(id="partner-problem")
            yield Static(id="plan")
            yield Static(id="brief", classes="private")
            yield Static(id="trends", classes="private")
        yield Footer(compact=True)

    def _choose_template(self) -> None:
        """A first meeting gets the first-meeting template, unless one was asked for."""
        templates = self.app.library.templates
        first = self.last is None and (self.record is None or self.record.last_meeting is None)
        if first and self.chosen_template is None and FIRST_MEETING_TEMPLATE in templates:
            self.template_id = FIRST_MEETING_TEMPLATE
        if self.template_id not in templates and templates:
            self.template_id = next(iter(templates))
        self.query_one("#prep-top").mount(Select([(line(t.title), t.id) for t in templates.values()],
                                                 value=self.template_id, allow_blank=False, id="template"))

    def _load_memory(self) -> None:
        try:
            self.record = partners.load_record(self.partner)
        except ProblemsError as error:
            self.record = None
            self.problem = "\n".join(str(p) for p in error.problems) + (
                "\nThis partner file could not be read, so what coach remembers about them is not shown. "
                "Fix the line above; saving a meeting keeps a backup of the broken file.")
        self.last = summaries.latest(self.partner)

    def _brief(self) -> Text:
        record = self.record or PartnerRecord(name=self.partner, slug=slugify(self.partner))
        today = self.app.clock.wall().date()
        return brief_renderable(build_brief(record, today, self.last))

    @work(thread=True, exclusive=True)
    def load_trends(self) -> None:
        """Cadence, ratings and kept rate over time: read from the history index, off the UI thread."""
        lines = trend_lines(self.partner, self.app.clock.wall().date())
        text = Text("Over time\n", style="bold underline")
        for entry in lines:
            text.append(f"  {one_line(entry)}\n")
        self.app.call_from_thread(self.query_one("#trends", Static).update, text)

    def on_mount(self) -> None:
        self.app.post_message(TitleChanged(f"coach · prep · {self.partner}"))
        self._load_memory()
        self._choose_template()
        problem = self.query_one("#partner-problem", Static)
        problem.display = bool(self.problem)
        if self.problem:
            problem.update(plain(self.problem))
        self.query_one("#brief", Static).update(self._brief())
        if self.problem:
            self.notify(self.problem, title="Partner file", severity="error", timeout=20)
        else:
            try:
                partners.ensure_partner(self.partner, self.app.clock.wall())
            except OSError as error:
                self.notify(f"Could not create the partner file: {error.strerror or error}", severity="warning")
        self.show_plan()
        if self.last is not None:
            self.load_trends()

    @property
    def template(self) -> Template:
        return self.app.library.templates[self.template_id]

    def show_plan(self) -> None:
        template = self.template
        text = Text()
        text.append("Plan\n", style="bold underline")
        if self.template_id == FIRST_MEETING_TEMPLATE and self.chosen_template is None:
            text.append("  First meeting: the first-meeting template adds introductions.\n", style="italic")
        for i, phase in enumerate(template.phases, 1):
            text.append(f"  {i}. {one_line(phase.title):<16.16}", style="bold")
            text.append(f"{phase.minutes:>5g} min\n")
        total = template.planned_seconds
        ends = self.app.clock.wall() + timedelta(seconds=total)
        text.append(f"  {plural(total / 60, 'minute')}; starting now ends around {ends:%H:%M}.\n")
        self.query_one("#plan", Static).update(text)

    @on(Select.Changed, "#template")
    def _template_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.template_id:
            self.template_id = event.value
            self.chosen_template = event.value
            self.show_plan()

    @on(Button.Pressed, "#start")
    def action_start_meeting(self) -> None:
        if (left := self.app.pending_draft) is not None:  # one meeting in progress at a time: never write over it
            self.notify(f"First decide about the unfinished meeting with {left.partner}: "
                        "resume it, save it as it is, or discard it.", severity="warning", timeout=8)
            self.app.post_message(ResumeRequested())
            return
        meeting = Meeting(self.partner, self.template, self.app.library.decks, self.record)
        meeting.start(self.app.clock.monotonic(), self.app.clock.wall())
        for deck_id in meeting.started_over:
            title = self.app.library.decks[deck_id].title if deck_id in self.app.library.decks else deck_id
            self.notify(f"You have seen every card of “{title}” with {self.partner}: starting over.", timeout=6)
        self.app.post_message(OpenMeeting(meeting))

    def action_back(self) -> None:
        self.app.post_message(OpenPicker())
