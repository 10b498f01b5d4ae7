"""Run the real `coach` in a pseudo-terminal and drive it with keystrokes, as a user's terminal would.

Standard library only (`pty`, `termios`, `fcntl`): POSIX systems. A background thread keeps
draining the terminal's output, so the app never blocks on a full pty buffer, and keeps a
copy of everything it drew (ANSI escapes stripped) for `wait_for_screen`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parents[2]

KEYS = {
    "ctrl+f": b"\x06",
    "ctrl+n": b"\x0e",
    "ctrl+q": b"\x11",
    "ctrl+r": b"\x12",
    "ctrl+s": b"\x13",
    "ctrl+t": b"\x14",
    "enter": b"\r",
    "tab": b"\t",
    "backspace": b"\x7f",
    "escape": b"\x1b",
    "f6": b"\x1b[17~",
    "f10": b"\x1b[21~",
}

ANSI = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC (window title), ended by BEL or ST
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI (cursor moves, colours, modes)
    r"|\x1b[PX^_][^\x1b]*\x1b\\"  # DCS / SOS / PM / APC strings
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x1b[ -/][0-~]"  # charset selection and the like
)


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


_probed = threading.Event()  # never set: waiting on it is how a probe gives the app a moment


def wait_until(what: str, probe: Callable[[], T | None], timeout: float = 30.0, every: float = 0.05) -> T:
    """Look at `probe` until it returns something truthy (a file on disk, a line on screen); fail
    naming `what` after `timeout` seconds, which only a failing test reaches."""
    deadline = time.monotonic() + timeout
    while not (value := probe()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        _probed.wait(every)
    return value


def read_toml(path: Path) -> dict | None:
    """The parsed file, or None when it is missing (a half-written file raises TOMLDecodeError)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return tomllib.loads(text)


def terminal_env(config: Path, data: Path) -> dict[str, str]:
    """The environment of a `coach` under test: its own folders, a real TERM, this checkout.

    The first-run welcome is marked as seen, so the app opens straight on its first screen.
    """
    from coach.store import device_dir

    data.mkdir(parents=True, exist_ok=True)
    device = device_dir(data)  # COACH_STATE_DIR is the test's, and the app's below
    device.mkdir(parents=True, exist_ok=True)
    (device / "state.toml").write_text("schema = 1\nwelcomed = 2026-01-01T00:00:00Z\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    env.update(COACH_CONFIG_DIR=str(config), COACH_DATA_DIR=str(data), TERM="xterm-256color")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH")) if p)
    return env


@contextlib.contextmanager
def coach_on_a_terminal(args: list[str], coach_dirs: tuple[Path, Path]) -> Iterator[CoachTerminal]:
    """`coach *args` started on a terminal of its own, with the test's folders; closed after."""
    config, data = coach_dirs
    term = CoachTerminal(args, terminal_env(config, data)).start()
    try:
        yield term
    finally:
        term.close()


