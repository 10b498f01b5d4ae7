"""The people a user meets: one `partners/<slug>.toml` each, holding what coach
remembers about them — facts, goals, commitments, the cards already seen — so it can
bring it back at the next meeting.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from coach.model import (
    SCHEMA,
    CaptureKind,
    Commitment,
    Fact,
    Goal,
    Owner,
    PartnerRecord,
    Status,
    Summary,
)
from coach.problems import Checker, Problem, ProblemsError, read_toml
from coach.store import dump_toml, normalize_name, partners_dir, slugify, write_atomic


@dataclass(frozen=True)
class Partner:
    name: str
    slug: str
    last_meeting: datetime | None = None
    meetings: int = 0


def partner_path(name: str) -> Path:
    return partners_dir() / f"{slugify(name)}.toml"


def _read(path: Path) -> dict:
    doc, _ = read_toml(path)
    if doc.get("schema") != SCHEMA or not isinstance(doc.get("name"), str):
        raise ProblemsError([Problem(path, 1, 1, "not a coach partner file (needs schema = 1 and a name)")])
    return doc


def ensure_partner(name: str, wall: datetime) -> Path:
    """Create the partner's file if it does not exist yet; return its path."""
    path = partner_path(name)
    if not path.exists():
        write_atomic(path, dump_toml({
            "schema": SCHEMA, "name": normalize_name(name), "slug": slugify(name),
            "created": wall.replace(microsecond=0),
        }))
    return path


def load_record(name: str) -> PartnerRecord:
    """The partner's memory; an empty one for a new partner. ProblemsError when the file is broken."""
    path = partner_path(name)
    if not path.exists():
        return PartnerRecord(normalize_name(name), slugify(name))
    doc, text = read_toml(path)
    return _parse_record(path, text, doc, name)


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _parse_record(path: Path, text: str, doc: dict, name: str) -> PartnerRecord:
    check = Checker(path, text)
    check.schema(doc, SCHEMA)
    record = PartnerRecord(check.text_value(doc, "name") or normalize_name(name), slugify(name))
    created, last = (check.typed_value(doc, key, datetime, "a date and time") for key in ("created", "last_meeting"))
    record.created, record.last_meeting = created, last  # type: ignore[assignment]
    seen = check.typed_value(doc, "seen_cards", list, "a list of card ids") or []
    record.seen_cards = [str(k) for k in seen]
    dated = (date, datetime)
    for i, row in enumerate(check.tables(doc, "facts", required=False)):
        learned = _date(check.typed_value(row, "learned", dated, "a date", "facts", i))
        record.facts.append(Fact(check.text_value(row, "text", "facts", i), learned or date.min,
                                 check.text_value(row, "meeting", "facts", i, required=False)))
    for i, row in enumerate(check.tables(doc, "goals", required=False)):
        record.goals.append(Goal(
            id=check.text_value(row, "id", "goals", i, required=False) or _new_id(),
            text=check.text_value(row, "text", "goals", i),
            status=Status(check.choice(row, "status", ["open", "reached", "dropped"], "open", "goals", i)),
            added=_date(check.typed_value(row, "added", dated, "a date", "goals", i)),
            closed=_date(check.typed_value(row, "closed", dated, "a date", "goals", i)),
            meeting=check.text_value(row, "meeting", "goals", i, required=False)))
    for i, row in enumerate(check.tables(doc, "commitments", required=False)):
        record.commitments.append(Commitment(
            id=check.text_value(row, "id", "commitments", i, required=False) or _new_id(),
            text=check.text_value(row, "text", "commitments", i),
            owner=Owner(check.choice(row, "owner", ["me", "them", "both"], "me", "commitments", i)),
            due=_date(check.typed_value(row, "due", dated, "a date (YYYY-MM-DD)", "commitments", i)),
            status=Status(check.choice(row, "status", ["open", "done", "dropped"], "open", "commitments", i)),
            made=_date(check.typed_value(row, "made", dated, "a date", "commitments", i)),
            made_in=check.text_value(row, "made_in", "commitments", i, required=False),
            closed=_date(check.typed_value(row, "closed", dated, "a date", "commitments", i))))
    if check.problems:
        raise ProblemsError(check.problems)
    return record


def _new_id() -> str:
    return secrets.token_hex(4)


def record_to_dict(record: PartnerRecord) -> dict:
    """The partner file's TOML document; absent values are left out (TOML has no null)."""
    def pick(row: dict) -> dict:
        return {k: v for k, v in row.items() if v is not None and v != ""}

    doc = pick({"schema": SCHEMA, "name": record.name, "slug": record.slug,
                "created": record.created and record.created.replace(microsecond=0),
                "last_meeting": record.last_meeting and record.last_meeting.replace(microsecond=0)})
    doc["seen_cards"] = list(record.seen_cards)
    doc["facts"] = [pick({"text": f.text, "learned": f.learned if f.learned != date.min else None,
                          "meeting": f.meeting}) for f in record.facts]
    doc["goals"] = [pick({"id": g.id, "text": g.text, "status": g.status.value, "added": g.added,
                          "closed": g.closed, "meeting": g.meeting}) for g in record.goals]
    doc["commitments"] = [pick({"id": c.id, "text": c.text, "owner": c.owner.value, "due": c.due,
                                "status": c.status.value, "made": c.made, "made_in": c.made_in,
                                "closed": c.closed}) for c in record.commitments]
    return doc


