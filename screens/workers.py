"""Thread workers that let go of what they ran.

Textual runs a thread worker in the event loop's default thread pool and marks it the thread's
current worker (a context variable) without ever taking the mark away: an idle thread kept the
last worker it ran, and through the worker its node and its work. Prep's trends held the whole prep
screen in memory for the meeting that followed. In this pool each job runs in a copy of the
context it was submitted from, so whatever it marks there goes when the job ends.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class OwnContextPool(ThreadPoolExecutor):
    """A thread pool whose jobs each run in a copy of the submitter's context."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


def use_own_context_pool(loop: asyncio.AbstractEventLoop) -> None:
    """Make `loop`'s default thread pool (`run_in_executor(None, …)`) an `OwnContextPool`."""
    loop.set_default_executor(OwnContextPool(thread_name_prefix="coach-worker"))
