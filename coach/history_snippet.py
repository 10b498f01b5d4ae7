"""Snippets: a few words of what was said around the first place a search's words were found.

Words are compared as the index compares them (any case, accents ignored: SQLite's `unicode61`),
so a snippet marks what the search matched. Most notes are ASCII: there, the first match is found
with `str.find` and only the words around it are looked at, so a listing of thousands stays quick.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from coach.history_query import Term
from coach.text import fold

MARK, END = "\x02", "\x03"
"""Around each match in a snippet (the texts searched never hold them: see `history.texts_of`)."""
WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\U00010000-\U0010ffff])+")
"""A word as the index reads one (letters, digits, accents, emoji; punctuation and spaces part them)."""
_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\n\r\x0b\x0c\x85\u2028\u2029])+[ \t]*")
LEAD_IN = 2
"""Words shown before the first match."""

Phrase = tuple[tuple[str, ...], bool]
"""The folded words of a term, and whether its last one is a prefix."""
Token = tuple[int, int, str]
"""Where a word starts and ends in the text, and the word folded."""


def snippet(texts: tuple[str, ...], terms: tuple[Term, ...], words: int = 12) -> str | None:
    """About `words` words from the first text that holds a match of `terms`, from a little before
    its first match, on one line (` · ` where a line or an item ends), each match between MARK and
    END; None when no text holds one."""
    phrases = [(tuple(fold(w) for w in WORD.findall(term.text)), term.prefix) for term in terms]
    wanted = [(phrase, prefix) for phrase, prefix in phrases if phrase]
    for text in texts:
        first = _first_match(text, wanted) if wanted else None
        if first is not None:
            return _around(text, first, wanted, words)
    return None


def _iter_tokens(text: str, start: int = 0) -> Iterator[Token]:
    """The words of `text` from `start` on (from the start of a word)."""
    source = text.lower() if text.isascii() else None
    for m in WORD.finditer(source if source is not None else text, start):
        yield m.start(), m.end(), m.group() if source is not None else fold(m.group())


def _first_match(text: str, wanted: list[Phrase]) -> int | None:
    """Where the first match in `text` starts (the index of its first character)."""
    if not text.isascii():  # accents move characters about: look at every word
        tokens = list(_iter_tokens(text))
        folded = [token[2] for token in tokens]
        return next((tokens[i][0] for i in range(len(tokens)) if any(_at(folded, i, p) for p in wanted)), None)
    low = text.lower()
    best = None
    for phrase, prefix in wanted:
        at = low.find(phrase[0])
        while at != -1 and (best is None or at < best):
            if (at == 0 or not low[at - 1].isalnum()) and _at([t[2] for t in islice(_iter_tokens(text, at),
                                                                                    len(phrase))], 0, (phrase, prefix)):
                best = at
                break
            at = low.find(phrase[0], at + 1)
    return best


def _at(folded: list[str], i: int, wanted: Phrase) -> bool:
    """Whether the words from `i` on are the phrase."""
    phrase, prefix = wanted
    if i + len(phrase) > len(folded):
        return False
    last = len(phrase) - 1
    return all(folded[i + n].startswith(word) if prefix and n == last else folded[i + n] == word
               for n, word in enumerate(phrase))


def _around(text: str, first: int, wanted: list[Phrase], words: int) -> str:
    """The snippet from a little before `first` (more when the text ends soon after), with every match
    in it marked."""
    after = sum(1 for _ in islice(WORD.finditer(text, first), words))
    lead = max(LEAD_IN, words - after)
    near = max(0, first - 30 * lead)  # enough for `lead` words, most of the time
    before = [m.start() for m in WORD.finditer(text, near, first) if m.start() > near or near == 0][-lead:]
    start = before[0] if before else first
    tokens = list(islice(_iter_tokens(text, start), words + 1))
    more = len(tokens) > words
    tokens = tokens[:words]
    folded = [token[2] for token in tokens]
    cut = start if WORD.search(text, 0, start) is not None else 0  # words before: they are left out
    out, at, i = [], cut, 0
    while i < len(tokens):
        length = next((len(p[0]) for p in wanted if _at(folded, i, p)), 0)
        if length:
            out += [text[at:tokens[i][0]], MARK, text[tokens[i][0]:tokens[i + length - 1][1]], END]
            at, i = tokens[i + length - 1][1], i + length
        else:
            i += 1
    out.append(text[at:tokens[-1][1] if more else len(text)])
    found = _BREAKS.sub(" · ", "".join(out).strip()).replace("\t", " ")  # one line: notes and items apart
    return ("…" if cut else "") + found + ("…" if more else "")
