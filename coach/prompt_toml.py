"""Reading a deck or template file past its TOML syntax errors, so that an edit with several
mistakes is told all of them at once, each at its line.

tomllib stops at the first error. Each line it refuses is set aside (blanked; a broken table
heading becomes a table of its own, dropped afterwards) and the rest is read again, up to
MAX_SYNTAX_PROBLEMS times. The checks of the keys then run on what could be read; a check that
finds something *missing* is left out in a part of the file where a line was set aside, since
the missing key may well be on that line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coach.problems import Checker, Problem, ProblemsError, locate, parse_toml, read_text

MAX_SYNTAX_PROBLEMS = 10
"""At most this many syntax problems a file: past that, what follows is likely one mistake's echo."""

_HEADING = re.compile(r"^\s*\[")
_SET_ASIDE = "\x00set-aside"  # a key no file can have: TOML writes it only as an escape
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')\s*=")
_NAMED = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_-]+)")


@dataclass
class Read:
    """A prompt file as far as it could be read."""

    doc: dict
    text: str
    """The text that was read: the file's, with the lines set aside blanked (same line numbers)."""
    problems: list[Problem]
    """Its syntax problems, in the order of the lines."""
    set_aside: frozenset[int]
    """The sections (see `section`) in which a line was set aside."""


def section(text: str, line: int) -> int:
    """Which part of the file `line` (1-based) is in: 0 before the first table heading, n after
    the n-th heading."""
    return sum(1 for row in text.split("\n")[:line] if _HEADING.match(row))


def _end_of_document(text: str, problem: Problem) -> bool:
    """tomllib could not say where (an unclosed string or list runs to the end): no line to set aside."""
    lines = text.splitlines() or [""]
    return (problem.line, problem.col) == (len(lines), len(lines[-1]) + 1)


def read_prompt_toml(path: Path) -> Read:
    """The file's document and every syntax problem in it; ProblemsError when nothing can be
    read (not text, not readable, or no line left to set aside)."""
    original = read_text(path)
    lines = original.split("\n")
    problems: list[Problem] = []
    aside: set[int] = set()
    repaired: set[int] = set()
    while True:
        text = "\n".join(lines)
        try:
            doc = parse_toml(path, text)
        except ProblemsError as error:
            problem = error.problems[0]
            index = problem.line - 1
            if index in repaired:  # the heading as repaired is refused too: a table of its own, then
                repaired.discard(index)
                lines[index] = _table_of_its_own(index)
                continue
            stuck = (index in aside or not 0 <= index < len(lines) or not lines[index].strip()
                     or _end_of_document(text, problem))
            if not (stuck and any(p.line == problem.line for p in problems)):  # each line once
                problems.append(problem)
            if stuck or len(problems) >= MAX_SYNTAX_PROBLEMS:
                raise ProblemsError(sorted(problems, key=lambda p: (p.line, p.col))) from None
            aside.add(index)
            lines[index] = _set_aside(lines[index], index)
            if _NAMED.match(lines[index]):
                repaired.add(index)
            continue
        for key in [k for k in doc if k.startswith(_SET_ASIDE)]:
            del doc[key]
        sections = {section(text, i + 1) for i in aside}
        if any(_HEADING.match(lines[i]) for i in aside):
            sections.add(0)  # a table that lost its heading is missing from the top of the file
        return Read(doc, text, sorted(problems, key=lambda p: (p.line, p.col)), frozenset(sections))


def _set_aside(line: str, index: int) -> str:
    """What a refused line becomes: nothing; a `[[name` heading, `[[name]]` (so that the tables
    after it keep their numbers); another heading, a table of its own (dropped once read)."""
    if not _HEADING.match(line) or _KEY.match(line):
        return ""
    if (named := _NAMED.match(line)) is not None:
        return f"[[{named.group(1)}]]"
    return _table_of_its_own(index)


def _table_of_its_own(index: int) -> str:
    return f'["\\u0000set-aside-{index}"]'


class PromptChecker(Checker):
    """A Checker that does not call a key missing where a line was set aside."""

    def __init__(self, path: Path, read: Read) -> None:
        super().__init__(path, read.text)
        self.problems = list(read.problems)
        self.set_aside = read.set_aside

    def add(self, message: str, table: str | None = None, index: int = 0, key: str | None = None,
            warning: bool = False) -> None:
        if key is None and self.set_aside:  # something absent: reported at its table's heading or the top
            line, _col = locate(self.text, table, index, key)
            if section(self.text, line) in self.set_aside:
                return
        super().add(message, table, index, key, warning)

