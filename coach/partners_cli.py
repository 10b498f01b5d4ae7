"""`coach partners list|show|rename|merge|forget|delete`: the partner record from the shell.

Names are matched as everywhere else (`coach.names`): an unknown or ambiguous one exits 1 with the
candidates. A change asks nothing, says what it did, and exits 1 (changing nothing) when a partner
file cannot be read or written. No Textual here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.history_cli import cell, report, write
from coach.model import Commitment, Fact, Goal, Owner, PartnerRecord, Status
from coach.problems import ProblemsError
from coach.text import columns, fold, json_safe, one_line, plural

OWNERS = {Owner.ME: "me", Owner.THEM: "them", Owner.BOTH: "both"}

if TYPE_CHECKING:
    from coach.partner_edit import ItemRef


def add_partners_commands(commands: argparse._SubParsersAction) -> None:
    """Register `partners` and its actions on the top-level parser."""
    group = commands.add_parser(
        "partners", help="list, show and tend partner records: rename, merge, forget, delete",
        description="What coach remembers about each partner, and changes to it. NAME is matched as in "
        "`coach brief`: any case or accent, the start of their words (zoe finds Zoë O'Brien); an unknown "
        "or ambiguous name exits 1 with the candidates. Past summaries are never changed.")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every partner: meetings, last met, open goals and commitments")
    listing.add_argument("--json", action="store_true", help="a JSON array, one object per partner")
    listing.set_defaults(run=run_list)
    show = actions.add_parser("show", help="a partner's facts, goals and commitments, each with its label (f1, g1, c1)")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--json", action="store_true", help="the record as JSON, each item with its label")
    show.set_defaults(run=run_show)
    rename = actions.add_parser("rename", help="give a partner a new name (their past meetings follow)")
    rename.add_argument("name", metavar="OLD")
    rename.add_argument("new", metavar="NEW", help="the new name, exactly as it should be written")
    rename.set_defaults(run=run_rename)
    merge = actions.add_parser("merge", help="fold OTHER's record into INTO's (OTHER's file is moved aside)")
    merge.add_argument("name", metavar="INTO")
    merge.add_argument("other", metavar="OTHER")
    merge.set_defaults(run=run_merge)
    forget = actions.add_parser("forget", help="remove a fact, goal or commitment from the partner's record")
    forget.add_argument("name", metavar="NAME")
    forget.add_argument("item", metavar="ITEM", nargs="+",
                        help="its label in `coach partners show` (f2, g1, c3), or words of its text matching one item")
    forget.set_defaults(run=run_forget)
    delete = actions.add_parser("delete", help="move a partner's file aside: they leave the picker and this list")
    delete.add_argument("name", metavar="NAME")
    delete.set_defaults(run=run_delete)
    for action in (rename, merge, forget, delete):
        action.add_argument("--dry-run", action="store_true", help="say what would be done, change nothing")


# -- finding partners ----------------------------------------------------------------------------
def _known() -> tuple[list[str], list]:
    from coach.partners import known_partners

    known, problems = known_partners()
    return [p.name for p in known], problems


def find_one(command: str, typed: str, known: list[str], problems: list) -> str | None:
    """The stored name `typed` finds, or None after saying why not (candidates on stderr)."""
    from coach.names import not_one
    from coach.partners import find_named

    found = find_named(typed, known)
    if len(found) == 1:
        return found[0]
    report(problems)  # the one wanted may be in a file that could not be read
    print(not_one(command, typed, found, known), file=sys.stderr)
    return None


def _record(name: str) -> PartnerRecord:
    """The partner's record (empty when they have no file); ProblemsError when it cannot be read."""
    from coach import partner_edit as edits
    path, record = edits.load(name)
    return record or PartnerRecord(name=name, slug=path.stem)


def _failed(error: Exception, doing: str) -> int:
    """Say why a command could not be done; exit status 1."""
    if isinstance(error, ProblemsError):
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"coach partners: nothing changed; fix the line above to {doing}", file=sys.stderr)
    elif isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        print(f"coach partners: could not {doing}: {error.strerror or error}{where}", file=sys.stderr)
    else:
        print(f"coach partners: {error}", file=sys.stderr)
    return 1


