"""Problems with a place: `PATH:LINE:COL: message`, the shape editors can jump to."""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from msgspec import Struct

if TYPE_CHECKING:
    import tomllib

T = TypeVar("T")

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_END = re.compile(r"\s*\(at end of document\)\s*$")


class Problem(Struct, frozen=True):
    """One thing wrong with one file, at a line and column (1-based)."""

    path: Path
    line: int
    col: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}:{self.col}: {kind}{self.message}"


class ProblemsError(Exception):
    """Raised when a file cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def from_toml_error(path: Path, text: str, error: tomllib.TOMLDecodeError) -> Problem:
    """Turn tomllib's error (position inside its message) into a Problem."""
    message = str(error.args[0] if error.args else error)
    if found := _TOML_POSITION.search(message):
        line, col = int(found.group(1)), int(found.group(2))
        message = message[: found.start()]
    else:
        lines = text.splitlines() or [""]
        line, col = len(lines), len(lines[-1]) + 1
        message = _TOML_END.sub("", message)
    return Problem(path, line, col, f"TOML syntax: {message[:1].lower()}{message[1:]}")


def read_text(path: Path) -> str:
    """A file's text; ProblemsError when it cannot be read or is not UTF-8 (a BOM is dropped).

    Only regular files are read: a pipe or a device would make the reader wait forever."""
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            what = "Is a directory" if stat.S_ISDIR(mode) else "not a regular file (a pipe or a device)"
            raise ProblemsError([Problem(path, 1, 1, f"cannot read: {what}")])
        raw = path.read_bytes()
    except OSError as error:
        raise ProblemsError([Problem(path, 1, 1, f"cannot read: {error.strerror or error}")]) from None
    return decode_text(path, raw)


def decode_text(path: Path, raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]  # a byte-order mark from a Windows editor is harmless
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise ProblemsError([Problem(path, line, col, "not UTF-8 text")]) from None


_LONG_NUMBER = re.compile(r"\d[\d_]{999,}")


def parse_toml(path: Path, text: str) -> dict:
    """tomllib's reading of `text`; ProblemsError with a position for anything it refuses."""
    import tomllib  # here: coach opens without a settings file to read, and has its first frame sooner

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProblemsError([from_toml_error(path, text, error)]) from None
    except RecursionError:
        line, col = _position(text, _DEEP.search(text))
        raise ProblemsError([Problem(path, line, col, "TOML nested too deeply to read")]) from None
    except ValueError:  # Python refuses to read an integer of thousands of digits
        line, col = _position(text, _LONG_NUMBER.search(text))
        raise ProblemsError([Problem(path, line, col, "a number too long to read")]) from None


_DEEP = re.compile(r"[\[{](?:\s*[\[{]){50,}")


def _position(text: str, found: re.Match[str] | None) -> tuple[int, int]:
    """Line and column (1-based) of where `found` starts; 1, 1 when nothing was found."""
    start = found.start() if found else 0
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


def read_toml(path: Path) -> tuple[dict, str]:
    """Read a TOML file; raise ProblemsError (never a bare exception) when it cannot be used."""
    text = read_text(path)
    return parse_toml(path, text), text


def locate(text: str, table: str | None = None, index: int = 0, key: str | None = None) -> tuple[int, int]:
    """Best line and column for a key, optionally inside the `index`-th `[[table]]`.

    tomllib keeps no positions, so this scans the source: good enough to point an
    editor at the offending line.
    """
    lines = text.splitlines()
    start, end = 0, len(lines)
    header = re.compile(r"^\s*\[")
    if table is not None:
        wanted = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
        hits = [i for i, line in enumerate(lines) if wanted.match(line)]
        if not hits:  # written inline (`goals = [{ … }, { … }]`)
            return _inline(text, table, index, key)
        if index >= len(hits):
            return (1, 1)
        start = hits[index]
        following = [i for i in range(start + 1, len(lines)) if header.match(lines[i])]
        end = following[0] if following else len(lines)
        if key is None:
            return (start + 1, lines[start].index("[") + 1)
        start += 1
    else:
        following = [i for i, line in enumerate(lines) if header.match(line)]
        end = following[0] if following else len(lines)
    if key is not None:
        pattern = re.compile(rf"^(\s*)[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(start, end):
            if found := pattern.match(lines[i]):
                return (i + 1, len(found.group(1)) + 1)
        if table is None:  # a table rather than a key: `[name]` or `[[name]]`
            heading = re.compile(rf"^(\s*)\[\[?\s*[\"']?{re.escape(key)}[\"']?\s*\]")
            for i, line in enumerate(lines):
                if found := heading.match(line):
                    return (i + 1, len(found.group(1)) + 1)
    return (max(1, start if table is not None else 1), 1)


_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "str": "text", "list": "a list",
          "dict": "a table", "datetime": "a date and time", "date": "a date", "time": "a time of day"}


