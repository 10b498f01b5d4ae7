"""Reading and writing coach's own files through one declared shape each.

Each kind of file (summary, partner, draft, settings) is a `msgspec.Struct`; this module turns
what tomllib reads into that shape, and that shape back into TOML. Whatever is wrong comes
back as a `ProblemsError` pointing at the offending line and column, never as another
exception. People write dates by hand, so a date-time without an offset is read as local
time and a date alone as local midnight.

msgspec, because one declaration then gives strict types, ranges, defaults and the error's
path inside the document (`$.phases[2].notes`), which `locate` turns into a line.
"""

from __future__ import annotations

import enum
import functools
import re
import types
import typing
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import msgspec

from coach.model import SCHEMA
from coach.problems import Problem, ProblemsError, locate, parse_toml, read_text

T = TypeVar("T", bound=msgspec.Struct)

EARLIEST, LATEST = 1900, 9990
"""Years a date and time may have: beyond them, arithmetic on it would overflow."""


# -- reading ---------------------------------------------------------------------------------------
def read(kind: type[T], path: Path) -> T:
    """The record in `path`; ProblemsError (with line and column) when it cannot be used."""
    return parse(kind, path, read_text(path))


def parse(kind: type[T], path: Path, text: str) -> T:
    """The record in `text` (the contents of `path`)."""
    return decode(kind, parse_toml(path, text), path, text)


MAX_PROBLEMS = 20
"""A file this broken is reported this far; fixing those shows the rest."""


def decode(kind: type[T], doc: dict, path: Path, text: str) -> T:
    """`doc` (as tomllib returns it) as a `kind`; ProblemsError pointing at each problem.

    When something is wrong, each `[[table]]` row is checked on its own and a wrong optional
    key is set aside before the rest is checked again, so one mistake does not hide the next.
    """
    check_schema(doc, path, text)
    try:
        return msgspec.convert(_local_times(kind, doc, "$"), kind, strict=True)
    except (msgspec.ValidationError, BadValue):
        pass
    errors = _all_errors(kind, doc)
    problems = [problem_at(path, text, error, kind) for error in errors[:MAX_PROBLEMS]]
    raise ProblemsError(sorted(problems, key=lambda p: (p.line, p.col)))


def _all_errors(kind: type, doc: Any) -> list[str]:
    """Every problem of `doc` as a `kind`, as msgspec words them (paths relative to `doc`)."""
    if type(doc) is not dict:
        return _errors_of(kind, doc)
    errors: list[str] = []
    doc = dict(doc)
    for key, row_kind in _row_kinds(kind).items():
        rows = doc.get(key)
        if type(rows) is not list:
            continue
        kept = []
        for i, row in enumerate(rows):
            found = _all_errors(row_kind, row)
            errors += [_within(error, f"$.{key}[{i}]") for error in found]
            if not found:
                kept.append(row)
        doc[key] = kept
    return errors + _errors_of(kind, doc)


def _errors_of(kind: type, doc: Any) -> list[str]:
    """The problems of one table, one after another: a wrong optional key is set aside and a wrong
    required one given a stand-in value, so that each of the keys after it is checked too."""
    errors: list[str] = []
    doc = dict(doc) if type(doc) is dict else doc
    stood_in = False
    for _ in range(MAX_PROBLEMS):
        try:
            msgspec.convert(_local_times(kind, doc, "$"), kind, strict=True)
        except (msgspec.ValidationError, BadValue) as error:
            if stood_in and " - at `$." not in str(error) and _missing_key(str(error)) is None:
                break  # a record's own check of the whole, which a stand-in value may have upset
            errors.append(str(error))
            key = _top_key(str(error)) or _missing_key(str(error))
            if key is None or type(doc) is not dict:
                break
            if key in _required_keys(kind):
                stand_in = _stand_in(_hints(kind).get(key))
                if stand_in is None or doc.get(key) == stand_in:
                    break
                doc[key], stood_in = stand_in, True
            elif key in doc:
                del doc[key]
            else:
                break
        else:
            break
    return errors


def _missing_key(message: str) -> str | None:
    found = re.match(r"Object missing required field `([^`]+)`( - at `\$`)?$", message)
    return found.group(1) if found else None


