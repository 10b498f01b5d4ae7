"""Decks and templates: where each comes from, a preview, and editing in $EDITOR."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from coach.model import Deck, Template
from coach.text import one_line, plural, visible
from screens.commands import Command, CommandScreen, bindings
from screens.messages import EditPromptFile, ReloadPrompts

if TYPE_CHECKING:
    from coach.app import CoachApp

NARROW = 80
"""Below this many columns the list of decks sits above the preview instead of beside it."""


def preview(item: Deck | Template) -> Text:
    """A deck's cards or a template's phases, with where the file is."""
    text = Text()
    text.append(f"{one_line(item.title)}\n", style="bold")
    source = "built-in" if item.builtin else "yours"
    text.append(one_line(f"{item.id} · {source} · {item.path}") + "\n", style="dim")
    if item.description:
        text.append(f"{visible(item.description)}\n", style="italic")
    text.append("\n")
    if isinstance(item, Deck):
        for number, card in enumerate(item.cards, 1):
            text.append(f"{number:>3}. ", style="dim")
            text.append(f"{visible(card.text)}\n")
            if card.tip:
                text.append(f"     {visible(card.tip)}\n", style="dim italic")
    else:
        for number, phase in enumerate(item.phases, 1):
            text.append(one_line(f"{number}. {phase.title} · {phase.minutes:g} min"), style="bold")
            text.append(one_line(f"  decks: {', '.join(phase.decks) or '—'}") + "\n", style="dim")
    return text


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
                yield Static(id="preview")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "library", self.show_items)

    def _item(self, key: str | None) -> Deck | Template | None:
        return self._listed.get(key) if key else None

    def show_items(self) -> None:
        options = self.query_one("#items", OptionList)
        highlighted = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        library = self.app.library
        self._listed: dict[str, Deck | Template] = {}  # option id -> what it shows
        decks: list[Deck | Template] = sorted(library.decks.values(), key=lambda d: d.id)
        templates: list[Deck | Template] = sorted(library.templates.values(), key=lambda t: t.id)
        for kind, heading, items in (("deck", "Decks", decks), ("template", "Templates", templates)):
            options.add_option(Option(Text(heading, style="bold underline"), disabled=True))
            for item in items:
                if isinstance(item, Deck):
                    size = plural(len(item.cards), "card")
                else:
                    size = f"{item.planned_seconds / 60:g} min"
                source = "built-in" if item.builtin else "yours"
                options.add_option(Option(Text.assemble(f"{one_line(item.id)}  ", (f"{size} · {source}", "dim")),
                                          id=f"{kind}:{item.id}"))
                self._listed[f"{kind}:{item.id}"] = item
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index(highlighted) if highlighted in ids else 1
        self._preview()

    @on(OptionList.OptionHighlighted, "#items")
    def _preview(self) -> None:
        options = self.query_one("#items", OptionList)
        item = self._item(options.highlighted_option.id if options.highlighted_option else None)
        self.query_one("#preview", Static).update(preview(item) if item else "")

    def action_edit(self) -> None:
        options = self.query_one("#items", OptionList)
        key = options.highlighted_option.id if options.highlighted_option else None
        item = self._item(key)
        if item is None:
            return
        noun: Literal["decks", "templates"] = "decks" if isinstance(item, Deck) else "templates"
        self.app.post_message(EditPromptFile(noun, item.id, item.path))

    def action_reload(self) -> None:
        self.app.post_message(ReloadPrompts())

    def action_back(self) -> None:
        self.app.pop_screen()
