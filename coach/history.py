"""Past meetings: their headers (kept in a rebuildable cache), queries over them, and trends.

The summaries in `sessions/<YYYY>/*.toml` are the source of truth. `cache/summaries.json` holds
what a listing needs from each (its header), keyed by the file's relative path and checked
against its size and modification time; deleting the cache loses nothing.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import msgspec

from coach import summaries
from coach.model import CaptureKind, Status, Summary
from coach.problems import Problem, ProblemsError
from coach.store import data_dir, read_file, sessions_dir, write_atomic

CACHE_VERSION = 3
"""Bumped whenever a header gains or changes a field: an older cache is then rebuilt."""
RACY_NS = 2_000_000_000
"""A file changed this recently (in ns) is not cached yet: a same-size edit in the same clock
tick would look unchanged (and FAT keeps times to 2 s)."""
EARLY_ROWS = 60
"""How many of the newest headers `load_headers` hands over before it has read them all."""


class PhaseTime(NamedTuple):
    id: str
    title: str
    planned: float  # seconds
    actual: float


@dataclass(slots=True)
class MeetingHeader:
    """What a listing, a filter and the trends need of one summary, without reading it again."""

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
    text: str = ""  # casefolded notes, reflection, facts, goals and commitments: what filters search
    minutes: float = field(init=False)
    day: date = field(init=False)
    partner_folded: str = field(init=False)

    def __post_init__(self) -> None:
        self.minutes = max(0.0, (self.ended - self.started).total_seconds() / 60)
        self.day = self.started.date()
        self.partner_folded = self.partner.casefold()

    @classmethod
    def of(cls, summary: Summary, file: str) -> MeetingHeader:
        """The header of a summary read through its declared shape, its times in local time (a
        listing reads in one time zone, whatever zone each meeting was written in)."""
        words = [p.notes for p in summary.phases]
        words += [item.text for section in (summary.goals, summary.commitments, summary.remembered)
                  for item in section]
        settled = [c.status for c in summary.commitments]
        settled += [r.status for r in summary.reviewed if r.kind is CaptureKind.COMMITMENT]
        return cls(summary.id, summary.partner, summary.partner_slug, local(summary.started), local(summary.ended),
                   file, summary.rating, len(summary.goals), len(summary.commitments), len(summary.remembered),
                   settled.count(Status.DONE), settled.count(Status.DROPPED),
                   tuple(PhaseTime(p.id, p.title, p.planned_seconds, p.actual_seconds) for p in summary.phases),
                   _search_text(summary.reflection, words))

    @property
    def path(self) -> Path:
        return Path(self.file)

    def to_json(self) -> dict:
        """The shape `coach history --json` prints: dates in ISO 8601, rating null when absent."""
        return {"id": self.id, "partner": self.partner, "partner_slug": self.partner_slug,
                "started": self.started.isoformat(), "ended": self.ended.isoformat(), "rating": self.rating,
                "minutes": round(self.minutes, 1), "goals": self.goals, "commitments": self.commitments,
                "remembered": self.remembered, "path": self.file}


def local(when: datetime) -> datetime:
    """`when` in this computer's time zone (never raises: an odd time stays as it was)."""
    try:
        return when.astimezone()
    except (OverflowError, OSError, ValueError):
        return when


def timestamp(when: datetime) -> float:
    """Seconds since the epoch (a naive time counts as local); never raises."""
    try:
        return when.timestamp()
    except (OverflowError, OSError, ValueError):
        return 0.0


def _search_text(reflection: str, words: list[str]) -> str:
    """What filters search, on one line (JSON reads it back faster without escapes)."""
    return " ".join(w for w in (reflection, *words) if w).casefold().replace("\n", " ")


def read_header(path: Path) -> MeetingHeader:
    """The header of one summary file; ProblemsError pointing at the line when it cannot be used."""
    return MeetingHeader.of(summaries.load(path), str(path))


# -- the cache ---------------------------------------------------------------------------------
HEADS, TEXTS = "summaries.json", "summaries-text.jsonl"
"""Two files, so that a listing never waits for the (much larger) text that only filters need.
The text is JSON Lines, one summary a line: read line by line, it never holds up a screen for long."""


