"""Subcommands that need no terminal UI: plain text out, problems as `PATH:LINE:COL: message`.

Nothing here imports Textual.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach.problems import Problem, ProblemsError
from coach.prompts import builtin_dir, load_library, missing_decks, parse_deck, parse_template
from coach.store import config_dir


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register every subcommand on the top-level parser."""
    add_brief(commands)
    for noun, parse in (("decks", parse_deck), ("templates", parse_template)):
        group = commands.add_parser(noun, help=f"list and check {noun}",
                                    description=f"List and check {noun} (built-in and your own).")
        actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
        listing = actions.add_parser("list", help=f"list {noun}: id, title, source and path")
        listing.set_defaults(run=lambda args, noun=noun: list_items(noun))
        check = actions.add_parser("check", help=f"check {noun} files; exit 1 if any problem")
        check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                           help=f"files to check (default: all of your {noun})")
        check.set_defaults(run=lambda args, noun=noun, parse=parse: check_files(noun, parse, args.paths))
        where = actions.add_parser("path", help=f"print the folder for your own {noun}")
        where.set_defaults(run=lambda args, noun=noun: print_path(config_dir() / noun))


def add_brief(commands: argparse._SubParsersAction) -> None:
    brief = commands.add_parser("brief", help="one page on a partner, to read before the call",
                                description="What coach remembers about a partner: last meeting, open "
                                "commitments and goals, facts, the kept rate and a pre-call checklist.")
    brief.add_argument("name", metavar="NAME", help="the partner's name, as shown by the partner picker")
    brief.add_argument("--template", metavar="ID", help="show this template's plan (default: standard)")
    brief.set_defaults(run=lambda args: print_brief(args.name, args.template))


def print_brief(name: str, template_id: str | None) -> int:
    """Print the partner's brief; unknown names exit 1 with the closest known names."""
    import difflib
    from datetime import date

    from coach import partners, summaries
    from coach.memory import brief_text, build_brief
    from coach.store import normalize_name, slugify

    known, _problems = partners.known_partners()
    wanted = normalize_name(name)
    match = next((p for p in known if p.name == wanted), None)
    match = match or next((p for p in known if p.name.casefold() == wanted.casefold()), None)
    if match is None:
        names = [p.name for p in known]
        close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.4)
        close += [n for n in names if wanted.casefold() in n.casefold() and n not in close][:3]
        hint = f" Did you mean: {', '.join(close)}?" if close else (
            " Known partners: " + ", ".join(names[:8]) if names else " No partners yet.")
        print(f"coach: no partner called {name!r}.{hint}", file=sys.stderr)
        return 1
    try:
        record = partners.load_record(match.name)
    except ProblemsError as error:
        _report(error.problems)
        return 1
    library = load_library()
    template = library.templates.get(template_id or "standard")
    plan = [f"{p.title} · {p.minutes:g} min" for p in template.phases] if template else None
    brief = build_brief(record, date.today(), summaries.latest_header(slugify(match.name)))
    sys.stdout.write(brief_text(brief, plan))
    return 0


def print_path(path: Path) -> int:
    print(path)
    return 0


def list_items(noun: str) -> int:
    library = load_library()
    items = library.decks if noun == "decks" else library.templates
    for item in sorted(items.values(), key=lambda i: i.id):
        if noun == "decks":
            size = f"{len(item.cards)} cards"
        else:
            size = f"{len(item.phases)} phases, {item.planned_seconds / 60:g} min"
        source = "built-in" if item.builtin else "user"
        print(f"{item.id:<20} {item.title:<28} {size:<18} {source:<8} {item.path}")
    _report(library.problems)
    return 0


def check_files(noun: str, parse, paths: list[Path]) -> int:
    """Check the named files (or all the user's); print one line a problem; exit 1 on any."""
    if not paths:
        folder = config_dir() / noun
        paths = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    problems: list[Problem] = []
    deck_ids = load_library().decks.keys() if noun == "templates" else ()
    for path in paths:
        try:
            item = parse(path, path.resolve().is_relative_to(builtin_dir().resolve()))
        except ProblemsError as error:
            problems.extend(error.problems)
            continue
        if noun == "templates":
            problems.extend(missing_decks(item, deck_ids))
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{len(paths)} file{'s' if len(paths) != 1 else ''} checked, no problems", file=sys.stderr)
    return 1 if problems else 0


def _report(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
