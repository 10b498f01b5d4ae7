"""coach's stylesheet: Textual's, with each source of CSS parsed once, and kept for the next start.

Textual 8.2 parses every source again each time the CSS is refreshed (a new mode, a screen's own
file, a widget class seen for the first time): five whole parses before the picker's first frame.
A source's rules depend only on its text, where it was read from and the CSS variables (the
theme), so they are kept in memory until the variables change.

Parsing is still the largest single part of what a first screen costs beyond a bare Textual app
(about 12 ms of the picker's, 15 ms of prep's, on a 2-core machine). So the parsed rules are also
kept in the cache folder, in `stylesheet.pickle`, and read back at the next start (about 3 ms for
the picker's): per source, keyed by its text, origin and the variables, for this Textual and this
Python only. The file is a cache and nothing about it ever reaches the user: missing, damaged, of
another version, not a regular file of the user's, or writable by others, it is not used and the
CSS is parsed as before; a source that parsed with errors is never kept, so its errors are told
each time. Only Textual's style classes can come out of it (see `_Rules`): whatever else the bytes
ask for, nothing is called.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import io
import os
import pickle
import stat
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import textual.color
import textual.css.model
import textual.css.scalar
import textual.css.styles
import textual.geometry
from textual.cache import LRUCache
from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet

from coach.digest import sha256_hex
from coach.store import cache_dir, write_atomic

KEPT_NAME = "stylesheet.pickle"
KEPT_MAX_BYTES = 4 * 1024 * 1024
"""A bigger file is not read: coach's sources, kept for a few themes, take about 100 KiB."""
KEPT_MAX_ENTRIES = 400
"""Past this many sources (old versions of edited files, many themes), only this run's are kept."""
_FORMAT = 1


def _version() -> str:
    """Rules kept by another Textual or Python are parsed again: their classes may have changed.
    Textual is known by the files of the modules whose classes are kept (`textual.__version__`
    would load importlib.metadata and the email package: 2 MiB and milliseconds at every start)."""
    files = []
    for module in (textual.color, textual.geometry, textual.css.model, textual.css.scalar, textual.css.styles):
        with contextlib.suppress(OSError, TypeError):
            info = os.stat(module.__file__ or "")
            files.append(f"{module.__file__}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join([str(_FORMAT), sys.version, *files])


_VERSION = _version()

_ALLOWED_MODULES = ("textual.color", "textual.geometry", "textual.css.", "textual.layouts.")


def kept_path() -> Path:
    return cache_dir() / KEPT_NAME


def _attribute(owner: Any, name: str) -> Any:
    """What pickle calls `getattr` for, in Textual's styles: an enum's member by its name, or a
    plain dict's `get` and `__contains__` (a style keeps its rules' as attributes); nothing else."""
    if isinstance(owner, type) and issubclass(owner, enum.Enum) and name in owner.__members__:
        return owner.__members__[name]
    if type(owner) is dict and name in ("get", "__contains__"):
        return getattr(owner, name)
    raise pickle.UnpicklingError(f"not allowed: the attribute {name!r}")


class _Rules(pickle.Unpickler):
    """An unpickler that gives only Textual's style classes (and `_check_*` helpers of its CSS
    model), `functools.partial` and the attributes `_attribute` allows: whatever the bytes of a
    cache file say, nothing else can be called."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("builtins", "getattr"):
            return _attribute
        if (module, name) == ("functools", "partial"):
            return functools.partial
        loaded = sys.modules.get(module)  # nothing is imported on a file's say
        if loaded is not None and module.startswith(_ALLOWED_MODULES) and not name.startswith("__"):
            found = getattr(loaded, name, None)
            is_class = isinstance(found, type) and found.__module__.startswith("textual.")
            is_check = module == "textual.css.model" and name.startswith("_check_") and callable(found)
            if is_class or is_check:
                return found
        raise pickle.UnpicklingError(f"not allowed: {module}.{name}")


def _unpickle(data: bytes) -> Any:
    return _Rules(io.BytesIO(data)).load()


def read_kept(data: bytes) -> dict[str, bytes]:
    """The entries of a kept file's bytes (each a source's pickled rules), or none at all for
    anything that is not such a file of this Textual and Python."""
    try:
        kept = _unpickle(data)
    except Exception:  # any bytes at all: a damaged file costs only the parse
        return {}
    if not isinstance(kept, dict) or kept.get("version") != _VERSION or not isinstance(kept.get("entries"), dict):
        return {}
    return {key: blob for key, blob in kept["entries"].items() if isinstance(key, str) and isinstance(blob, bytes)}


def rules_of(blob: bytes) -> list[RuleSet] | None:
    """The rules of one entry, or None when the entry is not a list of rules without errors."""
    try:
        rules = _unpickle(blob)
    except Exception:
        return None
    if not isinstance(rules, list) or not all(isinstance(rule, RuleSet) and not rule.errors for rule in rules):
        return None
    return rules


def read_kept_file(path: Path) -> dict[str, bytes]:
    """The entries kept at `path`, when it is a regular file of this user's that no one else can
    write (a pickle holds objects to build: a file someone else could write is not read)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # a pipe would make this wait
    except OSError:
        return {}
    try:
        info = os.fstat(fd)
        if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022
                or info.st_size > KEPT_MAX_BYTES):
            return {}
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(KEPT_MAX_BYTES + 1)
    except OSError:
        return {}
    finally:
        os.close(fd)
    return read_kept(data)


