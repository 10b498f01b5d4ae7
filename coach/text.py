"""Text from files and keyboards, made safe to show: no control character reaches a terminal raw.

A note, a name or a card can hold anything a file can: escape sequences that retitle the
window, clear the screen or write the clipboard. Whatever coach shows to a person goes through
`visible` (or `one_line`); JSON and TOML outputs keep the exact data, escaped the way their
format escapes it.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""Control characters, lone surrogates, and the bidirectional marks and overrides that reorder
what follows them."""
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]")


def _stand_in(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟, the Unicode pictures of C0 controls (ESC shows as ␛)
    if code == 0x7F:
        return "␡"
    return "\ufffd"  # C1 controls, bidi overrides and lone surrogates have no picture: the replacement


def visible(text: str) -> str:
    """`text` with every control character but newline and tab shown as a visible stand-in."""
    return _CONTROL.sub(_stand_in, text) if _CONTROL.search(text) else text


def one_line(text: str) -> str:
    """`visible`, on one line: line breaks and tabs become spaces (table cells, titles)."""
    return visible(_LINE_BREAKS.sub(" ", text).replace("\t", " "))


def cut(text: str, room: int) -> str:
    """`text` on one line, cut to `room` characters with an ellipsis when longer."""
    text = one_line(text)
    return text if len(text) <= room else text[:max(1, room - 1)].rstrip() + "…"


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def columns(text: str) -> int:
    """Columns `text` takes in a terminal (wide CJK characters and emoji take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def plural(count: int | float, noun: str, many: str | None = None) -> str:
    """A count and its noun: `1 item`, `2 items`, `0 items`, `1,250 meetings`, `1.5 minutes`;
    `many` for a plural not made with -s."""
    shown = f"{count:,}" if isinstance(count, int) else f"{count:g}"
    return f"{shown} {noun if count == 1 else many or noun + 's'}"


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a partner's name, or None when it can.

    Control characters (a newline, a tab, NUL, ESC …) and bidirectional overrides would make
    two different names look alike, or print as something else: they are refused. Zero-width
    joiners and other format characters are kept as typed.
    """
    if not name.strip():
        return "a name cannot be empty"
    for ch in name:
        if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI_CONTROLS:
            shown = {"\n": "a line break", "\t": "a tab", "\r": "a carriage return", "\u2028": "a line break",
                     "\u2029": "a paragraph break"}.get(ch, f"U+{ord(ch):04X}")
            return f"a name cannot contain control characters ({shown})"
    return None


# -- Markdown ------------------------------------------------------------------------------------
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~#])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def md_inline(text: str) -> str:
    """Data inside a Markdown line: shown as typed, never as markup, a link or HTML."""
    return _MD_INLINE.sub(r"\\\1", one_line(text))


def md_block(text: str) -> str:
    """Several lines of data (notes) as Markdown paragraphs that render exactly as typed:
    no forged heading, list, quote, rule, code block, link or HTML."""
    lines = []
    for raw in _LINE_BREAKS.split(visible(text).strip("\n").expandtabs(4)):
        indent = len(raw) - len(raw.lstrip(" \t"))  # kept as no-break spaces, which Markdown keeps
        line = "\u00a0" * indent + _MD_INLINE.sub(r"\\\1", raw.strip())
        lines.append(_MD_LINE_START.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}", line))
    # A line break inside a paragraph is kept as a hard break (a trailing backslash).
    out, paragraph = [], []
    for line in [*lines, ""]:
        if line:
            paragraph.append(line)
        elif paragraph:
            out.append("\\\n".join(paragraph))
            paragraph = []
    return "\n\n".join(out)


def md_fenced(text: str) -> str:
    """Text to copy as it is (a message) as a fenced block: shown verbatim by any viewer, and as
    plain lines in the file itself. The fence is longer than any run of backticks inside."""
    body = visible(text).strip("\n").expandtabs(4)
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", body)), default=0))
    return f"{fence}text\n{body}\n{fence}"


def window_title(text: str) -> str:
    """Text fit for the terminal's title bar: printable characters only, on one line, short."""
    return "".join(ch for ch in one_line(text) if ch.isprintable())[:120]


# -- the command line ----------------------------------------------------------------------------
class VisibleStream:
    """A text stream for people: whatever is written to it shows its control characters as
    stand-ins. The command line wraps stdout and stderr in it, so no subcommand can print a
    name, a note or a file name raw; `exact` is the stream underneath, for JSON and TOML."""

    def __init__(self, stream) -> None:
        self.exact = stream

    def write(self, text: str) -> int:
        return self.exact.write(visible(text))

    def __getattr__(self, name: str):
        return getattr(self.exact, name)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """JSON text with DEL, C1 controls and line separators as `\\u` escapes (json escapes the C0
    ones itself): the same data, and nothing a terminal would act on."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def fold(word: str) -> str:
    """Text as searches compare it: any case, accents ignored (`Zoë` is `zoe`), as the history
    index's tokenizer does."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
