"""SIGTERM and SIGHUP: the draft is kept and the lock given back before coach leaves."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from coach.shutdown import Shutdown


def recorder(done: list[str]) -> Shutdown:
    return Shutdown(keep=lambda: done.append("keep"), release=lambda: done.append("release"),
                    leave=lambda: done.append("leave"), hang_up=lambda code: done.append(f"hang up {code}"))


def test_sigterm_keeps_the_draft_gives_the_lock_back_and_leaves():
    done: list[str] = []
    recorder(done).handle(signal.SIGTERM)
    assert done == ["keep", "release", "leave"]


def test_sighup_ends_at_once_after_keeping_the_draft():
    done: list[str] = []
    recorder(done).handle(signal.SIGHUP)
    assert done == ["keep", "release", "hang up 0"]


def test_a_draft_that_cannot_be_kept_still_gives_the_lock_back():
    done: list[str] = []

    def broken() -> None:
        raise OSError("disk full")

    Shutdown(keep=broken, release=lambda: done.append("release"), leave=lambda: done.append("leave")).handle(
        signal.SIGTERM)
    assert done == ["release", "leave"]


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_a_real_signal_reaches_the_handler():
    done: list[str] = []
    loop = asyncio.new_event_loop()
    try:
        left = asyncio.Event()

        def leave() -> None:
            done.append("leave")
            left.set()

        shutdown = Shutdown(keep=lambda: done.append("keep"), release=lambda: done.append("release"), leave=leave)

        async def signalled() -> None:
            assert shutdown.install(asyncio.get_running_loop())
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.wait_for(left.wait(), timeout=10)

        loop.run_until_complete(signalled())
        assert done == ["keep", "release", "leave"]
    finally:
        for signum in (signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(signum)
        loop.close()
