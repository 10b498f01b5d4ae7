"""The people a user meets: one `partners/<slug>.toml` each, holding what coach
remembers about them — facts, goals, commitments, the cards already seen — so it can
bring it back at the next meeting.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
from msgspec import Struct

from coach import records
from coach.cards import MEMORY_DECK, deck_alias
from coach.clock import timestamp
from coach.model import Commitment, Fact, Goal, Name, PartnerRecord, Status, Summary, content_id, deck_of
from coach.partner_files import has_file, partner_files, partner_path
from coach.partner_files import owner as _owner
from coach.problems import Problem, ProblemsError, parse_toml, read_text
from coach.store import ensure_dir, free_name, move_to, normalize_name, partners_dir, set_aside, slugify, write_atomic
from coach.text import name_problem

if TYPE_CHECKING:
    from coach.history import MeetingHeader


@dataclass(frozen=True)
class Partner:
    """Someone the user meets, as the partner picker lists them."""

    name: str
    last_meeting: datetime | None = None


def ensure_partner(name: str, wall: datetime, emails: Sequence[str] = ()) -> Path:
    """Create the partner's file if it does not exist yet; return its path. `emails` (their
    addresses in a calendar event) go in it, and into an existing file that lacks them."""
    path = partner_path(name)
    if not path.exists():
        save_record(PartnerRecord(name=normalize_name(name), slug=path.stem, created=wall, emails=list(emails)))
    elif emails:
        try:
            record = load_record(name)
        except ProblemsError:  # a broken file is not written over: prep says what is wrong with it
            return path
        known = {e.strip().casefold() for e in record.emails}
        if missing := [e for e in emails if e.casefold() not in known]:
            record.emails = [*record.emails, *missing]
            save_record(record)
    return path


def load_record(name: str) -> PartnerRecord:
    """The partner's memory; an empty one for a new partner. ProblemsError when the file is broken."""
    path = partner_path(name)
    if not path.exists():
        return PartnerRecord(name=normalize_name(name), slug=path.stem)
    try:
        record = records.read(PartnerRecord, path)
    except ProblemsError as error:
        raise ProblemsError([marked]) if (marked := git_markers(path)) is not None else error from None
    if normalize_name(record.name) != normalize_name(name):  # unreadable at first look, then mended
        return PartnerRecord(name=normalize_name(name), slug=path.stem)
    record.slug = path.stem  # written back where it was read
    return record


def save_record(record: PartnerRecord) -> Path:
    path = partners_dir() / f"{record.slug}.toml"
    write_atomic(path, records.encode(record, empty_lists=False))
    return path


def apply_summary(record: PartnerRecord, summary: Summary) -> PartnerRecord:
    """Fold a saved meeting into the partner's memory: new facts, goals and commitments,
    the outcomes of the review, the cards seen, and the date of the meeting.

    A meeting already folded in (its id is in `meetings`) changes nothing the second time.
    """
    if summary.id in record.meetings:
        return record
    _add_items(record, summary)
    _settle_reviewed(record, summary)
    seen = [key for phase in summary.phases for key in phase.cards_seen if deck_of(key) != MEMORY_DECK]
    # A deck that started over in this meeting begins a new round: forget its earlier rounds.
    kept = [key for key in record.seen_cards if deck_of(deck_alias(key)) not in summary.decks_started_over]
    record.seen_cards = list(dict.fromkeys([*kept, *seen]))
    record.cards_once = list(dict.fromkeys([*record.cards_once, *summary.cards_once]))
    if summary.template and timestamp(summary.started) >= timestamp(record.last_meeting or summary.started):
        record.template = summary.template  # the latest meeting's (an older one synced late changes nothing)
    record.last_meeting = max((d for d in (record.last_meeting, summary.started) if d), key=timestamp)
    record.created = record.created or summary.started
    record.meetings.append(summary.id)
    return record


