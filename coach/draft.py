"""The draft: the whole meeting in progress, kept on disk so no typed word is ever lost.

`to_state` / `restore` turn a Meeting into a TOML document and back. Monotonic times mean
nothing in another process, so the draft stores each phase's elapsed seconds as of
`saved_at` (wall time); on resume the gap since then is shown and, unless the user says
otherwise, not counted as phase time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from coach.meeting import Meeting, PhaseRun, Stage
from coach.model import (
    SCHEMA,
    CaptureKind,
    Deck,
    Owner,
    PartnerRecord,
    PhasePlan,
    Review,
    Status,
    Template,
    card_key,
)
from coach.problems import Problem, ProblemsError, read_toml
from coach.store import data_dir, dump_toml, write_atomic
from coach.summaries import capture_from_row, capture_row

DRAFT_NAME = "draft.toml"


def draft_path() -> Path:
    return data_dir() / DRAFT_NAME


def to_state(meeting: Meeting, now: float, wall: datetime) -> dict:
    """Everything needed to put the meeting back exactly as it is at `now`."""
    doc: dict = {
        "schema": SCHEMA,
        "kind": "draft",
        "saved_at": wall,
        "id": meeting.id,
        "partner": meeting.partner,
        "stage": meeting.stage.value,
        "phase_index": meeting.index,
        "paused": meeting.paused,
        "reflection": meeting.reflection,
        "follow_up": meeting.follow_up,
        "template": {
            "id": meeting.template.id,
            "title": meeting.template.title,
        },
    }
    for key in ("started", "planned_end"):
        if (value := getattr(meeting, key)) is not None:
            doc[key] = value.replace(microsecond=0)
    if meeting.rating is not None:
        doc["rating"] = meeting.rating
    doc["phases"] = [_phase_state(run, now) for run in meeting.phases]
    doc["captures"] = [
        {"kind": item.kind.value, **capture_row(item, "owner", "status", "due")} for item in meeting.captures
    ]
    if meeting.unsaved_capture is not None:
        kind, text = meeting.unsaved_capture
        doc["unsaved_capture"] = {"kind": kind.value, "text": text}
    doc["reviewed"] = [{"kind": r.kind.value, "id": r.id, "text": r.text, "status": r.status.value,
                        "owner": r.owner.value, "made_in": r.made_in} for r in meeting.reviewed]
    return doc


def _phase_state(run: PhaseRun, now: float) -> dict:
    row = {
        "id": run.plan.id,
        "title": run.plan.title,
        "minutes": run.plan.minutes,
        "decks": list(run.plan.decks),
        "planned_seconds": run.clock.planned,
        "elapsed_seconds": run.clock.at(now),
        "added_seconds": run.added_seconds,
        "rebalanced": run.rebalanced,
        "notes": run.notes,
        "seen": list(run.seen),
    }
    if run.card is not None:
        row["card"] = card_key(run.card)
    return row


@dataclass
class Draft:
    """A draft read back from disk."""

    path: Path
    state: dict

    @property
    def partner(self) -> str:
        return self.state["partner"]

    @property
    def saved_at(self) -> datetime:
        return self.state["saved_at"]

    def away_seconds(self, wall: datetime) -> float:
        """How long ago the draft was last written."""
        return max(0.0, (wall - self.saved_at).total_seconds())

    def restore(self, decks: Mapping[str, Deck], now: float, count_gap: float = 0.0,
                memory: PartnerRecord | None = None) -> Meeting:
        """The meeting as it was; `count_gap` seconds are added to a phase that was running."""
        state = self.state
        plans = tuple(PhasePlan(p["id"], p["title"], float(p["minutes"]), tuple(p["decks"]))
                      for p in state["phases"])
        template = Template(state["template"]["id"], state["template"]["title"], plans)
        meeting = Meeting(state["partner"], template, decks, memory)
        meeting.id = state["id"]
        meeting.stage = Stage(state["stage"])
        meeting.index = int(state["phase_index"])
        meeting.paused = bool(state["paused"])
        meeting.started = state.get("started")
        meeting.planned_end = state.get("planned_end")
        meeting.rating = state.get("rating")
        meeting.reflection = state.get("reflection", "")
        meeting.follow_up = state.get("follow_up", "")
        if isinstance(pending := state.get("unsaved_capture"), dict):
            meeting.unsaved_capture = (CaptureKind(pending["kind"]), str(pending.get("text", "")))
        meeting.reviewed = [Review(CaptureKind(r["kind"]), r["id"], r["text"], Status(r["status"]),
                                   Owner(r.get("owner", "me")), r.get("made_in", ""))
                            for r in state.get("reviewed", [])]
        for run, saved in zip(meeting.phases, state["phases"], strict=True):
            run.clock.planned = float(saved["planned_seconds"])
            run.clock.elapsed = float(saved["elapsed_seconds"])
            run.added_seconds = float(saved.get("added_seconds", 0.0))
            run.rebalanced = bool(saved.get("rebalanced", False))
            run.notes = saved.get("notes", "")
            run.seen = list(saved.get("seen", []))
            keys = [card_key(card) for card in run.cards]
            if saved.get("card") in keys:
                run.card_index = keys.index(saved["card"])
        meeting.captures = [capture_from_row(CaptureKind(row["kind"]), row) for row in state.get("captures", [])]
        current = meeting.current
        if current is not None and not meeting.paused:
            current.clock.elapsed += count_gap
            current.clock.start(now)
        return meeting


def load() -> Draft | None:
    """The draft left behind, if any; raise ProblemsError when it exists but cannot be used."""
    path = draft_path()
    if not path.exists():
        return None
    state, _ = read_toml(path)
    try:
        if state.get("schema") != SCHEMA or state.get("kind") != "draft":
            raise ValueError("not a coach draft")
        Draft(path, state).restore({}, 0.0)  # proves every key is there and usable
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        detail = f"missing key {error}" if isinstance(error, KeyError) else str(error) or "a value has the wrong type"
        raise ProblemsError([Problem(path, 1, 1, f"cannot resume this draft: {detail}")]) from None
    return Draft(path, state)


class DraftKeeper:
    """Writes the draft when asked, skipping writes that would change nothing."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or draft_path()
        self._written: str | None = None

    def save(self, meeting: Meeting, now: float, wall: datetime) -> bool:
        """Write the draft; return False when the meeting has not changed since the last write."""
        state = to_state(meeting, now, wall)
        text = dump_toml(state)
        # Compare without the clock fields, which move every second on their own.
        fingerprint = dump_toml({**state, "saved_at": 0, "phases": [
            {k: v for k, v in p.items() if k != "elapsed_seconds"} for p in state["phases"]]})
        if fingerprint == self._written:
            return False
        write_atomic(self.path, text)
        self._written = fingerprint
        return True

    def discard(self) -> None:
        """Remove the draft (after the summary is safely on disk, or when the user says so)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._written = None
