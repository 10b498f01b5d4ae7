"""A thread worker lets go of what it ran: the pool runs each job in a copy of the submitter's
context, so a context variable a job sets (Textual's current worker) goes when the job ends."""

from __future__ import annotations

import asyncio
import contextvars
import gc
import weakref
from concurrent.futures import ThreadPoolExecutor

from screens.workers import OwnContextPool, use_own_context_pool

current: contextvars.ContextVar[object] = contextvars.ContextVar("current")


class Held:
    """Something big a job marks as current (a worker, and through it a screen)."""


def mark_and_return() -> weakref.ref[Held]:
    held = Held()
    current.set(held)
    return weakref.ref(held)


def test_what_a_job_marks_in_its_context_goes_when_it_ends():
    with OwnContextPool(max_workers=1) as pool:
        gone = pool.submit(mark_and_return).result()
        gc.collect()
        assert gone() is None
        assert pool.submit(current.get, None).result() is None, "the next job starts from the submitter's context"


def test_a_plain_pool_keeps_it_in_the_idle_thread():
    """Why: the thread's own context outlives the job (what kept prep through a meeting)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        kept = pool.submit(mark_and_return).result()
        gc.collect()
        assert kept() is not None


def test_a_job_sees_the_submitters_context():
    current.set("asked from here")
    with OwnContextPool(max_workers=1) as pool:
        assert pool.submit(current.get).result() == "asked from here"


def test_the_loops_default_pool_becomes_one():
    async def main() -> object:
        use_own_context_pool(asyncio.get_running_loop())
        ref = await asyncio.get_running_loop().run_in_executor(None, mark_and_return)
        gc.collect()
        return ref()

    assert asyncio.run(main()) is None
