"""`coach` and `python -m coach`: parse the command line, then run a subcommand or the app.

Subcommands and `--version` / `--help` never import Textual, so they start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from coach import __version__
from coach.text import VisibleStream

COMMANDS = ("history", "show", "export", "brief", "partners", "next", "decks", "templates", "config", "doctor")
"""The subcommands. Their parsers (and the modules behind them) are built only when the
command line names one or asks for help, so `coach --version` and the app start fast."""


def wants_commands(argv: list[str]) -> bool:
    return any(arg in COMMANDS or arg in ("-h", "--help") for arg in argv)


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach",
        description="A meeting coach for mentoring and 1:1 calls: timed phases, prompt cards, "
        "notes and a saved summary of every meeting.",
        epilog="Run `coach` with no command to open the app at the partner picker.",
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    parser.add_argument("--partner", metavar="NAME",
                        help="open the prep screen for the partner NAME finds (any case or accent, the start of "
                        "their words); created if new, the picker if it could be several")
    parser.add_argument("--template", metavar="ID", help="meeting template to use (default: standard)")
    parser.add_argument("--status-file", metavar="PATH", type=Path,
                        help="keep a one-line status (phase, time left) in PATH, for tmux or a status bar")
    if commands:
        from coach import cli

        cli.add_commands(parser.add_subparsers(dest="command", title="commands", metavar="COMMAND"))
    else:
        parser.set_defaults(command=None)
    return parser


def without_openssl() -> None:
    """coach never opens a connection (no network at run time, ever), yet asyncio, which Textual
    runs on, imports `ssl` for the connections it could open: OpenSSL's two libraries, 4 MiB of
    memory for the whole meeting and milliseconds of every start. Marked as absent before anything
    imports it, asyncio goes without, as on a Python built without ssl. A Python that imported it
    already (coach called from another program) keeps it."""
    sys.modules.setdefault("ssl", None)  # type: ignore[arg-type]  # None is how Python marks a module absent


def main(argv: list[str] | None = None) -> int:
    without_openssl()
    argv = sys.argv[1:] if argv is None else argv
    streams = sys.stdout, sys.stderr
    if sys.stderr is None:  # started with stderr closed (`coach history 2>&-`): what it says is dropped
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    sys.stdout, sys.stderr = VisibleStream(sys.stdout), VisibleStream(sys.stderr)  # output for people
    try:
        parser = build_parser(commands=wants_commands(argv))
        args = parser.parse_args(argv)
        if args.command:
            return args.run(args)
        app = make_app(args)
    finally:
        sys.stdout, sys.stderr = streams
    if isinstance(app, int):
        return app
    app.run()
    return app.return_code or 0


def make_app(args: argparse.Namespace):
    """The app for these arguments, or an exit status after saying why it cannot start."""
    from coach.text import name_problem

    library = None  # read by the app once its first frame is drawn, unless a template must be checked now
    if args.template is not None:
        from coach.prompts import load_library, unknown_template

        library = load_library()
        if unknown := unknown_template(args.template, library):
            print(f"coach: {unknown}", file=sys.stderr)
            return 2
    if args.partner is not None and (problem := name_problem(args.partner)):
        print(f"coach: --partner needs a name you can read: {problem}", file=sys.stderr)
        return 2
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        print("coach: the app needs a terminal; see `coach --help` for commands that do not",
              file=sys.stderr)
        return 2

    from coach.app import CoachApp
    from coach.store import first_run

    return CoachApp(partner=args.partner, template=args.template, library=library, welcome=first_run(),
                    status_file=args.status_file)


if __name__ == "__main__":
    sys.exit(main())
