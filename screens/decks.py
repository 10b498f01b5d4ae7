"""Decks and templates: where each comes from, a preview, and editing in $EDITOR."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from coach.model import Deal, Deck, DeckKind, Template
from coach.problems import Problem
from coach.prompts import Library
from coach.text import one_line, visible
from screens.commands import Command, CommandScreen, bindings
from screens.follow import follow
from screens.messages import EditPromptFile, ReloadPrompts
from screens.widgets.hanging import Hanging, HangingStatic
from screens.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from coach.app import CoachApp

NARROW = 80
"""Below this many columns the list of decks sits above the preview instead of beside it."""
MARK = "⚠ "
"""Before the name of a deck or template whose file has a problem."""
TROUBLE = "bold yellow"
KINDS: tuple[tuple[Literal["decks", "templates"], str], ...] = (("decks", "Decks"), ("templates", "Templates"))


@dataclass
class Entry:
    """One line of the list: a deck or template, or a file that did not load; and its file's problems."""

    kind: Literal["decks", "templates"]
    item: Deck | Template | None
    path: Path | None
    problems: list[Problem] = field(default_factory=list)
    kept: bool = False
    """The file did not load as it is now: `item` is its last good version."""

    @property
    def name(self) -> str:
        return self.item.id if self.item is not None else self.path.stem if self.path is not None else "?"

    def prompt(self) -> Text:
        item = self.item
        if item is None:
            what = "not loaded"
        else:
            if isinstance(item, Deck):
                noun = "tip" if item.kind is DeckKind.TIPS else "card"
                size = f"{len(item.cards)} {noun}{'s' if len(item.cards) != 1 else ''}"
            else:
                size = f"{item.planned_seconds / 60:g} min"
            what = f"{size} · {'built-in' if item.builtin else 'yours'}"
        mark = (MARK, TROUBLE) if self.problems else ""
        return Text.assemble(mark, f"{one_line(self.name)}  ", (what, "dim"))


def problems_text(entry: Entry, text: Hanging) -> None:
    """What is wrong with the entry's file, every problem at its place, and what coach does meanwhile."""
    heading = "This file has a problem" if len(entry.problems) == 1 else f"This file has {len(entry.problems)} problems"
    text.add(heading, style=TROUBLE, marker=MARK)
    for problem in entry.problems:
        text.add(visible(str(problem)), indent=2, marker="• ")
    if entry.item is None:
        text.add("Not loaded: fix it (e opens it) and coach reads it again (r, or when next used).", style="italic")
    elif entry.kept:
        text.add("The last good version, below, stays in use until the file is fixed.", style="italic")
    text.blank()


DEALT = {Deal.ONCE: "once per partner", Deal.EVERY_MEETING: "every meeting"}
"""How a card that is not dealt in rotation says so in the preview."""


def preview(entry: Entry) -> Hanging:
    """A deck's cards or a template's phases, with where the file is; first, its file's problems."""
    text = Hanging()
    if entry.problems:
        problems_text(entry, text)
    item = entry.item
    if item is None:
        return text
    text.add(one_line(item.title), style="bold")
    source = "built-in" if item.builtin else "yours"
    text.add(one_line(f"{item.id} · {source}"), style="dim")
    text.add(one_line(str(item.path)), style="dim")
    if item.description:
        text.add(visible(item.description), style="italic")
    text.blank()
    if isinstance(item, Deck):
        if item.kind is DeckKind.TIPS:
            text.add("Reminders for you: shown in prep, at phase starts and in help, never dealt as cards.",
                     style="dim italic")
        for number, card in enumerate(item.cards, 1):
            text.add(visible(card.text), marker=Text(f"{number:>3}. ", style="dim"))
            if card.tip:
                text.add(visible(card.tip), style="dim italic", indent=5)
            if card.deal is not Deal.ROTATION:
                text.add(DEALT[card.deal], style="dim", indent=5)
    else:
        for number, phase in enumerate(item.phases, 1):
            text.add(Text.assemble((one_line(f"{phase.title} · {phase.minutes:g} min"), "bold"),
                                   (one_line(f"  decks: {', '.join(phase.decks) or '—'}"), "dim")),
                     marker=Text(f"{number}. ", style="bold"))
            if phase.purpose:
                text.add(one_line(phase.purpose), style="italic", indent=3)
    return text


