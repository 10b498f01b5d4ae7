"""The people a user meets: one `partners/<slug>.toml` each.

This slice keeps the partner's display name and the date of the last meeting; facts,
goals and commitments join the same file as partner memory grows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from coach.model import SCHEMA
from coach.problems import Problem, ProblemsError, read_toml
from coach.store import dump_toml, normalize_name, partners_dir, sessions_dir, slugify, write_atomic


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


def record_meeting(name: str, started: datetime) -> Path:
    """Note a meeting in the partner's file (created if missing); other keys are kept."""
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
    root = sessions_dir()
    for path in sorted(root.glob("*/*.toml")) if root.is_dir() else []:
        try:
            doc, _ = read_toml(path)
        except ProblemsError as error:
            problems.extend(error.problems)
            continue
        if isinstance(doc.get("partner"), str) and isinstance(doc.get("started"), datetime):
            note(doc["partner"], doc["started"], 1)
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
