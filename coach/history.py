"""Past meetings: their headers (kept in a rebuildable cache), queries over them, and trends.

The summaries in `sessions/<YYYY>/*.toml` are the source of truth. `cache/summaries.json` holds
what a listing needs from each (its header), keyed by the file's relative path and checked
against its size and modification time; deleting the cache loses nothing.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from coach.model import SCHEMA
from coach.problems import Checker, Problem, ProblemsError
from coach.store import data_dir, sessions_dir, slugify, write_atomic
from coach.summary_reader import read_summary_doc

CACHE_VERSION = 1
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
    kept: int = 0  # earlier commitments reviewed as done in this meeting
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

    @property
    def path(self) -> Path:
        return Path(self.file)

    def to_json(self) -> dict:
        """The shape `coach history --json` prints: dates in ISO 8601, rating null when absent."""
        return {"id": self.id, "partner": self.partner, "partner_slug": self.partner_slug,
                "started": self.started.isoformat(), "ended": self.ended.isoformat(), "rating": self.rating,
                "minutes": round(self.minutes, 1), "goals": self.goals, "commitments": self.commitments,
                "remembered": self.remembered, "path": self.file}


def timestamp(when: datetime) -> float:
    """Seconds since the epoch (a naive time counts as local); never raises."""
    try:
        return when.timestamp()
    except (OverflowError, OSError, ValueError):
        return 0.0


# -- headers -----------------------------------------------------------------------------------
def _search_text(reflection: str, words: list[str]) -> str:
    """What filters search, on one line (JSON reads it back faster without escapes)."""
    return " ".join(w for w in (reflection, *words) if w).casefold().replace("\n", " ")


def _quick_header(file: str, doc: dict) -> MeetingHeader | None:
    """The header of a well-formed summary, with plain type checks; None when anything is off
    (`_checked_header` then says what, and where). Accepts nothing that one would refuse."""
    def text(value: object, required: bool = True) -> str:
        if type(value) is not str or (required and not value.strip()):
            raise TypeError
        return value.strip()

    def seconds(value: object) -> float:
        if type(value) is not float and type(value) is not int:
            raise TypeError
        return float(value)

    try:
        started, ended, rating = doc["started"], doc["ended"], doc.get("rating")
        if (doc["schema"] != SCHEMA or type(doc["schema"]) is not int or type(started) is not datetime
                or type(ended) is not datetime or (rating is not None and type(rating) is not int)):
            return None
        ident, partner = text(doc["id"]), text(doc["partner"])
        reflection, slug = text(doc.get("reflection", ""), False), text(doc.get("partner_slug", ""), False)
        phases, words = [], []
        for row in doc.get("phases", ()):
            phase_id = text(row["id"])
            phases.append(PhaseTime(phase_id, text(row.get("title", ""), False) or phase_id,
                                    seconds(row["planned_seconds"]), seconds(row.get("actual_seconds", 0))))
            words.append(text(row.get("notes", ""), False))
        counts = []
        for section in ("goals", "commitments", "remembered"):
            rows = doc.get(section, ())
            words += [text(row["text"]) for row in rows]
            counts.append(len(rows))
        settled = [row.get("status") for row in doc.get("commitments", ())]
        settled += [row.get("status") for row in doc.get("reviewed", ()) if row.get("kind") == "commitment"]
    except (KeyError, TypeError, AttributeError):
        return None
    return MeetingHeader(ident, partner, slug or slugify(partner), started, ended, file, rating, *counts,
                         settled.count("done"), settled.count("dropped"), tuple(phases),
                         _search_text(reflection, words))


def _moment(check: Checker, doc: dict, key: str) -> datetime | None:
    value = doc.get(key)
    if value is None:
        check.add(f"missing required key `{key}`")
    elif isinstance(value, datetime):
        return value
    elif isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    else:
        check.add(f"`{key}` must be a date and time", key=key)
    return None


def _schema(check: Checker, doc: dict) -> None:
    value = doc.get("schema")
    if value is None:
        check.add(f"missing `schema = {SCHEMA}`: not a coach summary")
    elif isinstance(value, int) and not isinstance(value, bool) and value > SCHEMA:
        check.add(f"written by a newer coach (schema {value}); this one reads schema {SCHEMA}", key="schema")
    elif value != SCHEMA or isinstance(value, bool):
        check.add(f"unknown schema {value!r}: this coach reads schema {SCHEMA}", key="schema")


def _texts(check: Checker, doc: dict, section: str) -> list[str]:
    rows = check.tables(doc, section, required=False)
    return [check.text_value(row, "text", section, i) for i, row in enumerate(rows)]


def _checked_header(path: Path, doc: dict, text: str) -> MeetingHeader:
    """Like `_quick_header`, but every problem is found and pointed at its line."""
    check = Checker(path, text)
    _schema(check, doc)
    if check.problems:
        raise ProblemsError(check.problems)
    ident, partner = check.text_value(doc, "id"), check.text_value(doc, "partner")
    started, ended = _moment(check, doc, "started"), _moment(check, doc, "ended")
    rating = check.typed_value(doc, "rating", int, "a whole number from 1 to 5")
    reflection = check.text_value(doc, "reflection", required=False)
    slug = check.text_value(doc, "partner_slug", required=False)
    phases, words = [], []
    for i, row in enumerate(check.tables(doc, "phases", required=False)):
        phase_id = check.text_value(row, "id", "phases", i)
        planned, actual = (check.typed_value(row, key, (int, float), "a number of seconds", "phases", i)
                           for key in ("planned_seconds", "actual_seconds"))
        if "planned_seconds" not in row:
            check.add(f"[[phases]] #{i + 1}: missing required key `planned_seconds`", "phases", i)
        title = check.text_value(row, "title", "phases", i, required=False) or phase_id
        phases.append(PhaseTime(phase_id, title, float(planned or 0), float(actual or 0)))  # type: ignore[arg-type]
        words.append(check.text_value(row, "notes", "phases", i, required=False))
    counts = []
    for section in ("goals", "commitments", "remembered"):
        found = _texts(check, doc, section)
        words += found
        counts.append(len(found))
    settled = [row.get("status") for row in check.tables(doc, "commitments", required=False)]
    settled += [row.get("status") for row in check.tables(doc, "reviewed", required=False)
                if row.get("kind") == "commitment"]
    if check.problems or started is None or ended is None:
        raise ProblemsError(check.problems)
    return MeetingHeader(ident, partner, slug or slugify(partner), started, ended, str(path), rating,  # type: ignore[arg-type]
                         *counts, settled.count("done"), settled.count("dropped"), tuple(phases),
                         _search_text(reflection, words))


def header_from_doc(path: Path, doc: dict, text: str) -> MeetingHeader:
    """Check what a header needs and build it; ProblemsError pointing at the offending line."""
    return _quick_header(str(path), doc) or _checked_header(path, doc, text)


def read_header(path: Path) -> MeetingHeader:
    doc, text = read_summary_doc(path)
    return header_from_doc(path, doc, text)


# -- the cache ---------------------------------------------------------------------------------
HEADS, TEXTS = "summaries.json", "summaries-text.jsonl"
"""Two files, so that a listing never waits for the (much larger) text that only filters need.
The text is JSON Lines, one summary a line: read line by line, it never holds up a screen for long."""


def cache_path(name: str = HEADS) -> Path:
    return data_dir() / "cache" / name


def _head_row(h: MeetingHeader) -> list:
    return [h.id, h.partner, h.partner_slug, h.started.isoformat(), h.ended.isoformat(), h.rating, h.goals,
            h.commitments, h.remembered, h.kept, h.dropped, [list(p) for p in h.phases]]


def _head_from_row(file: str, row: list) -> MeetingHeader:
    ident, partner, slug, started, ended, rating, *counts, phases = row
    if (rating is not None and type(rating) is not int) or len(counts) != 5 or any(type(n) is not int for n in counts):
        raise ValueError("a count is not a whole number")
    return MeetingHeader(str(ident), str(partner), str(slug), datetime.fromisoformat(started),
                         datetime.fromisoformat(ended), file, rating, *counts,
                         tuple(PhaseTime(str(i), str(t), float(p), float(a)) for i, t, p, a in phases))


def _read_cache(path: Path) -> dict[str, list]:
    """The cached entries; {} when the cache is missing, corrupt or from another version."""
    try:
        doc = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(doc, dict) or doc.get("version") != CACHE_VERSION or not isinstance(doc.get("files"), dict):
        return {}
    return doc["files"]


def _write_cache(path: Path, files: dict[str, list]) -> None:
    with contextlib.suppress(OSError):  # a read-only data dir only costs speed
        write_atomic(path, json.dumps({"version": CACHE_VERSION, "files": files}, separators=(",", ":")))


def _read_texts(path: Path) -> dict[str, list]:
    """`rel` → [size, mtime_ns, text]; a line that does not read is skipped (its file is read again)."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
        head = json.loads(lines[0])
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(head, dict) or head.get("version") != CACHE_VERSION:
        return {}
    texts = {}
    for line in lines[1:]:
        with contextlib.suppress(ValueError, TypeError):
            rel, *entry = json.loads(line)
            texts[rel] = entry
    return texts