class HeadRow(msgspec.Struct, array_like=True, gc=False):
    """A header as the cache keeps it (its file is the key; its text is in the other file)."""

    id: str
    partner: str
    partner_slug: str
    started: datetime
    ended: datetime
    rating: int | None
    goals: int
    commitments: int
    remembered: int
    kept: int
    dropped: int
    phases: list[tuple[str, str, float, float]]


class Entry(msgspec.Struct, array_like=True, gc=False):
    """One summary file in the cache, checked against its size and modification time."""

    size: int
    mtime: int
    head: HeadRow | None = None
    problems: list[tuple[int, int, str]] | None = None  # line, column, message: the file does not read


class Cache(msgspec.Struct, gc=False):
    version: int
    files: dict[str, Entry]
    zone: str = ""  # the time zone the times were read in: a file's time without an offset is local


def _zone() -> str:
    return f"{time.tzname}{time.timezone}{time.altzone}"


class TextLine(msgspec.Struct, array_like=True, gc=False):
    file: str
    size: int
    mtime: int
    text: str


def cache_path(name: str = HEADS) -> Path:
    return data_dir() / "cache" / name


def _entry(header: MeetingHeader, size: int, mtime: int) -> Entry:
    return Entry(size, mtime, HeadRow(header.id, header.partner, header.partner_slug, header.started,
                                      header.ended, header.rating, header.goals, header.commitments,
                                      header.remembered, header.kept, header.dropped,
                                      [tuple(p) for p in header.phases]))  # type: ignore[misc]


def _header(file: str, row: HeadRow) -> MeetingHeader:
    return MeetingHeader(row.id, row.partner, row.partner_slug, local(row.started), local(row.ended), file, row.rating,
                         row.goals, row.commitments, row.remembered, row.kept, row.dropped,
                         tuple(PhaseTime(*p) for p in row.phases))


def _read_cache(path: Path) -> dict[str, Entry]:
    """The cached entries; {} when the cache is missing, corrupt or from another version."""
    try:
        cache = msgspec.json.decode(read_file(path), type=Cache)
    except (OSError, msgspec.DecodeError, RecursionError):
        return {}
    return cache.files if cache.version == CACHE_VERSION and cache.zone == _zone() else {}


def _write_cache(path: Path, files: dict[str, Entry]) -> None:
    with contextlib.suppress(OSError):  # a read-only data dir only costs speed
        write_atomic(path, msgspec.json.encode(Cache(CACHE_VERSION, files, _zone())).decode(), durable=False)


def _read_texts(path: Path) -> dict[str, TextLine]:
    """`rel` → its text line; a line that does not read is skipped (its file is read again)."""
    try:
        lines = read_file(path).split(b"\n")
        head = msgspec.json.decode(lines[0])
    except (OSError, msgspec.DecodeError):
        return {}
    if not isinstance(head, dict) or head.get("version") != CACHE_VERSION:
        return {}
    texts = {}
    decoder = msgspec.json.Decoder(TextLine)
    for line in lines[1:]:
        with contextlib.suppress(msgspec.DecodeError):
            if line:
                entry = decoder.decode(line)
                texts[entry.file] = entry
    return texts


def _write_texts(path: Path, texts: dict[str, TextLine]) -> None:
    encoder = msgspec.json.Encoder()
    lines = [encoder.encode({"version": CACHE_VERSION}), *(encoder.encode(t) for t in texts.values())]
    with contextlib.suppress(OSError):
        write_atomic(path, (b"\n".join(lines) + b"\n").decode(), durable=False)


