"""Subcommands that need no terminal UI: plain text out, problems as `PATH:LINE:COL: message`.

Nothing here imports Textual.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from coach.authoring import AuthoringError, check_id, editable_copy, new_file, run_editor
from coach.config import config_path, load_config, starter_text, template_problems
from coach.model import Deck, DeckKind, Template
from coach.problems import Problem, ProblemsError
from coach.prompts import (
    CheckOne,
    Library,
    builtin_dir,
    check_deck,
    check_template,
    id_taken,
    load_library,
    prompt_files,
    unknown_template,
)
from coach.store import config_dir, write_atomic
from coach.text import one_line, plural

if TYPE_CHECKING:
    from coach.partners import Partner


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register every subcommand on the top-level parser."""
    from coach.doctor_cli import add_doctor
    from coach.history_cli import add_history_commands
    from coach.next_cli import add_next
    from coach.partners_cli import add_partners_commands

    add_history_commands(commands)
    add_brief(commands)
    add_partners_commands(commands)
    add_next(commands)
    add_doctor(commands)
    for noun, check_one in (("decks", check_deck), ("templates", check_template)):
        group = commands.add_parser(noun, help=f"list and check {noun}",
                                    description=f"List and check {noun} (built-in and your own).")
        actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
        listing = actions.add_parser("list", help=f"list {noun}: id, title, source and path")
        listing.set_defaults(run=lambda args, noun=noun: list_items(noun))
        check = actions.add_parser("check", help=f"check {noun} files; exit 1 if any problem")
        check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                           help=f"files to check (default: all of your {noun})")
        check.set_defaults(run=lambda args, noun=noun, check_one=check_one: check_files(noun, check_one, args.paths))
        where = actions.add_parser("path", help=f"print the folder for your own {noun}")
        where.set_defaults(run=lambda args, noun=noun: print_path(config_dir() / noun))
        new = actions.add_parser("new", help=f"write a commented starter {noun[:-1]} and print its path")
        new.add_argument("name", metavar="NAME", help="its id: lower-case letters, digits and dashes")
        new.set_defaults(run=lambda args, noun=noun: new_item(noun, args.name))
        edit = actions.add_parser("edit", help=f"open a {noun[:-1]} in $VISUAL / $EDITOR, then check it")
        edit.add_argument("name", metavar="NAME", help=f"the id of the {noun[:-1]} (a built-in is copied first)")
        edit.set_defaults(run=lambda args, noun=noun, check_one=check_one: edit_item(noun, args.name, check_one))
    config = commands.add_parser("config", help="where the settings file is, and check it",
                                 description="config.toml: default template, theme, timer warning, sound.")
    config_actions = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    config_actions.add_parser("path", help="print the path of config.toml").set_defaults(
        run=lambda args: print_path(config_path()))
    config_actions.add_parser("check", help="check config.toml; exit 1 if any error").set_defaults(
        run=lambda args: check_config())
    config_actions.add_parser("new", help="write a commented config.toml with every default").set_defaults(
        run=lambda args: new_config())


def add_brief(commands: argparse._SubParsersAction) -> None:
    brief = commands.add_parser("brief", help="one page on a partner, to read before the call",
                                description="What coach remembers about a partner: last meeting, open "
                                "commitments and goals, facts, the kept rate and a pre-call checklist.")
    brief.add_argument("name", metavar="NAME", help="the partner's name, as shown by the partner picker")
    brief.add_argument("--template", metavar="ID", help="show this template's plan (default: standard)")
    brief.set_defaults(run=lambda args: print_brief(args.name, args.template))


def print_brief(name: str, template_id: str | None) -> int:
    """Print the partner's brief; unknown names exit 1 with the closest known names."""
    from datetime import date

    from coach import partners, summaries
    from coach.brief import brief_text, build_brief
    from coach.model import PartnerRecord
    from coach.store import slugify

    match, skipped = _partner_named(name)
    if match is None:
        return 1
    status = 0
    try:
        record = partners.load_record(match.name)
        if unread := partners.files_that_may_hold(match.name, skipped):
            raise ProblemsError(unread)
    except ProblemsError as error:  # the rest of the brief still helps: say what is missing, exit 1
        _report(error.problems)
        print("coach: what coach remembers about them is not shown until the line above is fixed",
              file=sys.stderr)
        record, status = PartnerRecord(name=match.name, slug=slugify(match.name)), 1
    library = load_library()
    if unknown := unknown_template(template_id, library):
        print(f"coach: {unknown}", file=sys.stderr)
        return 2
    today = date.today()
    brief = build_brief(record, today, summaries.latest(match.name), unreadable=status == 1)
    if not brief.first_meeting:  # cadence, ratings and the kept rate over time, as prep shows them
        from coach.brief import BriefLine
        from coach.trends import trend_lines

        over = trend_lines(match.name, today, record=record if status == 0 else None)
        brief.sections.insert(len(brief.sections) - 1, ("Over time", [BriefLine(line) for line in over]))
    suggested = (record.template if record.template in library.templates  # as prep chooses
                 else "first-meeting" if brief.first_meeting and "first-meeting" in library.templates else "standard")
    template = library.templates.get(template_id or suggested)  # what the prep screen would pick
    plan = [f"{p.title} · {p.minutes:g} min" for p in template.phases] if template else None
    sys.stdout.write(brief_text(brief, plan))
    return status