def kind_of(value: object) -> str:
    """What a TOML value is, in words: `a whole number`, `a list`…"""
    return _KINDS.get(type(value).__name__, type(value).__name__)


def close_matches(word: str, known: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The known words most like `word`, closest first: what a "did you mean" offers."""
    import difflib

    return difflib.get_close_matches(word, list(known), n=n, cutoff=cutoff)


def did_you_mean(word: str, known: Sequence[str], what: str, quote: bool = False) -> str:
    """The end of a message about an unknown word: ``; did you mean `description`?`` (``'nord'``
    with `quote`), or ` (known keys: id, title)` when none is close."""
    close = close_matches(word, known)
    if close:
        return f"; did you mean {close[0]!r}?" if quote else f"; did you mean `{close[0]}`?"
    return f" ({what}: {', '.join(known)})"


def _inline(text: str, table: str, index: int, key: str | None) -> tuple[int, int]:
    """Where item `index` of an inline list `table = [ … ]` is (a `{ … }` table or a plain value),
    or its `key` when it is a table; the list's own line when that cannot be told."""
    line, col = locate(text, key=table)
    start = sum(len(row) + 1 for row in text.split("\n")[: line - 1]) + col - 1
    opening = text.find("[", start)
    if opening < 0:
        return line, col
    depth, item, item_start, between, i = 1, -1, -1, True, opening + 1
    while i < len(text):
        ch = text[i]
        if ch in " \t\r\n#":
            i = _past(text, i)
            continue
        if depth == 1 and ch in ",]":
            if item == index:
                return _position_of(text, item_start, i, key)
            if ch == "]":
                break
            between, i = True, i + 1
            continue
        if depth == 1 and between:  # the next item starts here
            item, item_start, between = item + 1, i, False
        if ch in "\"'":
            i = _past(text, i)
            continue
        depth += ch in "[{"
        depth -= ch in "]}"
        i += 1
    return line, col


def _past(text: str, i: int) -> int:
    """Where the string, comment or blank that starts at `i` ends (one past it)."""
    if text.startswith(('"""', "'''"), i):  # a multi-line string
        end = text.find(text[i:i + 3], i + 3)
        return len(text) if end < 0 else end + 3
    ch = text[i]
    if ch in "\"'":  # a string on one line (a backslash escapes in "…")
        j = i + 1
        while j < len(text) and text[j] != ch and text[j] != "\n":
            j += 2 if ch == '"' and text[j] == "\\" else 1
        return j + 1
    if ch == "#":  # a comment, to the end of its line
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    return i + 1


def _position_of(text: str, start: int, end: int, key: str | None) -> tuple[int, int]:
    """Line and column of `key = ` between `start` and `end`, else of `start` itself."""
    at = start
    if key is not None and (found := re.compile(rf"[{{,\s][\"']?{re.escape(key)}[\"']?\s*=").search(text, start, end)):
        at = found.start() + 1
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


class Checker:
    """Collects problems in one file, each pointed at the line of the offending key."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text
        self.problems: list[Problem] = []

    def add(self, message: str, table: str | None = None, index: int = 0, key: str | None = None,
            warning: bool = False) -> None:
        line, col = locate(self.text, table, index, key)
        self.problems.append(Problem(self.path, line, col, message, warning))

    def warn(self, message: str, table: str | None = None, index: int = 0, key: str | None = None) -> None:
        self.add(message, table, index, key, warning=True)

    def result(self, value: T) -> tuple[T | None, list[Problem]]:
        """`value` when nothing but warnings were found, else None; and every problem."""
        errors = [p for p in self.problems if not p.warning]
        return (None if errors else value), self.problems

    def schema(self, doc: dict, expected: int = 1) -> None:
        if "schema" not in doc:
            self.add(f"missing `schema = {expected}`")
        elif type(doc["schema"]) is not int or doc["schema"] != expected:
            self.add(f"unknown schema {doc['schema']!r}: this coach reads schema {expected}", key="schema")

    def text_value(self, doc: dict, key: str, table: str | None = None, index: int = 0,
                   required: bool = True) -> str:
        where = f"[[{table}]] #{index + 1}: " if table else ""
        value = doc.get(key)
        if value is None:
            if required:
                self.add(f"{where}missing required key `{key}`", table, index)
            return ""
        if not isinstance(value, str):
            self.add(f"{where}`{key}` must be text, not {kind_of(value)}", table, index, key)
            return ""
        if required and not value.strip():
            self.add(f"{where}`{key}` is empty", table, index, key)
        return value.strip()

    def tables(self, doc: dict, key: str, required: bool = True) -> list[dict]:
        value = doc.get(key)
        if value is None:
            if required:
                self.add(f"missing `[[{key}]]` tables")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(f"`{key}` must be a list of `[[{key}]]` tables", key=key)
            return []
        if not value and required:
            self.add(f"`{key}` is empty", key=key)
        return value