def save_record(record: PartnerRecord) -> Path:
    path = partners_dir() / f"{record.slug}.toml"
    write_atomic(path, dump_toml(record_to_dict(record)))
    return path


def apply_summary(record: PartnerRecord, summary: Summary) -> PartnerRecord:
    """Fold a saved meeting into the partner's memory: new facts, goals and commitments,
    the outcomes of the review, the cards seen, and the date of the meeting."""
    day = summary.started.date()
    for item in summary.of_kind(CaptureKind.FACT):
        record.facts.append(Fact(item.text, day, summary.id))
    for item in summary.of_kind(CaptureKind.GOAL):
        record.goals.append(Goal(_new_id(), item.text, Status(item.status), day,
                                 day if item.status != "open" else None, summary.id))
    for item in summary.of_kind(CaptureKind.COMMITMENT):
        record.commitments.append(Commitment(_new_id(), item.text, item.owner, item.due, Status(item.status),
                                             day, summary.id))
    by_id = {("goal", g.id): g for g in record.goals} | {("commitment", c.id): c for c in record.commitments}
    for review in summary.reviewed:
        target = by_id.get((review.kind.value, review.id))
        if target is not None:
            target.status = review.status
            target.closed = day if review.status is not Status.OPEN else None
    seen = [key for phase in summary.phases for key in phase.cards_seen if not key.startswith("memory:")]
    # A deck that started over in this meeting begins a new round: forget its earlier rounds.
    kept = [key for key in record.seen_cards if key.partition(":")[0] not in summary.started_over]
    record.seen_cards = list(dict.fromkeys([*kept, *seen]))
    record.last_meeting = max((d for d in (record.last_meeting, summary.started) if d), key=_sort_key)
    record.created = record.created or summary.started
    return record


def remember_meeting(summary: Summary, name: str | None = None) -> Path:
    """Update the partner file after a summary is saved; a broken file is backed up first."""
    name = name or summary.partner
    try:
        record = load_record(name)
    except ProblemsError:
        path = partner_path(name)
        backup_broken(path, summary.started)
        record = PartnerRecord(normalize_name(name), slugify(name))
    return save_record(apply_summary(record, summary))


def record_meeting(name: str, started: datetime) -> Path:
    """Note a meeting's date in the partner's file (created if missing); other keys are kept."""
    path = partner_path(name)
    try:
        doc = _read(path) if path.exists() else {}
    except ProblemsError:
        backup_broken(path, started)
        doc = {}
    doc.setdefault("schema", SCHEMA)
    doc["name"] = normalize_name(name)
    doc["slug"] = slugify(name)
    doc.setdefault("created", started.replace(microsecond=0))
    doc["last_meeting"] = started.replace(microsecond=0)
    write_atomic(path, dump_toml(doc))
    return path


def backup_broken(path: Path, when: datetime) -> Path:
    """Keep a broken (hand-edited) file beside the new one instead of overwriting it."""
    backup = path.with_name(f"{path.name}.broken-{when:%Y%m%d-%H%M%S}")
    os.replace(path, backup)
    return backup


def known_partners() -> tuple[list[Partner], list[Problem]]:
    """Everyone with a partner file or a saved summary, most recently met first."""
    found: dict[str, Partner] = {}
    problems: list[Problem] = []

    def note(name: str, when: datetime | None, count: int) -> None:
        slug = slugify(name)
        old = found.get(slug)
        last = max((d for d in (when, old.last_meeting if old else None) if d is not None),
                   key=_sort_key, default=None)
        found[slug] = Partner(normalize_name(name), slug, last, (old.meetings if old else 0) + count)

    folder = partners_dir()
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            doc = _read(path)
        except ProblemsError as error:
            problems.extend(error.problems)
            continue
        when = doc.get("last_meeting")
        note(doc["name"], when if isinstance(when, datetime) else None, 0)
    from coach.history import load_headers  # the header cache: no need to read every summary

    headers, skipped = load_headers()
    problems.extend(skipped)
    for header in headers:
        note(header.partner, header.started, 1)
    met = sorted((p for p in found.values() if p.last_meeting), key=lambda p: _sort_key(p.last_meeting),
                 reverse=True)
    new = sorted((p for p in found.values() if not p.last_meeting), key=lambda p: p.name.casefold())
    return met + new, problems


def _sort_key(when: datetime | None) -> float:
    if when is None:
        return 0.0
    try:
        return when.timestamp()
    except (OverflowError, OSError, ValueError):
        return 0.0


def resolve(name: str, known: list[Partner]) -> str:
    """The stored spelling of `name`: names that differ by case or accents are different people."""
    wanted = normalize_name(name)
    return next((p.name for p in known if p.name == wanted), wanted)


def closest(name: str, known: list[Partner]) -> list[Partner]:
    """Known partners whose names match `name` ignoring case, for a "did you mean" hint."""
    wanted = normalize_name(name).casefold()
    return [p for p in known if p.name.casefold() == wanted and p.name != normalize_name(name)]
