"""Prep, untimed: the two minutes before the call — what you know, what is open, the plan."""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.events import DescendantFocus
from textual.widgets import Static
from textual.worker import get_current_worker

from coach.library import DEFAULT_TEMPLATE
from coach.text import cut, plural
from screens.commands import Command, CommandScreen, bindings
from screens.follow import follow
from screens.messages import OpenMeeting, OpenPartner, OpenPicker, ReloadPrompts, ResumeRequested
from screens.safe import fit, line, one_line, plain
from screens.widgets.button import Button
from screens.widgets.curtain import CurtainMarker
from screens.widgets.hanging import Hanging, HangingStatic
from screens.widgets.key_bar import KeyBar
from screens.widgets.select import Select

# What prep shows is read once its first frame is drawn (see `PrepScreen._fill`): the modules that
# read and shape it are imported then.
if TYPE_CHECKING:
    from coach.app import CoachApp
    from coach.brief import Brief
    from coach.calendar import Slot
    from coach.model import PartnerRecord, Summary, Template

FIRST_MEETING_TEMPLATE = "first-meeting"
PURPOSE_ROOM = 240
"""A phase's purpose in prep is cut past this many characters (a few lines at 60 columns)."""
STYLES = {"warn": "bold yellow", "dim": "dim", "good": "green", "": ""}
MARKER = re.compile(r"^(☐ |• |\[(?:me|them|both)\] )")
"""What a brief line starts with that its wrapped lines hang under: a checkbox, a bullet, an owner."""


def brief_renderable(brief: Brief) -> Hanging:
    """The brief's sections as styled text; an item's wrapped lines line up under its text."""
    text = Hanging()
    for title, lines in brief.sections:
        text.add(title, style="bold underline")
        for item in lines:
            shown = one_line(item.text)
            marker = found.group(1) if (found := MARKER.match(shown)) else ""
            text.add(shown[len(marker):], style=STYLES.get(item.style, ""), indent=2, marker=marker)
        text.blank()
    return text


SOON = timedelta(minutes=30)
"""Prep opened by name plans to the partner's meeting in the calendar when it begins this soon (or is on)."""
REFIT_EVERY = 30
"""Seconds between refits of a plan to what is left of its calendar event, while prep waits."""