def _write_texts(path: Path, texts: dict[str, list]) -> None:
    head = json.dumps({"version": CACHE_VERSION})
    with contextlib.suppress(OSError):
        write_atomic(path, "\n".join([head, *(json.dumps([rel, *entry]) for rel, entry in texts.items())]) + "\n")


def _scan(root: Path) -> tuple[dict[str, tuple[str, int, int]], list[Problem]]:
    """`YYYY/name.toml` → (path, size, mtime_ns) of every summary file; temp files (`.…`) ignored."""
    found: dict[str, tuple[str, int, int]] = {}
    problems: list[Problem] = []
    try:
        folders = [e for e in os.scandir(root) if not e.name.startswith(".") and e.is_dir()]
    except OSError:
        return found, problems  # no sessions folder: no meetings yet
    for folder in folders:
        try:
            entries = list(os.scandir(folder.path))
        except OSError as error:
            problems.append(Problem(Path(folder.path), 1, 1, f"cannot read folder: {error.strerror or error}"))
            continue
        for entry in entries:
            if entry.name.endswith(".toml") and not entry.name.startswith(".") and not entry.is_dir():
                try:
                    st = entry.stat()
                except OSError:
                    continue  # gone since the listing
                found[f"{folder.name}/{entry.name}"] = (entry.path, st.st_size, st.st_mtime_ns)
    return found, problems


