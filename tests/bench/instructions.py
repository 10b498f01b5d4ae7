"""The work to the first frame, counted in instructions: coach against a bare Textual app.

    python tests/bench/instructions.py [--runs 1] [--size 80x24]

On a shared machine the clock moves with the neighbours: in startup.py a bare Textual app's first
frame can take 240 ms in one round and 420 ms in the next, and the ratios move by a tenth from one
measurement to another. The number of instructions a process executes does not. Each app here
runs once in a pty under valgrind's callgrind (no profile is written, only the count), with a
small bootstrap that ends the process as soon as the first write holding the app's marker is
handed to Textual's driver; callgrind's total is printed beside the bare app's, with the ratio.

Before the counted runs each app starts once as usual, so the bytecode cache is warm and coach
has kept its parsed CSS, as for a returning user; the very first start (the welcome) runs on a
fresh profile each time, as it would. Instructions are not time (a cache miss costs more than an
add): this is a steady second view beside startup.py, not the target itself. Needs valgrind (about
half a minute an app). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import time

from _harness import BARE_MARKER, PYTHON, Workspace, alive, machine_line, table, terminal

TARGETS = {"coach (picker)": 1.25, "coach --partner Ada (prep)": 1.25, "coach, very first start (welcome)": 1.5}

BOOTSTRAP = '''\
"""Run an app (a script, or `-m module`) and end the process at its first frame."""
import os
import runpy
import sys

from textual.drivers.linux_driver import LinuxDriver

marker = os.environ["FIRST_FRAME_MARKER"]
write = LinuxDriver.write


def write_then_stop(self, data):
    write(self, data)
    if marker in data:
        os._exit(0)


LinuxDriver.write = write_then_stop
if sys.argv[1] == "-m":
    sys.argv = [sys.argv[2], *sys.argv[3:]]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
'''


def targets(ws: Workspace) -> list[tuple[str, list[str], str, str]]:
    """(label, what the bootstrap runs, marker, profile); the profile `fresh` is new for every run."""
    return [
        ("bare Textual app", [str(ws.bare_app)], BARE_MARKER, "bare"),
        ("coach (picker)", ["-m", "coach"], "Who are you meeting", "coach"),
        ("coach --partner Ada (prep)", ["-m", "coach", "--partner", "Ada"], "Start meeting", "coach"),
        ("coach, very first start (welcome)", ["-m", "coach"], "Welcome to coach", "fresh"),
    ]


def warm(term, ws: Workspace, what: list[str], marker: str, profile: str) -> None:
    """Start the app as usual and leave it a moment: bytecode written, parsed CSS kept."""
    launch = term.spawn([PYTHON, *what], ws.env(profile))
    try:
        launch.wait_for(marker, timeout=60)
        time.sleep(1.5)
    finally:
        launch.kill()


def count(term, ws: Workspace, label: str, what: list[str], marker: str, profile: str, run: int) -> int:
    log = ws.root / f"callgrind-{run}-{len(label)}.log"
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", f"--log-file={log}",
            PYTHON, str(ws.root / "bootstrap.py"), *what]
    launch = term.spawn(argv, ws.env(profile, FIRST_FRAME_MARKER=marker, PYTHONHASHSEED="0"), name=label)
    try:
        deadline = time.monotonic() + 600
        while alive(launch.pid) and time.monotonic() < deadline:
            launch.screen()  # read what it writes, so it never waits on a full terminal
            time.sleep(0.2)
    finally:
        launch.kill()
    found = re.search(r"Collected : ([\d,]+)", log.read_text(encoding="utf-8", errors="replace"))
    if found is None:
        raise RuntimeError(f"{label}: callgrind counted nothing; its log:\n{log.read_text(errors='replace')[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="counted runs of each app (default 1)")
    parser.add_argument("--size", default="80x24", help="terminal COLSxROWS (default 80x24)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing to count with.", file=sys.stderr)
        return 2
    width, height = (int(n) for n in args.size.lower().split("x"))
    with Workspace() as ws:
        (ws.root / "bootstrap.py").write_text(BOOTSTRAP, encoding="utf-8")
        ws.prepare("coach")  # a returning user: the welcome was seen, Ada was met once
        term = terminal("pty", width, height)
        todo = targets(ws)
        counts: dict[str, list[int]] = {label: [] for label, *_ in todo}
        try:
            for _label, what, marker, profile in todo:
                if profile != "fresh":
                    warm(term, ws, what, marker, profile)
            for run in range(args.runs):
                for label, what, marker, profile in todo:
                    if profile == "fresh":
                        profile = f"fresh-{run}"
                    counts[label].append(count(term, ws, label, what, marker, profile, run))
                    print(f"run {run + 1}/{args.runs}: {label}", file=sys.stderr, end="\r")
        finally:
            term.close()
        print(file=sys.stderr)
    bare = statistics.median(counts[todo[0][0]])
    print(f"Instructions to the first frame, callgrind, pty {width}x{height}, {args.runs} run(s) each (median)")
    print(machine_line())
    print()
    rows = [("app", "instructions (millions)", "vs bare (millions)", "ratio", "target")]
    for label, numbers in counts.items():
        mine = statistics.median(numbers)
        same = label == todo[0][0]
        rows.append((label, f"{mine / 1e6:.0f}", "-" if same else f"{(mine - bare) / 1e6:+.0f}",
                     "-" if same else f"{mine / bare:.3f}x", f"≤ {TARGETS[label]}x" if label in TARGETS else ""))
    print(table(rows))
    print()
    print("The targets are for the first frame's time (startup.py); instructions are a steady view of the same work.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