def _add_items(record: PartnerRecord, summary: Summary) -> None:
    """The meeting's facts, goals and commitments, dated by its day, made (`updated`) when it ended."""
    day, at = summary.started.date(), summary.ended
    for n, fact in enumerate(summary.remembered):
        record.facts.append(Fact(fact.text, day, summary.id, id=meeting_item_id("fact", summary.id, n), updated=at))
    for n, goal in enumerate(summary.goals):
        record.goals.append(Goal(id=meeting_item_id("goal", summary.id, n), text=goal.text, status=goal.status,
                                 added=day, closed=day if goal.status is not Status.OPEN else None,
                                 meeting=summary.id, updated=at))
    for n, item in enumerate(summary.commitments):
        settled = item.status is not Status.OPEN
        record.commitments.append(Commitment(id=meeting_item_id("commitment", summary.id, n), text=item.text,
                                             owner=item.owner, due=item.due, status=item.status, made=day,
                                             made_in=summary.id, closed=day if settled else None,
                                             closed_in=summary.id if settled else "", updated=at))


def _settle_reviewed(record: PartnerRecord, summary: Summary) -> None:
    """The outcomes of the meeting's review; an item it changed is `updated` when the meeting ended
    (or keeps a later time it has: a change is never dated back)."""
    day, at = summary.started.date(), summary.ended
    by_id = {("goal", g.id): g for g in record.goals} | {("commitment", c.id): c for c in record.commitments}
    for review in summary.reviewed:
        target = by_id.get((review.kind.value, review.id))
        if target is None:
            continue
        before = msgspec.structs.replace(target)
        target.status = review.status
        target.closed = day if review.status is not Status.OPEN else None
        if isinstance(target, Commitment):
            target.closed_in = summary.id if review.status is not Status.OPEN else ""
        if target != before:
            target.updated = max((d for d in (target.updated, at) if d), key=timestamp)


def meeting_item_id(kind: str, meeting: str, position: int) -> str:
    """The id of the `position`-th fact, goal or commitment made in a meeting: the same wherever that
    meeting is folded in, so a meeting folded in on two devices gives each item once after a merge."""
    return content_id(f"{kind} of a meeting", meeting, position)


def remember_meeting(summary: Summary, name: str | None = None) -> Path:
    """Update the partner file after a summary is saved; a broken file is backed up first."""
    name = name or summary.partner
    path = partner_path(name)
    try:
        record = load_record(name)
    except ProblemsError:
        if git_markers(path) is not None:  # the user is merging by hand: this meeting waits beside the file
            waiting = PartnerRecord(name=normalize_name(name), slug=path.stem)
            return write_beside(path, apply_summary(waiting, summary), summary.ended)
        set_aside(path, summary.started)  # a broken (hand-edited) file is kept beside the new one
        record = PartnerRecord(name=normalize_name(name), slug=path.stem)
    if summary.id in record.meetings:
        return path
    return save_record(apply_summary(record, summary))


def git_markers(path: Path) -> Problem | None:
    """The problem of a partner file a git merge left conflict markers in, at their line; None when
    it has none (or cannot be read at all)."""
    from coach.conflicts import git_marker_line

    try:
        line = git_marker_line(read_text(path))
    except ProblemsError:
        return None
    return None if line is None else Problem(
        path, line, 1, "git conflict markers (<<<<<<< ======= >>>>>>>): keep the lines you want and delete the "
        "markers; what coach could not add meanwhile waits beside the file and is merged at the next start")


def write_beside(path: Path, record: PartnerRecord, when: datetime) -> Path:
    """`record` in a copy beside the partner file `path` (`<slug>.coach-waiting-<time>.toml`), which
    coach merges into the file like a sync engine's conflict copy once the file can be read."""
    target = free_name(path.parent, f"{path.stem}.coach-waiting-{when.astimezone(UTC):%Y%m%d-%H%M%S}", ".toml")
    write_atomic(target, records.encode(record, empty_lists=False))
    return target


