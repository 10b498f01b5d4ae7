"""Settings: `<config dir>/config.toml`. Every key is optional; a broken file is reported
with its position and the defaults are used for whatever is wrong."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
from collections.abc import Collection
from pathlib import Path
from typing import Annotated

import msgspec

from coach.problems import Problem, ProblemsError, did_you_mean, locate, parse_toml, read_text, read_toml
from coach.store import config_dir, write_atomic

CONFIG_NAME = "config.toml"


Words = Annotated[str, msgspec.Meta(pattern=r"\S")]


class Config(msgspec.Struct, frozen=True, kw_only=True):
    """What a user can set, with the defaults coach uses when a key is absent."""

    default_template: Annotated[str, msgspec.Meta(pattern=r"\S")] = "standard"
    theme: Annotated[str, msgspec.Meta(pattern=r"\S")] = "textual-dark"
    warn_percent: Annotated[float, msgspec.Meta(ge=1, le=90)] = 20.0
    warn_max_seconds: Annotated[float, msgspec.Meta(ge=0, le=3600)] = 120.0
    sound: bool = False
    privacy: bool = False
    tips: bool = True
    calendar: tuple[Words, ...] = ()  # .ics files or folders of them, `~` expanded when read
    me: tuple[Words, ...] = ()  # the user's e-mail addresses, lower-case, without `mailto:`


KEYS = {name: getattr(Config(), name) for name in Config.__struct_fields__}
"""Every key and its default."""
WANTS = {
    "default_template": "text", "theme": "text", "warn_percent": "a number from 1 to 90",
    "warn_max_seconds": "a number from 0 to 3600", "sound": "true or false", "privacy": "true or false",
    "tips": "true or false", "calendar": "a path or a list of paths (text)",
    "me": "an e-mail address or a list of them (text)",
}
DESCRIPTIONS = {
    "default_template": "template used when you do not pick one (a new partner gets first-meeting)",
    "theme": "any Textual theme name, e.g. textual-dark, textual-light, nord, gruvbox",
    "warn_percent": "the timer warns when this share of a phase is left (1–90) ...",
    "warn_max_seconds": "... or this many seconds, whichever comes first (0–3600)",
    "sound": "ring the terminal bell when a phase enters its warning and its overtime",
    "privacy": "start with the privacy curtain on (notes and memory hidden, for screen sharing)",
    "tips": "show a rapport tip when a phase starts (prep and help show them either way)",
    "calendar": "your calendar: an .ics file or a folder of them (vdirsyncer's too), or a list;\n"
                "# e.g. calendar = \"~/.local/share/vdirsyncer/calendars\" or [\"~/work.ics\", \"~/home.ics\"]",
    "me": "your e-mail addresses, to know you among a meeting's attendees; e.g. me = [\"ada@example.org\"]",
}


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def load_config(path: Path | None = None, themes: Collection[str] | None = None) -> tuple[Config, list[Problem]]:
    """The settings (defaults where absent or wrong) and the problems found.

    Each key is checked on its own, so one wrong value never costs the others. `themes`, when
    given (the app knows which it has), is what `theme` must name.
    """
    path = path or config_path()
    if not os.path.lexists(path):  # a dangling link or a loop is reported, not taken for "absent"
        return Config(), []
    try:
        doc, text = read_toml(path)
    except ProblemsError as error:
        return Config(), error.problems
    problems: list[Problem] = []

    def report(key: str, message: str, warning: bool = False) -> None:
        line, col = locate(text, key=key)
        problems.append(Problem(path, line, col, message, warning=warning))

    if "schema" in doc and (type(doc["schema"]) is not int or doc["schema"] != 1):
        report("schema", f"unknown schema {doc['schema']!r}: this coach reads schema 1")
    values: dict = {}
    for key, value in doc.items():
        if key == "schema":
            continue
        if key not in KEYS:
            report(key, f"unknown key `{key}`{did_you_mean(key, list(KEYS), 'known keys')}", warning=True)
            continue
        if key in LISTS:
            value = _list_of_text(key, value)
        try:
            msgspec.convert({key: value}, Config, strict=True)
        except msgspec.ValidationError:
            report(key, f"`{key}` must be {WANTS[key]}, not {value!r}; using {_default(key)}")
            continue
        if key == "theme" and themes is not None and value not in themes:
            report(key, f"unknown theme {value!r}{did_you_mean(value, sorted(themes), 'themes', quote=True)}; "
                   f"using {KEYS[key]!r}")
            continue
        values[key] = value
    return msgspec.convert(values, Config, strict=True), problems


LISTS = ("calendar", "me")
"""Keys that take one text or a list of them."""


def _list_of_text(key: str, value: object) -> object:
    """`value` as a list of text, tidied (an e-mail lower-case, without `mailto:`); anything else
    as it was, for the type check to refuse."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        return value
    if key == "me":
        items = [re.sub(r"(?i)^mailto:", "", v.strip()).casefold() for v in items]
    return tuple(dict.fromkeys(items))


def template_problems(config: Config, path: Path, template_ids: Collection[str]) -> list[Problem]:
    """`default_template` must name a template that exists."""
    if config.default_template in template_ids or not os.path.lexists(path):
        return []
    try:
        line, col = locate(path.read_text(encoding="utf-8", errors="replace"), key="default_template")
    except OSError:
        line, col = 1, 1
    known = ", ".join(sorted(template_ids)) or "none"
    return [Problem(path, line, col, f"`default_template` names {config.default_template!r}, which does not "
                    f"exist (known: {known}); using the standard template")]


STARTER = '''# coach settings. Every key is optional; delete a line to get the default back.
schema = 1

{body}
'''


def starter_text() -> str:
    """A commented config.toml with every key at its default."""
    lines = []
    for key, value in KEYS.items():
        shown = "[]" if isinstance(value, tuple) else ("true" if value else "false") if isinstance(value, bool) else (
            f"{value:g}" if isinstance(value, float) else f'"{value}"')
        lines.append(f"# {DESCRIPTIONS[key]}\n{key} = {shown}")
    return STARTER.format(body="\n\n".join(lines))


def save_setting(key: str, value: str | bool | float, path: Path | None = None) -> Path:
    """Set one key in config.toml, keeping everything else of the user's file as it was:
    comments, order, quoting, blank lines. A file that is not valid TOML is left alone
    (ProblemsError says where it is broken)."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    path = path or config_path()
    bom = ""
    if os.path.lexists(path):
        text = read_text(path)
        with contextlib.suppress(OSError):
            bom = "\ufeff" if path.read_bytes().startswith(codecs.BOM_UTF8) else ""
        parse_toml(path, text)  # the same checks, and the same positions, as reading it
        try:
            doc = tomlkit.parse(text)
        except TOMLKitError as error:  # pragma: no cover - tomllib refuses the same files
            raise ProblemsError([Problem(path, getattr(error, "line", 1), getattr(error, "col", 1),
                                         str(error))]) from None
    else:
        doc = tomlkit.parse("# coach settings (`coach config new` writes one with every key explained)\n"
                            "schema = 1\n")
    old = doc.get(key)
    if isinstance(old, tomlkit.items.String) and old.type.is_literal() and isinstance(value, str) and "'" not in value:
        value = tomlkit.string(value, literal=True)  # 'single quotes' stay single quotes
    doc[key] = value
    write_atomic(path, bom + tomlkit.dumps(doc))  # a byte-order mark the file had stays
    return path


def _default(key: str) -> str:
    """The default of `key` as a message says it."""
    return "none" if isinstance(KEYS[key], tuple) else repr(KEYS[key])
