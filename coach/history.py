"""Past meetings: their headers, read through the history index, and what a query finds in them.

The summaries in `sessions/**/*.toml` are the source of truth. The index (`coach.history_index`,
in the cache folder) keeps what a listing needs from each (its header) and a full-text index of
what was said, keyed by the file's path and checked against its size and modification time:
only new and changed files are read again, and deleting the index loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from coach import history_index as ix
from coach.clock import local, timestamp
from coach.history_query import TEXT_COLUMNS, Query, any_term, filter_headers, fts_expression
from coach.history_scan import scan
from coach.history_snippet import END, MARK, snippet
from coach.model import CaptureKind, Status, Summary
from coach.outcome import Outcome, Settled
from coach.problems import Problem, parse_toml, read_text
from coach.store import sessions_dir

if TYPE_CHECKING:
    from coach.history_build import Progress


class PhaseTime(msgspec.Struct, array_like=True, frozen=True, gc=False):
    id: str
    title: str
    planned: float  # seconds
    actual: float


class MeetingHeader(msgspec.Struct, array_like=True, gc=False):
    """What a listing, a filter and the trends need of one summary, without reading it again.

    Its times are in this computer's time zone (a listing reads in one zone, whatever zone each
    meeting was written in). A Struct the garbage collector does not track: thousands are made at
    once, and they hold no cycles."""

    id: str
    partner: str
    partner_slug: str
    started: datetime
    ended: datetime
    file: str  # the summary's path (a Path only when asked for: thousands are made at once)
    rating: int | None = None
    goals: int = 0
    commitments: int = 0
    remembered: int = 0
    kept: int = 0  # commitments of this meeting, or reviewed in it, that are done
    dropped: int = 0
    phases: tuple[PhaseTime, ...] = ()
    settled: Settled = Settled()  # what the meeting's review answered, and the goals it closed

    def __post_init__(self) -> None:
        self.started, self.ended = local(self.started), local(self.ended)

    @classmethod
    def of(cls, summary: Summary, file: str) -> MeetingHeader:
        """The header of a summary read through its declared shape: its counts are its `Outcome`'s."""
        outcome = Outcome.of(summary)
        counts = outcome.counts()
        statuses = [c.status for c in summary.commitments]
        statuses += [r.status for r in summary.reviewed if r.kind is CaptureKind.COMMITMENT]
        return cls(summary.id, summary.partner, summary.partner_slug, summary.started, summary.ended, file,
                   summary.rating, counts["goals"], counts["commitments"], counts["remembered"],
                   statuses.count(Status.DONE), statuses.count(Status.DROPPED),
                   tuple(PhaseTime(p.id, p.title, p.planned_seconds, p.actual_seconds) for p in summary.phases),
                   outcome.settled())

    def counts(self) -> dict[str, int]:
        """The meeting's `Outcome.counts()`, as the header keeps them."""
        return {"goals": self.goals, "commitments": self.commitments, "remembered": self.remembered,
                **msgspec.structs.asdict(self.settled)}

    @property
    def minutes(self) -> float:
        return max(0.0, (self.ended - self.started).total_seconds() / 60)

    @property
    def day(self) -> date:
        return self.started.date()

    @property
    def partner_folded(self) -> str:
        return self.partner.casefold()

    @property
    def path(self) -> Path:
        return Path(self.file)

    def to_json(self) -> dict:
        """The shape `coach history --json` prints: dates in ISO 8601, rating null when absent, and
        the counts of the meeting's outcome (`coach.outcome.COUNT_KEYS`)."""
        return {"id": self.id, "partner": self.partner, "partner_slug": self.partner_slug,
                "started": self.started.isoformat(), "ended": self.ended.isoformat(), "rating": self.rating,
                "minutes": round(self.minutes, 1), **self.counts(), "path": self.file}


def newest_first(h: MeetingHeader) -> tuple[float, str]:
    """Sort key: `reverse=True` lists the newest meeting first."""
    return (timestamp(h.started), h.id)


