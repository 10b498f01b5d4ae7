"""Meeting summaries on disk: `sessions/<YYYY>/<id>.toml` plus a Markdown rendering beside it.

A summary is written once, by its own meeting, and never rewritten: saving the same meeting
again (after a crash between the summary and the end of the save) leaves it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    """The partner's most recent summary that reads (a broken one is skipped: history reports it).
    Found by the slug in its file name, and checked by the name inside it — theirs, or one they had
    before a rename or a merge (summaries keep the name they were written with)."""
    from coach.partners import former_names, owners
    from coach.problems import ProblemsError
    from coach.store import normalize_name, slugify

    name = normalize_name(partner)
    names = {name, *former_names(name)}
    owner = owners()  # a meeting of a name someone had before is theirs, not a newcomer's of that name
    paths = sorted({path for n in names for path in partner_summaries(slugify(n))}, key=lambda p: p.name)
    for path in reversed(paths):
        try:
            summary = load(path)
        except ProblemsError:
            continue
        if normalize_name(summary.partner) in names and owner(summary.id, summary.partner) == name:
            return summary
    return None
