"""Time to the first frame, and resident memory after it: coach against a bare Textual app.

    python tests/bench/startup.py [--runs 10] [--terminal tmux|pty] [--size 80x24] [--settle 1]

Each round starts, in turn, a bare Textual app (a Static and a Footer), `coach` (the partner
picker) and `coach --partner Ada` (the prep screen) in a real terminal, and takes the time
from spawning the process until its marker text is on the screen ("Bare Textual app", "Who
are you meeting", "Start meeting"); and, unless --no-first-run, `coach` on a fresh profile,
where the one-time welcome ("Welcome to coach") opens over the picker. In tmux the pane is read
every 5 ms; in a pty the time is when the marker's bytes arrive. VmRSS (and VmHWM) come from /proc/PID/status as soon as
the frame is seen, and again `--settle` seconds later. Each app is then closed (SIGHUP) and
waited for before the next starts.

The targets (issue 18): first frame within 1.25x the bare app's for the picker and prep, 1.5x
for the very first start; RSS after the first frame at most 40 MiB. Printed beside the figures,
never judged. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from _harness import BARE_MARKER, PYTHON, Workspace, coach_argv, machine_line, spread, status_field, table, terminal

TARGETS = {"coach (picker)": 1.25, "coach --partner Ada (prep)": 1.25, "coach, very first start (welcome)": 1.5}
TARGET_RSS = 40.0


def targets(ws: Workspace, first_run: bool) -> list[tuple[str, list[str], str, str]]:
    """(label, argv, marker, profile); a profile named `fresh-*` is new for every run."""
    todo = [
        ("bare Textual app", [PYTHON, str(ws.bare_app)], BARE_MARKER, "bare"),
        ("coach (picker)", coach_argv(), "Who are you meeting", "coach"),
        ("coach --partner Ada (prep)", coach_argv("--partner", "Ada"), "Start meeting", "coach"),
    ]
    if first_run:
        todo.append(("coach, very first start (welcome)", coach_argv(), "Welcome to coach", "fresh"))
    return todo


def measure(term, ws: Workspace, label: str, argv: list[str], marker: str, profile: str,
            settle: float) -> dict[str, float]:
    if profile == "fresh":  # nothing on disk yet: the welcome shows over the picker
        profile = f"fresh-{time.monotonic_ns()}"
    launch = term.spawn(argv, ws.env(profile), name=label)
    try:
        frame = launch.wait_for(marker)
        rss = status_field(launch.pid, "VmRSS") / 1024
        if settle:
            time.sleep(settle)
        settled = status_field(launch.pid, "VmRSS") / 1024
        peak = status_field(launch.pid, "VmHWM") / 1024
    finally:
        launch.kill()
    return {"frame": frame * 1000, "rss": rss, "settled": settled, "peak": peak}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="measured rounds (default 10)")
    parser.add_argument("--warmup", type=int, default=1, help="rounds not counted (default 1)")
    parser.add_argument("--terminal", choices=("tmux", "pty"), default="tmux")
    parser.add_argument("--size", default="80x24", help="terminal COLSxROWS (default 80x24)")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds after the first frame for the second RSS reading (default 1)")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE (compile the project on every start)")
    parser.add_argument("--no-first-run", dest="first_run", action="store_false",
                        help="skip the very first start (welcome screen over the picker)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))

    with Workspace(bytecode=not args.no_bytecode, keep=args.keep) as ws:
        term = terminal(args.terminal, width, height)
        todo = targets(ws, args.first_run)
        ws.prepare("coach")  # a returning user: the welcome was seen
        results: dict[str, list[dict[str, float]]] = {label: [] for label, *_ in todo}
        try:
            for round_no in range(args.warmup + args.runs):
                # rotate the order so no app always runs right after another
                shift = round_no % len(todo)
                for label, app_argv, marker, profile in todo[shift:] + todo[:shift]:
                    figures = measure(term, ws, label, app_argv, marker, profile, args.settle)
                    if round_no >= args.warmup:
                        results[label].append(figures)
                print(f"round {round_no + 1}/{args.warmup + args.runs}"
                      f"{' (warm-up)' if round_no < args.warmup else ''}", file=sys.stderr, end="\r")
        finally:
            term.close()
        print(file=sys.stderr)
    report(results, args, width, height)
    return 0


def report(results: dict[str, list[dict[str, float]]], args, width: int, height: int) -> None:
    bare_label = next(iter(results))
    bare = results[bare_label]
    print(f"First frame and memory, {args.terminal} {width}x{height}, {args.runs} runs each "
          f"(median (min–max)); {'no bytecode cache' if args.no_bytecode else 'warm bytecode cache'}")
    print(machine_line())
    print()
    rows = [("app", "first frame ms", "vs bare ms", "ratio", "target", "RSS at frame MiB", f"RSS +{args.settle:g}s MiB",
             "VmHWM MiB", "RSS vs bare")]
    for label, runs in results.items():
        frame = [r["frame"] for r in runs]
        if label == bare_label:
            delta = ratio = rss_ratio = "-"
        else:
            pairs = list(zip(frame, [r["frame"] for r in bare], strict=False))
            delta = f"{statistics.median(a - b for a, b in pairs):+.0f}"
            ratio = f"{statistics.median(a / b for a, b in pairs):.2f}x"
            rss_ratio = f"{statistics.median(r['rss'] for r in runs) / statistics.median(r['rss'] for r in bare):.2f}x"
        target = f"≤ {TARGETS[label]}x" if label in TARGETS else ""
        rows.append((label, spread(frame), delta, ratio, target, spread([r["rss"] for r in runs], "{:.1f}"),
                     spread([r["settled"] for r in runs], "{:.1f}"), spread([r["peak"] for r in runs], "{:.1f}"),
                     rss_ratio))
    print(table(rows))
    print()
    print(f"targets: first frame within the ratio shown, each run against the bare app started in the same round; "
          f"RSS after the first frame ≤ {TARGET_RSS:g} MiB")


if __name__ == "__main__":
    sys.exit(main())
