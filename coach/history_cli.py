"""`coach history`, `coach show`, `coach export`: past meetings from the shell, without Textual.

Listings come from the history index (`coach.history`); skipped files go to stderr as
`PATH:LINE:COL: message` and never hide the other meetings. `--grep` takes the History screen's
search: words, `"a phrase"`, `prefix*`; each match is shown between « and » in the snippet printed
under its meeting (`--json` gives the snippet as plain text).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from datetime import date
from pathlib import Path

from coach import history_build as build
from coach.history import (
    History,
    MeetingHeader,
    load_headers,
    open_history,
    skipped_files,
    summary_data,
    summary_markdown,
)
from coach.history_build import Progress
from coach.history_query import TEXT_COLUMNS, Query, find_by_prefix, fts_expression, parse_day, parse_query
from coach.history_snippet import END, MARK
from coach.problems import Problem, ProblemsError
from coach.store import escape_c1
from coach.text import columns, json_safe, one_line, plural


def add_history_commands(commands: argparse._SubParsersAction) -> None:
    """Register `history`, `show` and `export` on the top-level parser."""
    history = commands.add_parser(
        "history", help="list past meetings, newest first",
        description="List past meetings, newest first: date, partner, length, rating, goals, commitments "
        "and id. Files that cannot be read are listed on stderr and skipped.")
    add_filters(history)
    history.add_argument("--json", action="store_true",
                         help="a JSON array, one object per meeting: id, partner, started, ended, rating, path…")
    history.set_defaults(run=run_history)

    show = commands.add_parser("show", help="print one meeting's summary",
                               description="Print one meeting's summary. Exit 1 when the id is unknown or "
                               "matches several meetings (the candidates are listed).")
    show.add_argument("id", metavar="ID", help="the meeting's id, or enough of its start to be unique")
    show.add_argument("--format", choices=("md", "toml", "json"), default="md",
                      help="md (default): as Markdown; toml: the file itself; json: its data")
    show.set_defaults(run=run_show)

    export = commands.add_parser("export", help="write all matching summaries into one file",
                                 description="Write all matching summaries, oldest first, into one JSON or "
                                 "Markdown file (or to stdout).")
    export.add_argument("--format", choices=("json", "md"), required=True, help="json or md")
    add_filters(export)
    export.add_argument("--out", type=Path, metavar="PATH", help="write here (atomically) instead of stdout")
    export.set_defaults(run=run_export)


def add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--partner", metavar="NAME",
                        help="only meetings with this partner: any case or accent, and the start of their words is "
                        "enough (zoe finds Zoë O'Brien); an unknown or ambiguous name exits 1 with the candidates")
    parser.add_argument("--since", metavar="YYYY-MM-DD", type=day_argument, help="only meetings on or after this day")
    parser.add_argument("--until", metavar="YYYY-MM-DD", type=day_argument,
                        help="only meetings on or before this day")
    parser.add_argument("--grep", metavar="TEXT",
                        help="only meetings whose notes, reflection, facts, goals or commitments hold every word of "
                        'TEXT (any case, accents ignored); "a phrase" finds words in a row, prefix* any word that '
                        "starts so")


def day_argument(text: str) -> date:
    try:
        return parse_day(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


NOT_ONE_PARTNER = 1
"""What `select` returns when --partner finds no partner or several: the command exits 1."""


def select(args: argparse.Namespace) -> tuple[History, list[MeetingHeader]] | int | None:
    """(the history, the meetings the filters pick, newest first); None after a usage error."""
    if args.since and args.until and args.since > args.until:
        print(f"coach {args.command}: error: --since {args.since} is after --until {args.until}", file=sys.stderr)
        return None
    typed, complaints = parse_query(args.grep or "", typing=False)
    if complaints:
        shown = args.grep if len(args.grep) <= 60 else args.grep[:59] + "…"
        print(f"coach {args.command}: error: --grep {shown!r}: {'; '.join(complaints)}", file=sys.stderr)
        return None
    grep = typed.words
    if args.grep is not None and fts_expression(grep, TEXT_COLUMNS) is None and not (
            typed.partner_part or typed.since or typed.until):
        print(f"coach {args.command}: error: --grep {args.grep!r} holds no word to look for "
              "(letters, digits or emoji)", file=sys.stderr)
        return None
    since = max((d for d in (args.since, typed.since) if d), default=None)
    until = min((d for d in (args.until, typed.until) if d), default=None)
    build.allow_processes()
    history = open_history(progress=_progress_line if _on_terminal() else None)
    _progress_line(None)
    report(history.problems)
    headers = history.headers
    partner = ""
    if args.partner is not None:  # the one partner it finds, among those met and those known (none for '')
        from coach.names import not_one
        from coach.partners import find_named, known_partners

        names = sorted({h.partner for h in headers} | {p.name for p in known_partners()[0]}, key=str.casefold)
        found = find_named(args.partner, names)
        if len(found) != 1:
            history.close()
            print(not_one(args.command, args.partner, found, names), file=sys.stderr)
            return NOT_ONE_PARTNER
        partner = found[0]
    query = Query(partner=partner, partner_part=typed.partner_part, since=since, until=until, grep=grep)
    chosen = history.select(query)
    if history.broken:  # the index was damaged under the search: it is built again
        history = open_history()
        chosen = history.select(query)
    if not headers:
        print("No meetings yet: each saved meeting shows up here.", file=sys.stderr)
    elif not chosen:
        print("No meetings match.", file=sys.stderr)
    return history, chosen


def _on_terminal() -> bool:
    """stderr is a terminal (it may also be closed: `coach history 2>&-`)."""
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, OSError, ValueError):
        return False


_shown_progress = [False]


def _progress_line(progress: Progress | None) -> None:
    """`Indexing 1,200 of 5,000 summaries…` on a terminal while a first build runs; None clears it."""
    terminal = getattr(sys.stderr, "exact", sys.stderr)  # the carriage return is meant: not shown as ␍
    if progress is None:
        if _shown_progress[0]:
            terminal.write("\r\x1b[K")
            terminal.flush()
        return
    if progress.total - progress.done >= 200 or _shown_progress[0]:
        _shown_progress[0] = True
        terminal.write(f"\rIndexing {progress.done:,} of {progress.total:,} summaries…")
        terminal.flush()


# -- coach history -------------------------------------------------------------------------------
def run_history(args: argparse.Namespace) -> int:
    found = select(args)
    if found is None:
        return 2
    if isinstance(found, int):
        return found
    history, chosen = found
    snippets = history.snippets(Query(grep=parse_query(args.grep, typing=False)[0].words), chosen) if args.grep else {}
    history.close()
    if args.json:
        import msgspec  # as `json`, five times faster: thousands of meetings are listed at once

        encode = msgspec.json.Encoder().encode
        rows = [encode(with_snippet(h.to_json(), snippets.get(h.file)) if args.grep else h.to_json()).decode()
                for h in chosen]
        write(json_safe("[\n" + ",\n".join(rows) + "\n]\n" if rows else "[]\n"), exact=True)
    elif chosen:
        write(table(chosen, snippets if args.grep else None))
    return 0


def with_snippet(row: dict, snippet: str | None) -> dict:
    """A `--json` row with the words around the match, as plain text (no markers)."""
    return {**row, "snippet": (snippet or "").replace(MARK, "").replace(END, "")}


def marked(snippet: str) -> str:
    """A snippet for people: each match between « and », no colour, no escape sequence."""
    return snippet.replace(MARK, "«").replace(END, "»")


def cell(text: str, wide: int, right: bool = False) -> str:
    if columns(text) > wide:
        while columns(text) > wide - 1:
            text = text[:-1]
        text += "…"
    pad = " " * (wide - columns(text))
    return pad + text if right else text + pad


def table(headers: list[MeetingHeader], snippets: dict[str, str] | None = None) -> str:
    """The readable listing: one line a meeting (and, after a --grep, the words found under it)."""
    names = min(24, max(7, *(columns(one_line(h.partner)) for h in headers)))
    lines = [f"{'DATE':<16}  {cell('PARTNER', names)}  LENGTH  RATING  GOALS  COMMITMENTS  ID"]
    for h in headers:
        rating = f"{h.rating}/5" if h.rating is not None else "–"
        lines.append(f"{h.started:%Y-%m-%d %H:%M}  {cell(one_line(h.partner), names)}  {round(h.minutes):>3} min  "
                     f"{rating:>6}  {h.goals:>5}  {h.commitments:>11}  {h.id}")
        if snippets is not None and (snippet := snippets.get(h.file)):
            lines.append(f"    {marked(snippet)}")
    return "\n".join(lines) + "\n"


# -- coach show ----------------------------------------------------------------------------------
def run_show(args: argparse.Namespace) -> int:
    headers, problems = load_headers()
    matches = find_by_prefix(args.id, headers)
    unreadable = [p for p in problems if p.path.stem == args.id.strip()]
    if unreadable and not any(h.id == args.id.strip() for h in matches):  # that meeting's file does not read
        report(unreadable)
        return 1
    if len(matches) != 1:
        if unreadable and not matches:  # the meeting is there, but its file cannot be read
            report(unreadable)
            return 1
        report(problems)
        print(not_one(args.id, matches, headers), file=sys.stderr)
        return 1
    try:
        if args.format == "toml":
            text = escape_c1(matches[0].path.read_text(encoding="utf-8"))
        elif args.format == "md":
            text = summary_markdown(matches[0].path)
        else:
            text = json_safe(json.dumps(summary_data(matches[0].path), ensure_ascii=False, indent=2)) + "\n"
    except ProblemsError as error:
        report(error.problems)
        return 1
    except (OSError, UnicodeDecodeError) as error:
        print(f"coach show: cannot read {matches[0].path}: {getattr(error, 'strerror', None) or error}",
              file=sys.stderr)
        return 1
    write(text, exact=args.format != "md")
    return 0


def not_one(wanted: str, matches: list[MeetingHeader], headers: list[MeetingHeader]) -> str:
    """What to say when an id names no meeting, or several."""
    def line(h: MeetingHeader) -> str:
        return f"  {h.id}  ({h.started:%Y-%m-%d} with {h.partner})"

    if matches:
        more = f"\n  … and {len(matches) - 10} more" if len(matches) > 10 else ""
        return (f"coach show: {wanted!r} matches {plural(len(matches), 'meeting')}; give more of the id:\n"
                + "\n".join(line(h) for h in matches[:10]) + more)
    import difflib

    by_id = {h.id: h for h in headers}
    close = difflib.get_close_matches(wanted, list(by_id), n=5, cutoff=0.6)
    if close:
        return f"coach show: no meeting with id {wanted!r}. Did you mean:\n" + "\n".join(line(by_id[i]) for i in close)
    if headers:
        return f"coach show: no meeting with id {wanted!r}. The latest are:\n" + "\n".join(map(line, headers[:5]))
    return f"coach show: no meeting with id {wanted!r}: there are no meetings yet."


# -- coach export --------------------------------------------------------------------------------
def run_export(args: argparse.Namespace) -> int:
    found = select(args)
    if found is None:
        return 2
    if isinstance(found, int):
        return found
    found[0].close()
    chosen = list(reversed(found[1]))  # oldest first: an archive reads forward
    parts: list = []
    problems: list[Problem] = []
    for h in chosen:
        try:
            parts.append(summary_data(h.path) if args.format == "json" else summary_markdown(h.path).rstrip() + "\n")
        except ProblemsError as error:
            problems.extend(error.problems)
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(h.path, 1, 1, f"cannot read: {getattr(error, 'strerror', None) or error}"))
    report(problems)
    data = json_safe(json.dumps(parts, ensure_ascii=False, indent=2)) + "\n" if args.format == "json" \
        else "\n---\n\n".join(parts)
    if args.out is None:
        write(data, exact=args.format == "json")
        return 0
    from coach.store import write_atomic

    try:
        write_atomic(args.out, data)
    except OSError as error:
        print(f"coach export: cannot write {args.out}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"Exported {plural(len(parts), 'meeting')} to {args.out}", file=sys.stderr)
    return 0


# -- output --------------------------------------------------------------------------------------
def report(problems: list[Problem]) -> None:
    """One `PATH:LINE:COL: message` line a skipped file, then how many were skipped."""
    for problem in problems:
        print(problem, file=sys.stderr)
    count = skipped_files(problems)
    if count:
        print(f"coach: skipped {plural(count, 'file')} that could not be read", file=sys.stderr)


def write(text: str, exact: bool = False) -> None:
    """Print to stdout; a closed pipe (`coach history | head`) ends quietly.

    Text for people shows control characters as stand-ins (see `VisibleStream`); `exact` output
    (JSON, TOML) is written as it is: callers escape C1 controls the way its format allows."""
    stream = getattr(sys.stdout, "exact", sys.stdout) if exact else sys.stdout
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        _quiet_stdout()
    except (AttributeError, OSError, ValueError) as error:  # stdout closed (`>&-`), or the disk is full
        _quiet_stdout()
        why = error.strerror if isinstance(error, OSError) and error.strerror else "standard output is closed"
        with contextlib.suppress(AttributeError, OSError, ValueError):
            print(f"coach: could not write the output: {why}", file=sys.stderr)
        raise SystemExit(1) from None


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit does not complain again."""
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
