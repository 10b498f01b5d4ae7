"""What the performance benchmarks share: a private workspace, a bare Textual app to measure
against, and a terminal to run an app in (a tmux pane on a private server, or a bare pty).

Only the standard library (and tmux for the tmux terminal). Nothing here is a test: the
scripts beside it print figures and ratios and never pass or fail.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CLK_TCK = os.sysconf("SC_CLK_TCK")

BARE_APP = '''\
"""The yardstick: the least a Textual app can be, a Static and a Footer."""
from textual.app import App
from textual.widgets import Footer, Static


class Bare(App):
    BINDINGS = [("ctrl+q", "quit", "Quit"), ("f1", "help", "Help")]

    def compose(self):
        yield Static("Bare Textual app")
        yield Footer()


if __name__ == "__main__":
    Bare().run()
'''
BARE_MARKER = "Bare Textual app"

# Be stopped by a timeout's SIGTERM as by Ctrl+C: unwind, so every app started is killed.
if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


class Workspace:
    """A temporary root: config and data dirs per profile, the bare app, a bytecode cache.

    By default the apps run with a warm bytecode cache in the workspace (PYTHONPYCACHEPREFIX),
    as an installed wheel runs with the .pyc files pip compiled; `bytecode=False` keeps
    PYTHONDONTWRITEBYTECODE, so the project's modules are compiled on every start.
    """

    def __init__(self, bytecode: bool = True, keep: bool = False) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="coach-bench-"))
        self.bytecode = bytecode
        self.keep = keep
        self.bare_app = self.root / "bare_app.py"
        self.bare_app.write_text(BARE_APP, encoding="utf-8")

    def env(self, profile: str = "default", **extra: str) -> dict[str, str]:
        """The environment of an app run: its own COACH_* dirs, the repo first on the path."""
        env = dict(os.environ)
        env.update(COACH_CONFIG_DIR=str(self.root / profile / "config"),
                   COACH_DATA_DIR=str(self.root / profile / "data"),
                   COACH_CACHE_DIR=str(self.root / profile / "cache"),
                   COACH_STATE_DIR=str(self.root / profile / "state"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
                   TERM="xterm-256color", COLORTERM="truecolor")
        env.pop("TEXTUAL", None)  # no devtools, no debug
        if self.bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(self.root / "pycache")
        env.update(extra)
        return env

    def prepare(self, profile: str = "default", partner: str | None = "Ada") -> None:
        """Make the profile a returning user's: the one-time welcome seen, and (unless `partner` is
        None) a partner with one saved meeting: a fact, a goal and a commitment."""
        code = ("import datetime, coach.store as s\n"
                "if hasattr(s, 'mark_welcomed'): s.mark_welcomed(datetime.datetime.now())")
        subprocess.run([PYTHON, "-c", code], env=self.env(profile), check=True, cwd=REPO)
        if partner is not None:
            saved = {k: os.environ.get(k) for k in ("COACH_CONFIG_DIR", "COACH_DATA_DIR", "COACH_CACHE_DIR",
                                                     "COACH_STATE_DIR")}
            os.environ.update({k: v for k, v in self.env(profile).items() if k in saved})
            try:
                make_partner(partner)
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value

    def close(self) -> None:
        if self.keep:
            print(f"kept {self.root}", file=sys.stderr)
        else:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def make_partner(name: str) -> None:
    """`name`, with one meeting two weeks ago, saved as coach saves one (in COACH_DATA_DIR)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from coach import partners, summaries
    from coach.model import Capture, CaptureKind, Owner, PhaseRecord, Summary, notes_of
    from coach.store import slugify

    started = datetime.now().astimezone().replace(microsecond=0) - timedelta(days=14)
    phases = [PhaseRecord(id=pid, title=title, planned_seconds=planned, actual_seconds=planned * 1.1,
                          notes=f"Notes of {title}.")
              for pid, title, planned in (("chit-chat", "Chit-chat", 300.0), ("goals", "Goals", 900.0),
                                          ("commitments", "Commitments", 600.0))]
    captures = [Capture(CaptureKind.FACT, "Training for a marathon in May", "chit-chat"),
                Capture(CaptureKind.GOAL, "Lead the design review", "goals"),
                Capture(CaptureKind.COMMITMENT, "Send the reading list", "commitments", Owner.ME,
                        (started + timedelta(days=7)).date())]
    slug = slugify(name)
    summary = Summary(id=f"{started:%Y-%m-%d-%H%M}-{slug}-0b3e11", partner=name, partner_slug=slug,
                      template="standard", started=started, ended=started + timedelta(minutes=33),
                      phases=phases, rating=4, **notes_of(captures))
    summaries.save(summary)
    partners.remember_meeting(summary)


