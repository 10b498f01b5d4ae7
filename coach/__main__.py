"""`coach` and `python -m coach`: parse the command line, then run a subcommand or the app.

Subcommands and `--version` / `--help` never import Textual, so they start fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coach import __version__, cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach",
        description="A meeting coach for mentoring and 1:1 calls: timed phases, prompt cards, "
        "notes and a saved summary of every meeting.",
        epilog="Run `coach` with no command to open the app at the partner picker.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    parser.add_argument("--partner", metavar="NAME", help="open the prep screen for this partner (created if new)")
    parser.add_argument("--template", metavar="ID", help="meeting template to use (default: standard)")
    parser.add_argument("--status-file", metavar="PATH", type=Path,
                        help="keep a one-line status (phase, time left) in PATH, for tmux or a status bar")
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    cli.add_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command:
        return args.run(args)
    return run_app(args)


def run_app(args: argparse.Namespace) -> int:
    from coach.prompts import load_library

    library = load_library()
    if args.template is not None and args.template not in library.templates:
        known = ", ".join(sorted(library.templates)) or "none"
        print(f"coach: unknown template {args.template!r}; known templates: {known}", file=sys.stderr)
        return 2
    if args.partner is not None and not args.partner.strip():
        print("coach: --partner needs a name", file=sys.stderr)
        return 2
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        print("coach: the app needs a terminal; see `coach --help` for commands that do not",
              file=sys.stderr)
        return 2

    from coach.app import CoachApp
    from coach.store import first_run

    app = CoachApp(partner=args.partner, template=args.template, library=library, welcome=first_run(),
                   status_file=args.status_file)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