def _cached(file: str, entry: object, size: int, mtime: int) -> MeetingHeader | Problem | None:
    """What the cache knows of a file, if it is about this version of it; None otherwise."""
    if type(entry) is not list or len(entry) < 3 or entry[0] != size or entry[1] != mtime:
        return None
    try:
        if entry[2] is None:
            line, col, message = entry[3]
            return Problem(Path(file), int(line), int(col), str(message))
        return _head_from_row(file, entry[2])
    except (IndexError, TypeError, ValueError):
        return None


def _cached_text(entry: object, size: int, mtime: int) -> str | None:
    if type(entry) is list and len(entry) == 3 and entry[:2] == [size, mtime] and type(entry[2]) is str:
        return entry[2]
    return None


def _parse(file: str, size: int, mtime: int) -> tuple[MeetingHeader | Problem, list]:
    try:
        header = read_header(Path(file))
    except ProblemsError as error:
        first = error.problems[0] if error.problems else Problem(Path(file), 1, 1, "not a usable summary")
        return first, [size, mtime, None, [first.line, first.col, first.message]]
    return header, [size, mtime, _head_row(header)]


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
    fresh_heads: dict[str, list] = {}
    fresh_texts: dict[str, list] = {}
    found: list[tuple[MeetingHeader, str]] = []
    for rel, (file, size, mtime) in files.items():
        result = _cached(file, heads.get(rel), size, mtime)
        if result is None:
            result, fresh_heads[rel] = _parse(file, size, mtime)
            if isinstance(result, MeetingHeader):
                fresh_texts[rel] = [size, mtime, result.text]
                result.text = result.text if with_text else ""  # the same answer, cached or not
        if isinstance(result, Problem):
            problems.append(result)
        else:
            found.append((result, rel))
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
                    fresh_texts[rel] = [size, mtime, text]
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
                 if rel in fresh_texts or (rel in texts and _cached_text(texts[rel], *files[rel][1:]) is not None)}
    if fresh_texts or new_texts.keys() != texts.keys():
        _write_texts(cache_path(TEXTS), new_texts)


def summary_markdown(path: Path) -> str:
    """The Markdown beside a summary, unless it is missing or older than the summary (then rendered).
    ProblemsError when the summary itself cannot be read."""
    from coach import summaries

    md = path.with_suffix(".md")
    try:
        if md.stat().st_mtime_ns >= path.stat().st_mtime_ns:
            return md.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    return summaries.to_markdown(summaries.load(path))


def summary_data(path: Path) -> dict:
    """A summary's data, JSON-ready (dates in ISO 8601), with its path. ProblemsError when unreadable."""
    doc, _text = read_summary_doc(path)
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


