"""Meeting summaries on disk: `sessions/<YYYY>/<id>.toml` plus a Markdown rendering beside it.

A summary is written once, by its own meeting, and never rewritten by another one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from coach.model import SCHEMA, Capture, CaptureKind, Owner, PhaseRecord, Review, Status, Summary
from coach.problems import Problem, ProblemsError, read_toml
from coach.store import dump_toml, sessions_dir, write_atomic


@dataclass(frozen=True)
class SavedSummary:
    """Where a summary went."""

    toml_path: Path
    md_path: Path


SECTIONS = {CaptureKind.COMMITMENT: "commitments", CaptureKind.FACT: "remembered", CaptureKind.GOAL: "goals"}
"""Where each kind of capture goes in a summary."""


def capture_row(item: Capture, *keys: str) -> dict:
    """A capture as a TOML table; `keys` picks the optional fields (owner, status, due)."""
    row: dict = {"text": item.text}
    if "owner" in keys:
        row["owner"] = item.owner.value
    if "status" in keys:
        row["status"] = item.status
    if "due" in keys and item.due is not None:  # tomli_w cannot write None: leave it out
        row["due"] = item.due
    if item.phase:
        row["phase"] = item.phase
    if item.at is not None:
        row["at"] = item.at.replace(microsecond=0)
    return row


def capture_from_row(kind: CaptureKind, row: dict) -> Capture:
    """Read a capture back from its table; raise KeyError/ValueError when it is unusable."""
    due, at = row.get("due"), row.get("at")
    if not isinstance(row["text"], str):
        raise ValueError("text")
    return Capture(kind, row["text"], row.get("phase", ""), Owner(row.get("owner", "me")),
                   due if isinstance(due, date) and not isinstance(due, datetime) else None,
                   row.get("status", "open"), at if isinstance(at, datetime) else None)


def to_dict(summary: Summary) -> dict:
    """The summary as the TOML document the contract describes."""
    doc: dict = {
        "schema": SCHEMA,
        "id": summary.id,
        "partner": summary.partner,
        "partner_slug": summary.partner_slug,
        "template": summary.template,
        "started": summary.started.replace(microsecond=0),
        "ended": summary.ended.replace(microsecond=0),
    }
    if summary.rating is not None:
        doc["rating"] = summary.rating
    doc["reflection"] = summary.reflection
    doc["phases"] = []
    for phase in summary.phases:
        row = {
            "id": phase.id,
            "title": phase.title,
            "planned_seconds": round(phase.planned_seconds, 1),
            "actual_seconds": round(phase.actual_seconds, 1),
            "notes": phase.notes,
            "cards_seen": list(phase.cards_seen),
        }
        if phase.added_seconds:
            row["added_seconds"] = round(phase.added_seconds, 1)
        if phase.rebalanced_seconds is not None:
            row["rebalanced_seconds"] = phase.rebalanced_seconds
        doc["phases"].append(row)
    doc["commitments"] = [
        capture_row(c, "owner", "status", "due") for c in summary.of_kind(CaptureKind.COMMITMENT)
    ]
    doc["remembered"] = [capture_row(c) for c in summary.of_kind(CaptureKind.FACT)]
    doc["goals"] = [capture_row(c, "status") for c in summary.of_kind(CaptureKind.GOAL)]
    doc["reviewed"] = [
        {k: v for k, v in {"kind": r.kind.value, "id": r.id, "text": r.text, "status": r.status.value,
                           "owner": r.owner.value if r.kind is CaptureKind.COMMITMENT else None,
                           "made_in": r.made_in}.items() if v}
        for r in summary.reviewed
    ]
    doc["follow_up"] = summary.follow_up
    if summary.started_over:
        doc["decks_started_over"] = list(summary.started_over)
    return doc


def duration(seconds: float) -> str:
    """`12:05` for 725 seconds."""
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def to_markdown(summary: Summary) -> str:
    """A human-readable rendering of the summary, for reading and sharing."""
    out = [f"# Meeting with {summary.partner}", ""]
    out.append(f"- **When:** {summary.started:%a %d %b %Y, %H:%M} – {summary.ended:%H:%M}")
    out.append(f"- **Template:** {summary.template}")
    if summary.rating is not None:
        out.append(f"- **Rating:** {summary.rating}/5")
    if summary.reflection.strip():
        out.append(f"- **Reflection:** {summary.reflection.strip()}")
    out.append("")
    for phase in summary.phases:
        out.append(f"## {phase.title}")
        out.append("")
        allowed = phase.planned_seconds + phase.added_seconds
        out.append(f"*{duration(phase.actual_seconds)} of {duration(allowed)} planned*")
        out.append("")
        out.append(phase.notes.strip() or "_No notes._")
        out.append("")
    sections = [
        ("Goals", CaptureKind.GOAL, lambda c: c.text),
        ("Commitments", CaptureKind.COMMITMENT,
         lambda c: f"**{c.owner.value}**: {c.text}" + (f" (by {c.due:%Y-%m-%d})" if c.due else "")),
        ("Remembered", CaptureKind.FACT, lambda c: c.text),
    ]
    if summary.reviewed:
        out.append("## Reviewed from earlier meetings")
        out.append("")
        out.extend(f"- {r.text}: **{r.status.value}**" for r in summary.reviewed)
        out.append("")
    for title, kind, render in sections:
        items = summary.of_kind(kind)
        if items:
            out.append(f"## {title}")
            out.append("")
            out.extend(f"- {render(item)}" for item in items)
            out.append("")
    if summary.follow_up.strip():
        out += ["## Follow-up", "", summary.follow_up.strip(), ""]
    return "\n".join(out).rstrip() + "\n"


def summary_path(summary: Summary, folder: Path | None = None) -> Path:
    """`sessions/<YYYY>/<id>.toml`, or `<folder>/<id>.toml` when the user chose a folder."""
    folder = folder if folder is not None else sessions_dir() / f"{summary.started:%Y}"
    return folder / f"{summary.id}.toml"


def save(summary: Summary, folder: Path | None = None) -> SavedSummary:
    """Write the TOML summary and its Markdown rendering, each atomically."""
    toml_path = summary_path(summary, folder)
    write_atomic(toml_path, dump_toml(to_dict(summary)))
    md_path = toml_path.with_suffix(".md")
    write_atomic(md_path, to_markdown(summary))
    return SavedSummary(toml_path, md_path)


def _as_datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    raise ValueError


def _check_types(doc: dict) -> None:
    """Raise ValueError naming the first key whose value has the wrong type."""
    expected = {"id": str, "partner": str, "partner_slug": str, "template": str, "reflection": str,
                "follow_up": str}
    for key, kind in expected.items():
        if key in doc and not isinstance(doc[key], kind):
            raise ValueError(f"`{key}` must be {kind.__name__}")
    rating = doc.get("rating")
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int)):
        raise ValueError("`rating` must be a whole number")
    for phase in doc.get("phases", []):
        if not isinstance(phase, dict) or not isinstance(phase.get("notes", ""), str):
            raise ValueError("a phase's `notes` must be text")


def load(path: Path) -> Summary:
    """Read a summary back; raise ProblemsError with a position when it cannot be used."""
    doc, _text = read_toml(path)
    try:
        if doc.get("schema") != SCHEMA:
            raise ProblemsError([Problem(path, 1, 1, f"unknown schema {doc.get('schema')!r} (expected {SCHEMA})")])
        _check_types(doc)
        captures = [capture_from_row(kind, row) for kind, section in SECTIONS.items()
                    for row in doc.get(section, [])]
        return Summary(
            id=doc["id"],
            partner=doc["partner"],
            partner_slug=doc.get("partner_slug", ""),
            template=doc.get("template", ""),
            started=_as_datetime(doc["started"]),
            ended=_as_datetime(doc["ended"]),
            phases=[
                PhaseRecord(p["id"], p.get("title", p["id"]), float(p["planned_seconds"]),
                            float(p.get("actual_seconds", 0)), float(p.get("added_seconds", 0)),
                            p.get("notes", ""), list(p.get("cards_seen", [])), p.get("rebalanced_seconds"))
                for p in doc.get("phases", [])
            ],
            captures=captures,
            rating=doc.get("rating"),
            reflection=doc.get("reflection", ""),
            follow_up=doc.get("follow_up", ""),
            started_over=[str(d) for d in doc.get("decks_started_over", [])],
            reviewed=[Review(CaptureKind(r["kind"]), r["id"], r["text"], Status(r["status"]),
                             Owner(r.get("owner", "me")), r.get("made_in", "")) for r in doc.get("reviewed", [])],
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        what = f"missing key {error}" if isinstance(error, KeyError) else str(error) or "a value has the wrong type"
        raise ProblemsError([Problem(path, 1, 1, f"not a usable summary: {what}")]) from None


def partner_summaries(slug: str) -> list[Path]:
    """The partner's summary files, oldest first (their names start with the date)."""
    root = sessions_dir()
    if not root.is_dir():
        return []
    return sorted(root.glob(f"*/*-{slug}-*.toml"), key=lambda p: p.name)


def latest_header(slug: str) -> dict | None:
    """started, rating and reflection of the partner's most recent readable summary."""
    for path in reversed(partner_summaries(slug)):
        try:
            doc, _ = read_toml(path)
        except ProblemsError:
            continue
        if doc.get("partner_slug") == slug and isinstance(doc.get("started"), datetime):
            return {"started": doc["started"], "rating": doc.get("rating"),
                    "reflection": doc.get("reflection", "") if isinstance(doc.get("reflection"), str) else "",
                    "path": path}
    return None
