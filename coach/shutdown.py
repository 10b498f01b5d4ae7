"""SIGTERM or SIGHUP (the terminal closed): keep the draft, give the lock back, and leave quietly."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable

SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Shutdown:
    """What coach does when it is told to stop by a signal rather than by its user."""

    def __init__(self, keep: Callable[[], object], release: Callable[[], object], leave: Callable[[], object],
                 hang_up: Callable[[int], object] = os._exit) -> None:
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
            self.hang_up(0)  # nothing left to restore or draw on
            return
        self.leave()