class PrepScreen(CommandScreen):
    """The partner's brief, the template and its phase plan, and `Start meeting`."""

    app: CoachApp
    CSS_PATH = "prep.tcss"
    AUTO_FOCUS = "#start"
    ACTIONS = [
        Command("Start meeting", "start_meeting", "Start the clock on the first phase", key="s",
                footer="Start meeting", id="prep.start"),
        Command("Partner record", "partner_record", "Everything kept about this partner: edit, re-date, forget; "
                "rename, merge, delete", key="p", footer="Record", id="prep.partner_record"),
        Command("Change partner", "back", "Back to the partner picker", key="escape", footer="Partners",
                id="prep.back"),
    ]
    BINDINGS = bindings(ACTIONS)

    def __init__(self, partner: str, template_id: str | None = None, slot: Slot | None = None) -> None:
        """`slot`: their meeting in the user's calendar, which the phases are planned to."""
        super().__init__()
        self.partner = partner
        self.slot = slot
        self.chosen_template = template_id
        self.default = DEFAULT_TEMPLATE  # the app's default, once the templates are read (`_fill`)
        self.template_id = template_id or self.default
        self.record: PartnerRecord | None = None
        self.first_meeting = False  # the first-meeting template was chosen because they are new
        self.problem = ""
        self.last: Summary | None = None
        self.filled = False  # the brief and the plan are shown (see `_fill`)

    def compose(self) -> ComposeResult:
        yield CurtainMarker()
        with VerticalScroll(id="prep"):
            yield Static(line(f"Prep · {self.partner}"), id="prep-title")
            with Horizontal(id="prep-top"):
                yield Button("Start meeting", id="start", variant="primary")
                # the template Select is mounted here once the partner's file is read (on_mount)
            yield Static(id="partner-problem")
            yield HangingStatic(id="plan")
            yield HangingStatic(id="brief", classes="private")
            yield HangingStatic(id="trends", classes="private")
            yield HangingStatic(id="purposes")
        yield KeyBar()

    def _choose_template(self) -> None:
        """Unless one was asked for (`--template`): the template of the last meeting with them (one
        gone since is passed over quietly), and for a first meeting the first-meeting template."""
        templates = self.app.library.templates
        first = not self.problem and self.last is None and (self.record is None or self.record.last_meeting is None)
        remembered = self.record.template if self.record is not None else None
        if self.chosen_template is None and remembered in templates:
            self.template_id = remembered
        elif first and self.chosen_template is None and FIRST_MEETING_TEMPLATE in templates:
            self.template_id = FIRST_MEETING_TEMPLATE
            self.first_meeting = True
        if self.template_id not in templates and templates:
            self.template_id = next(iter(templates))
        self.query_one("#prep-top").mount(Select(self._template_options(), value=self.template_id,
                                                 allow_blank=False, id="template"))

    def _template_options(self) -> list[tuple[Content, str]]:
        return [(line(t.title), t.id) for t in self.app.library.templates.values()]

    def _library_changed(self) -> None:
        """Templates were edited, added or removed (they reload live, like decks): the choice and the
        plan follow. A template whose edit is broken keeps its last good version; one whose file is
        gone gives way to the default."""
        templates = self.app.library.templates
        if not templates:
            return
        if self.template_id not in templates:
            gone = self.template_id
            fallback = [t for t in (self.default, DEFAULT_TEMPLATE) if t in templates] or list(templates)
            self.template_id = fallback[0]
            self.chosen_template = None if self.chosen_template == gone else self.chosen_template
            self.notify(f"The template {gone!r} is no longer there: {templates[self.template_id].title} is chosen.",
                        title="Templates", severity="warning", timeout=8)
        for select in self.query("#template").results(Select):
            with select.prevent(Select.Changed):
                select.set_options(self._template_options())
                select.value = self.template_id
        self.show_plan()

    def on_screen_resume(self) -> None:
        self.app.post_message(ReloadPrompts(force=False))  # a template written meanwhile shows up

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if event.widget.id == "template":  # about to choose a template: the list is up to date
            self.app.post_message(ReloadPrompts(force=False))

    def _load_memory(self) -> None:
        from coach import partners, summaries
        from coach.problems import ProblemsError

        try:
            self.record = partners.load_record(self.partner)
        except ProblemsError as error:
            self.record = None
            marked = any(p.message.startswith("git conflict markers") for p in error.problems)
            self.problem = "\n".join(str(p) for p in error.problems) + (
                "\nThis partner file could not be read, so what coach remembers about them is not shown. " + (
                    "A meeting saved meanwhile waits beside it and is merged once the markers are gone." if marked
                    else "Fix the line above; saving a meeting keeps a backup of the broken file."))
        self.last = summaries.latest(self.partner)
        # No file of theirs: it may be one that cannot be read (renamed since, say).
        if (self.record is not None and not partners.has_file(self.partner)
                and (unread := partners.files_that_may_hold(self.partner, partners.unreadable_files()))):
            self.record = None
            self.problem = "\n".join(str(p) for p in unread) + (
                f"\n{self.partner} has no partner file that can be read, and the file above may hold what "
                "coach remembers of them. Fix it before the meeting: a meeting saved meanwhile starts a new file "
                "for them.")

    def _brief(self) -> Hanging:
        from coach.brief import build_brief
        from coach.model import PartnerRecord
        from coach.store import slugify

        record = self.record or PartnerRecord(name=self.partner, slug=slugify(self.partner))
        today = self.app.clock.wall().date()
        return brief_renderable(build_brief(record, today, self.last, unreadable=bool(self.problem)))

    @work(thread=True, exclusive=True)
    def load_trends(self) -> None:
        """Cadence, ratings and kept rate over time: read from the history index, off the UI thread."""
        today, worker = self.app.clock.wall().date(), get_current_worker()
        if self.app.trends_apart:  # SQLite and the history's code stay out of the app beside the call
            from coach.trends_helper import trend_lines_apart

            lines = trend_lines_apart(self.partner, today, record=self.record,
                                      cancelled=lambda: worker.is_cancelled or self.app.leaving)
            if lines is None:
                return
        else:
            from coach.trends import trend_lines  # it reads the history index: in this thread

            lines = trend_lines(self.partner, today, record=self.record)
        text = Hanging().add("Over time", style="bold underline")
        for entry in lines:
            text.add(one_line(entry), indent=2)
        self.app.call_from_thread(self._show_trends, text)

    def _show_trends(self, text: Hanging) -> None:
        if self.on_stack:  # not when the meeting started meanwhile
            self.query_one("#trends", Static).update(text)

    def on_mount(self) -> None:
        self.say_title(f"coach · prep · {self.partner}")
        self.query_one("#partner-problem", Static).display = False
        if self.app.first_frame_drawn:
            self._fill()
        else:  # coach opened on prep (`--partner`): its title and button first, what it says at once after
            self.app.after_first_frame(self._fill)

    def _fill(self) -> None:
        """What coach knows about them, and the plan: the partner's file and the decks and templates read."""
        if self.filled or not self.on_stack or self.app.leaving:
            return
        self.filled = True
        self.app.ensure_library()
        self.default = self.app.default_template
        self.template_id = self.chosen_template or self.default
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
            # Someone new from the calendar: their address goes in their file, so their next events are theirs.
            emails = self.slot.attendees if self.slot is not None and self.slot.partner is None else ()
            from coach import partners

            try:
                partners.ensure_partner(self.partner, self.app.clock.wall(), emails)
            except OSError as error:
                self.notify(f"Could not create the partner file: {error.strerror or error}", severity="warning")
        self.show_plan()
        if self.slot is not None:  # what is left of the event shrinks while prep waits: the plan follows
            self.set_interval(REFIT_EVERY, self.show_plan)
        follow(self, "library", self._library_changed, init=False)
        self.app.after_first_frame(self._read_more)

    def _read_more(self) -> None:
        """The trends and the calendar are read in threads once the first frame is drawn."""
        if not self.on_stack:
            return
        if self.slot is None and self.app.config.calendar and not self.problem:
            self.find_slot()
        if self.last is not None:
            self.load_trends()

    @work(thread=True, exclusive=True, group="calendar")
    def find_slot(self) -> None:
        """Opened by name (`coach --partner`, or their row rather than their meeting's): their meeting
        in the calendar, when it is on or begins within `SOON`, is the slot the phases are planned to.
        The calendar's problems are said by the picker and `coach config check`, not here."""
        from coach.calendar import upcoming

        try:
            slots, _problems = upcoming(self.app.clock.wall(), SOON, self.app.config)
        except Exception:  # a flaw in reading one's calendar must never cost prep
            return
        if (slot := next((s for s in slots if s.partner == self.partner), None)) is not None:
            self.app.call_from_thread(self._slot_found, slot)

    def _slot_found(self, slot: Slot) -> None:
        if self.slot is None and self.on_stack:
            self.slot = slot
            self.show_plan()
            self.set_interval(REFIT_EVERY, self.show_plan)

    @property
    def template(self) -> Template:
        """The template chosen, as its file has it."""
        return self.app.library.templates[self.template_id]

    @property
    def planned(self) -> Template:
        """The template the meeting follows: the one chosen, its phases fitted to the slot if there is one."""
        from coach.slot_plan import fit_to

        return fit_to(self.template, self._slot_minutes()) if self.slot is not None else self.template

    def _slot_minutes(self) -> float:
        """The minutes the plan is fitted to: the event's, or what is left of it when it has begun."""
        assert self.slot is not None
        # Whole seconds, rounded up: a plan started at 14:12:30.4 ends at 14:30:00.4, which reads 14:30.
        left = math.ceil((self.slot.end - self.app.clock.wall()).total_seconds()) / 60
        return max(0.0, min(self.slot.minutes, left))

    def show_plan(self) -> None:
        template = self.planned
        text = Hanging().add("Plan", style="bold underline")
        if self.slot is not None:
            from coach.calendar import slot_time

            text.add(f"Calendar: {slot_time(self.slot, self.app.clock.wall())} · {_minutes(self.slot.minutes * 60)}",
                     indent=2)
        if self.template_id == FIRST_MEETING_TEMPLATE and self.first_meeting and self.chosen_template is None:
            text.add("First meeting: the first-meeting template adds introductions.", style="italic", indent=2)
        for i, phase in enumerate(template.phases, 1):
            length = f"{phase.minutes:>5g} min" if self.slot is None else f"{_minutes(phase.seconds):>12}"
            text.add(Text.assemble((fit(one_line(phase.title), 16), "bold"), length),
                     indent=2, marker=Text(f"{i}. ", style="bold"))
        text.add(self._ends(template), indent=2)
        self.query_one("#plan", Static).update(text)
        self.query_one("#purposes", Static).update(self._purposes(template))

    def _ends(self, template: Template) -> str:
        """How long the plan is and when it ends: with the event, when there is one and it starts on time."""
        total = template.planned_seconds
        now = self.app.clock.wall()
        ends = now + timedelta(seconds=total)
        slot = self.slot
        whole = slot is None or round(total) % 60 == 0  # a template's own lengths, or a slot's whole minutes
        length = plural(round(total / 60, 2), "minute") if whole else _minutes(total)
        if slot is None:
            return f"{length}; starting now ends around {ends:%H:%M}."
        from coach.slot_plan import too_long

        if too_long(self.template, self._slot_minutes()):
            return (f"{length}: longer than the event, which leaves less than a minute a phase; "
                    f"starting now ends around {ends:%H:%M}.")
        if now <= slot.start:
            return f"{length}, fitted to the event: starting at {slot.start.astimezone():%H:%M}, it ends at " \
                   f"{slot.end.astimezone():%H:%M}, with the event."
        return f"{length}, fitted to what is left of the event: starting now, it ends at " \
               f"{slot.end.astimezone():%H:%M}, with the event."

    def _purposes(self, template: Template) -> Hanging:
        """What each phase is for and a tip for getting ready: below what you know about them."""
        text = Hanging()
        if any(phase.purpose for phase in template.phases):
            text.add("What each phase is for", style="bold underline")
            for phase in template.phases:
                if phase.purpose:
                    text.add(Text.assemble((one_line(phase.title), "bold"), " — ", cut(phase.purpose, PURPOSE_ROOM)),
                             indent=2)
        from coach.cards import phase_ids, pick_tip, tips_of

        library = self.app.library
        tip = pick_tip(tips_of(library.decks), "prep", self.app.clock.wall().date().isoformat(),
                       phase_ids(library.templates.values()))
        if tip is not None:
            text.add(Text.assemble(("Tip: ", "bold"), (one_line(tip.text), "italic")), indent=2)
        return text

    @on(Select.Changed, "#template")
    def _template_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.template_id:
            self.template_id = event.value
            self.chosen_template = event.value
            self.show_plan()

    @on(Button.Pressed, "#start")
    def action_start_meeting(self) -> None:
        self._fill()  # started at once: what the meeting needs is read now
        if not self.filled:  # coach is closing
            return
        if (left := self.app.pending_draft) is not None:  # one meeting in progress at a time: never write over it
            self.notify(f"First decide about the unfinished meeting with {left.partner}: "
                        "resume it, save it as it is, or discard it.", severity="warning", timeout=8)
            self.app.post_message(ResumeRequested())
            return
        from coach.meeting import Meeting

        meeting = Meeting(self.partner, self.planned, self.app.library.decks, self.record)
        meeting.start(self.app.clock.monotonic(), self.app.clock.wall())
        for deck_id in meeting.started_over:
            title = self.app.library.decks[deck_id].title if deck_id in self.app.library.decks else deck_id
            self.notify(f"You have seen every card of “{title}” with {self.partner}: starting over.", timeout=6)
        self.app.hold_keys()  # the first words of the notes, typed right behind `s`, wait for them
        self.app.post_message(OpenMeeting(meeting))

    def action_partner_record(self) -> None:
        self.app.post_message(OpenPartner(self.partner))

    def action_back(self) -> None:
        self.app.post_message(OpenPicker())


def _minutes(seconds: float) -> str:
    """`7 min`, or `7 min 35 s` for a length that is not whole minutes."""
    whole, rest = divmod(round(seconds), 60)
    return f"{whole} min" + (f" {rest} s" if rest else "")
