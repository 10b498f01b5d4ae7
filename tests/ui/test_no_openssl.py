"""coach never opens a connection, so a meeting runs without OpenSSL: asyncio (under Textual) would
load it for the connections it could make, 4 MiB held for the whole call."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("pty", reason="needs a POSIX pseudo-terminal (pty)")

from tests.ui.pty_driver import coach_on_a_terminal

MAPS = Path("/proc/self/maps")


def openssl_in(pid: int) -> list[str]:
    """The files of OpenSSL (and of Python's module for it) mapped into the process `pid`."""
    lines = Path(f"/proc/{pid}/maps").read_text(encoding="utf-8", errors="replace").splitlines()
    files = {line.split()[-1] for line in lines if "/" in line}
    return sorted(f for f in files if any(part in Path(f).name for part in ("libssl", "libcrypto", "_ssl.")))


@pytest.mark.skipif(not MAPS.exists(), reason="reads the process's mappings from /proc")
def test_a_meeting_runs_without_openssl_loaded(coach_dirs: tuple[Path, Path]) -> None:
    import asyncio  # noqa: F401 - loads ssl here, in the test's own process

    if "ssl" not in sys.modules or not openssl_in(os.getpid()):
        pytest.skip("this Python's ssl is built in or absent: its mappings cannot tell it apart")

    with coach_on_a_terminal(["--partner", "Ada"], coach_dirs) as term:
        term.wait_for_screen("Start meeting")
        term.press("s")
        term.wait_for_screen("Notes")
        assert openssl_in(term.proc.pid) == []
        term.send(b"asked about the move")  # the notes take what is typed: the meeting runs as ever
        term.wait_for_screen("asked about the move")
        assert openssl_in(term.proc.pid) == []