def known_partners() -> tuple[list[Partner], list[Problem]]:
    """Everyone with a partner file or a saved summary, most recently met first."""
    found: dict[str, Partner] = {}
    problems: list[Problem] = []

    def note(name: str, when: datetime | None) -> None:
        name = normalize_name(name)  # one entry a person: by name, not by file-name slug
        old = found.get(name)
        last = max((d for d in (when, old.last_meeting if old else None) if d is not None),
                   key=timestamp, default=None)
        found[name] = Partner(name, last)

    files: dict[str, Path] = {}
    for path, record in records_in(partners_dir(), problems):
        name = normalize_name(record.name)
        if name in files:  # two files for one person: say which one coach uses
            problems.append(Problem(path, 1, 1, f"also holds the partner {name!r}, as {files[name]} does: "
                                                "coach uses one of them; merge them by hand"))
            continue
        files[name] = path
        note(record.name, record.last_meeting)
    from coach.history import load_headers  # the history index: no need to read every summary

    headers, skipped = load_headers()  # under the names partners have now (see `as_current`)
    problems.extend(skipped)
    deleted = deleted_names()
    for header in headers:
        if normalize_name(header.partner) in files or normalize_name(header.partner) not in deleted:
            note(header.partner, header.started)
    met = sorted((p for p in found.values() if p.last_meeting), key=lambda p: timestamp(p.last_meeting),
                 reverse=True)
    new = sorted((p for p in found.values() if not p.last_meeting), key=lambda p: p.name.casefold())
    return met + new, problems


def unreadable_files() -> list[Problem]:
    """The problems of the partner files that cannot be read."""
    problems: list[Problem] = []
    for _ in records_in(partners_dir(), problems):
        pass
    return problems


def files_that_may_hold(name: str, problems: Iterable[Problem]) -> list[Problem]:
    """When `name` has no partner file of their own, the problems of the partner files that cannot
    be read yet hold their name (as a former name, say): what coach remembers of them may be there.
    [] when they have a file."""
    if has_file(name):
        return []
    import json

    folder, quoted = partners_dir(), json.dumps(normalize_name(name), ensure_ascii=False)  # as TOML writes it
    problems = [problem for problem in problems if problem.path.parent == folder]
    mentioning = set()
    for path in {problem.path for problem in problems}:  # each file read once, whatever its problems
        with contextlib.suppress(ProblemsError):
            if quoted in read_text(path):
                mentioning.add(path)
    return [problem for problem in problems if problem.path in mentioning]


def resolve(name: str, known: list[Partner]) -> str:
    """The stored spelling of `name`: names that differ by case or accents are different people."""
    wanted = normalize_name(name)
    return next((p.name for p in known if p.name == wanted), wanted)


def closest(name: str, known: list[Partner]) -> list[Partner]:
    """Known partners whose names match `name` ignoring case, for a "did you mean" hint."""
    wanted = normalize_name(name).casefold()
    return [p for p in known if p.name.casefold() == wanted and p.name != normalize_name(name)]


# -- partners renamed, merged or deleted ------------------------------------------------------------
ASIDE_DELETED = "deleted"
"""`partners/deleted/`: the files of deleted partners."""
ASIDE_MERGED = "merged"
"""`partners/merged/`: the files of partners merged into another one."""


def move_aside(path: Path, folder: str, when: datetime) -> Path:
    """Move a partner file into `partners/<folder>/`, named by its slug and `when` (never over
    another file there), readable by its owner only; return where it went."""
    return move_to(path, ensure_dir(partners_dir() / folder), f"{path.stem}.{when:%Y%m%d-%H%M%S}", ".toml")


def records_in(folder: Path, problems: list[Problem] | None = None) -> Iterable[tuple[Path, PartnerRecord]]:
    """Each readable partner file of `folder` (not its subfolders) and its record; a problem for
    each other one, when `problems` is given."""
    for path in partner_files(folder):
        try:
            yield path, records.read(PartnerRecord, path)
        except ProblemsError as error:
            if problems is not None:
                problems.extend(error.problems)