def _stand_in(hint: Any) -> Any:
    """A valid value of a required key's type, put in its place while the rest is checked."""
    for bare in _bare(hint):
        if bare is str:
            return "x"
        if bare is datetime:
            return datetime(2000, 1, 1).astimezone()
        if bare is date:
            return date(2000, 1, 1)
        if bare is int:
            return 1
        if bare is float:
            return 1.0
        if typing.get_origin(bare) is typing.Literal:
            return typing.get_args(bare)[0]
        if isinstance(bare, type) and issubclass(bare, enum.Enum):
            return next(iter(bare)).value
    return None


class BadValue(ValueError):
    """A value msgspec would take but coach does not (a date out of range…), said as msgspec says it."""


def _within(message: str, where: str) -> str:
    """A row's own error path (`$.text`) as a path in the whole document (`$.goals[2].text`)."""
    if " - at `$" in message:
        return message.replace(" - at `$", f" - at `{where}", 1)
    return f"{message} - at `{where}`"


def _top_key(message: str) -> str | None:
    found = re.search(r" - at `\$\.([^.\[`]+)", message)
    return found.group(1) if found else None


@functools.cache
def _required_keys(kind: type) -> frozenset[str]:
    return frozenset(f.encode_name for f in msgspec.structs.fields(kind) if f.required)


def _row_kinds(kind: type) -> dict[str, type]:
    """The fields of `kind` that hold `[[table]]` rows, and the shape of a row."""
    found = {}
    for key, hint in _hints(kind).items():
        if typing.get_origin(hint) is list:
            (inner,) = typing.get_args(hint)
            if isinstance(inner, type) and issubclass(inner, msgspec.Struct):
                found[key] = inner
    return found


def check_schema(doc: dict, path: Path, text: str) -> None:
    value = doc.get("schema")
    if value is None:
        message = f"missing `schema = {SCHEMA}`: not a file coach wrote"
    elif type(value) is int and value > SCHEMA:
        message = f"written by a newer coach (schema {value}); this one reads schema {SCHEMA}"
    elif type(value) is not int or value != SCHEMA:
        message = f"unknown schema {value!r}: this coach reads schema {SCHEMA}"
    else:
        return
    line, col = locate(text, key="schema") if "schema" in doc else (1, 1)
    raise ProblemsError([Problem(path, line, col, message)])


# -- local times -------------------------------------------------------------------------------
@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind, include_extras=True)


def _bare(hint: Any) -> list[Any]:
    """The types a hint allows, with `Annotated` and `| None` peeled off."""
    if typing.get_origin(hint) is Annotated:
        return _bare(typing.get_args(hint)[0])
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(hint) for t in _bare(arg)]
    return [hint]


@functools.cache
def _dated(kind: type) -> dict[str, tuple[str, Any]]:
    """The keys of a record that hold dates, at any depth: key → (how, inner record kind).

    `how` is "moment" (a date and time), "day" (a date), "record" (a nested table) or "rows"
    (a list of tables). Worked out once per kind, so reading thousands of files stays quick."""
    plan: dict[str, tuple[str, Any]] = {}
    for key, hint in _hints(kind).items():
        for bare in _bare(hint):
            if bare is datetime:
                plan[key] = ("moment", None)
            elif bare is date:
                plan[key] = ("day", None)
            elif isinstance(bare, type) and issubclass(bare, msgspec.Struct) and _dated(bare):
                plan[key] = ("record", bare)
            elif typing.get_origin(bare) is list:
                inner = typing.get_args(bare)[0]
                if isinstance(inner, type) and issubclass(inner, msgspec.Struct) and _dated(inner):
                    plan[key] = ("rows", inner)
    return plan


def _local_times(kind: Any, value: Any, where: str) -> Any:
    """`value` (a table read for a `kind`) with its dates made what the declaration wants: aware
    date-times (local when no offset is written) and dates (the day of a date-time)."""
    if type(value) is not dict:
        return value  # msgspec says what is wrong with it
    plan = _dated(kind)
    if not plan or not plan.keys() & value.keys():
        return value
    value = dict(value)
    for key, (how, inner) in plan.items():
        if key not in value:
            continue
        item = value[key]
        if how == "moment":
            value[key] = _moment(item, f"{where}.{key}")
        elif how == "day":
            value[key] = _day(item, f"{where}.{key}")
        elif how == "record":
            value[key] = _local_times(inner, item, f"{where}.{key}")
        elif type(item) is list:
            value[key] = [_local_times(inner, row, f"{where}.{key}[{i}]") for i, row in enumerate(item)]
    return value


