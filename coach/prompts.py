"""Find, load and check decks and templates: built-in ones from `prompts/`, the user's own
from `<config dir>/decks` and `<config dir>/templates`. A user file with a built-in's id
replaces the built-in. A file that fails to load is skipped and reported with its position.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from coach.model import Card, Deck, PhasePlan, Template
from coach.problems import Checker, Problem, ProblemsError, locate, read_toml
from coach.store import config_dir

DEFAULT_TEMPLATE = "standard"
MAX_MINUTES = 600


def builtin_dir() -> Path:
    """The built-in prompts: inside the installed wheel, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "prompts", here.parent / "prompts"):
        if (candidate / "templates").is_dir():
            return candidate
    return here / "prompts"


def _header(check: Checker, doc: dict) -> tuple[str, str, str]:
    check.schema(doc)
    return (check.text_value(doc, "id"), check.text_value(doc, "title"),
            check.text_value(doc, "description", required=False))


def parse_deck(path: Path, builtin: bool = False) -> Deck:
    """Load one deck file; raise ProblemsError listing everything wrong with it."""
    doc, text = read_toml(path)
    check = Checker(path, text)
    deck_id, title, description = _header(check, doc)
    cards = []
    for i, row in enumerate(check.tables(doc, "cards")):
        card_text = check.text_value(row, "text", "cards", i)
        tags = row.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            check.add(f"[[cards]] #{i + 1}: `tags` must be a list of text", "cards", i, "tags")
            tags = []
        cards.append(Card(text=card_text, id=check.text_value(row, "id", "cards", i, required=False),
                          tip=check.text_value(row, "tip", "cards", i, required=False),
                          tags=tuple(tags), deck=deck_id))
    if check.problems:
        raise ProblemsError(check.problems)
    return Deck(deck_id, title, tuple(cards), description, path, builtin)


def parse_template(path: Path, builtin: bool = False) -> Template:
    """Load one template file; raise ProblemsError listing everything wrong with it."""
    doc, text = read_toml(path)
    check = Checker(path, text)
    template_id, title, description = _header(check, doc)
    phases = []
    for i, row in enumerate(check.tables(doc, "phases")):
        phase_id = check.text_value(row, "id", "phases", i)
        phase_title = check.text_value(row, "title", "phases", i)
        minutes = row.get("minutes")
        if minutes is None:
            check.add(f"[[phases]] #{i + 1}: missing required key `minutes`", "phases", i)
            minutes = 0
        elif isinstance(minutes, bool) or not isinstance(minutes, int | float) or not 0 < minutes <= MAX_MINUTES:
            check.add(f"[[phases]] #{i + 1}: `minutes` must be a number above 0 and at most {MAX_MINUTES}, "
                      f"not {minutes!r}", "phases", i, "minutes")
            minutes = 0
        decks = row.get("decks", [])
        if not isinstance(decks, list) or not all(isinstance(d, str) for d in decks):
            check.add(f"[[phases]] #{i + 1}: `decks` must be a list of deck ids", "phases", i, "decks")
            decks = []
        phases.append(PhasePlan(phase_id, phase_title, float(minutes), tuple(decks)))
    if check.problems:
        raise ProblemsError(check.problems)
    return Template(template_id, title, tuple(phases), description, path, builtin)


@dataclass
class Library:
    """Every deck and template that loaded, and the problems with those that did not."""

    decks: dict[str, Deck] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def template(self, template_id: str | None) -> Template:
        return self.templates[template_id or DEFAULT_TEMPLATE]


def _load_folder(folder: Path, parse: Callable, builtin: bool, into: dict, problems: list[Problem]) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.toml")):
        try:
            item = parse(path, builtin)
        except ProblemsError as error:
            problems.extend(error.problems)
            continue
        into[item.id] = item  # user folders load after built-ins, so their ids win


def missing_decks(template: Template, deck_ids: Collection[str]) -> list[Problem]:
    """A phase may name a deck that does not exist: one problem per such deck, at its line."""
    problems: list[Problem] = []
    text = None
    for i, phase in enumerate(template.phases):
        for deck_id in phase.decks:
            if deck_id in deck_ids or template.path is None:
                continue
            if text is None:
                text = template.path.read_text(encoding="utf-8", errors="replace")
            line, col = locate(text, "phases", i, "decks")
            problems.append(Problem(template.path, line, col, f"phase `{phase.id}` names deck "
                                    f"`{deck_id}`, which does not exist; its cards are left out"))
    return problems


def load_library(user_root: Path | None = None) -> Library:
    """Load built-in decks and templates, then the user's, which override by id."""
    library = Library()
    user_root = user_root if user_root is not None else config_dir()
    for root, builtin in ((builtin_dir(), True), (user_root, False)):
        _load_folder(root / "decks", parse_deck, builtin, library.decks, library.problems)
        _load_folder(root / "templates", parse_template, builtin, library.templates, library.problems)
    for template in library.templates.values():
        library.problems.extend(missing_decks(template, library.decks))
    return library
