"""A meeting whose timer ticks, against a bare Textual 1 Hz countdown: CPU, wake-ups, the bytes
written to the terminal, and resident memory, each measured side by side in the same window.

    python tests/bench/ticking.py [--seconds 30] [--settle 3] [--size 80x24] [--rounds 3]

Each round starts, in their own pseudo-terminal, a bare Textual app that counts down once a
second (a Static updated by a 1 s `set_interval`, and a Footer) and `coach --partner Ada
--template standard` with its meeting started (`s` on prep). After `--settle` seconds both are
read together: CPU (the time every thread spent on a CPU, to the nanosecond, from
/proc/PID/task/*/schedstat; utime + stime in 10 ms clock ticks where the kernel keeps none), wake-ups (voluntary context
switches of every thread), the bytes each wrote to its terminal (the pty is read all the time,
as a terminal would), and VmRSS at the end. The ratios are coach's figure over the countdown's
in the same round; the medians over the rounds are printed.

The targets (issue 18): CPU ≤ 1.25x the countdown, bytes ≤ 2x, RSS in a meeting ≤ 40 MiB.
Printed beside the figures, never judged. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import statistics
import sys
import time

from _harness import PYTHON, Pty, Workspace, coach_argv, cpu_seconds, machine_line, status_field, switches, table

COUNTDOWN_APP = '''\
"""The yardstick for ticking: a bare Textual app counting down once a second."""
from textual.app import App
from textual.widgets import Footer, Static


class Countdown(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self):
        self.left = 30 * 60
        yield Static("Bare countdown 30:00", id="left")
        yield Footer()

    def on_mount(self):
        self.set_interval(1, self.tick)

    def tick(self):
        self.left -= 1
        self.query_one("#left", Static).update(f"Bare countdown {self.left // 60:02d}:{self.left % 60:02d}")


if __name__ == "__main__":
    Countdown().run()
'''
TARGETS = {"cpu": 1.25, "bytes": 2.0, "rss": 40.0}


def drain(launches, seconds: float) -> None:
    """Read every pty for `seconds`, as a terminal would: what was written is counted."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([launch.fd for launch in launches], [], [], min(left, 0.2))
        for launch in launches:
            if launch.fd in ready:
                with contextlib.suppress(OSError):
                    launch.raw += os.read(launch.fd, 65536)


def one_round(ws: Workspace, term: Pty, countdown: str, seconds: float, settle: float,
              profile: str) -> dict[str, dict]:
    bare = term.spawn([PYTHON, countdown], ws.env("countdown"), name="countdown")
    coach = term.spawn(coach_argv("--partner", "Ada", "--template", "standard"), ws.env(profile), name="coach")
    try:
        bare.wait_for("Bare countdown")
        coach.wait_for("Start meeting")
        time.sleep(0.5)
        coach.keys("s")
        coach.wait_for("Notes")
        drain([bare, coach], settle)
        launches = {"countdown": bare, "coach": coach}
        before = {key: (time.monotonic(), cpu_seconds(launch.pid)[0], switches(launch.pid), len(launch.raw))
                  for key, launch in launches.items()}
        drain([bare, coach], seconds)
        out = {}
        for key, launch in launches.items():
            when, ticks, threads, written = before[key]
            wall = time.monotonic() - when
            after = switches(launch.pid)
            wakeups = sum(vol - threads.get(tid, (0, 0))[0] for tid, (vol, _invol) in after.items())
            used, how = cpu_seconds(launch.pid)
            out[key] = {"cpu": 100 * (used - ticks) / wall, "how": how, "wakeups": wakeups / wall,
                        "bytes": (len(launch.raw) - written) / wall, "rss": status_field(launch.pid, "VmRSS") / 1024}
        return out
    finally:
        term.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the window (default 30)")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds before the window (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--size", default="80x24", help="terminal COLSxROWS (default 80x24)")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    rounds = []
    with Workspace() as ws:
        countdown = ws.root / "countdown_app.py"
        countdown.write_text(COUNTDOWN_APP, encoding="utf-8")
        for n in range(args.rounds):
            print(f"round {n + 1}/{args.rounds}", file=sys.stderr, end="\r")
            ws.prepare(f"coach-{n}")  # a profile each: the meeting left as a draft by a round stays there
            rounds.append(one_round(ws, Pty(width, height), str(countdown), args.seconds, args.settle, f"coach-{n}"))
    print(file=sys.stderr)
    report(rounds, args, width, height)
    return 0


def report(rounds: list[dict[str, dict]], args, width: int, height: int) -> None:
    print(f"A ticking meeting against a bare 1 Hz countdown, pty {width}x{height}, "
          f"{args.rounds} rounds of {args.seconds:g} s (medians)")
    print(machine_line() + f"; CPU time read from {rounds[0]['coach']['how']}")
    print()

    def med(app: str, key: str) -> float:
        return statistics.median(r[app][key] for r in rounds)

    def ratio(key: str) -> float:
        return statistics.median(r["coach"][key] / r["countdown"][key] for r in rounds if r["countdown"][key])

    rows = [("figure", "bare countdown", "coach, meeting ticking", "ratio", "target")]
    rows.append(("CPU, % of a core", f"{med('countdown', 'cpu'):.3f}", f"{med('coach', 'cpu'):.3f}",
                 f"{ratio('cpu'):.2f}x", f"≤ {TARGETS['cpu']}x"))
    rows.append(("wake-ups per second", f"{med('countdown', 'wakeups'):.1f}", f"{med('coach', 'wakeups'):.1f}",
                 f"{ratio('wakeups'):.2f}x", ""))
    rows.append(("bytes to the terminal per second", f"{med('countdown', 'bytes'):.0f}", f"{med('coach', 'bytes'):.0f}",
                 f"{ratio('bytes'):.2f}x", f"≤ {TARGETS['bytes']}x"))
    rows.append(("RSS at the end, MiB", f"{med('countdown', 'rss'):.1f}", f"{med('coach', 'rss'):.1f}",
                 f"{ratio('rss'):.2f}x", f"≤ {TARGETS['rss']:g} MiB"))
    print(table(rows))


if __name__ == "__main__":
    sys.exit(main())