def write_kept(path: Path, entries: Mapping[str, bytes]) -> None:
    """Keep `entries` at `path`, readable by the user only; a folder that cannot be written is no error."""
    data = pickle.dumps({"version": _VERSION, "entries": dict(entries)}, protocol=pickle.HIGHEST_PROTOCOL)
    with contextlib.suppress(OSError):
        if os.path.islink(path):  # a link in its place is replaced, never written through
            os.unlink(path)
        write_atomic(path, data, durable=False)  # a cache: a power cut may cost it
        forget_stale_writes(path)


STALE_WRITE = 600.0
"""Seconds after which a temporary file of the kept file's is a write that was killed."""


def forget_stale_writes(path: Path, now: float | None = None) -> None:
    """Remove what writes of `path` killed midway left beside it (`.<name>.<random>.tmp`), once
    they are old enough not to be another coach's write in progress."""
    now = time.time() if now is None else now
    with contextlib.suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            if entry.name.startswith(f".{path.name}.") and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_WRITE:
                        os.unlink(entry.path)


class ParsedOnce(Stylesheet):
    """Textual's stylesheet, parsing each source once while the variables stay the same, and
    taking the rules of a source parsed in an earlier run from the kept file."""

    def __init__(self, *, variables: dict[str, str] | None = None, kept: bool = True) -> None:
        super().__init__(variables=variables)
        self._parse_cache = LRUCache(1024)  # every source coach's screens use (Textual keeps 64)
        self._kept_wanted = kept
        self._kept: dict[str, bytes] | None = None  # read at the first source not parsed in this run
        self._used: set[str] = set()
        self._fresh: dict[str, list[RuleSet]] = {}  # parsed in this run
        self._fresh_taken = 0
        self._variables_key = self._key_of_variables()

    def _key_of_variables(self) -> str:
        return sha256_hex(repr(sorted(self._variables.items())).encode("utf-8", "surrogatepass"))

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables != self._variables:
            super().set_variables(variables)  # forgets what was parsed with the old ones
            self._variables_key = self._key_of_variables()

    def reparse(self) -> None:
        """As Textual's: the rules only replace the old ones when every source parsed."""
        self.parse()

    def _parse_rules(self, css: str, read_from: CSSLocation, is_default_rules: bool = False,
                     tie_breaker: int = 0, scope: str = "") -> list[RuleSet]:
        in_memory = (css, read_from, is_default_rules, tie_breaker, scope)
        if in_memory in self._parse_cache:
            return self._parse_cache[in_memory]
        key = sha256_hex(repr((*in_memory, self._variables_key)).encode("utf-8", "surrogatepass"))
        self._used.add(key)
        if self._kept_wanted:
            if self._kept is None:
                self._kept = read_kept_file(kept_path())
            blob = self._kept.get(key)
            if blob is not None and (rules := rules_of(blob)) is not None:
                self._parse_cache[in_memory] = rules
                return rules
        rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
        if not any(rule.errors for rule in rules):
            self._fresh[key] = rules
        return rules

    def take_fresh(self) -> tuple[dict[str, list[RuleSet]], dict[str, bytes], set[str]] | None:
        """What `keep` needs when a source was parsed since the last time (None when none was):
        every source parsed in this run, what the file held, the sources this run used. `keep`
        may then run in a thread."""
        if len(self._fresh) == self._fresh_taken:
            return None
        self._fresh_taken = len(self._fresh)
        return dict(self._fresh), dict(self._kept or {}), set(self._used)

    @staticmethod
    def keep(fresh: dict[str, list[RuleSet]], kept: dict[str, bytes], used: set[str]) -> None:
        """Write the kept file: what it held, with the rules parsed in this run."""
        entries = dict(kept)
        for key, rules in fresh.items():
            with contextlib.suppress(Exception):  # rules that will not pickle are parsed again next time
                entries[key] = pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL)
        if len(entries) > KEPT_MAX_ENTRIES:
            entries = {key: blob for key, blob in entries.items() if key in used}
        write_kept(kept_path(), entries)