def entries(library: Library, kind: Literal["decks", "templates"]) -> list[Entry]:
    """The decks (or templates) in use, by id, then the files of that kind that did not load."""
    by_file = library.problems_by_file()
    items: list[Deck | Template] = [*library.decks.values()] if kind == "decks" else [*library.templates.values()]
    listed = [Entry(kind, item, item.path, by_file.pop(item.path, []) if item.path else [],
                    kept=item.path in library.refused) for item in sorted(items, key=lambda i: i.id)]
    return listed + [Entry(kind, None, path, problems) for path, problems in sorted(by_file.items())
                     if library.kind_of_file(path) == kind and any(not p.warning for p in problems)]


LOOK_EVERY = 1.0
"""Seconds between two looks at the files while the Decks screen is open."""


class DecksScreen(CommandScreen):
    """Browse decks and templates; `e` opens the highlighted one in your editor."""

    app: CoachApp
    CSS_PATH = "decks.tcss"
    AUTO_FOCUS = "#items"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-roomy")]
    ACTIONS = [
        Binding("escape", "back", "Back", id="decks.back"),
        Command("Edit deck or template", "edit", "Open the highlighted file in $VISUAL / $EDITOR", key="e",
                footer="Edit", id="decks.edit"),
        Command("Reload decks", "reload", "Read the deck and template files again", key="r", footer="Reload",
                id="decks.reload"),
    ]
    BINDINGS = bindings(ACTIONS)

    def compose(self) -> ComposeResult:
        yield Label("Decks and templates · e edit · r reload · Esc back", id="decks-title")
        with Horizontal(id="decks-body"):
            yield OptionList(id="items")
            with VerticalScroll(id="preview-box"):
                yield HangingStatic(id="preview")
        yield KeyBar()

    def on_mount(self) -> None:
        self.say_title("coach · decks")
        self._listed: dict[str, Entry] = {}  # option id -> what it shows
        follow(self, "library", self.show_items)
        # While the list is open, a file saved in another window shows up (or its problem) by itself;
        # the look is a few stats, and the app's clock decides when the files are looked at again.
        self.set_interval(LOOK_EVERY, self.look_for_edits)

    def look_for_edits(self) -> None:
        self.app.post_message(ReloadPrompts(force=False))

    def on_screen_resume(self) -> None:
        self.app.post_message(ReloadPrompts(force=False))  # files edited meanwhile show up (or their problems)

    @property
    def highlighted(self) -> Entry | None:
        options = self.query_one("#items", OptionList)
        key = options.highlighted_option.id if options.highlighted_option else None
        return self._listed.get(key) if key else None

    def show_items(self) -> None:
        options = self.query_one("#items", OptionList)
        before = self.highlighted
        options.clear_options()
        self._listed = {}
        for kind, heading in KINDS:
            options.add_option(Option(Text(heading, style="bold underline"), disabled=True))
            for entry in entries(self.app.library, kind):
                noun = kind[:-1]  # option ids: deck:ID, template:ID, and deck-file:PATH for a file that did not load
                key = f"{noun}:{entry.item.id}" if entry.item is not None else f"{noun}-file:{entry.path}"
                options.add_option(Option(entry.prompt(), id=key))
                self._listed[key] = entry
        keys = list(self._listed)
        again = [key for key, entry in self._listed.items()
                 if before is not None and (entry.kind, entry.name) == (before.kind, before.name)] or [
                 key for key, entry in self._listed.items() if before is not None and entry.path == before.path]
        options.highlighted = options.get_option_index(again[0]) if again else 1 if keys else None
        self._preview()

    @on(OptionList.OptionHighlighted, "#items")
    def _preview(self) -> None:
        entry = self.highlighted
        self.query_one("#preview", Static).update(preview(entry) if entry else "")

    def action_edit(self) -> None:
        entry = self.highlighted
        if entry is None:
            return
        if entry.item is not None:
            self.app.post_message(EditPromptFile(entry.kind, entry.item.id, entry.item.path))
        elif entry.path is not None:  # a file that did not load: opened as it is
            self.app.post_message(EditPromptFile(entry.kind, entry.path.stem, entry.path))

    def action_reload(self) -> None:
        self.app.post_message(ReloadPrompts())

    def action_back(self) -> None:
        self.app.pop_screen()