def _scan(root: Path) -> tuple[dict[str, tuple[str, int, int]], list[Problem]]:
    """`YYYY/name.toml` → (path, size, mtime_ns) of every summary file, in the year folders and in
    any folders below them (an archive a user made); temp files and folders (`.…`) ignored."""
    found: dict[str, tuple[str, int, int]] = {}
    problems: list[Problem] = []
    try:
        folders = [Path(e.path) for e in os.scandir(root) if not e.name.startswith(".") and _is_dir(e)]
    except FileNotFoundError:
        return found, problems  # no sessions folder: no meetings yet
    except OSError as error:
        return found, [Problem(root, 1, 1, f"cannot read the sessions folder: {error.strerror or error}")]
    seen: set[tuple[int, int]] = set()  # folders already read: a link back up is not a loop forever
    while folders:
        folders.sort(key=lambda f: (f.is_symlink(), str(f)))  # a folder itself before a link to it
        folder = folders.pop(0)
        try:
            st = folder.stat()
            entries = list(os.scandir(folder))
        except OSError as error:
            problems.append(Problem(folder, 1, 1, f"cannot read folder: {error.strerror or error}"))
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if _is_dir(entry):
                folders.append(Path(entry.path))
                continue
            if not entry.name.endswith(".toml"):
                continue
            try:
                st = entry.stat()  # through a link, to what it points at
            except OSError as error:
                if os.path.lexists(entry.path):  # a link to nowhere, or a loop of links
                    problems.append(Problem(Path(entry.path), 1, 1, f"cannot read: {error.strerror or error}"))
                continue  # or gone since the listing
            if stat.S_ISREG(st.st_mode):
                found[Path(entry.path).relative_to(root).as_posix()] = (entry.path, st.st_size, st.st_mtime_ns)
            else:
                problems.append(Problem(Path(entry.path), 1, 1, "cannot read: not a regular file (a pipe or a device)"))
    return _once(found, problems)


def _once(found: dict[str, tuple[str, int, int]], problems: list[Problem]) -> tuple[dict, list[Problem]]:
    """A summary reached twice (a link to it, or to its year's folder) is listed once: by the
    path that is not a link, and the link is named."""
    by_file: dict[tuple[int, int], list[str]] = {}
    for rel, (path, _size, _mtime) in found.items():
        with contextlib.suppress(OSError):
            st = os.stat(path)
            by_file.setdefault((st.st_dev, st.st_ino), []).append(rel)
    for rels in by_file.values():
        if len(rels) > 1:
            rels.sort(key=lambda rel: (os.path.realpath(found[rel][0]) != os.path.abspath(found[rel][0]), rel))
            for rel in rels[1:]:
                problems.append(Problem(Path(found[rel][0]), 1, 1,
                                        f"the same file as {found[rels[0]][0]} (through a link): listed once"))
                del found[rel]
    return found, problems


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _cached(file: str, entry: Entry | None, size: int, mtime: int) -> MeetingHeader | list[Problem] | None:
    """What the cache knows of a file, if it is about this version of it; None otherwise."""
    if entry is None or entry.size != size or entry.mtime != mtime:
        return None
    if entry.head is not None:
        return _header(file, entry.head)
    if entry.problems:
        return [Problem(Path(file), line, col, message) for line, col, message in entry.problems]
    return None


def _cached_text(entry: TextLine | None, size: int, mtime: int) -> str | None:
    return entry.text if entry is not None and entry.size == size and entry.mtime == mtime else None


def _parse(file: str, size: int, mtime: int) -> tuple[MeetingHeader | list[Problem], Entry]:
    try:
        header = read_header(Path(file))
    except ProblemsError as error:
        found = error.problems or [Problem(Path(file), 1, 1, "not a usable summary")]
        return found, Entry(size, mtime, problems=[(p.line, p.col, p.message) for p in found])
    return header, _entry(header, size, mtime)


def _one_per_meeting(found: list[tuple[MeetingHeader, str]], problems: list[Problem],
                     ) -> list[tuple[MeetingHeader, str]]:
    """A meeting is listed once, even when its summary was copied: from the file where coach saved
    it (`<year>/<id>.toml`), else the first by name; each copy is named."""
    by_id: dict[str, list[tuple[MeetingHeader, str]]] = {}
    for pair in found:
        by_id.setdefault(pair[0].id, []).append(pair)
    kept = []
    for meeting_id, pairs in by_id.items():
        pairs.sort(key=lambda pair: (Path(pair[1]).name != f"{meeting_id}.toml", pair[1]))
        kept.append(pairs[0])
        problems.extend(Problem(Path(copy.file), 1, 1, f"holds the same meeting ({meeting_id}) as "
                                f"{pairs[0][0].file}: listed once") for copy, _rel in pairs[1:])
    return kept


def _newest_first(h: MeetingHeader) -> tuple[float, str]:
    return (timestamp(h.started), h.id)


