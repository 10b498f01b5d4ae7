"""Meeting summaries on disk: `sessions/<YYYY>/<id>.toml` plus a Markdown rendering beside it.

A summary is written once, by its own meeting, and never rewritten: saving the same meeting
again (after a crash between the summary and the end of the save) leaves it as it is.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from coach import records
from coach.model import Summary
from coach.outcome import Outcome, Promise
from coach.store import sessions_dir, write_atomic
from coach.text import md_block, md_fenced, md_inline
from coach.timing import time_figures

SETTLED = "## Settled in this meeting"
"""The heading of what the review answered and the goals reached or dropped (`### Done`, …)."""


@dataclass(frozen=True)
class SavedSummary:
    """Where a summary went, and whether this save wrote it (False: it was already there)."""

    toml_path: Path
    md_path: Path
    written: bool = True


def to_markdown(summary: Summary) -> str:
    """A human-readable rendering of the summary, for reading and sharing.

    Everything that came from the user is escaped: a note renders as the text that was typed,
    never as a heading, a link or HTML, and no control character is written raw.
    """
    out = [f"# Meeting with {md_inline(summary.partner)}", ""]
    ends = f"{summary.ended:%H:%M}" if summary.ended.date() == summary.started.date() else \
        f"{summary.ended:%a %d %b %Y, %H:%M}"  # across midnight: the end says its own day
    out.append(f"- **When:** {summary.started:%a %d %b %Y, %H:%M} – {ends}")
    out.append(f"- **Template:** {md_inline(summary.template)}")
    if summary.rating is not None:
        out.append(f"- **Rating:** {summary.rating}/5")
    if summary.reflection.strip():
        out.append(f"- **Reflection:** {md_inline(summary.reflection.strip())}")
    out.append("")
    for number, phase in enumerate(summary.phases, 1):  # numbered: no phase heading is another's, nor a
        out.append(f"## {number}. {md_inline(phase.title)}")  # section's below ("Goals" the phase, "New goals")
        out.append("")
        figures = time_figures(phase.actual_seconds, phase.planned_seconds, phase.rebalanced_seconds,
                               phase.added_seconds)
        out.append(f"*{figures}*")
        out.append("")
        out.append(md_block(phase.notes) or "_No notes._")
        out.append("")
    out += _outcome_lines(Outcome.of(summary))
    if summary.follow_up.strip():
        out += ["## Follow-up", "", md_fenced(summary.follow_up), ""]
    return "\n".join(out).rstrip() + "\n"


def _outcome_lines(outcome: Outcome) -> list[str]:
    """What the meeting settled (each part under its own `###`), then what it captured."""
    settled = [("Done", [_promise(p) for p in outcome.done]),
               ("Carried over", [_promise(p) for p in outcome.carried]),
               ("Dropped", [_promise(p) for p in outcome.dropped]),
               ("Goals reached", [md_inline(g) for g in outcome.goals_reached]),
               ("Goals dropped", [md_inline(g) for g in outcome.goals_dropped])]
    out = [SETTLED, ""] if any(items for _title, items in settled) else []
    for title, items in settled:
        if items:
            out += [f"### {title}", ""] + [f"- {item.strip() or '_(blank)_'}" for item in items] + [""]
    captured = [("New goals", [md_inline(g) for g in outcome.goals]),
                ("New commitments", [_promise(p) for p in outcome.commitments]),
                ("Remembered", [md_inline(r) for r in outcome.remembered])]
    for title, items in captured:
        if items:
            out += [f"## {title}", ""] + [f"- {item.strip() or '_(blank)_'}" for item in items] + [""]
    return out


def _promise(promise: Promise) -> str:
    due = f" (by {promise.due:%Y-%m-%d})" if promise.due else ""
    return f"**{promise.owner.value}**: {md_inline(promise.text)}{due}"


def summary_path(summary: Summary, folder: Path | None = None) -> Path:
    """`sessions/<YYYY>/<id>.toml`, or `<folder>/<id>.toml` when the user chose a folder."""
    folder = folder if folder is not None else sessions_dir() / f"{summary.started:%Y}"
    return folder / f"{summary.id}.toml"


def save(summary: Summary, folder: Path | None = None) -> SavedSummary:
    """Write the TOML summary and its Markdown rendering, each atomically.

    A summary already on disk for this meeting is never rewritten (its Markdown is written
    only if missing).
    """
    toml_path = summary_path(summary, folder)
    md_path = toml_path.with_suffix(".md")
    written = not toml_path.exists()
    if written:
        write_atomic(toml_path, records.encode(summary))
    if written or not md_path.exists():
        write_atomic(md_path, to_markdown(summary))
    return SavedSummary(toml_path, md_path, written)


def load(path: Path) -> Summary:
    """Read a summary back; ProblemsError pointing at the line when it cannot be used."""
    return records.read(Summary, path)


def partner_summaries(slug: str) -> list[Path]:
    """The partner's summary files, oldest first (their names start with the date)."""
    root = sessions_dir()
    if not root.is_dir():
        return []
    return sorted(root.glob(f"*/*-{slug}-*.toml"), key=lambda p: p.name)


def latest(partner: str) -> Summary | None:
    """The partner's most recent summary that reads (a broken one is skipped: history reports it):
    the one that started last, wherever its zone. Found by the slug in its file name (of any name
    they had, or of their partner file, which a hand-written one may name otherwise), and checked
    by the name inside it — theirs, or one they had before a rename or a merge (summaries keep the
    name they were written with)."""
    from coach.clock import timestamp
    from coach.partner_files import partner_path
    from coach.partners import former_names, owners
    from coach.problems import ProblemsError
    from coach.store import normalize_name, slugify

    name = normalize_name(partner)
    names = {name, *former_names(name)}
    slugs = {slugify(n) for n in names}
    with contextlib.suppress(OSError):
        slugs.add(partner_path(name).stem)
    owner = owners()  # a meeting of a name someone had before is theirs, not a newcomer's of that name
    paths = sorted({path for slug in slugs for path in partner_summaries(slug)}, key=lambda p: p.name)
    found: list[Summary] = []
    newest_named = None
    for path in reversed(paths):  # newest first by the time in their names, in the zone each was written in
        if newest_named is not None and _named_time(path) < newest_named - ZONES_APART:
            break  # named a day and more before one already found: it started earlier, whatever the zones
        try:
            summary = load(path)
        except ProblemsError:
            continue
        if normalize_name(summary.partner) in names and owner(summary.id, summary.partner) == name:
            found.append(summary)
            newest_named = _named_time(path) if newest_named is None else newest_named
    return max(found, key=lambda s: (timestamp(s.started), s.id), default=None)


ZONES_APART = 27 * 3600
"""Seconds between the local times of one instant in two zones, at most (UTC-12 to UTC+14, and a
summer hour): a summary named so much earlier than another cannot have started later."""


def _named_time(path: Path) -> float:
    """The local time a summary's name starts with (`2026-11-30-1623-…`), as seconds; 0 without one."""
    try:
        return datetime.strptime(path.name[:15], "%Y-%m-%d-%H%M").timestamp()
    except ValueError:
        return 0.0
