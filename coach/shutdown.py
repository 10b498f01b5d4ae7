"""SIGTERM or SIGHUP (the terminal closed): keep the draft, give the lock back, and leave quietly."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable

SIGNALS = (signal.SIGTERM, signal.SIGHUP)
TERMINAL_AS_IT_WAS = (
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"  # no more mouse reports
    "\x1b[?2004l\x1b[?1004l"  # no bracketed paste, no focus reports
    "\x1b[?1049l\x1b[?25h"  # the main screen back, and the cursor
    "\x1b[23;0t"  # the terminal's own title (xterm's title stack)
).encode("ascii")
"""What a terminal that is still there needs to be as before coach, when there is no time to do
it the ordinary way."""


def leave_at_once(code: int, fd: int = 2) -> None:
    """End the process now. A SIGHUP usually means the terminal is gone; when it is not (`kill
    -HUP`), it gets its screen, cursor and mouse back: written through a description of the
    terminal of its own that never waits (the one shared with the shell is left as it is; a
    terminal that is gone cannot hold the exit up), and whose failure changes nothing."""
    with contextlib.suppress(OSError):
        terminal = os.open(os.ttyname(fd), os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
        try:
            os.write(terminal, TERMINAL_AS_IT_WAS)
        finally:
            os.close(terminal)
    os._exit(code)


class Shutdown:
    """What coach does when it is told to stop by a signal rather than by its user."""

    def __init__(self, keep: Callable[[], object], release: Callable[[], object], leave: Callable[[], object],
                 hang_up: Callable[[int], object] = leave_at_once) -> None:
        self.keep = keep          # write the draft now
        self.release = release    # give the data dir's lock back
        self.leave = leave        # end the app the ordinary way (the terminal is still there)
        self.hang_up = hang_up    # end the process at once (the terminal is gone)

    def install(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Handle the signals on `loop`; False where it cannot (not the main thread, Windows)."""
        try:
            for signum in SIGNALS:
                loop.add_signal_handler(signum, self.handle, signum)
        except (NotImplementedError, RuntimeError, ValueError):
            return False
        return True

    def handle(self, signum: int) -> None:
        with contextlib.suppress(Exception):  # whatever fails, the lock is given back
            self.keep()
        self.release()
        if signum == signal.SIGHUP:
            self.hang_up(0)  # nothing left to draw on: at once, the terminal put back if it is there
            return
        self.leave()