def coach_argv(*args: str) -> list[str]:
    return [PYTHON, "-m", "coach", *args]


# -- /proc ------------------------------------------------------------------------------------
def status_field(pid: int, name: str, task: int | None = None) -> int:
    """One number from /proc/PID/status (VmRSS in KiB, voluntary_ctxt_switches, ...)."""
    path = f"/proc/{pid}/task/{task}/status" if task else f"/proc/{pid}/status"
    with open(path) as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise KeyError(name)


def cpu_ticks(pid: int) -> int:
    """utime + stime of the whole process (every thread), in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of stat(5)


def cpu_seconds(pid: int) -> tuple[float, str]:
    """CPU time of the process's live threads and how it was read: nanoseconds on the CPU from
    /proc/PID/task/*/schedstat where the kernel keeps them, else utime + stime in clock ticks
    (10 ms apiece: coarse for an app that uses a few milliseconds a second)."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with (contextlib.suppress(FileNotFoundError, ProcessLookupError),  # a thread that just ended
                  open(f"/proc/{pid}/task/{task}/schedstat") as f):
                total += int(f.read().split()[0])
    except OSError:
        return cpu_ticks(pid) / CLK_TCK, "clock ticks"
    return total / 1e9, "schedstat"


def switches(pid: int) -> dict[int, tuple[int, int]]:
    """(voluntary, involuntary) context switches of each thread, by thread id."""
    out = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError, KeyError):
            out[int(task)] = (status_field(pid, "voluntary_ctxt_switches", int(task)),
                              status_field(pid, "nonvoluntary_ctxt_switches", int(task)))
    return out


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pid: int, timeout: float = 5.0) -> None:
    """Wait for `pid` to end; SIGKILL it after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 5
        time.sleep(0.01)


# -- terminals ----------------------------------------------------------------------------------
class Launch:
    """One app started in a terminal: its pid, when it was spawned, and how to read its screen."""

    def __init__(self, term, name: str, pid: int, t0: float) -> None:
        self.term, self.name, self.pid, self.t0 = term, name, pid, t0

    def screen(self) -> str:
        return self.term.screen(self)

    def wait_for(self, marker: str, timeout: float = 20.0, poll: float = 0.005) -> float:
        """Seconds from spawn until `marker` is on the screen (polling every `poll` s)."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            now = time.monotonic()
            if marker in text:
                return now - self.t0
            if now > deadline or not alive(self.pid):
                raise RuntimeError(f"{self.name}: no {marker!r} after {now - self.t0:.1f} s "
                                   f"(alive: {alive(self.pid)}); screen:\n{text[-3000:]}")
            time.sleep(poll)

    def keys(self, *keys: str) -> None:
        self.term.keys(self, *keys)

    def kill(self) -> None:
        self.term.kill(self)


class Tmux:
    """A private tmux server (its own socket); each app in its own session, one pane, no shell."""

    def __init__(self, width: int = 80, height: int = 24) -> None:
        if shutil.which("tmux") is None:
            raise SystemExit("tmux is not installed (or use --terminal pty)")
        self.width, self.height = width, height
        self._dir = tempfile.mkdtemp(prefix="coach-bench-tmux-")
        self.socket = os.path.join(self._dir, "socket")
        self._n = 0
        self._run("new-session", "-d", "-s", "hold", "-x", "20", "-y", "5", "sleep", "86400")
        self._run("set-option", "-g", "remain-on-exit", "on")  # a crash leaves its traceback to show

    def _run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", self.socket, *args], check=True, capture_output=True,
                              text=True).stdout

    def spawn(self, argv: Sequence[str], env: dict[str, str], name: str = "") -> Launch:
        self._n += 1
        session = f"app{self._n}"
        # `env` replaces the pane's environment; tmux execs it directly (no shell), so the pane's
        # pid is the app's pid.
        command = ["env", "-i", *(f"{k}={v}" for k, v in env.items()), *argv]
        t0 = time.monotonic()
        out = self._run("new-session", "-d", "-P", "-F", "#{pane_pid}", "-s", session, "-c", str(REPO),
                        "-x", str(self.width), "-y", str(self.height), *command)
        launch = Launch(self, name or session, int(out.strip()), t0)
        launch.session = session
        return launch

    def screen(self, launch: Launch) -> str:
        return subprocess.run(["tmux", "-S", self.socket, "capture-pane", "-p", "-t", launch.session],
                              capture_output=True, text=True).stdout

    def keys(self, launch: Launch, *keys: str) -> None:
        for key in keys:
            self._run("send-keys", "-t", launch.session, key)
            time.sleep(0.1)

    def kill(self, launch: Launch) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-session", "-t", launch.session], capture_output=True)
        wait_gone(launch.pid)  # SIGHUP: coach saves its draft and leaves

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)
        shutil.rmtree(self._dir, ignore_errors=True)


ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b.")


class Pty:
    """A bare pseudo-terminal per app: the time is when the marker's bytes reach the terminal."""

    def __init__(self, width: int = 80, height: int = 24) -> None:
        self.width, self.height = width, height
        self._open: list[Launch] = []

    def spawn(self, argv: Sequence[str], env: dict[str, str], name: str = "") -> Launch:
        t0 = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # the child: the pty is its controlling terminal
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", self.height, self.width, 0, 0))
                os.chdir(REPO)
                os.execvpe(argv[0], list(argv), env)
            finally:
                os._exit(127)
        launch = Launch(self, name or argv[-1], pid, t0)
        launch.fd, launch.raw = fd, bytearray()
        self._open.append(launch)
        return launch

    def _drain(self, launch: Launch, wait: float) -> None:
        while select.select([launch.fd], [], [], wait)[0]:
            try:
                chunk = os.read(launch.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            launch.raw += chunk
            wait = 0

    def screen(self, launch: Launch) -> str:
        """Everything written so far, escape sequences removed (not a grid: enough to find a word)."""
        self._drain(launch, 0.005)
        return ANSI.sub("", launch.raw.decode("utf-8", "replace"))

    def keys(self, launch: Launch, *keys: str) -> None:
        named = {"Enter": "\r", "Escape": "\x1b", "Tab": "\t"}
        for key in keys:
            control = key.startswith("C-") and len(key) == 3
            data = chr(ord(key[2].lower()) & 0x1F) if control else named.get(key, key)
            os.write(launch.fd, data.encode())
            time.sleep(0.1)
            self._drain(launch, 0)

    def kill(self, launch: Launch) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(launch.pid, signal.SIGHUP)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            self._drain(launch, 0.01)
            if os.waitpid(launch.pid, os.WNOHANG)[0]:
                break
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(launch.pid, signal.SIGKILL)
            os.waitpid(launch.pid, 0)
        os.close(launch.fd)
        self._open.remove(launch)

    def close(self) -> None:
        for launch in list(self._open):
            self.kill(launch)


def terminal(kind: str, width: int, height: int):
    return Tmux(width, height) if kind == "tmux" else Pty(width, height)


# -- figures ----------------------------------------------------------------------------------
def spread(values: Sequence[float], fmt: str = "{:.0f}") -> str:
    """`median (min–max)`."""
    if not values:
        return "-"
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def table(rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned first column, right-aligned others, two spaces between."""
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def machine_line() -> str:
    load = os.getloadavg()
    return (f"python {sys.version.split()[0]} ({PYTHON}), {os.cpu_count()} cpus, "
            f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