# -- one summary ---------------------------------------------------------------------------------
def read_header(path: Path) -> tuple[MeetingHeader, Summary, bool]:
    """The header of one summary file, the summary, and whether its times depend on this computer's
    time zone (written without an offset); ProblemsError pointing at the line when it cannot be used."""
    from coach import records

    text = read_text(path)
    doc = parse_toml(path, text)
    zoned = all(isinstance(doc.get(key), datetime) and doc[key].tzinfo is not None for key in ("started", "ended"))
    summary = records.decode(Summary, doc, path, text)
    return MeetingHeader.of(summary, str(path)), summary, not zoned


def texts_of(summary: Summary) -> tuple[str, ...]:
    """What the index searches, one text per column of `history_index.COLUMNS`. The characters that
    mark a match in a snippet are taken out (they are controls: nobody searches for them)."""
    def joined(items: Iterable[str]) -> str:
        text = "\n".join(item for item in items if item)
        return text.replace(MARK, " ").replace(END, " ") if MARK in text or END in text else text

    return (joined([summary.partner]), joined(p.notes for p in summary.phases), joined([summary.reflection]),
            joined(r.text for r in summary.remembered), joined(g.text for g in summary.goals),
            joined(c.text for c in summary.commitments))


# -- the whole history ---------------------------------------------------------------------------
@dataclass
class History:
    """Every readable summary's header, newest first (one per meeting), a problem for each file
    skipped, and the index to search what was said."""

    headers: list[MeetingHeader] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    index: ix.Index | None = None
    ids: dict[str, int] = field(default_factory=dict)  # a header's file → its row in the index
    broken: bool = False  # the index failed while searching: open the history again

    def select(self, query: Query, ranked: bool = False) -> list[MeetingHeader]:
        """The meetings `query` picks, newest first; when `ranked`, those whose partner's name holds
        one of the words first, then by how well what was said matches (bm25), then newest first."""
        chosen = filter_headers(self.headers, query)
        if not query.searches_text:
            return chosen
        parts = [fts_expression(query.grep, TEXT_COLUMNS) if query.grep else None,
                 fts_expression(query.words) if query.words else None]
        if (query.grep and parts[0] is None) or (query.words and parts[1] is None) or self.index is None:
            return []  # nothing that is a word to look for
        try:
            ranks = self.index.ranked(" AND ".join(f"({p})" for p in parts if p))
            names = any_term(query.words, ("partner",)) if ranked else None
            by_name = self.index.matching(names) if names else set()
        except ix.FAILURES as error:
            self._failed(error)
            return []
        chosen = [h for h in chosen if self.ids.get(h.file) in ranks]
        if ranked:
            chosen.sort(key=lambda h: (self.ids[h.file] not in by_name, ranks[self.ids[h.file]]))
        return chosen

    def snippets(self, query: Query, headers: list[MeetingHeader]) -> dict[str, str]:
        """For each of `headers` whose notes, reflection, facts, goals or commitments hold a word of
        `query`: a few words around them, each match between `MARK` and `END`."""
        terms = query.grep + query.words
        if not terms or self.index is None:
            return {}
        ids = {self.ids[h.file]: h.file for h in headers if h.file in self.ids}
        try:
            texts = self.index.texts(list(ids))
        except ix.FAILURES as error:
            self._failed(error)
            return {}
        found = {ids[row_id]: snippet(said, terms) for row_id, said in texts.items()}
        return {file: text for file, text in found.items() if text is not None}

    def _failed(self, error: Exception) -> None:
        """The index failed under a search: a damaged one is set aside, to be built again."""
        self.broken = True
        if self.index is not None and isinstance(ix.classify(error), ix.Damaged):
            self.index.discard()
            self.index = None

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
            self.index = None


LISTED_ONCE = ": listed once"  # history_scan says it the same way of a second link
"""How the problem about a copy of a summary (or a second link to one) ends: that file is not skipped."""


