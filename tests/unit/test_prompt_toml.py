"""A deck or template with several mistakes is told all of them, each at its line; any bytes are
a template or positioned problems, never an exception."""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.model import Template
from coach.prompt_toml import MAX_SYNTAX_PROBLEMS
from coach.prompts import check_deck, check_template

EXAMPLES = settings(max_examples=int(os.environ.get("COACH_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
PROBLEM_LINE = re.compile(r"^(?P<path>.+):(?P<line>[1-9]\d*):(?P<col>[1-9]\d*): (?P<message>.+)$", re.DOTALL)

TEMPLATE = """\
schema = 1
id = "retro"
title = "Retro"

[[phases]]
id = "went-well"
title = "What went well"
minutes = 5
decks = ["chit-chat"]

[[phases]]
id = "to-change"
title = "What to change"
minutes = 10
decks = ["goals"]

[[phases]]
id = "next"
title = "Next steps"
minutes = 5
decks = ["commitments"]
"""


def written(folder: Path, text: str | bytes, name: str = "retro.toml") -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def edited(*changes: tuple[str, str]) -> str:
    text = TEMPLATE
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    return text


def test_two_syntax_mistakes_are_both_reported_at_their_lines(tmp_path: Path) -> None:
    path = written(tmp_path, edited(("minutes = 5\n", "minutes = 5 min\n"), ('title = "Next steps"', "title = Next")))
    template, problems = check_template(path)
    assert template is None
    assert [str(p) for p in problems] == [
        f"{path}:8:13: TOML syntax: expected newline or end of document after a statement",
        f"{path}:19:9: TOML syntax: invalid value",
    ]


def test_a_syntax_mistake_and_a_wrong_value_are_both_reported(tmp_path: Path) -> None:
    path = written(tmp_path, edited(('id = "went-well"', 'id = "went-well'), ("minutes = 10", "minutes = -3")))
    _template, problems = check_template(path)
    assert [(p.line, p.message) for p in problems] == [
        (6, "TOML syntax: illegal character '\\n'"),
        (14, "[[phases]] #2: `minutes` must be a number above 0 and at most 600, not -3"),
    ], "the phase whose id line was refused is not also said to miss its id"


def test_a_broken_table_heading_keeps_the_tables_after_it_numbered_as_in_the_file(tmp_path: Path) -> None:
    path = written(tmp_path, edited(('[[phases]]\nid = "to-change"', '[[phases]\nid = "to-change"'),
                                    ('minutes = 5\ndecks = ["commitments"]', 'minutes = 0\ndecks = ["commitments"]')))
    _template, problems = check_template(path)
    assert [(p.line, p.message) for p in problems] == [
        (11, "TOML syntax: expected ']]' at the end of an array declaration"),
        (20, "[[phases]] #3: `minutes` must be a number above 0 and at most 600, not 0"),
    ]


def test_a_missing_key_elsewhere_in_the_file_is_still_reported(tmp_path: Path) -> None:
    path = written(tmp_path, edited(('title = "What went well"\n', ""), ("minutes = 10", "minutes = 10 min")))
    _template, problems = check_template(path)
    assert [(p.line, p.message) for p in problems] == [
        (13, "TOML syntax: expected newline or end of document after a statement"),
        (5, "[[phases]] #1: missing required key `title`"),
    ], "the syntax problems first, then the others, as `coach templates check` has them"


def test_decks_are_read_the_same_way(tmp_path: Path) -> None:
    path = written(tmp_path, 'schema = 1\nid = "d"\ntitle = "D"\n[[cards]]\ntext = "one\n[[cards]]\ntext = two\n')
    _deck, problems = check_deck(path)
    assert [(p.line, p.col) for p in problems] == [(5, 12), (7, 8)]


def test_a_file_of_mistakes_is_told_the_first_few(tmp_path: Path) -> None:
    path = written(tmp_path, "".join(f"key{n} = = {n}\n" for n in range(40)))
    _template, problems = check_template(path)
    assert len(problems) == MAX_SYNTAX_PROBLEMS
    assert [p.line for p in problems] == list(range(1, MAX_SYNTAX_PROBLEMS + 1))


def assert_template_or_positioned_problems(path: Path, text: str | None, lines: int) -> None:
    """`lines`: how many lines the file has (a problem may point one past the last, at its end)."""
    template, problems = check_template(path)
    assert template is None or isinstance(template, Template)
    if template is None:
        assert any(not p.warning for p in problems), "a refused file says why"
    else:
        assert all(p.warning for p in problems)
    for problem in problems:
        assert problem.path == path
        assert 1 <= problem.line <= lines + 1 and problem.col >= 1, problem
        assert PROBLEM_LINE.match(str(problem)), str(problem)
        assert "(at line" not in problem.message and "(at end of document)" not in problem.message
    syntax = [p for p in problems if p.message.startswith("TOML syntax")]
    assert len(syntax) <= MAX_SYNTAX_PROBLEMS
    assert len({p.line for p in syntax}) == len(syntax), "each refused line once"
    if text is not None:
        try:
            tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError, ValueError):
            return
        assert not syntax, "a file tomllib reads has no syntax problem"


@EXAMPLES
@given(st.binary(max_size=400))
def test_any_bytes_are_a_template_or_positioned_problems(raw: bytes) -> None:
    try:
        text: str | None = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    with tempfile.TemporaryDirectory() as folder:
        assert_template_or_positioned_problems(written(Path(folder), raw), text, raw.count(b"\n") + 1)


TOML_BITS = st.sampled_from(['"', "'", "[", "]", "[[", "]]", "=", " = ", "{", "}", ",", "#", "\n", '"""', "phases",
                             "id", "minutes", "5", "-1", "x", " ", "\\", "\t", "é", "true", "1979-05-27"])


@EXAMPLES
@given(st.lists(st.tuples(st.integers(0, 21), st.lists(TOML_BITS, max_size=6).map("".join)), max_size=5))
def test_a_template_with_lines_mangled_is_a_template_or_positioned_problems(changes: list[tuple[int, str]]) -> None:
    lines = TEMPLATE.split("\n")
    for where, new in changes:
        lines[where] = new
    text = "\n".join(lines)
    with tempfile.TemporaryDirectory() as folder:
        assert_template_or_positioned_problems(written(Path(folder), text), text, text.count("\n") + 1)
