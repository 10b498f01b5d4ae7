"""Find, load and check decks and templates: built-in ones from `prompts/`, the user's own
from `<config dir>/decks` and `<config dir>/templates`. A user file with a built-in's id
replaces the built-in. A file that fails to load is skipped and reported with its position.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path

from coach.cards import MEMORY_DECK, find_deck
from coach.library import Library, prompt_files, stamp
from coach.model import Card, Deal, Deck, DeckKind, PhasePlan, Template
from coach.problems import Checker, Problem, ProblemsError, did_you_mean, kind_of, locate
from coach.prompt_toml import PromptChecker, read_prompt_toml
from coach.store import config_dir

MAX_MINUTES = 600


CheckOne = Callable[[Path, bool], tuple[Deck | Template | None, list[Problem]]]
"""`check_deck` or `check_template`."""


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


DECK_KEYS = ("schema", "id", "title", "description", "kind", "cards")
CARD_KEYS = ("text", "id", "tip", "tags", "deal")
TEMPLATE_KEYS = ("schema", "id", "title", "description", "phases")
PHASE_KEYS = ("id", "title", "minutes", "decks", "purpose")


def _choice(check: Checker, doc: dict, key: str, choices: type[StrEnum], default: StrEnum,
            table: str | None = None, index: int = 0) -> StrEnum:
    """A key whose value is one word of `choices` (`default` when absent or wrong, the latter an error)."""
    value = doc.get(key)
    if value is None:
        return default
    known = [choice.value for choice in choices]
    where = f"[[{table}]] #{index + 1}: " if table else ""
    if isinstance(value, str) and value.strip() in known:
        return choices(value.strip())
    if isinstance(value, str):
        check.add(f"{where}`{key}` is {value!r}{did_you_mean(value, known, 'one of', quote=True)}",
                  table, index, key)
    else:
        check.add(f"{where}`{key}` must be one of {', '.join(repr(k) for k in known)}, not {kind_of(value)}",
                  table, index, key)
    return default


def _unknown_keys(check: Checker, doc: dict, allowed: tuple[str, ...], table: str | None = None,
                  index: int = 0) -> None:
    """A warning for each key coach does not know, with the closest known key."""
    for key in doc:
        if key in allowed:
            continue
        where = f"[[{table}]] #{index + 1}: " if table else ""
        check.warn(f"{where}unknown key `{key}`{did_you_mean(key, allowed, 'known keys')}", table, index, key)


def _duplicates(check: Checker, rows: list[dict], table: str, key: str) -> None:
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        value = row.get(key)
        if isinstance(value, str) and value:
            if value in seen:
                check.add(f"[[{table}]] #{i + 1}: `{key}` {value!r} is already used by #{seen[value] + 1}",
                          table, i, key)
            seen.setdefault(value, i)


def _start(path: Path, kind: str) -> tuple[dict, Checker, tuple[str, str, str]]:
    """The file's document, its checker (holding the file's syntax problems, every one), and its
    id, title and description (checked)."""
    read = read_prompt_toml(path)
    if not read.text.strip():
        raise ProblemsError([Problem(path, 1, 1, f"the file is empty: a {kind} needs `schema = 1`, `id`, "
                                     f"`title` and its {'[[cards]]' if kind == 'deck' else '[[phases]]'}")])
    check = PromptChecker(path, read)
    return read.doc, check, _header(check, read.doc)


def check_deck(path: Path, builtin: bool = False) -> tuple[Deck | None, list[Problem]]:
    """Load one deck file: the deck (None when there are errors) and every problem, warnings too."""
    try:
        doc, check, (deck_id, title, description) = _start(path, "deck")
    except ProblemsError as error:
        return None, error.problems
    if deck_id == MEMORY_DECK:
        check.add(f"the id `{MEMORY_DECK}` is reserved for the cards coach makes from what you remember; "
                  "choose another", key="id")
    _unknown_keys(check, doc, DECK_KEYS)
    kind = _choice(check, doc, "kind", DeckKind, DeckKind.CARDS)
    cards = []
    rows = check.tables(doc, "cards")
    for i, row in enumerate(rows):
        _unknown_keys(check, row, CARD_KEYS, "cards", i)
        card_text = check.text_value(row, "text", "cards", i)
        tags = row.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            check.add(f"[[cards]] #{i + 1}: `tags` must be a list of text", "cards", i, "tags")
            tags = []
        cards.append(Card(text=card_text, id=check.text_value(row, "id", "cards", i, required=False),
                          tip=check.text_value(row, "tip", "cards", i, required=False),
                          tags=tuple(tags), deck=deck_id,
                          deal=Deal(_choice(check, row, "deal", Deal, Deal.ROTATION, "cards", i))))
    _duplicates(check, rows, "cards", "id")
    return check.result(Deck(deck_id, title, tuple(cards), description, path, builtin, DeckKind(kind)))


def check_template(path: Path, builtin: bool = False,
                   known_decks: Mapping[str, Deck] | None = None) -> tuple[Template | None, list[Problem]]:
    """Load one template file: the template (None when there are errors) and every problem; with
    `known_decks`, also the phases' decks that do not exist or hold tips (all problems in one pass)."""
    try:
        doc, check, (template_id, title, description) = _start(path, "template")
    except ProblemsError as error:
        return None, error.problems
    _unknown_keys(check, doc, TEMPLATE_KEYS)
    phases = []
    rows = check.tables(doc, "phases")
    for i, row in enumerate(rows):
        _unknown_keys(check, row, PHASE_KEYS, "phases", i)
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
        purpose = check.text_value(row, "purpose", "phases", i, required=False)
        phases.append(PhasePlan(phase_id, phase_title, float(minutes), tuple(decks), purpose))
    _duplicates(check, rows, "phases", "id")
    template = Template(template_id, title, tuple(phases), description, path, builtin)
    if known_decks is not None:
        check.problems.extend(missing_decks(template, known_decks))
    return check.result(template)