def skipped_files(problems: list[Problem]) -> int:
    """How many files the problems kept out of the listing (a copy listed once is not one of them)."""
    return len({p.path for p in problems if not p.message.endswith(LISTED_ONCE)})


def load_headers() -> tuple[list[MeetingHeader], list[Problem]]:
    """Every readable summary's header, newest first, and a problem for each file skipped."""
    history = open_history()
    history.close()
    return history.headers, history.problems


def open_history(progress: Callable[[Progress], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> History:
    """The history, its index brought up to date first (see `coach.history_build`): `progress` is
    told how a long build goes. A missing sessions folder means no meetings yet. Stops early (with an
    empty history) when `cancelled()` says so."""
    from coach import history_build as build
    from coach.partners import as_current  # meetings under the names their partners have now

    root = sessions_dir()
    ix.forget_old_caches()
    path = ix.index_path(root)
    try:
        with build.building(str(path), progress, cancelled) as report:
            found, problems = scan(root)
            if not found:
                return History([], sorted(problems, key=lambda p: str(p.path)))
            index, results, ids = build.synced(path, found, report, cancelled or (lambda: False))
    except build.Cancelled:
        return History()
    pairs = [(result, rel) for rel, result in results.items() if isinstance(result, MeetingHeader)]
    problems += [p for result in results.values() if isinstance(result, list) for p in result]
    pairs = one_per_meeting(pairs, problems)
    pairs = list(zip(as_current([h for h, _rel in pairs]), [rel for _h, rel in pairs], strict=True))
    pairs.sort(key=lambda pair: newest_first(pair[0]), reverse=True)
    problems.sort(key=lambda p: str(p.path))
    return History([h for h, _rel in pairs], problems, index, {h.file: ids[rel] for h, rel in pairs if rel in ids})


def one_per_meeting(found: list[tuple[MeetingHeader, str]], problems: list[Problem],
                    ) -> list[tuple[MeetingHeader, str]]:
    """A meeting is listed once, even when its summary was copied: from the file where coach saved
    it (`<year>/<id>.toml`), else the first by name; each copy is named. A version kept beside it
    from a sync engine's conflict copy (`<id>-conflict-<n>.toml`, `coach.conflict_fix`) is listed
    too, as the meeting `<id>-conflict-<n>`, until the user deletes one of them."""
    by_id: dict[str, list[tuple[MeetingHeader, str]]] = {}
    for pair in found:
        if (stem := Path(pair[1]).stem).startswith(f"{pair[0].id}-conflict-") and stem.rpartition("-")[2].isdigit():
            pair = (msgspec.structs.replace(pair[0], id=stem), pair[1])
        by_id.setdefault(pair[0].id, []).append(pair)
    kept = []
    for meeting_id, pairs in by_id.items():
        if len(pairs) > 1:
            pairs.sort(key=lambda pair: (Path(pair[1]).name != f"{meeting_id}.toml", pair[1]))
            problems.extend(Problem(Path(copy.file), 1, 1, f"holds the same meeting ({meeting_id}) as "
                                    f"{pairs[0][0].file}{LISTED_ONCE}") for copy, _rel in pairs[1:])
        kept.append(pairs[0])
    return kept


# -- one summary, in full -------------------------------------------------------------------------
def summary_markdown(path: Path) -> str:
    """A summary as Markdown, rendered from its TOML (the truth; the `.md` beside it is for people).
    ProblemsError when the summary cannot be read."""
    from coach import summaries

    return summaries.to_markdown(summaries.load(path))


def summary_data(path: Path) -> dict:
    """A summary's data, JSON-ready (dates in ISO 8601), with its path: exactly what the file holds,
    once it has been checked against the summary's shape. ProblemsError when it cannot be used."""
    from coach import records

    text = read_text(path)
    doc = parse_toml(path, text)
    records.decode(Summary, doc, path, text)  # the same checks as every other reader
    return {**_plain_table(doc), "path": str(path)}


def _plain_table(table: dict) -> dict:
    return {key: _plain(value) for key, value in table.items()}


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return _plain_table(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
