"""Settings: `<config dir>/config.toml`. Every key is optional; a broken file is reported
with its position and the defaults are used for whatever is wrong."""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, fields
from pathlib import Path

from coach.problems import Checker, Problem, ProblemsError, read_toml
from coach.store import config_dir

CONFIG_NAME = "config.toml"
THEMES = (
    "textual-dark", "textual-light", "nord", "gruvbox", "catppuccin-mocha", "dracula", "tokyo-night", "monokai",
    "flexoki", "catppuccin-latte", "catppuccin-frappe", "catppuccin-macchiato", "solarized-light",
    "solarized-dark", "rose-pine", "rose-pine-moon", "rose-pine-dawn", "atom-one-dark", "atom-one-light",
    "ansi-dark", "ansi-light",
)
"""Textual's built-in themes (Textual is pinned; a test keeps this list honest)."""


@dataclass(frozen=True)
class Config:
    """What a user can set, with the defaults coach uses when a key is absent."""

    default_template: str = "standard"
    theme: str = "textual-dark"
    warn_percent: float = 20.0
    warn_max_seconds: float = 120.0
    sound: bool = False
    privacy: bool = False


KEYS = {f.name: f for f in fields(Config)}
DESCRIPTIONS = {
    "default_template": "template used when you do not pick one (a new partner gets first-meeting)",
    "theme": "any Textual theme name, e.g. textual-dark, textual-light, nord, gruvbox",
    "warn_percent": "the timer warns when this share of a phase is left (1–90) ...",
    "warn_max_seconds": "... or this many seconds, whichever comes first (0–3600)",
    "sound": "ring the terminal bell when a phase enters its warning and its overtime",
    "privacy": "start with the privacy curtain on (notes and memory hidden, for screen sharing)",
}


def config_path() -> Path:
    return config_dir() / CONFIG_NAME


def load_config(path: Path | None = None) -> tuple[Config, list[Problem]]:
    """The settings (defaults where absent or wrong) and the problems found."""
    path = path or config_path()
    if not os.path.lexists(path):  # a dangling link or a loop is reported, not taken for "absent"
        return Config(), []
    try:
        doc, text = read_toml(path)
    except ProblemsError as error:
        return Config(), error.problems
    check = Checker(path, text)
    if "schema" in doc:
        check.schema(doc)
    values: dict = {}
    for key, value in doc.items():
        if key == "schema":
            continue
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key, list(KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean `{close[0]}`?" if close else f" (known keys: {', '.join(KEYS)})"
            check.warn(f"unknown key `{key}`{hint}", key=key)
            continue
        default = KEYS[key].default
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, float):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        else:
            ok = isinstance(value, str) and bool(value.strip())
        if ok and key == "warn_percent":
            ok = 1 <= value <= 90
        if ok and key == "warn_max_seconds":
            ok = 0 <= value <= 3600
        if ok and key == "theme" and value not in THEMES:
            import difflib

            close = difflib.get_close_matches(value, THEMES, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (themes: {', '.join(THEMES)})"
            check.add(f"unknown theme {value!r}{hint}", key=key)
            continue
        if not ok:
            kind = {bool: "true or false", float: "a number", str: "text"}[type(default)]
            limits = {"warn_percent": " from 1 to 90", "warn_max_seconds": " from 0 to 3600"}.get(key, "")
            check.add(f"`{key}` must be {kind}{limits}, not {value!r}; using {default!r}", key=key)
            continue
        values[key] = float(value) if isinstance(default, float) else value
    return Config(**values), check.problems


def template_problems(config: Config, path: Path, template_ids: Collection[str]) -> list[Problem]:
    """`default_template` must name a template that exists."""
    if config.default_template in template_ids or not os.path.lexists(path):
        return []
    from coach.problems import locate

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
    for key, field in KEYS.items():
        value = field.default
        shown = ("true" if value else "false") if isinstance(value, bool) else (
            f"{value:g}" if isinstance(value, float) else f'"{value}"')
        lines.append(f"# {DESCRIPTIONS[key]}\n{key} = {shown}")
    return STARTER.format(body="\n\n".join(lines))


def save_setting(key: str, value: str | bool | float, path: Path | None = None) -> Path:
    """Set one key in config.toml, keeping the user's comments and other lines as they are."""
    import re

    from coach.store import write_atomic

    path = path or config_path()
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, float | int):
        shown = f"{value:g}"
    else:
        shown = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = "# coach settings (`coach config new` writes one with every key explained)\nschema = 1\n"
    line = f"{key} = {shown}"
    pattern = re.compile(rf"^{re.escape(key)}\s*=.*$", re.MULTILINE)
    text = pattern.sub(line, text, count=1) if pattern.search(text) else text.rstrip("\n") + f"\n{line}\n"
    write_atomic(path, text)
    return path