def deleted_names() -> set[str]:
    """The names (current and former) of deleted partners: they are not offered any more, unless
    someone of that name has a partner file again. A file there that cannot be read still gives
    its `name = "…"` line when it has one."""
    names: set[str] = set()
    folder = partners_dir() / ASIDE_DELETED
    for path in partner_files(folder):
        try:
            record = records.read(PartnerRecord, path)
        except ProblemsError:
            if owner := _owner(path):
                names.add(owner)
            continue
        names.update(normalize_name(n) for n in (record.name, *record.former_names))
    return names


class _Names(Struct):
    """What `as_current` needs of a partner file: the top of it, before its first table."""

    name: Name
    former_names: list[Name] = []
    meetings: list[str] = []


_FIRST_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)


def _names() -> list[_Names]:
    """The name, former names and meetings of each partner file that has them. Only the top of a
    file is read (top-level keys come before any table in TOML): history asks this at every listing."""
    import msgspec

    found = []
    folder = partners_dir()
    for path in partner_files(folder):
        try:
            text = read_text(path)
            top = _FIRST_TABLE.search(text)
            try:
                doc = parse_toml(path, text[:top.start()] if top else text)
            except ProblemsError:
                doc = parse_toml(path, text)  # an array of arrays at the top, written by hand
            names = msgspec.convert({k: doc[k] for k in ("name", "former_names", "meetings") if k in doc}, _Names)
        except (ProblemsError, msgspec.ValidationError):
            continue
        if not name_problem(names.name) and not any(name_problem(n) for n in names.former_names):
            found.append(names)
    return found


def current_names() -> dict[str, str]:
    """Each former name of a partner (before a rename or a merge) → the name they have now, when
    nobody is called that now."""
    live = {normalize_name(r.name): r for r in _names()}
    return {normalize_name(f): name for name, r in live.items() for f in r.former_names
            if normalize_name(f) not in live}


def find_named(typed: str, names: list[str]) -> list[str]:
    """The names `typed` finds (`coach.names.find_partners`); when none, a former name typed whole
    finds the partner who has it now (`coach brief "Zoë O'Brien"` after she became Zoë Walsh)."""
    from coach.names import find_partners
    from coach.text import fold

    found = find_partners(normalize_name(typed), names)
    if not found:  # in any case or accent, as names are
        wanted = fold(" ".join(typed.split()))
        found = sorted({now for former, now in current_names().items() if fold(former) == wanted and now in names})
    return found


def former_names(name: str) -> list[str]:
    """The names the partner called `name` had before (from their file; [] when it cannot be read)."""
    wanted = normalize_name(name)
    return [normalize_name(f) for r in _names() if normalize_name(r.name) == wanted for f in r.former_names]


def owners() -> Callable[[str, str], str]:
    """Whose a meeting is now, from its id and the name its summary was written with: a meeting of
    a former name of a partner (before a rename or a merge) is theirs, under their current name.

    When a former name is someone's name again, or two partners once had it, the partner whose
    record holds that meeting's id has it."""
    live = _names()
    names = {normalize_name(r.name) for r in live}
    claims: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for record in live:
        held = frozenset(record.meetings)
        for former in record.former_names:
            claims.setdefault(normalize_name(former), []).append((normalize_name(record.name), held))
    taken = {normalize_name(r.name): frozenset(r.meetings) for r in live}

    def owner(meeting_id: str, written: str) -> str:
        name = normalize_name(written)
        claimants = claims.get(name)
        if not claimants:
            return name
        now = next((now for now, held in claimants if meeting_id in held), None)
        if now is not None and meeting_id not in taken.get(name, frozenset()):
            return now
        if now is None and len(claimants) == 1 and name not in names:
            return claimants[0][0]
        return name

    return owner


def as_current(headers: list[MeetingHeader]) -> list[MeetingHeader]:
    """The meetings, each under the name its partner has now (see `owners`): summaries are never
    rewritten, so a meeting whose summary names a former name lists under the current one."""
    import msgspec

    if not any(r.former_names for r in _names()):
        return headers
    owner = owners()
    out = []
    for header in headers:
        now = owner(header.id, header.partner)
        if now != normalize_name(header.partner):
            header = msgspec.structs.replace(header, partner=now, partner_slug=slugify(now))
        out.append(header)
    return out