def _partner_named(name: str) -> tuple[Partner | None, list[Problem]]:
    """The known partner `name` finds (any case or accent, or the start of their words), or None
    after saying which partners it could be, or who is known; and the files that could not be read."""
    from coach.names import not_one
    from coach.partners import find_named, known_partners

    known, skipped = known_partners()
    by_name = {p.name: p for p in known}
    found = find_named(name, list(by_name))
    if len(found) == 1:
        return by_name[found[0]], skipped
    _report(skipped)  # the one wanted may be in a file that could not be read
    print(not_one("brief", name, found, list(by_name)), file=sys.stderr)
    return None, skipped


def new_item(noun: str, name: str) -> int:
    try:
        path = new_file(noun, name)
    except (AuthoringError, OSError) as error:
        return _failed(error, f"write {noun[:-1]} {name!r}")
    print(path)
    return 0


def edit_item(noun: str, name: str, check_one: CheckOne) -> int:
    """Open the user's copy in the editor; afterwards check it and report."""
    items = _items(load_library(), noun)
    try:
        check_id(name)
        source = items[name].path if name in items else None
        path = editable_copy(noun, name, source, items[name].builtin if name in items else True)
        code = run_editor(path)
    except (AuthoringError, OSError) as error:
        return _failed(error, f"prepare {name!r}")
    if code:
        print(f"coach: the editor exited with status {code}", file=sys.stderr)
    return check_files(noun, check_one, [path])


def _failed(error: AuthoringError | OSError, doing: str) -> int:
    """Say on stderr why a deck or template could not be written or edited; the exit status."""
    if isinstance(error, AuthoringError):
        print(f"coach: {error}", file=sys.stderr)
        return 2 if error.usage else 1
    print(f"coach: could not {doing}: {error.strerror or error}", file=sys.stderr)
    return 1


def _items(library: Library, noun: str) -> Mapping[str, Deck | Template]:
    return library.decks if noun == "decks" else library.templates


def check_config() -> int:
    path = config_path()
    config, problems = load_config(path)
    problems += template_problems(config, path, load_library().templates)
    if config.calendar:
        from coach.calendar import check_calendar

        problems += check_calendar(config, path)
    # config.toml's own problems first, in the order of its lines; then each calendar file's, as found.
    mine = sorted((p for p in problems if p.path == path), key=lambda p: (p.line, p.col))
    for problem in [*mine, *(p for p in problems if p.path != path)]:
        print(problem)
    if not os.path.lexists(path):
        print(f"{path} does not exist: coach uses its defaults (`coach config new` writes one)", file=sys.stderr)
    elif not problems:
        print(f"{path}: no problems", file=sys.stderr)
    return 1 if any(not p.warning for p in problems) else 0


def new_config() -> int:
    path = config_path()
    if path.exists():
        print(f"coach: {path} already exists", file=sys.stderr)
        return 1
    try:
        write_atomic(path, starter_text())
    except OSError as error:
        print(f"coach: could not write {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(path)
    return 0


def print_path(path: Path) -> int:
    print(path)
    return 0


def list_items(noun: str) -> int:
    library = load_library()
    for item in sorted(_items(library, noun).values(), key=lambda i: i.id):
        if isinstance(item, Deck):
            size = plural(len(item.cards), "tip" if item.kind is DeckKind.TIPS else "card")
        else:
            size = f"{plural(len(item.phases), 'phase')}, {item.planned_seconds / 60:g} min"
        source = "built-in" if item.builtin else "user"
        title = one_line(item.title)
        title = title if len(title) <= 28 else title[:27] + "…"
        print(one_line(f"{item.id:<20} {title:<28} {size:<18} {source:<8} {item.path}"))
    _report([p for p in library.problems if p.path.parent.name == noun])  # this list's own files
    return 0


def check_files(noun: str, check: CheckOne, paths: list[Path]) -> int:
    """Check the named files (or all the user's); print one line a problem; exit 1 on any error.

    Warnings (unknown keys) are printed too, marked `warning:`, but do not fail the check.
    """
    if not paths:
        folder = config_dir() / noun
        paths = prompt_files(folder)
    problems: list[Problem] = []
    if noun == "templates":  # every problem in one pass, the phases' decks too
        check = partial(check_template, known_decks=load_library().decks)
    first_path: dict[str, Path] = {}
    builtin = Path(os.path.realpath(builtin_dir()))
    for path in paths:
        item, found = check(path, Path(os.path.realpath(path)).is_relative_to(builtin))
        problems.extend(found)
        if item is None:
            continue
        if item.id in first_path:
            problems.append(id_taken(path, item.id, first_path[item.id]))
        first_path.setdefault(item.id, path)
    for problem in problems:
        print(problem)
    errors = [p for p in problems if not p.warning]
    if not errors:
        warned = f", {plural(len(problems), 'warning')}" if problems else ""
        print(f"{plural(len(paths), 'file')} checked, no errors{warned}", file=sys.stderr)
    return 1 if errors else 0


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
