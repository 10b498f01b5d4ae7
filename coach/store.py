"""Where coach keeps its files, and how it writes them: atomically, privately, versioned.

Paths are computed when asked for, never at import, so `COACH_CONFIG_DIR`, `COACH_DATA_DIR`,
`COACH_CACHE_DIR` and `COACH_STATE_DIR` set by a test or a user's shell always take effect.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import unicodedata
from pathlib import Path
from typing import TypeGuard

from coach.digest import sha256_hex

APP_NAME = "coach"
FILE_MODE = 0o600
DIR_MODE = 0o700


def config_dir() -> Path:
    """Settings, and the user's own decks and templates."""
    if override := os.environ.get("COACH_CONFIG_DIR"):
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    """Partners, meeting summaries and the user's exports: only what the user made, so it can be synced."""
    if override := os.environ.get("COACH_DATA_DIR"):
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def cache_dir() -> Path:
    """What coach derives from the data dir on this device (the history index): never synced,
    rebuilt when missing, so deleting it loses nothing."""
    if override := os.environ.get("COACH_CACHE_DIR"):
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME)


def state_dir() -> Path:
    """What this device keeps for itself (e.g. which phase guides were shown): never synced."""
    if override := os.environ.get("COACH_STATE_DIR"):
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_state_path(APP_NAME)


def device_dir(data: Path | None = None) -> Path:
    """What this device keeps for one data folder (`data`, by default the one in use): the draft
    of the meeting in progress, the lock, the first-run state. Never synced; one folder per data
    folder, named after it and a digest of its resolved path, so two data folders on one device
    never share a draft or a lock."""
    data = data if data is not None else data_dir()
    try:
        data = data.resolve()
    except (OSError, RuntimeError):  # a loop of links: its absolute path names it well enough
        data = data.absolute()
    digest = sha256_hex(os.fsencode(data))[:8]
    return state_dir() / f"{readable(data.name) or 'data'}-{digest}"


DRAFT_NAME = "draft.toml"


def draft_path() -> Path:
    """On this device only (see `device_dir`): a draft is never synced to another."""
    return device_dir() / DRAFT_NAME


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def partners_dir() -> Path:
    return data_dir() / "partners"


def exports_dir() -> Path:
    """Files coach writes for the user to take elsewhere (a follow-up message)."""
    return data_dir() / "exports"


def ensure_dir(path: Path) -> Path:
    """Create `path` and any missing parents, each readable by its owner only."""
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=DIR_MODE)
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask
    return path