def _day(value: Any, where: str) -> Any:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date) and not EARLIEST <= value.year <= LATEST:
        raise BadValue(f"must be a date from {EARLIEST} to {LATEST}, not {value.isoformat()} - at `{where}`")
    return value


def _moment(value: Any, where: str) -> Any:
    if isinstance(value, str):  # written in quotes: fine, if it reads as one
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise BadValue(f"must be a date and time like 2026-03-02T14:00:00, not {value!r} - at `{where}`") from None
    if not isinstance(value, date):
        return value  # msgspec says what is wrong with it
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if not EARLIEST <= value.year <= LATEST:
        raise BadValue(f"must be a date from {EARLIEST} to {LATEST}, not {value.isoformat()[:10]} - at `{where}`")
    return value if value.tzinfo is not None else value.astimezone()


# -- where a problem is ---------------------------------------------------------------------------
_STEP = re.compile(r"\.([^.\[`]+)|\[(\d+)\]")
_NAMES = {"int": "a whole number", "float": "a number", "str": "text", "bool": "true or false",
          "datetime": "a date and time", "date": "a date (YYYY-MM-DD)", "array": "a list", "object": "a table",
          "null": "nothing", "enum": "one of the allowed words", "time": "a time of day"}


def problem_at(path: Path, text: str, message: str, kind: type | None = None) -> Problem:
    """A msgspec error (`Expected …, got … - at `$.a[0].b``) as a Problem at that key's line."""
    message, _, at = message.partition(" - at `")
    steps = [(m.group(1), int(m.group(2)) if m.group(2) else None) for m in _STEP.finditer(at.rstrip("`"))]
    if message.startswith("Invalid enum value") and kind is not None and (allowed := _allowed(kind, steps)):
        message += f" (one of {', '.join(allowed)})"
    if found := re.match(r"`(\w+)`: ", message):  # a record's own check names its key
        steps.append((found.group(1), None))
        message = message[found.end():]
    table: str | None = None
    index, key = 0, None
    if len(steps) >= 2 and steps[1][1] is not None:  # [[table]] #i, then perhaps one of its keys
        table, index = steps[0][0], steps[1][1]
        key = steps[2][0] if len(steps) > 2 else None
    elif len(steps) >= 2 and steps[1][0] is not None:  # [table] then its key
        key = steps[1][0]
        line, col = _in_table(text, steps[0][0], key)
        return Problem(path, line, col, _say(steps, message))
    elif steps:
        key = steps[0][0]
    line, col = locate(text, table, index, key)
    plain_list = kind is not None and table is not None and table not in _row_kinds(kind)
    return Problem(path, line, col, _say(steps, message, plain_list))


def _allowed(kind: type, steps: list[tuple[str | None, int | None]]) -> list[str]:
    """The values an enumerated key may take, found by following the error's path."""
    hint: Any = kind
    owner: Any = None
    for key, index in steps:
        if index is not None:
            hint = next(iter(typing.get_args(hint)), None)
            continue
        owner = next((t for t in _bare(hint) if isinstance(t, type) and issubclass(t, msgspec.Struct)), None)
        if owner is None or key not in _hints(owner):
            return []
        hint = _hints(owner)[key]
        if key in getattr(owner, "ALLOWED", {}):
            return [str(v) for v in owner.ALLOWED[key]]
    for bare in _bare(hint):
        if isinstance(bare, type) and issubclass(bare, enum.Enum):
            return [str(member.value) for member in bare]
        if typing.get_origin(bare) is typing.Literal:
            return [str(v) for v in typing.get_args(bare)]
    return []


