"""`--status-file`: one line (phase, time left) for tmux or another status bar."""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct

from coach.store import write_atomic
from coach.text import one_line


class StatusFileFailed(Struct, frozen=True):
    """Writing the status file failed; it is no longer written."""

    path: Path
    error: OSError


class StatusFile:
    """Keeps PATH holding the line last shown, written atomically and readable by its owner only,
    like every file coach writes. After a failure it gives up: the meeting matters more."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._written = ""

    def write(self, line: str) -> StatusFileFailed | None:
        """Write `line` when it changed. The first failure is returned (to be said once); no
        write is tried after it."""
        if self.path is None or line == self._written:
            return None
        self._written = line
        try:
            write_atomic(self.path, one_line(line) + "\n", durable=False)
        except OSError as error:
            failed, self.path = StatusFileFailed(self.path, error), None
            return failed
        return None
