"""One way to find a partner by a typed name, for every place a name is typed on the command line.

`Zoë O'Brien` is found by `Zoë O'Brien`, `zoe o'brien`, `ZOE`, `zoe`, `Zo`, `obrien` is not (a word
starts where the name's does: `o brien`, `brien`). Case and accents never matter; each typed word
starts a word of the name. A name typed whole wins over the names it only starts, and so does
a word typed whole (`zoe` finds Zoë, not Zoey; `zo` finds both).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from coach.text import fold


def name_words(text: str) -> list[str]:
    """Its words, folded: runs of letters and digits, and each symbol (an emoji) on its own."""
    return [t for t in re.findall(r"\w+|[^\w\s]", fold(text)) if not unicodedata.category(t[0]).startswith("P")]


def find_partners(typed: str, names: Iterable[str]) -> list[str]:
    """The names `typed` finds: the one typed whole (exactly, else in any case or accent) alone when
    there is one; else the names holding each typed word as a whole word (`zoe` finds Zoë O'Brien,
    not Zoey); else every name each of whose typed words starts one of its words; [] for none."""
    names = list(dict.fromkeys(names))
    wanted = " ".join(typed.split())
    if wanted in names:
        return [wanted]
    whole = [n for n in names if fold(" ".join(n.split())) == fold(wanted)]
    if whole or not (typed_words := name_words(wanted)):
        return whole
    words = {n: name_words(n) for n in names}
    exact = [n for n in names if all(t in words[n] for t in typed_words)]  # `zoe` is Zoë's word, not Zoey's start
    if exact:
        return exact
    return [n for n in names if all(any(w.startswith(t) for w in words[n]) for t in typed_words)]

def not_one(command: str, typed: str, found: list[str], known: list[str]) -> str:
    """What to say when `typed` finds no partner, or several: the candidates."""
    from coach.problems import close_matches

    if found:
        return (f"coach {command}: {typed!r} could be any of: {', '.join(sorted(found, key=str.casefold))}. "
                "Type more of the name.")
    known = sorted(known, key=str.casefold)
    close = close_matches(" ".join(typed.split()), known, n=3, cutoff=0.6)
    shown = ", ".join(known[:8]) + ("…" if len(known) > 8 else "")
    hint = (f"Did you mean: {', '.join(close)}?" if close else f"Known: {shown}." if known else "No partners yet.")
    return f"coach {command}: no partner called {typed!r}. {hint}"