def unknown_template(template_id: str | None, library: Library) -> str | None:
    """What to say when `template_id` is given but names no template; None when all is well."""
    if template_id is None or template_id in library.templates:
        return None
    return f"unknown template {template_id!r}; known templates: {', '.join(sorted(library.templates)) or 'none'}"


def _load_folder(folder: Path, check: CheckOne, builtin: bool, into: dict, library: Library) -> None:
    if not folder.is_dir():
        return
    first_path: dict[str, Path] = {}
    for path in prompt_files(folder):
        library.stamps[path] = stamp(path)
        item, problems = check(path, builtin)
        library.problems.extend(problems)
        if item is None:
            library.refused.add(path)
            continue
        if item.id in first_path:
            library.problems.append(id_taken(path, item.id, first_path[item.id], "; this file is skipped"))
            library.refused.add(path)
            continue
        first_path[item.id] = path
        into[item.id] = item  # user folders load after built-ins, so their ids win


def id_taken(path: Path, item_id: str, first: Path, then: str = "") -> Problem:
    """A file whose id an earlier file already has, pointed at its `id` line."""
    line, col = locate(path.read_text(encoding="utf-8", errors="replace"), key="id")
    return Problem(path, line, col, f"id {item_id!r} is also used by {first}{then}")


def missing_decks(template: Template, decks: Mapping[str, Deck]) -> list[Problem]:
    """A phase may name a deck that does not exist (an error), or a deck of tips, which is never
    dealt (a warning): one problem per such deck, at its line."""
    problems: list[Problem] = []
    text = None
    for i, phase in enumerate(template.phases):
        for deck_id in phase.decks:
            deck = find_deck(deck_id, decks)
            if template.path is None or (deck is not None and deck.kind is DeckKind.CARDS):
                continue
            if text is None:
                text = template.path.read_text(encoding="utf-8", errors="replace")
            line, col = locate(text, "phases", i, "decks")
            if deck is None:
                problems.append(Problem(template.path, line, col, f"phase `{phase.id}` names deck "
                                        f"`{deck_id}`, which does not exist; its cards are left out"))
            else:
                problems.append(Problem(template.path, line, col, f"phase `{phase.id}` names deck `{deck_id}`, "
                                        "which holds tips: they are shown when a phase starts, not dealt as "
                                        "cards", warning=True))
    return problems


def load_library(user_root: Path | None = None, references: bool = True) -> Library:
    """Load built-in decks and templates, then the user's, which override by id."""
    library = Library()
    user_root = user_root if user_root is not None else config_dir()
    for root, builtin in ((builtin_dir(), True), (user_root, False)):
        library.folders += [root / "decks", root / "templates"]
        _load_folder(root / "decks", check_deck, builtin, library.decks, library)
        _load_folder(root / "templates", check_template, builtin, library.templates, library)
    if references:
        _check_references(library)
    return library


def _check_references(library: Library) -> None:
    for template in library.templates.values():
        library.problems.extend(missing_decks(template, library.decks))


def reload_library(old: Library, user_root: Path | None = None) -> Library:
    """Load again after an edit; a deck or template whose new version is broken keeps its
    last good version, so a half-saved file never takes cards away mid-meeting."""
    new = load_library(user_root, references=False)
    broken = {p.path for p in new.errors}
    for kind in ("decks", "templates"):
        fresh, before = getattr(new, kind), getattr(old, kind)
        for item_id, item in before.items():
            if item.path in broken:  # also when a built-in of the same id would take its place
                fresh[item_id] = item
    _check_references(new)
    return new