def _newest(root: Path, count: int) -> list[MeetingHeader]:
    """The headers of the `count` newest summaries by file name (names start with the date),
    read straight from their files: quicker than any cache when only a screenful is wanted."""
    found: list[MeetingHeader] = []
    try:
        years = sorted((e.path for e in os.scandir(root) if not e.name.startswith(".") and e.is_dir()), reverse=True)
    except OSError:
        return found
    for year in years:
        try:
            names = sorted((n for n in os.listdir(year) if n.endswith(".toml") and not n.startswith(".")),
                           reverse=True)
        except OSError:
            continue
        for name in names:
            with contextlib.suppress(ProblemsError):
                header = read_header(Path(year, name))
                header.text = ""
                found.append(header)
            if len(found) >= count:
                return sorted(found, key=_newest_first, reverse=True)
    return sorted(found, key=_newest_first, reverse=True)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Thousands of headers are made at once: the cyclic garbage collector would walk the whole heap
    several times meanwhile (pauses of 100 ms that a screen feels). They hold no cycles."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_headers(with_text: bool = False, early: Callable[[list[MeetingHeader]], None] | None = None,
                 ) -> tuple[list[MeetingHeader], list[Problem]]:
    """Every readable summary's header, newest first, and a problem for each file skipped (see _load)."""
    with _collector_paused():
        return _load(with_text, early)


def _load(with_text: bool, early: Callable[[list[MeetingHeader]], None] | None,
          ) -> tuple[list[MeetingHeader], list[Problem]]:
    """Every readable summary's header, newest first, and a problem for each file skipped.

    `with_text` fills in each header's `text` (what filters search). `early` is called with the
    newest few headers, then with all of them before any text is read, so that a screen can show
    them meanwhile. Only files that are new or changed since the cache was written are read;
    the cache files are then replaced atomically (two processes doing so at once each leave a valid
    cache). A missing data dir means no meetings yet.
    """
    root = sessions_dir()
    if early is not None and (first := _newest(root, EARLY_ROWS)):
        early(first)
    files, problems = _scan(root)
    heads = _read_cache(cache_path(HEADS)) if files else {}
    fresh_heads: dict[str, Entry] = {}
    fresh_texts: dict[str, TextLine] = {}
    found: list[tuple[MeetingHeader, str]] = []
    for rel, (file, size, mtime) in files.items():
        result = _cached(file, heads.get(rel), size, mtime)
        if result is None:
            result, fresh_heads[rel] = _parse(file, size, mtime)
            if isinstance(result, MeetingHeader):
                fresh_texts[rel] = TextLine(rel, size, mtime, result.text)
                result.text = result.text if with_text else ""  # the same answer, cached or not
        if isinstance(result, list):
            problems.extend(result)
        else:
            found.append((result, rel))
    found = _one_per_meeting(found, problems)
    found.sort(key=lambda pair: _newest_first(pair[0]), reverse=True)
    headers = [header for header, _rel in found]
    problems.sort(key=lambda p: str(p.path))
    if early is not None:
        early(list(headers))
    texts = _read_texts(cache_path(TEXTS)) if with_text and files else None
    if texts is not None:
        for header, rel in found:
            if rel in fresh_texts:
                continue
            _file, size, mtime = files[rel]
            text = _cached_text(texts.get(rel), size, mtime)
            if text is None:
                with contextlib.suppress(ProblemsError):  # changed since it was listed: the next run says
                    text = read_header(header.path).text
                    fresh_texts[rel] = TextLine(rel, size, mtime, text)
            header.text = text or ""
    _update_cache(files, heads, fresh_heads, texts, fresh_texts)
    return headers, problems


def _update_cache(files: dict, heads: dict, fresh_heads: dict, texts: dict | None, fresh_texts: dict) -> None:
    """Write what changed; files changed in the last moments wait for the next run (see RACY_NS)."""
    racy_after = time.time_ns() - RACY_NS
    settled = [rel for rel, (_file, _size, mtime) in files.items() if mtime < racy_after]
    new_heads = {rel: fresh_heads.get(rel) or heads[rel] for rel in settled if rel in fresh_heads or rel in heads}
    if fresh_heads or new_heads.keys() != heads.keys():
        _write_cache(cache_path(HEADS), new_heads)
    if not fresh_texts and texts is None:
        return
    texts = texts if texts is not None else _read_texts(cache_path(TEXTS))
    new_texts = {rel: fresh_texts[rel] if rel in fresh_texts else texts[rel] for rel in settled
                 if rel in fresh_texts or _cached_text(texts.get(rel), *files[rel][1:]) is not None}
    if fresh_texts or new_texts.keys() != texts.keys():
        _write_texts(cache_path(TEXTS), new_texts)


