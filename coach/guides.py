"""What a phase is for, said when it starts the first few times.

Each template phase may carry a `purpose`. The meeting shows it when the phase starts, until it
was shown `GUIDE_TIMES` times on this device; help and prep show it always. The counts live in
the state dir (`guides.toml`), per device and never synced: a missing or broken file counts from
zero, and the next write replaces it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from msgspec import Meta, Struct

from coach import records
from coach.cards import pick_tip, tips_of
from coach.model import SCHEMA, Deck, PhasePlan, Template, Text
from coach.problems import Problem, ProblemsError
from coach.store import state_dir, write_atomic

GUIDE_TIMES = 3
"""A phase's purpose shows when the phase starts this many times on a device; then only in help and prep."""
GUIDES_NAME = "guides.toml"

Times = Annotated[int, Meta(ge=0, le=1_000_000)]


class Shown(Struct, kw_only=True):
    """`[[shown]]`: the purpose of phase `phase` (`template/phase`) was shown `times` times."""

    phase: Text
    times: Times = 0


class GuideCounts(Struct, kw_only=True):
    """`guides.toml`: how many times each phase's purpose was shown."""

    schema: int = SCHEMA
    shown: list[Shown] = []

    def times(self, key: str) -> int:
        return max((row.times for row in self.shown if row.phase == key), default=0)


def guides_path() -> Path:
    return state_dir() / GUIDES_NAME


def read_counts(path: Path | None = None) -> tuple[GuideCounts, list[Problem]]:
    """The counts, and the problem with the file if it could not be used (then all start at zero)."""
    path = path or guides_path()
    if not path.exists():
        return GuideCounts(), []
    try:
        return records.read(GuideCounts, path), []
    except ProblemsError as error:
        return GuideCounts(), error.problems


def guide_key(template: Template, phase: PhasePlan) -> str:
    return f"{template.id}/{phase.id}"


def record_shown(counts: GuideCounts, key: str, path: Path | None = None) -> None:
    """Count one more showing of the guide `key`, on disk (OSError when it cannot be written)."""
    times = min(counts.times(key) + 1, 1_000_000)
    counts.shown = [row for row in counts.shown if row.phase != key] + [Shown(phase=key, times=times)]
    write_atomic(path or guides_path(), records.encode(counts), durable=False)


@dataclass(frozen=True)
class PhaseGuide:
    """What to say when a phase starts: its purpose (the first few times) and a rapport tip."""

    purpose: str = ""
    tip: str = ""

    def __bool__(self) -> bool:
        return bool(self.purpose or self.tip)


def guide_for(template: Template, phase: PhasePlan, decks: Mapping[str, Deck], counts: GuideCounts,
              seed: str, tips: bool = True, always: bool = False, moments: Collection[str] = ()) -> PhaseGuide:
    """The guide of `phase` at its start: the purpose while it was shown fewer than GUIDE_TIMES
    times (or `always`), and (unless `tips` is off) a tip picked for the phase by `seed` (the
    meeting's day; `moments`: the tags that tie a tip to a phase, see `coach.cards.phase_ids`)."""
    due = always or counts.times(guide_key(template, phase)) < GUIDE_TIMES
    purpose = phase.purpose if due else ""
    tip = pick_tip(tips_of(decks), phase.id, seed, moments) if tips else None
    return PhaseGuide(purpose, tip.text if tip is not None else "")
