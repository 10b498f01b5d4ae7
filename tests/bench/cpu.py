"""CPU and wake-ups of an idle coach: on the prep screen, in a meeting whose timer ticks, and
paused; against a bare Textual app (a Static and a Footer) measured in the same window.

    python tests/bench/cpu.py [--seconds 60] [--settle 5] [--sequential] [--terminal tmux|pty]

The partner picker (its text field focused) is measured too, for information. Each app runs
in its own terminal with its own COACH_DATA_DIR (so their locks do not meet).
The meeting ones start from `coach --partner Ada --template standard` (the default template)
by pressing `s` on prep; the paused one then presses ctrl+t. After `--settle` seconds, the
script reads the CPU time of every thread (nanoseconds, /proc/PID/task/*/schedstat; utime +
stime from /proc/PID/stat where the kernel keeps no schedstat) and the voluntary context switches
of every thread in /proc/PID/task/*/status (each one is the process going to sleep, so each
is a wake-up), waits `--seconds`, and reads them again. By default they all run side by side
in one window; `--sequential` gives each its own window (five times as long).

The budget (issue 8): ticking < 1 % of a core with at most a few wake-ups a second; paused or
on prep < 0.3 %. The ticking meeting against a bare 1 Hz countdown (issue 18), with the bytes
sent to the terminal, is `ticking.py`. Printed beside the figures, never judged. Not collected by
pytest.
"""

from __future__ import annotations

import argparse
import sys
import time

from _harness import (
    BARE_MARKER,
    PYTHON,
    Workspace,
    alive,
    coach_argv,
    cpu_seconds,
    machine_line,
    switches,
    table,
    terminal,
)

BUDGETS = {"bare": "", "picker": "", "prep": "< 0.3 %", "ticking": "< 1 %, a few wake-ups/s", "paused": "< 0.3 %"}


def scenarios(ws: Workspace) -> list[tuple[str, str, list[str], str, list[tuple[str, str]]]]:
    """(key, label, argv, first marker, [(keys to send, marker to wait for) ...])."""
    meeting = coach_argv("--partner", "Ada", "--template", "standard")
    return [
        ("bare", "bare Textual app (idle)", [PYTHON, str(ws.bare_app)], BARE_MARKER, []),
        ("picker", "coach, partner picker", coach_argv(), "Who are you meeting", []),
        ("prep", "coach, prep screen", meeting, "Start meeting", []),
        ("ticking", "coach, meeting, timer ticking", meeting, "Start meeting", [("s", "Notes")]),
        ("paused", "coach, meeting, paused (ctrl+t)", meeting, "Start meeting",
         [("s", "Notes"), ("C-t", "Paused")]),
    ]


class Sample:
    def __init__(self, pid: int) -> None:
        self.when = time.monotonic()
        self.cpu, self.how = cpu_seconds(pid)
        self.threads = switches(pid)


def start(term, ws: Workspace, key: str, argv: list[str], marker: str, steps) -> object:
    ws.prepare(key)
    launch = term.spawn(argv, ws.env(key), name=key)
    launch.wait_for(marker)
    for keys, wait in steps:
        time.sleep(0.5)
        launch.keys(keys)
        launch.wait_for(wait)
    return launch


def figures(before: Sample, after: Sample) -> dict[str, float]:
    wall = after.when - before.when
    cpu = after.cpu - before.cpu
    voluntary = involuntary = 0
    for tid, (vol, invol) in after.threads.items():
        was = before.threads.get(tid, (0, 0))  # a thread born in the window counts from zero
        voluntary += vol - was[0]
        involuntary += invol - was[1]
    main_tid = min(after.threads)
    main = after.threads[main_tid][0] - before.threads.get(main_tid, (0, 0))[0]
    return {"wall": wall, "cpu_ms": cpu * 1000, "pct": 100 * cpu / wall, "wakeups": voluntary / wall,
            "main": main / wall, "invol": involuntary / wall, "threads": len(after.threads), "how": after.how}


def measure(term, ws: Workspace, todo, seconds: float, settle: float) -> dict[str, dict[str, float]]:
    """Start every scenario in `todo`, let them settle, and measure them over one window."""
    launches = {}
    try:
        for key, _label, argv, marker, steps in todo:
            launches[key] = start(term, ws, key, argv, marker, steps)
        time.sleep(settle)
        before = {key: Sample(launch.pid) for key, launch in launches.items()}
        time.sleep(seconds)
        after = {key: Sample(launch.pid) for key, launch in launches.items()}
        for key, launch in launches.items():
            if not alive(launch.pid):
                raise RuntimeError(f"{key} ended during the window; screen:\n{launch.screen()}")
        return {key: figures(before[key], after[key]) for key in launches}
    finally:
        for launch in launches.values():
            launch.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the window (default 60)")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds between reaching a state and the window (default 5)")
    parser.add_argument("--sequential", action="store_true", help="one window per app instead of one for all")
    parser.add_argument("--terminal", choices=("tmux", "pty"), default="tmux")
    parser.add_argument("--size", default="80x24", help="terminal COLSxROWS (default 80x24)")
    parser.add_argument("--only", nargs="+", choices=("bare", "picker", "prep", "ticking", "paused"),
                        help="measure only these (bare is always measured too)")
    parser.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))

    with Workspace(bytecode=not args.no_bytecode, keep=args.keep) as ws:
        todo = [s for s in scenarios(ws) if not args.only or s[0] == "bare" or s[0] in args.only]
        term = terminal(args.terminal, width, height)
        try:
            if args.sequential:
                results = {}
                for scenario in todo:
                    results.update(measure(term, ws, [scenario], args.seconds, args.settle))
            else:
                results = measure(term, ws, todo, args.seconds, args.settle)
        finally:
            term.close()
    report(todo, results, args, width, height)
    return 0


def report(todo, results, args, width: int, height: int) -> None:
    how = "one window per app" if args.sequential else "all in one window"
    print(f"CPU and wake-ups over {args.seconds:g} s, {args.terminal} {width}x{height}, {how}")
    print(machine_line() + "; CPU time from " + next(iter(results.values())).get("how", "schedstat"))
    print()
    bare = results["bare"]
    rows = [("app", "CPU % of a core", "CPU ms", "vs bare ms", "wake-ups/s", "ratio to bare", "main thread/s",
             "involuntary/s", "threads", "budget")]
    for key, label, *_ in todo:
        r = results[key]
        same = key == "bare"
        rows.append((label, f"{r['pct']:.3f}", f"{r['cpu_ms']:.0f}",
                     "-" if same else f"{r['cpu_ms'] - bare['cpu_ms']:+.0f}", f"{r['wakeups']:.1f}",
                     "-" if same else (f"{r['wakeups'] / bare['wakeups']:.1f}x" if bare["wakeups"] else "-"),
                     f"{r['main']:.1f}", f"{r['invol']:.1f}", f"{r['threads']:.0f}", BUDGETS[key]))
    print(table(rows))
    print()
    print("wake-ups: voluntary context switches of every thread (/proc/PID/task/*/status), per second")


if __name__ == "__main__":
    sys.exit(main())