def _day(value: date | datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "–"


# -- list ------------------------------------------------------------------------------------------
def run_list(args: argparse.Namespace) -> int:
    from coach.history import load_headers

    known, problems = _known()
    headers, _skipped = load_headers()  # (the files it skipped are in `problems` already)
    meetings = Counter(h.partner for h in headers)
    last_met: dict[str, datetime] = {}
    for h in headers:  # one pass: thousands of partners by thousands of meetings was quadratic
        if h.partner not in last_met or h.started > last_met[h.partner]:
            last_met[h.partner] = h.started
    rows, broken = [], False
    for name in known:
        try:
            record = _record(name)
        except ProblemsError as error:
            record, broken = None, True
            problems = [*problems, *error.problems]
        last = last_met.get(name)
        rows.append({"name": name, "meetings": meetings[name], "last_met": _day(last) if last else None,
                     "open_goals": len(record.open_goals()) if record else None,
                     "open_commitments": len(record.open_commitments()) if record else None,
                     "former_names": record.former_names if record else []})
    report(sorted(set(problems), key=lambda p: (str(p.path), p.line)))
    if args.json:
        write(json_safe(json.dumps(rows, ensure_ascii=False, indent=2)) + "\n", exact=True)
    elif rows:
        write(_list_table(rows))
    else:
        print("No partners yet: `coach` opens the partner picker, where you add one.", file=sys.stderr)
    return 1 if broken else 0


def _list_table(rows: list[dict]) -> str:
    wide = min(30, max(7, *(columns(one_line(r["name"])) for r in rows)))
    lines = [f"{cell('PARTNER', wide)}  MEETINGS  LAST MET    OPEN GOALS  OPEN COMMITMENTS"]
    for r in rows:
        goals = "?" if r["open_goals"] is None else str(r["open_goals"])
        commitments = "?" if r["open_commitments"] is None else str(r["open_commitments"])
        lines.append(f"{cell(one_line(r['name']), wide)}  {r['meetings']:>8}  {r['last_met'] or '–':<10}  "
                     f"{goals:>10}  {commitments:>16}")
    return "\n".join(lines) + "\n"


# -- show ------------------------------------------------------------------------------------------
def run_show(args: argparse.Namespace) -> int:
    from coach import partner_edit as edits
    from coach.partner_edit import EditError
    known, problems = _known()
    name = find_one("partners show", args.name, known, problems)
    if name is None:
        return 1
    try:
        path, record = edits.load(name)
    except (ProblemsError, EditError) as error:
        return _failed(error, "show them")
    record = record or PartnerRecord(name=name, slug=path.stem)
    if args.json:
        write(json_safe(json.dumps(record_json(record, path), ensure_ascii=False, indent=2)) + "\n", exact=True)
    else:
        write(record_text(record))
    return 0


def record_json(record: PartnerRecord, path: Path) -> dict:
    """A partner's record as `coach partners show --json` prints it: each item with its label."""
    from coach import records
    from coach.partner_edit import ItemKind, ItemRef

    doc = records.to_doc(record)
    out: dict[str, Any] = {
           "name": record.name, "former_names": record.former_names, "path": str(path) if path.exists() else None,
           "created": record.created.isoformat() if record.created else None,
           "last_meeting": record.last_meeting.isoformat() if record.last_meeting else None,
           "meetings": record.meetings}
    kinds: dict[str, ItemKind] = {"facts": "fact", "goals": "goal", "commitments": "commitment"}
    for key, kind in kinds.items():
        out[key] = [{"label": ItemRef(kind, i).label,
                     **{k: v.isoformat() if isinstance(v, date) else v for k, v in item.items()}}
                    for i, item in enumerate(doc.get(key, []))]
    return out


def record_text(record: PartnerRecord) -> str:
    """A partner's record for people: facts, goals (open, then reached and dropped) and commitments,
    each on a line with its label, its dates and the meeting it came from."""
    from coach.partner_edit import ItemRef
    lines = [one_line(record.name)]
    if record.former_names:
        lines.append(f"Formerly: {', '.join(one_line(n) for n in record.former_names)}")
    lines.append(f"{plural(len(record.meetings), 'meeting')} · last met {_day(record.last_meeting)}")
    sections: list[tuple[str, list[str]]] = [
        ("Facts", [_fact(ItemRef("fact", i), f) for i, f in enumerate(record.facts)]),
        ("Goals", [_goal(ItemRef("goal", i), g) for i, g in sorted(enumerate(record.goals), key=_open_first)]),
        ("Commitments", [_commitment(ItemRef("commitment", i), c)
                         for i, c in sorted(enumerate(record.commitments), key=_open_first)]),
    ]
    for title, rows in sections:
        lines += ["", title, *(rows or ["  none"])]
    return "\n".join(lines) + "\n"


def _open_first(pair: tuple[int, Goal | Commitment]) -> tuple[bool, int]:
    return pair[1].status is not Status.OPEN, pair[0]


def _fact(ref: ItemRef, fact: Fact) -> str:
    return f"  {ref.label:<4} {one_line(fact.text)}  · learned {_day(fact.learned)}{_from(fact.meeting)}"


def _goal(ref: ItemRef, goal: Goal) -> str:
    state = "open" if goal.status is Status.OPEN else f"{goal.status.value} {_day(goal.closed)}"
    return f"  {ref.label:<4} {one_line(goal.text)}  · {state} · added {_day(goal.added)}{_from(goal.meeting)}"


def _commitment(ref: ItemRef, item: Commitment) -> str:
    state = "open" if item.status is Status.OPEN else f"{item.status.value} {_day(item.closed)}"
    due = f" · due {_day(item.due)}" if item.due else ""
    return (f"  {ref.label:<4} [{OWNERS[item.owner]}] {one_line(item.text)}  · {state}{due}"
            f" · made {_day(item.made)}{_from(item.made_in)}")


def _from(meeting: str) -> str:
    return f" · meeting {one_line(meeting)}" if meeting else ""


# -- changes ---------------------------------------------------------------------------------------
def _wall() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


def run_rename(args: argparse.Namespace) -> int:
    from coach import partner_edit as edits
    from coach.partner_edit import EditError
    from coach.store import normalize_name
    from coach.text import name_problem

    if problem := name_problem(args.new):
        print(f"coach partners rename: {args.new!r} cannot be a name: {problem}", file=sys.stderr)
        return 2
    known, problems = _known()
    name = find_one("partners rename", args.name, known, problems)
    if name is None:
        return 1
    new = normalize_name(args.new)
    if args.dry_run:
        print(f"Would rename {name} to {new}: their past meetings would list under {new}.")
        return 0
    try:
        path = edits.rename(name, new, _wall())
    except (ProblemsError, EditError, OSError) as error:
        return _failed(error, f"rename {name}")
    print(f"Renamed {name} to {new}: {path}\nTheir past meetings list under {new}; "
          "the summaries keep the name they were written with.")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from coach import partner_edit as edits
    from coach.partner_edit import EditError
    known, problems = _known()
    into = find_one("partners merge", args.name, known, problems)
    other = into and find_one("partners merge", args.other, known, problems)
    if not into or not other:
        return 1
    try:
        gone = _record(other)
    except (ProblemsError, EditError) as error:
        return _failed(error, f"merge {other} into {into}")
    what = (f"{plural(len(gone.facts), 'fact')}, {plural(len(gone.goals), 'goal')}, "
            f"{plural(len(gone.commitments), 'commitment')}")
    if args.dry_run:
        print(f"Would merge {other} into {into} ({what}); {other}'s file would be moved aside.")
        return 0
    try:
        path = edits.merge(into, other, _wall())
    except (ProblemsError, EditError, OSError) as error:
        return _failed(error, f"merge {other} into {into}")
    print(f"Merged {other} into {into} ({what}): {path}\n"
          f"{other}'s meetings list under {into}; {other}'s file was moved to {path.parent / 'merged'}.")
    return 0


def run_forget(args: argparse.Namespace) -> int:
    from coach import partner_edit as edits
    from coach.partner_edit import EditError
    known, problems = _known()
    name = find_one("partners forget", args.name, known, problems)
    if name is None:
        return 1
    try:
        record = _record(name)
    except (ProblemsError, EditError) as error:
        return _failed(error, f"change {name}'s record")
    typed = " ".join(args.item)
    found = item_named(record, typed)
    if isinstance(found, str):
        print(f"coach partners forget: {found}", file=sys.stderr)
        return 1
    ref, text = found
    if args.dry_run:
        print(f"Would forget {ref.kind} {ref.label} of {name}: {one_line(text)}")
        return 0
    try:
        edits.forget(name, ref, expect=text, now=_wall())
    except (ProblemsError, EditError, OSError) as error:
        return _failed(error, f"change {name}'s record")
    print(f"Forgot {ref.kind} {ref.label} of {name}: {one_line(text)}\n"
          "(Summaries already written keep it.)")
    return 0


def item_named(record: PartnerRecord, typed: str) -> tuple[ItemRef, str] | str:
    """The one item `typed` names: a label (`f2`), its whole text, or words each found in its text
    (any case or accent); else what to say about it."""
    from coach import partner_edit as edits
    items = edits.items_of(record)
    if (ref := edits.parse_ref(typed)) is not None:
        by_ref = dict(items)
        if ref in by_ref:
            return ref, by_ref[ref].text
        return f"{record.name} has no {ref.kind} {ref.label} (see `coach partners show`)"
    words = fold(typed).split()
    whole = [(r, i.text) for r, i in items if fold(" ".join(i.text.split())) == " ".join(words)]
    found = whole or [(r, i.text) for r, i in items if words and all(w in fold(i.text) for w in words)]
    if len(found) == 1:
        return found[0]
    if found:
        shown = "; ".join(f"{r.label} {one_line(t)}" for r, t in found[:8]) + ("…" if len(found) > 8 else "")
        return f"{typed!r} matches {plural(len(found), 'item')}: {shown}. Give its label."
    return f"nothing of {record.name}'s record matches {typed!r} (see `coach partners show`)"


def run_delete(args: argparse.Namespace) -> int:
    from coach import partner_edit as edits
    from coach.partner_edit import EditError
    known, problems = _known()
    name = find_one("partners delete", args.name, known, problems)
    if name is None:
        return 1
    if args.dry_run:
        print(f"Would delete {name}: their file would be moved aside; their meetings stay in history.")
        return 0
    try:
        aside = edits.delete(name, _wall())
    except (ProblemsError, EditError, OSError) as error:
        return _failed(error, f"delete {name}")
    print(f"Deleted {name}: their file was moved to {aside}\n"
          "Their meetings stay in history; a new partner of that name starts afresh.")
    return 0