def write_atomic(path: Path, data: str | bytes, durable: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    The file is readable by its owner only. `durable=False` skips the fsyncs: the new file
    survives the process being killed, not a power cut (the draft, written every few keystrokes).
    A symbolic link is written through (a config.toml kept with dotfiles stays a link); a path
    that is a directory, a pipe or a device is refused, never replaced.
    """
    if os.path.islink(path):
        path = Path(os.path.realpath(path))
    with contextlib.suppress(FileNotFoundError):
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            what = "Is a directory" if stat.S_ISDIR(mode) else "not a regular file (a pipe or a device)"
            raise OSError(errno.EINVAL, what, str(path))
    ensure_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp makes it 0600
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    if durable:
        _fsync_dir(path.parent)


def read_file(path: Path) -> bytes:
    """A regular file's bytes; OSError for anything else (a pipe would make the reader wait forever)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return path.read_bytes()


def set_aside(path: Path, when) -> Path:
    """Move a file that cannot be used to `<name>.broken-<time>` beside it (never over another
    one), readable by its owner only; return where it went."""
    return move_to(path, path.parent, f"{path.name}.broken-{when:%Y%m%d-%H%M%S}")


def free_name(folder: Path, stem: str, suffix: str = "") -> Path:
    """`folder/<stem><suffix>`, or `<stem>-2<suffix>`, `-3`… when a file is already there."""
    target, n = folder / f"{stem}{suffix}", 1
    while os.path.lexists(target):
        n += 1
        target = folder / f"{stem}-{n}{suffix}"
    return target


def move_to(path: Path, folder: Path, stem: str, suffix: str = "") -> Path:
    """Move `path` to `folder/<stem><suffix>`, or `<stem>-2<suffix>`, `-3`… when that is taken
    (never over another file), readable by its owner only; return where it went."""
    target = free_name(folder, stem, suffix)
    os.replace(path, target)
    with contextlib.suppress(OSError):
        if not os.path.islink(target):
            os.chmod(target, DIR_MODE if target.is_dir() else FILE_MODE)
    return target


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def dump_toml(doc: dict) -> str:
    """TOML with every list of tables written as `[[name]]` blocks, for people who grep.

    (tomli_w would inline short ones.) Multi-line text stays multi-line.
    """
    import tomli_w

    def is_tables(value: object) -> TypeGuard[list[dict]]:
        return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)

    def is_flat_tables(value: object) -> bool:
        """Rows with no tables inside them: those can be written one `[[name]]` block each."""
        return isinstance(value, list) and is_tables(value) and all(
            not isinstance(v, dict) and not is_tables(v) for row in value for v in row.values())

    def dumps(table: dict) -> str:
        # A multi-line string would turn a CR LF into LF: such a table is written on single lines.
        return tomli_w.dumps(table, multiline_strings=not _has_cr(table))

    head = {k: v for k, v in doc.items() if not is_flat_tables(v)}
    out = [dumps(head)]
    for key, rows in doc.items():
        if is_flat_tables(rows):
            for row in rows:
                out.append(f"\n[[{key}]]\n" + dumps(row))
    return escape_c1("".join(out))


def _has_cr(value: object) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_has_cr(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_cr(v) for v in value)
    return False


_C1 = re.compile("[\x80-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_c1(toml_text: str) -> str:
    """C1 controls (and line separators) as `\\u` escapes: TOML reads them back the same, and
    `cat` or `coach show --format toml` never hands a terminal a raw control.

    Only for TOML that coach writes itself: every string there is a basic string, where the
    escape means the character."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", toml_text)


_SPACES = re.compile("[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def normalize_name(name: str) -> str:
    """A partner's name as stored: NFC, runs of spaces as one space, otherwise as typed.

    Names that are equal once NFC-normalised (`Zoë` typed with a combining diaeresis or
    without) are one person. Everything else is kept — zero-width joiners and other format
    characters too — so two names that look different never share a file. Names holding
    control characters are refused where names are typed or read (`coach.text.name_problem`).
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip(" ")


def slugify(name: str, limit: int = 24) -> str:
    """A file-name-safe, collision-free slug for a partner's name.

    The readable part keeps letters and digits (accents folded, any script kept); the
    hash of the exact name keeps two different names apart and makes reserved names
    such as `CON` or `..` harmless.
    """
    exact = normalize_name(name)
    digest = sha256_hex(exact.encode("utf-8"))[:8]
    return f"{readable(exact, limit) or 'partner'}-{digest}"


def readable(text: str, limit: int = 24) -> str:
    """The letters and digits of `text` (accents folded, any script kept, lower case), runs of
    anything else as one `-`, at most `limit` characters; may be empty."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    kept, dash = [], False
    for ch in folded:
        if unicodedata.combining(ch):
            continue
        if ch.isalnum():
            kept.append(ch)
            dash = False
        elif not dash and kept:
            kept.append("-")
            dash = True
    return "".join(kept).strip("-")[:limit].strip("-")


STATE_NAME = "state.toml"


def state_path() -> Path:
    """Small facts about this device (e.g. that the welcome was shown)."""
    return device_dir() / STATE_NAME


def first_run() -> bool:
    """True until the welcome has been shown once. The mark an older version left in the data
    folder counts too (the app moves it when it starts, after this is asked)."""
    return not state_path().exists() and not (data_dir() / STATE_NAME).exists()


def mark_welcomed(when) -> None:
    write_atomic(state_path(), dump_toml({"schema": 1, "welcomed": when.replace(microsecond=0)}))