def _in_table(text: str, table: str, key: str) -> tuple[int, int]:
    lines = text.splitlines()
    header = re.compile(rf"^\s*\[\s*[\"']?{re.escape(table)}[\"']?\s*\]")
    for i, line in enumerate(lines):
        if header.match(line):
            for j in range(i + 1, len(lines)):
                if lines[j].lstrip().startswith("["):
                    break
                if found := re.match(rf"^(\s*)[\"']?{re.escape(key)}[\"']?\s*=", lines[j]):
                    return j + 1, len(found.group(1)) + 1
            return i + 1, 1
    return locate(text, key=table)


def _say(steps: list[tuple[str | None, int | None]], message: str, plain_list: bool = False) -> str:
    """msgspec's words in ours, after where: `[[phases]] #2: `notes` must be text, not a whole number`
    (`seen_cards` #2: … for an item of a list of plain values)."""
    where = ""
    for step_key, step_index in steps:
        if step_index is not None and plain_list and where.count("`") == 2:
            where = f"{where} #{step_index + 1}:"
        elif step_index is not None and where.count("`") == 2 and "." not in where and "[[" not in where:
            where = f"[[{where.strip('`')}]] #{step_index + 1}:"
        elif step_index is not None:
            where = f"{where.rstrip(':')} #{step_index + 1}:"
        elif where.endswith(":"):
            where += f" `{step_key}`"
        else:
            where = f"`{step_key}`" if not where else f"{where[:-1]}.{step_key}`"
    if found := re.fullmatch(r"Expected `([^`]+)`, got `([^`]+)`", message):
        wanted = " or ".join(_NAMES.get(t, t) for t in map(str.strip, found.group(1).split("|")) if t != "null")
        message = f"must be {wanted}, not {_NAMES.get(found.group(2), found.group(2))}"
    elif found := re.fullmatch(r"Expected `(\w+)` (>=|<=|>|<) (\S+)", message):
        word = {">=": "at least", "<=": "at most", ">": "more than", "<": "less than"}[found.group(2)]
        bound = float(found.group(3))
        shown = f"{int(bound):,}" if bound.is_integer() else f"{bound:g}"
        message = f"must be {_NAMES.get(found.group(1), found.group(1))} {word} {shown}"
    elif message.startswith("Expected `str` of length >= 1"):
        message = "must not be empty"
    elif found := re.fullmatch(r"Object missing required field `([^`]+)`", message):
        message = f"missing required key `{found.group(1)}`"
        where = where if where.endswith(":") else (f"{where}:" if where else "")
    elif message.startswith("Expected `str` matching regex"):
        message = "may hold only letters, digits, `.`, `_` and `-`"
    elif message.startswith("Invalid RFC3339 encoded date"):
        message = "must be a date like 2026-03-02"
    elif found := re.fullmatch(r"Invalid enum value (.+?)( \(one of .*\))?", message):
        message = f"cannot be {found.group(1)}" + (f"; it is{found.group(2)[:-1].replace(' (', ' ', 1)}"
                                                    if found.group(2) else "")
    elif where and not where.endswith(":") and not message.startswith(("must ", "may ", "cannot ")):
        where += ":"
    return f"{where} {message}".strip()


# -- writing -------------------------------------------------------------------------------------
def to_doc(record: msgspec.Struct, empty_lists: bool = True, whole_seconds: bool = True) -> dict:
    """The record as the TOML document to write: dates kept as dates, absent values left out,
    times to the second (unless `whole_seconds` is False: the draft keeps its exact time).

    `empty_lists=False` leaves out empty lists too, for files people extend by hand: a
    `facts = []` line would make a `[[facts]]` table added below it a TOML error."""
    doc = _tidy(msgspec.to_builtins(record, builtin_types=(datetime, date)), whole_seconds)
    return doc if empty_lists else {k: v for k, v in doc.items() if v != []}


def _tidy(value: Any, whole_seconds: bool) -> Any:
    if isinstance(value, dict):
        return {k: _tidy(v, whole_seconds) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_tidy(v, whole_seconds) for v in value]
    if isinstance(value, datetime) and whole_seconds:
        return value.replace(microsecond=0)
    return value


def encode(record: msgspec.Struct, empty_lists: bool = True, whole_seconds: bool = True) -> str:
    """The record as TOML text (see `store.dump_toml` for the layout)."""
    from coach.store import dump_toml

    return dump_toml(to_doc(record, empty_lists, whole_seconds))
