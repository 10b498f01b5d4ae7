"""Who are you meeting? Type a name or pick a known partner, most recent first.

The list is filtered by the name matcher every place a name is typed uses (`coach.names`): `zoe`
or `Zo` finds Zoë O'Brien. Enter picks the only match, makes a new partner when none matches, and
goes to the list when several do. A new partner whose name starts a known one is an explicit
choice: the list's last row, `New partner: Zo`.

With a calendar (`calendar` in config.toml), the next meetings with partners in the coming day
top the list, then 1:1s with someone new (`New: Sam Lee`); Enter on one opens prep planned to that
slot. The calendar is read in a worker: the picker shows at once, and these rows when it is read."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist
from textual.worker import get_current_worker

from coach.text import cut, name_problem
from screens.commands import Command, CommandScreen, bindings
from screens.messages import OpenHistory, OpenPartner, OpenPrep
from screens.safe import cut_to, line, one_line
from screens.widgets.key_bar import KeyBar
from screens.widgets.known_list import KnownList

# The partners and the calendar are read after the first frame: their modules are imported then.
if TYPE_CHECKING:
    from coach.app import CoachApp
    from coach.calendar import Slot
    from coach.partners import Partner
    from coach.problems import Problem

WITHIN = timedelta(hours=24)
"""How far ahead the picker looks in the calendar."""
SLOT_NAME = 16
"""Characters of a name a calendar row keeps, at the least, when the row is too long for the list."""


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

    NEW = "new-partner"
    """The id of the list's `New partner: …` row."""
    SLOT = "slot-"
    """The ids of the calendar's rows start so."""

    def __init__(self, typed: str = "", why: str = "") -> None:
        """`typed` starts in the name field; `why` says why the picker is shown (until it is edited)."""
        super().__init__()
        self.partners: list[Partner] = []
        self.slots: list[Slot] = []  # from the calendar, once read: partners' meetings first, then new people's
        self.calendar_read = False
        self.partners_read = False  # the list is read in a thread after the first frame
        self.typed, self.why = typed, why

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Who are you meeting?", id="picker-title")
            name = Input(self.typed, placeholder="Type a name, then Enter", id="name", select_on_focus=False)
            name.cursor_blink = False  # idle CPU beside a video call
            yield name
            yield Label("", id="picker-hint")
            yield KnownList(id="known")
        yield KeyBar()

    def on_mount(self) -> None:
        self.say_title("coach")
        if not self.app.config.calendar:
            self.calendar_read = True
        self.app.after_first_frame(self._read_files)

    def _read_files(self) -> None:
        """Partners and calendar are read in threads once the first frame is drawn: a thread started
        before it would hold up the frame (they share one interpreter lock)."""
        if not self.on_stack:  # a partner was picked meanwhile
            return
        self.load_partners()
        if self.app.config.calendar:
            self.load_calendar()

    @work(thread=True, exclusive=True)
    def load_partners(self) -> None:
        from coach.partners import known_partners

        found, problems = known_partners()
        self.app.call_from_thread(self._loaded, found, problems)

    def _loaded(self, found: list[Partner], problems: list[Problem]) -> None:
        if not self.on_stack or self.partners_read:  # a partner was picked, or the list read, meanwhile
            return
        self.partners_read = True
        self.partners = found
        self.app.say_skipped(problems)
        self._filter(self.query_one("#name", Input).value)

    @work(thread=True, exclusive=True, group="calendar")
    def load_calendar(self) -> None:
        """The meetings of the next `WITHIN` (a big calendar not cached yet takes seconds: never
        before the first frame)."""
        from coach.calendar import upcoming
        from coach.config import config_path
        from coach.problems import Problem

        try:
            slots, problems = upcoming(self.app.clock.wall(), WITHIN, self.app.config)
        except Exception as error:  # a flaw in reading one's calendar must never cost the picker
            slots, problems = [], [Problem(config_path(), 1, 1, f"calendar: could not be read ({error})")]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._calendar_loaded, slots, problems)

    def _calendar_loaded(self, slots: list[Slot], problems: list[Problem]) -> None:
        if not self.on_stack:  # a partner was picked meanwhile
            return
        self.slots = sorted(slots, key=lambda slot: slot.partner is None)  # stable: soonest first in each
        self.calendar_read = True
        self.app.say_calendar(problems)
        self._filter(self.query_one("#name", Input).value)
        if self.slots:  # `in 12 min` stays true while the picker waits
            self.set_interval(60, lambda: self._filter(self.query_one("#name", Input).value))

    @on(Input.Changed, "#name")
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def matches(self, text: str) -> list[Partner]:
        """The known partners `text` finds, most recent first (all of them for no text)."""
        if not text.strip():
            return list(self.partners)
        from coach.partners import find_named

        found = set(find_named(text, [p.name for p in self.partners]))  # a former name typed whole too
        return [p for p in self.partners if p.name in found]

    def slots_for(self, text: str) -> list[tuple[int, Slot]]:
        """The calendar's rows `text` finds by their partner's (or new person's) name; all for no text."""
        from coach.partners import find_named

        names = [slot.partner or slot.suggested or "" for slot in self.slots]
        found = set(find_named(text, names)) if text.strip() else set(names)
        return [(i, slot) for i, (slot, name) in enumerate(zip(self.slots, names, strict=True)) if name in found]

    def _slot_row(self, slot: Slot, now: datetime, width: int) -> Text:
        """`Zoë O'Brien · today 14:00, in 12 min · 30 min`; `New: Sam Lee · tomorrow 09:00 · 30 min`.

        One line in `width` columns: a long name is cut first (to no less than `SLOT_NAME`), then
        `in 12 min` goes, then the name is cut further."""
        from coach.calendar import slot_relative, slot_start

        length = f" · {round(slot.minutes)} min"
        head, name = ("", slot.partner) if slot.partner is not None else ("New: ", slot.suggested or "")
        soon = f", {slot_relative(slot, now)}" if slot.partner is not None else ""
        rest = f" · {slot_start(slot, now)}{soon}{length}"
        if len(head) + min(len(name), SLOT_NAME) + len(rest) > width:
            rest = f" · {slot_start(slot, now)}{length}"
        room = max(SLOT_NAME if len(head) + SLOT_NAME + len(rest) <= width else 6, width - len(head) - len(rest))
        return Text.assemble((head, "italic"), (cut(name, room), "bold" if not head else ""), (rest, "italic"))

    def _filter(self, text: str) -> None:
        from coach.calendar import slot_start
        from coach.partners import resolve

        options = self.query_one("#known", OptionList)
        was = options.highlighted_option.id if options.has_focus and options.highlighted_option else None
        options.clear_options()
        now = self.app.clock.wall()
        width = (options.content_size.width or self.app.size.width - 8) - 2  # less the scroll bar's room
        listed = self.slots_for(text)
        for index, slot in listed:
            options.add_option(Option(self._slot_row(slot, now, width), id=f"{self.SLOT}{index}"))
        matches = self.matches(text)
        if options.option_count and matches:
            options.add_option(None)  # a line between the calendar and the partners
        place = {id(p): index for index, p in enumerate(self.partners)}  # by place: two names may share a slug
        for partner in matches:
            when = f"{partner.last_meeting:%d %b %Y}" if partner.last_meeting else "no meetings yet"
            room = max(8, width - 2 - len(when))  # a long name is cut to its row, never wrapped over several
            options.add_option(Option(Text.assemble(cut_to(one_line(partner.name), room), ("  " + when, "dim")),
                                      id=f"partner-{place[id(partner)]}"))
        name = text.strip()
        invited = self._new_slot(name, listed) if name and not matches else None
        other = invited is not None and _key(invited.suggested or "") != _key(name)
        if name and (other or matches) and resolve(name, matches) not in {p.name for p in matches}:
            # a new partner of this name is still a choice (besides those listed)
            options.add_option(Option(Text.assemble(("New partner: ", "italic"),
                                                    cut_to(one_line(name), max(8, width - 13))), id=self.NEW))
        options.display = options.option_count > 0
        if was is not None:  # the calendar's rows came in above: the same row stays highlighted
            with contextlib.suppress(OptionDoesNotExist):
                options.highlighted = options.get_option_index(was)
        hint = self.query_one("#picker-hint", Label)
        hint.remove_class("-error")
        if self.why and text == self.typed:
            hint.update(line(self.why))
        elif invited is not None:
            hint.update(line(f"Enter: new partner {invited.suggested} for {slot_start(invited, now)}"
                             + (f" (“New partner: {name}” is below)" if other else "")))
        elif not self.partners:
            hint.update("No partners yet: type the name of the person you are meeting.")
        elif not name:
            hint.update("↓ to pick from the list")
        elif not matches:
            hint.update(line(f"Enter: new partner {name}"))
        elif len(matches) == 1:
            more = " · ↓ for a new partner" if any(o.id == self.NEW for o in options.options) else ""
            theirs = self._slot_of(matches[0].name)
            when = f" for {slot_start(theirs, now)}" if theirs is not None else ""
            hint.update(line(f"Enter picks {matches[0].name}{when}{more}"))
        else:
            hint.update(f"{len(matches)} partners match: type more, or ↓ to pick one")

    def _read_partners_now(self) -> None:
        """A name (or ↓) came before the thread had read the list: read it here, so a name typed
        whole finds its partner rather than making someone new of the same name."""
        if not self.partners_read:
            from coach.partners import known_partners

            self._loaded(*known_partners())

    @on(Input.Submitted, "#name")
    def _submitted(self, event: Input.Submitted) -> None:
        self._read_partners_now()
        name = event.value.strip()
        matches = self.matches(name)
        if not name or len(matches) > 1:
            self.action_to_list()
        elif matches:  # their meeting in the calendar, when it is listed: prep plans to it
            self.app.post_message(OpenPrep(matches[0].name, self._slot_of(matches[0].name)))
        elif (slot := self._new_slot(name)) is not None:
            self._open_slot(slot)  # the new person of an invitation, (part of) their name typed
        else:
            self._new_partner(name)

    def _new_slot(self, text: str, listed: list[tuple[int, Slot]] | None = None) -> Slot | None:
        """The one new person's meeting the typed `text` lists (when it lists one, and no partner)."""
        new = {slot.suggested: slot for _, slot in (listed if listed is not None else self.slots_for(text))
               if slot.partner is None}
        return next(iter(new.values())) if len(new) == 1 else None

    def _slot_of(self, name: str, new: bool = False) -> Slot | None:
        """The soonest listed meeting with the partner `name` (with the new person so named: `new`)."""
        return next((slot for slot in self.slots
                     if (slot.partner is None) == new and _key(slot.partner or slot.suggested or "") == _key(name)),
                    None)

    def _new_partner(self, name: str, slot: Slot | None = None) -> None:
        if problem := name_problem(name):
            hint = self.query_one("#picker-hint", Label)
            hint.update(line(f"{problem[:1].upper()}{problem[1:]}: type the name again."))
            hint.add_class("-error")
            self.query_one("#name", Input).focus()
            return
        from coach.partners import resolve

        self.app.post_message(OpenPrep(resolve(name, self.partners), slot))

    def _open_slot(self, slot: Slot) -> None:
        """Prep for the meeting in the calendar: the partner's, or a new partner's named as the invitation says."""
        if slot.partner is not None:
            self.app.post_message(OpenPrep(slot.partner, slot))
        else:
            self._new_partner((slot.suggested or "").strip(), slot)

    @on(OptionList.OptionSelected, "#known")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == self.NEW:
            self._new_partner(self.query_one("#name", Input).value.strip())
            return
        if (slot := self._slot(event.option.id)) is not None:
            self._open_slot(slot)
            return
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

    @on(KnownList.BackToName)
    def _back_to_name(self, event: KnownList.BackToName) -> None:
        name = self.query_one("#name", Input)
        name.focus()
        if event.text:
            name.insert_text_at_cursor(event.text)

    def action_to_list(self) -> None:
        self._read_partners_now()
        options = self.query_one("#known", OptionList)
        if options.option_count:
            options.focus()
            options.highlighted = 0

    def _slot(self, option_id: str | None) -> Slot | None:
        index = int(option_id.removeprefix(self.SLOT)) if option_id and option_id.startswith(self.SLOT) else -1
        return self.slots[index] if 0 <= index < len(self.slots) else None

    def _partner(self, option_id: str | None) -> Partner | None:
        if (slot := self._slot(option_id)) is not None:  # a partner's meeting in the calendar: that partner
            return next((p for p in self.partners if p.name == slot.partner), None)
        index = int(option_id.removeprefix("partner-")) if option_id and option_id.startswith("partner-") else -1
        return self.partners[index] if 0 <= index < len(self.partners) else None


def _key(name: str) -> str:
    """A name as the picker compares it: spaces and case aside."""
    return " ".join(name.split()).casefold()
