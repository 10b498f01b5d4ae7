"""Which meetings to show: the History screen's filter and `coach history`'s options, read into a
`Query`, and its words turned into a full-text search the index can run whatever was typed.

Words are found as words (any case, accents ignored: `zoe` finds `Zoë`), `"a phrase"` as those
words in that order, and `prefix*` as any word that starts so. Nothing a user types is ever
handed to SQLite as syntax: each word is quoted, so `NEAR(`, `AND`, `-`, `:` or `^` are words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from coach.text import fold

if TYPE_CHECKING:
    from coach.history import MeetingHeader

TEXT_COLUMNS = ("notes", "reflection", "facts", "goals", "commitments")
"""What `--grep` searches; the screen's words also search the partner's name."""


class Term(NamedTuple):
    """One thing to find: a word, or several in a row (a phrase)."""

    text: str  # as typed, without its quotes or star
    prefix: bool = False  # its last word may go on: `lisb*` finds `Lisbon`


@dataclass(frozen=True)
class Query:
    """Which meetings to show. Every part that is set must match."""

    partner: str = ""  # the exact name (any case) or slug
    partner_part: str = ""  # a name as typed in the history screen's filter, found as `coach.names` finds it
    since: date | None = None
    until: date | None = None
    grep: tuple[Term, ...] = ()  # each in the notes, reflection, facts, goals or commitments
    words: tuple[Term, ...] = ()  # each in the partner's name or in that text

    @property
    def searches_text(self) -> bool:
        return bool(self.grep or self.words)


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


_TOKEN = re.compile(r'(\w+):"([^"]*)("?)|"([^"]*)("?)|(\S+)')
_KEYS = ("partner", "since", "until")
MAX_TERMS = 24
"""Words (and phrases) a search looks for at most: each one more costs a pass over the index."""


def _terms(typed: str, typing: bool) -> list[tuple[Term, str | None]]:
    """Each term of `typed`, with the key in front of it (`since:…`) if any."""
    found: list[tuple[Term, str | None]] = []
    matches = list(_TOKEN.finditer(typed))
    for n, m in enumerate(matches):
        last = typing and n == len(matches) - 1 and m.end() == len(typed)
        if m.group(1) is not None:  # key:"quoted value"
            found.append((Term(m.group(2), last and not m.group(3)), m.group(1)))
        elif m.group(4) is not None:  # "a phrase"
            found.append((Term(m.group(4), last and not m.group(5)), None))
        else:
            word = m.group(6)
            key, colon, value = word.partition(":")
            if colon and key.casefold() in _KEYS:
                found.append((Term(value, last), key))
            else:
                found.append((Term(word.rstrip("*"), word.endswith("*") or last), None))
    return found


def parse_query(typed: str, typing: bool = True) -> tuple[Query, list[str]]:
    """The history screen's filter: words, `"phrases"`, `prefix*`, `partner:NAME` (quotes for
    spaces), `since:` and `until:` dates (YYYY-MM-DD). Returns the query and a complaint for each
    part it could not use."""
    words: list[Term] = []
    partner_part, days = "", dict[str, date]()
    complaints: list[str] = []
    for term, key in _terms(typed, typing):
        key = key.casefold() if key else None
        if key == "partner":
            partner_part = term.text.strip()
        elif key in ("since", "until"):
            try:
                days[key] = parse_day(term.text)
            except ValueError as error:
                if term.text:
                    complaints.append(f"{key}: {error}")
        elif key is not None:
            words.append(Term(f"{key}:{term.text}", term.prefix))
        elif searchable(term.text):
            words.append(term)
    distinct: dict[tuple[str, bool], Term] = {}
    for word in words:  # the same word twice (in any case, with or without accents) finds nothing more
        distinct.setdefault((fold(word.text), word.prefix), word)
    words = list(distinct.values())
    if len(words) > MAX_TERMS:
        complaints.append(f"at most {MAX_TERMS} different words can be looked for, not {len(words)}")
        words = words[:MAX_TERMS]
    return Query(partner_part=partner_part, since=days.get("since"), until=days.get("until"),
                 words=tuple(words)), complaints


# -- full-text search ----------------------------------------------------------------------------
def searchable(text: str) -> bool:
    """Whether `text` holds a word the index can find: a letter, a digit, an accent or an emoji.
    (Punctuation and space part words; SQLite's `unicode61` tokenizer reads them so.)"""
    return any(_word_character(ch) for ch in text)


def _word_character(ch: str) -> bool:
    return ch.isalnum() or ord(ch) > 0xFFFF or unicodedata.category(ch) in ("Mn", "Mc", "Me", "Co")


_UNSAYABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters and lone surrogates (from an undecodable command line): never words, and
SQLite could not take some of them; they part words, as punctuation does."""


def fts_phrase(term: Term) -> str:
    """`term` as an FTS5 string: quoted, so whatever it holds is words to find, never syntax."""
    text = _UNSAYABLE.sub(" ", term.text).replace('"', '""')
    return f'"{text}"' + ("*" if term.prefix else "")


def fts_expression(terms: tuple[Term, ...], columns: tuple[str, ...] | None = None) -> str | None:
    """Every term, in any of `columns` (every column when None): an FTS5 MATCH expression built from
    quoted strings only. None when no term holds a word (there is nothing to look for)."""
    phrases = [fts_phrase(term) for term in terms if searchable(_UNSAYABLE.sub(" ", term.text))]
    if not phrases:
        return None
    expression = " AND ".join(phrases)
    return f"{{{' '.join(columns)}}} : ({expression})" if columns else expression


def any_term(terms: tuple[Term, ...], columns: tuple[str, ...]) -> str | None:
    """Any of the terms, in any of `columns`: which meetings a word finds by the partner's name,
    and where a snippet shows what was found."""
    phrases = [fts_phrase(term) for term in terms if searchable(_UNSAYABLE.sub(" ", term.text))]
    return f"{{{' '.join(columns)}}} : ({' OR '.join(phrases)})" if phrases else None


# -- filters that need no index ----------------------------------------------------------------
def filter_headers(headers: list[MeetingHeader], query: Query) -> list[MeetingHeader]:
    """The headers that match the partner and the dates of `query`, in the order given (its words
    are for the index: see `History.select`)."""
    out = headers
    if query.partner:
        wanted = query.partner.casefold()
        out = [h for h in out if h.partner_folded == wanted or h.partner_slug == query.partner]
    if query.partner_part:  # as every place a name is typed: `partner:zoe` and `partner:Zo` find Zoë O'Brien
        from coach.partners import find_named

        found = set(find_named(query.partner_part, sorted({h.partner for h in out})))
        out = [h for h in out if h.partner in found]
    if query.since is not None:
        out = [h for h in out if h.day >= query.since]
    if query.until is not None:
        out = [h for h in out if h.day <= query.until]
    return out


def names_match(headers: list[MeetingHeader], terms: tuple[Term, ...]) -> list[MeetingHeader]:
    """The headers whose partner's name holds every term (as part of it, any case): what a filter's
    words can find while the index is still being built."""
    folded = [term.text.casefold() for term in terms]
    return [h for h in headers if all(word in h.partner_folded for word in folded)]


def find_by_prefix(prefix: str, headers: list[MeetingHeader]) -> list[MeetingHeader]:
    """The meeting whose id is `prefix`, else every meeting whose id starts with it."""
    prefix = prefix.strip()
    exact = [h for h in headers if h.id == prefix]
    return exact or ([h for h in headers if h.id.startswith(prefix)] if prefix else [])
