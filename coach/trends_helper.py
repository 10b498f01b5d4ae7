"""Prep's trend lines, worked out in a helper process that ends as soon as they are.

The trends read every meeting's header through the history index: SQLite and the history's code.
Read in the app, they stayed resident through the whole meeting that follows prep, 2 MiB of what
coach takes beside a call. The helper is this module, run by the same interpreter as
`python -P -m coach.trends_helper`: the partner, the day and their record go in on stdin as JSON,
the lines come back on stdout as JSON, and nothing it says can reach the terminal. Whatever goes
wrong with it (no interpreter to start, a crash, no answer in time, an answer not of that shape)
costs only the helper: the lines are then worked out in the app, as they were before.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date

import msgspec

from coach.model import PartnerRecord

MODULE = "coach.trends_helper"
TIMEOUT = 300.0
"""Seconds the helper may take: a first index of thousands of meetings is built by it."""
LOOK_EVERY = 0.1
"""Seconds between looks at `cancelled` while the helper works."""


class Question(msgspec.Struct, frozen=True):
    partner: str
    today: date
    record: PartnerRecord | None = None


def trend_lines_apart(partner: str, today: date, record: PartnerRecord | None = None, *,
                      cancelled: Callable[[], bool] = lambda: False,
                      timeout: float = TIMEOUT) -> list[str] | None:
    """`coach.trends.trend_lines` of the partner, from the helper, or worked out here when the
    helper fails; None when `cancelled()` said so first (the helper is stopped)."""
    lines = ask(Question(partner, today, record), cancelled, timeout)
    if lines is not None or cancelled():
        return lines
    from coach.trends import trend_lines

    return trend_lines(partner, today, record=record)


def ask(question: Question, cancelled: Callable[[], bool], timeout: float,
        argv: list[str] | None = None) -> list[str] | None:
    """The helper's answer, or None (it failed, took longer than `timeout`, or was cancelled)."""
    argv = argv or [sys.executable, "-P", "-m", MODULE]
    if not argv[0]:
        return None  # an embedded interpreter: no executable to start
    try:
        helper = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  start_new_session=True)  # the terminal's signals are coach's to handle
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    answer, waited = b"", 0.0
    payload: bytes | None = msgspec.json.encode(question)
    try:
        while True:
            try:
                answer, _ = helper.communicate(payload, timeout=LOOK_EVERY)
                break
            except subprocess.TimeoutExpired:
                payload = None  # it is sent: the next look only waits for the answer
                waited += LOOK_EVERY
                if cancelled() or waited >= timeout:
                    return None
    except (OSError, ValueError):
        return None
    finally:
        if helper.poll() is None:
            helper.kill()
            helper.wait()
    return read_answer(helper.returncode, answer)


def read_answer(status: int, answer: bytes) -> list[str] | None:
    """The lines of a helper that ended with `status` and wrote `answer`; None unless it ended
    well with a JSON list of strings."""
    if status != 0:
        return None
    try:
        return msgspec.json.decode(answer, type=list[str])
    except msgspec.MsgspecError:
        return None


def main() -> int:
    """The helper: a question on stdin, the lines on stdout; 2 for a question it cannot read."""
    try:
        question = msgspec.json.decode(sys.stdin.buffer.read(), type=Question)
    except (msgspec.MsgspecError, ValueError):
        return 2
    from coach.trends import trend_lines

    lines = trend_lines(question.partner, question.today, record=question.record)
    sys.stdout.buffer.write(msgspec.json.encode(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
