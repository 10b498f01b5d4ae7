"""The partner record: every fact, goal and commitment coach keeps about one partner, with their
dates, and the ways to tend it — edit, re-date, change a status, forget; rename the partner,
merge another partner into them, delete them (their file is moved aside, never destroyed).

Pushed over the screen it was opened from (prep, a meeting, the wrap-up, the picker): Escape
goes back there, with nothing lost. Every change is made by `coach.partner_edit` on the file on
disk, then the list is read back from the file, so what shows is what is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Static

from coach import partner_edit
from coach.model import COMMITMENT_STATUSES, GOAL_STATUSES, PartnerRecord, Status
from coach.partners import known_partners, load_record
from coach.problems import ProblemsError
from coach.store import normalize_name
from coach.text import name_problem
from screens.choose_one import ChooseOne
from screens.commands import Command, CommandScreen, bindings
from screens.confirm import Confirm
from screens.edit_text import EditText
from screens.follow import follow
from screens.safe import line, plain
from screens.widgets.curtain import CurtainMarker
from screens.widgets.key_bar import KeyBar
from screens.widgets.record_list import Item, RecordList, counts, day
from screens.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from coach.app import CoachApp

KIND_NAMES = {"fact": "fact", "goal": "goal", "commitment": "commitment"}
STATUS_NAMES = {Status.OPEN: "Open", Status.DONE: "Done", Status.REACHED: "Reached", Status.DROPPED: "Dropped"}
PROBLEM_HIDDEN = "This partner file has a problem: F2 lifts the curtain to see it."


@dataclass(frozen=True)
class PartnerOutcome:
    """What became of the partner when the screen closed: their name now (None: deleted), and
    whether anything in their record changed."""

    partner: str | None
    changed: bool


class PartnerScreen(CommandScreen):
    """One partner's record, item by item; returns a `PartnerOutcome`."""

    app: CoachApp
    CSS_PATH = "partner.tcss"
    AUTO_FOCUS = "#items"
    ACTIONS = [
        Command("Edit item…", "edit", "Change the highlighted fact's, goal's or commitment's text", key="e",
                footer="Edit", id="partner.edit", also=("change", "fix", "typo")),
        Command("Re-date item…", "redate", "Change when the highlighted fact was learned, or when a commitment "
                "is due", key="d", footer="Date", id="partner.redate", also=("due", "learned", "when")),
        Command("Change status…", "status", "Goal reached or open again; commitment done, open or dropped",
                key="s", footer="Status", id="partner.status", also=("done", "reached", "reopen", "drop")),
        Command("Forget item…", "forget", "Remove the highlighted item from the partner file (summaries already "
                "written keep it)", key="f", footer="Forget", id="partner.forget", also=("remove", "delete")),
        Command("Close partner record", "back", "Back to where you were", key="escape", footer="Back",
                id="partner.back"),
        Command("Rename partner…", "rename", "Give this partner another name; past meetings stay theirs",
                key="r", footer="Rename", id="partner.rename", also=("name", "typo")),
        Command("Merge partners…", "merge", "Fold another partner (a duplicate) into this one", key="m",
                footer="Merge", id="partner.merge", also=("duplicate", "combine", "join")),
        Command("Delete partner…", "delete_partner", "Move this partner's file aside (not destroyed) and go "
                "back to the picker", key="ctrl+d", footer="Delete", id="partner.delete", also=("remove",)),
    ]
    BINDINGS = bindings(ACTIONS)

    def __init__(self, partner: str) -> None:
        super().__init__()
        self.partner = normalize_name(partner)
        self.record: PartnerRecord | None = None
        self.problem = ""
        self.changed = False

    def compose(self) -> ComposeResult:
        yield CurtainMarker()
        with Vertical(id="partner"):
            yield Label(id="partner-title")
            yield StatusLine(id="partner-status")
            yield Static(id="partner-problem")
            yield RecordList(id="items")
        yield KeyBar()

    def on_mount(self) -> None:
        self.say_title(f"coach · partner · {self.partner}")
        follow(self, "privacy", self.show, init=False)
        self.reload()

    # -- reading and showing ---------------------------------------------------------------------
    @property
    def today(self) -> date:
        return self.app.clock.wall().date()

    def reload(self) -> None:
        """Read the partner file again and show it; a broken file shows its problem, and no item."""
        try:
            self.record, self.problem = load_record(self.partner), ""
        except ProblemsError as error:
            self.record = None
            self.problem = "\n".join(map(str, error.problems)) + (
                "\nThis partner file could not be read: fix the line above, then open the record again.")
        self.show()

    def show(self) -> None:
        hidden = self.app.privacy
        self.query_one("#partner-title", Label).update(line(f"Partner · {self.partner}"))
        problem = self.query_one("#partner-problem", Static)
        problem.display = bool(self.problem)
        problem.update(plain(PROBLEM_HIDDEN if hidden else self.problem))
        status = self.query_one(StatusLine)
        status.rest(counts(self.record) if self.record is not None else "")
        status.curtain(hidden)
        self.query_one(RecordList).show(self.record, self.today, hidden)
        self.refresh_bindings()

    def say(self, text: str, *, hidden: str | None = None, error: bool = False) -> None:
        """A word on the status line; it stays until the next one. Behind the curtain, an error (which
        may quote the file) says only that something was not done."""
        if error and hidden is None:
            hidden = "Not done: F2 lifts the curtain to see why"
        self.query_one(StatusLine).say(text, 0.0, float("inf"), hidden=hidden, severity="error" if error else
                                       "information")

    def on_option_list_option_highlighted(self) -> None:
        self.refresh_bindings()  # the footer dims what the highlighted item cannot do

    # -- what can be done now ----------------------------------------------------------------------
    @property
    def item(self) -> Item | None:
        return self.query_one(RecordList).highlighted_item if self.is_mounted else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        item = self.item
        if action in ("edit", "forget"):
            return item is not None or None
        if action == "redate":
            return (item is not None and item.kind in ("fact", "commitment")) or None
        if action == "status":
            return (item is not None and item.kind in ("goal", "commitment")) or None
        return True

    def locked(self, *names: str) -> str | None:
        """Why the partner cannot be renamed, merged or deleted now (a meeting with them is under
        way, or waits to be resumed: its summary would bring the old name back)."""
        if self.app.read_only is not None:
            return f"Read-only here: {self.app.read_only}"
        busy = self.app.meeting or self.app.pending_draft
        if busy is not None and normalize_name(busy.partner) in {self.partner, *map(normalize_name, names)}:
            return f"Not while a meeting with {busy.partner} is unfinished: save it first"
        return None

    # -- changing an item --------------------------------------------------------------------------
    def ref(self, item: Item) -> partner_edit.ItemRef:
        return partner_edit.ItemRef(item.kind, item.index)

    def attempt(self, change: Callable[[], object]) -> str | None:
        """Make a change on disk; None when done (the list is read again), else what went wrong."""
        if self.app.read_only is not None:
            return f"Read-only here: {self.app.read_only}"
        try:
            change()
        except partner_edit.EditError as error:
            return str(error)
        except ProblemsError as error:
            self.reload()  # the file broke meanwhile: its problem shows, nothing is edited
            return "\n".join(map(str, error.problems))
        except OSError as error:
            return f"Not saved: {error.strerror or error}"
        self.changed = True
        self.reload()
        return None

    def done(self, problem: str | None, said: str, hidden: str | None = None) -> None:
        if problem is None:
            self.say(said, hidden=hidden)
        else:
            self.say(problem, error=True)

    def action_edit(self) -> None:
        if (item := self.item) is None:
            return
        ref = self.ref(item)

        def apply(typed: str) -> str | None:
            text = " ".join(typed.split())
            if not text:
                return "Type something, or press Esc to keep it as it was."
            problem = self.attempt(lambda: partner_edit.edit(self.partner, ref, text=text, expect=item.text,
                                                                   now=self.app.clock.wall()))
            if problem is None:
                self.say(f"Changed {item.label}: {text}", hidden=f"Changed {item.label}")
            return problem

        self.app.push_screen(EditText(f"Edit {KIND_NAMES[item.kind]} {item.label}", f"The {item.kind}, as it "
                                      "should read:", item.text, apply))

    def action_redate(self) -> None:
        if (item := self.item) is None or self.record is None or item.kind == "goal":
            return
        ref = self.ref(item)
        if item.kind == "fact":
            current, question = self.record.facts[item.index].learned, "When did you learn it? (YYYY-MM-DD)"
        else:
            current, question = self.record.commitments[item.index].due, "When is it due? (YYYY-MM-DD, blank: no date)"

        def apply(typed: str) -> str | None:
            try:
                when = date.fromisoformat(typed.strip()) if typed.strip() else None
            except ValueError:
                return f"“{typed.strip()}” is not a date: use YYYY-MM-DD, e.g. {self.today.isoformat()}"
            problem = self.attempt(lambda: partner_edit.edit(self.partner, ref, when=when, expect=item.text,
                                                                   now=self.app.clock.wall()))
            if problem is None:
                self.say(f"{item.label}: " + (day(when) if when else "no date"))
            return problem

        self.app.push_screen(EditText(f"Re-date {item.label}", question, current.isoformat() if current else "",
                                      apply, placeholder="YYYY-MM-DD", private=False))

    def action_status(self) -> None:
        if (item := self.item) is None or self.record is None or item.kind == "fact":
            return
        if item.kind == "goal":
            statuses, current = GOAL_STATUSES, self.record.goals[item.index].status
        else:
            statuses, current = COMMITMENT_STATUSES, self.record.commitments[item.index].status
        ref = self.ref(item)

        def chosen(value: str | None) -> None:
            if value is None or value == current.value:
                return
            status = Status(value)
            problem = self.attempt(lambda: partner_edit.edit(self.partner, ref, status=status, expect=item.text,
                                                                   today=self.today, now=self.app.clock.wall()))
            self.done(problem, f"{item.label}: {status.value}")

        choices = [(s.value, STATUS_NAMES[s] + (" (now)" if s is current else "")) for s in statuses]
        self.app.push_screen(ChooseOne(f"Status of {item.label}", f"Where does this {item.kind} stand?", choices,
                                       current.value), chosen)

    def action_forget(self) -> None:
        if (item := self.item) is None:
            return
        ref = self.ref(item)
        what = f"{item.label}" if self.app.privacy else f"“{item.text}”"

        def answered(yes: bool | None) -> None:
            if yes:
                problem = self.attempt(lambda: partner_edit.forget(self.partner, ref, expect=item.text,
                                                                       now=self.app.clock.wall()))
                self.done(problem, f"Forgot {item.label}: {item.text}", hidden=f"Forgot {item.label}")

        self.app.push_screen(Confirm(f"Forget this {item.kind}?", f"{what} goes from {self.partner}'s file. The "
                                     "summaries already written keep it.", yes="Forget"), answered)

    # -- the whole partner ---------------------------------------------------------------------------
    def action_rename(self) -> None:
        if (why := self.locked()) is not None:
            self.say(why, hidden=why, error=True)
            return

        def apply(typed: str) -> str | None:
            new = normalize_name(typed)
            if not new:
                return "Type their name, or press Esc to keep it."
            if problem := name_problem(new):
                return f"{problem[:1].upper()}{problem[1:]}."
            if new == self.partner:
                return None
            old = self.partner
            problem = self.attempt(lambda: partner_edit.rename(old, new, self.app.clock.wall()))
            if problem is None:
                self.partner = new
                self.reload()
                self.say(f"Renamed {old} to {new}")
            return problem

        self.app.push_screen(EditText("Rename partner", "Their name as it should be:", self.partner, apply,
                                      private=False))

    def action_merge(self) -> None:
        if (why := self.locked()) is not None:
            self.say(why, hidden=why, error=True)
            return
        self.find_others()

    @work(thread=True, exclusive=True, group="partner-merge")
    def find_others(self) -> None:
        """Everyone else known (the history index may need a look): off the UI thread."""
        found, _problems = known_partners()
        others = [p.name for p in found if p.name != self.partner]
        self.app.call_from_thread(self._choose_other, others)

    def _choose_other(self, others: list[str]) -> None:
        if not self.on_stack:  # closed meanwhile: no dialog over another screen
            return
        if not others:
            self.say("There is no other partner to merge with")
            return
        self.app.push_screen(ChooseOne("Merge partners", f"Whose record moves into {self.partner}'s?",
                                       [(name, name) for name in others]), self._merge_chosen)

    def _merge_chosen(self, other: str | None) -> None:
        if other is None:
            return
        if (why := self.locked(other)) is not None:
            self.say(why, hidden=why, error=True)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                problem = self.attempt(lambda: partner_edit.merge(self.partner, other, self.app.clock.wall()))
                self.done(problem, f"Merged {other} into {self.partner}")

        self.app.push_screen(Confirm("Merge partners?", f"{other}'s facts, goals, commitments and meetings move "
                                     f"to {self.partner}; {other}'s file is moved aside, not destroyed.",
                                     yes="Merge"), answered)

    def action_delete_partner(self) -> None:
        if (why := self.locked()) is not None:
            self.say(why, hidden=why, error=True)
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            problem = self.attempt(lambda: partner_edit.delete(self.partner, self.app.clock.wall()))
            if problem is not None:
                self.say(problem, error=True)
                return
            self.notify(f"{self.partner} was deleted: their file is moved aside, and past summaries stay.")
            self.dismiss(PartnerOutcome(None, True))

        self.app.push_screen(Confirm("Delete partner?", f"{self.partner}'s file is moved aside (not destroyed); "
                                     "summaries already written stay.", yes="Delete"), answered)

    def action_back(self) -> None:
        self.dismiss(PartnerOutcome(self.partner, self.changed))