class CoachTerminal:
    """One `python -m coach …` process on its own pseudo-terminal."""

    def __init__(self, args: list[str], env: Mapping[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.args = args
        self.env = dict(env)
        self.size = size
        self.proc: subprocess.Popen[bytes] | None = None
        self._fd: int | None = None
        self._chunks: list[tuple[float, bytes]] = []  # (monotonic time read, bytes)
        self._mark = 0  # index into _chunks
        self._lock = threading.Lock()
        self._drawn = threading.Condition(self._lock)  # told each time the app writes to the terminal
        self._reader: threading.Thread | None = None

    # -- life --------------------------------------------------------------------------------
    def start(self) -> CoachTerminal:
        master, slave = pty.openpty()
        columns, rows = self.size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "coach", *self.args],
                stdin=slave, stdout=slave, stderr=slave, cwd=REPO_ROOT, env=self.env,
                start_new_session=True, close_fds=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)  # the child holds its own copies; EOF/EIO on master once it exits
        self._fd = master
        self._reader = threading.Thread(target=self._drain, name=f"pty-reader-{self.proc.pid}", daemon=True)
        self._reader.start()
        return self

    def _drain(self) -> None:
        fd = self._fd
        assert fd is not None
        while True:
            try:
                ready, _, _ = select.select([fd], [], [], 0.1)
                if not ready:
                    if self.proc is not None and self.proc.poll() is not None and not self._more(fd):
                        return
                    continue
                data = os.read(fd, 65536)
            except (OSError, ValueError):  # EIO: every slave end is closed; EBADF: closed by kill()
                return
            if not data:
                return
            with self._drawn:
                self._chunks.append((time.monotonic(), data))
                self._drawn.notify_all()

    @staticmethod
    def _more(fd: int) -> bool:
        with contextlib.suppress(OSError, ValueError):
            return bool(select.select([fd], [], [], 0)[0])
        return False

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> float:
        """SIGKILL the app (its whole session) and reap it; return the monotonic time of the kill."""
        assert self.proc is not None
        killed_at = time.monotonic()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)  # waitpid: no zombie left behind
        self._close()
        return killed_at

    def close(self) -> None:
        """Make sure nothing is left running (for teardown); safe to call twice."""
        if self.proc is not None and self.proc.poll() is None:
            self.kill()
        self._close()

    def _close(self) -> None:
        if self._reader is not None:
            self._reader.join(timeout=2)
            self._reader = None
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    # -- input -------------------------------------------------------------------------------
    def send(self, data: bytes) -> None:
        assert self._fd is not None, "the terminal is closed"
        os.write(self._fd, data)

    def send_and_see(self, data: bytes, at_most: float) -> None:
        """Send `data`, then go on once the app has drawn something (its answer to it), or after
        `at_most` seconds for a key that changes nothing on screen: typing at the app's pace."""
        with self._drawn:
            seen = len(self._chunks)
        self.send(data)
        with self._drawn:
            self._drawn.wait_for(lambda: len(self._chunks) > seen, timeout=at_most)

    def press(self, *keys: str, gap: float = 0.05) -> None:
        for key in keys:
            self.send_and_see(KEYS[key] if key in KEYS else key.encode(), gap)

    def type(self, text: str, chunk: int = 3, gap: float = 0.015) -> None:
        """Type `text` a few characters at a time, like fast fingers (not one big paste)."""
        for i in range(0, len(text), chunk):
            self.send_and_see(text[i : i + chunk].encode("utf-8"), gap)

    # -- output ------------------------------------------------------------------------------
    def _text(self, start: int, end: int | None = None) -> str:
        with self._lock:
            raw = b"".join(data for _, data in self._chunks[start:end])
        return strip_ansi(raw.decode("utf-8", errors="replace"))

    def raw(self) -> bytes:
        """Every byte the app wrote to its terminal, escapes and all."""
        with self._lock:
            return b"".join(data for _, data in self._chunks)

    def output(self, since_mark: bool = True) -> str:
        """What the app drew (since the last `mark()`), ANSI escapes stripped."""
        return self._text(self._mark if since_mark else 0)

    def mark(self) -> None:
        """Forget the output so far: later `wait_for_screen` calls only see what comes after."""
        with self._lock:
            self._mark = len(self._chunks)

    def first_seen(self, text: str) -> float | None:
        """When `text` first reached the screen (monotonic time), or None if it never did."""
        with self._lock:
            count = len(self._chunks)
        if text not in self._text(0, count):
            return None
        low, high = 1, count  # the shortest prefix of the output that shows `text`
        while low < high:
            middle = (low + high) // 2
            if text in self._text(0, middle):
                high = middle
            else:
                low = middle + 1
        with self._lock:
            return self._chunks[low - 1][0]

    def wait_for_screen(self, text: str, timeout: float = 30.0) -> float:
        """Wait until the app has drawn `text` (a short, distinctive word is best); return when."""

        def seen() -> bool:
            if not self.alive() and text not in self.output():
                raise AssertionError(f"coach exited ({self.proc.returncode if self.proc else '?'}) "
                                     f"before showing {text!r}; it drew:\n{self.output(False)[-2000:]}")
            return text in self.output()

        try:
            wait_until(f"{text!r} on screen", seen, timeout)
        except AssertionError as error:
            if "timed out" in str(error):
                raise AssertionError(f"{error}; the screen so far:\n{self.output()[-2000:]}") from None
            raise
        return time.monotonic()