def summary_markdown(path: Path) -> str:
    """A summary as Markdown, rendered from its TOML (the truth; the `.md` beside it is for people).
    ProblemsError when the summary cannot be read."""
    return summaries.to_markdown(summaries.load(path))


def summary_data(path: Path) -> dict:
    """A summary's data, JSON-ready (dates in ISO 8601), with its path: exactly what the file holds,
    once it has been checked against the summary's shape. ProblemsError when it cannot be used."""
    from coach import records
    from coach.problems import parse_toml, read_text

    text = read_text(path)
    doc = parse_toml(path, text)
    records.decode(Summary, doc, path, text)  # the same checks as every other reader
    return {**_plain(doc), "path": str(path)}


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


# -- queries -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    """Which meetings to show. Every part that is set must match."""

    partner: str = ""  # the exact name (any case) or slug
    partner_part: str = ""  # part of the name, as typed in the history screen's filter
    since: date | None = None
    until: date | None = None
    grep: str = ""  # text in notes, reflection, facts, goals or commitments
    words: tuple[str, ...] = ()  # each in the partner's name or in that text


_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def parse_day(text: str) -> date:
    """`2026-03-02` as a date; ValueError (saying what is wanted) for anything else."""
    text = text.strip()
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"wants a date like 2026-03-02 (YYYY-MM-DD), not {text!r}")


_TOKEN = re.compile(r'(\w+):"([^"]*)"?|"([^"]*)"?|(\S+)')


def parse_query(typed: str) -> tuple[Query, list[str]]:
    """The history screen's filter: words, `partner:NAME` (quotes for spaces), `since:` and `until:`
    dates (YYYY-MM-DD). Returns the query and a complaint for each token it could not use."""
    words: list[str] = []
    found: dict[str, object] = {}
    complaints = []
    for m in _TOKEN.finditer(typed):
        key, value = (m.group(1), m.group(2)) if m.group(1) else (None, m.group(3) or m.group(4) or "")
        if key is None and ":" in value and value.split(":", 1)[0].casefold() in ("partner", "since", "until"):
            key, value = value.split(":", 1)
        key = key.casefold() if key else None
        if key == "partner":
            found["partner_part"] = value.strip().casefold()
        elif key in ("since", "until"):
            try:
                found[key] = parse_day(value)
            except ValueError as error:
                if value:
                    complaints.append(f"{key}: {error}")
        elif key is not None:
            words.append(f"{key}:{value}".casefold())
        elif value.strip():
            words.append(value.casefold())
    return Query(words=tuple(words), **found), complaints  # type: ignore[arg-type]


def filter_headers(headers: list[MeetingHeader], query: Query) -> list[MeetingHeader]:
    """The headers that match `query`, in the order given."""
    out = headers
    if query.partner:
        wanted = query.partner.casefold()
        out = [h for h in out if h.partner_folded == wanted or h.partner_slug == query.partner]
    if query.partner_part:
        part = query.partner_part
        exact = any(h.partner_folded == part for h in out)
        out = [h for h in out if (h.partner_folded == part if exact else part in h.partner_folded)]
    if query.since is not None:
        out = [h for h in out if h.day >= query.since]
    if query.until is not None:
        out = [h for h in out if h.day <= query.until]
    if query.grep:
        needle = query.grep.casefold()
        out = [h for h in out if needle in h.text]
    for word in query.words:
        out = [h for h in out if word in h.partner_folded or word in h.text]
    return out


def find_by_prefix(prefix: str, headers: list[MeetingHeader]) -> list[MeetingHeader]:
    """The meeting whose id is `prefix`, else every meeting whose id starts with it."""
    prefix = prefix.strip()
    exact = [h for h in headers if h.id == prefix]
    return exact or ([h for h in headers if h.id.startswith(prefix)] if prefix else [])


