"""Wall time of the commands that need no terminal UI, against `python -c pass`, and proof that
they never import Textual.

    python tests/bench/cli.py [--runs 20] [--entry script|module]

Runs `coach --version`, `coach brief Ada`, `coach templates list` and `coach decks list` in turn
with `python -c pass` (the interpreter's own start-up), in a temporary config and data dir with
one partner, Ada, who has one saved meeting. `--entry script` (the default) starts coach as its
console script does (`from coach.__main__ import main`); `--entry module` as `python -m coach`.
Then each command runs once under `python -X importtime` and the modules it imported are
checked for Textual (and Rich, Markdown).

The budget (issue 8): `coach --version` within 60 ms wall; none of these imports Textual.
Printed beside the figures, never judged. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from _harness import PYTHON, REPO, Workspace, machine_line, spread, table

SCRIPT = "import re, sys; from coach.__main__ import main; sys.exit(main())"  # what pip's console script runs
COMMANDS = {
    "coach --version": ["--version"],
    "coach brief Ada": ["brief", "Ada"],
    "coach templates list": ["templates", "list"],
    "coach decks list": ["decks", "list"],
}
BUDGET = {"coach --version": "≤ 60 ms, no Textual"}
WATCH = ("textual", "rich", "markdown_it")


def coach(entry: str, *args: str) -> list[str]:
    return [PYTHON, "-c", SCRIPT, *args] if entry == "script" else [PYTHON, "-m", "coach", *args]


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode()}")
    return wall * 1000


def imported(argv: list[str], env: dict[str, str]) -> list[str]:
    """The modules a run imports, from -X importtime (which lists every first import)."""
    done = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], env=env, cwd=REPO, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return [line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:") and "imported package" not in line and "[us]" not in line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="measured runs of each command (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="runs not counted (default 2)")
    parser.add_argument("--entry", choices=("script", "module"), default="script",
                        help="start coach as its console script does (default) or with python -m coach")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE (compile the project on every start)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    args = parser.parse_args(argv)

    with Workspace(bytecode=not args.no_bytecode, keep=args.keep) as ws:
        ws.prepare()  # Ada, with one saved meeting
        env = ws.env()
        todo = {"python -c pass": [PYTHON, "-c", "pass"]}
        todo.update({label: coach(args.entry, *cmd) for label, cmd in COMMANDS.items()})
        times: dict[str, list[float]] = {label: [] for label in todo}
        for n in range(args.warmup + args.runs):
            for label, cmd in todo.items():  # in turn, so a drift of the machine hits all alike
                wall = timed(cmd, env)
                if n >= args.warmup:
                    times[label].append(wall)
        modules = {label: imported(cmd, env) for label, cmd in todo.items() if label != "python -c pass"}

    print(f"Commands without the UI, {args.runs} runs each (median (min–max)), entry: {args.entry}; "
          f"{'no bytecode cache' if args.no_bytecode else 'warm bytecode cache'}")
    print(machine_line())
    print()
    base = times["python -c pass"]
    rows = [("command", "wall ms", "vs python -c pass ms", "ratio", "modules imported", "textual", "rich",
             "markdown_it", "budget")]
    for label, walls in times.items():
        if label == "python -c pass":
            rows.append((label, spread(walls), "-", "-", "-", "-", "-", "-", ""))
            continue
        pairs = list(zip(walls, base, strict=True))
        found = {w: sum(1 for m in modules[label] if m == w or m.startswith(w + ".")) for w in WATCH}
        rows.append((label, spread(walls), f"{statistics.median(a - b for a, b in pairs):+.0f}",
                     f"{statistics.median(a / b for a, b in pairs):.1f}x", str(len(modules[label])),
                     *(f"yes ({found[w]})" if found[w] else "no" for w in WATCH), BUDGET.get(label, "no Textual")))
    print(table(rows))
    print()
    print("modules: first imports listed by python -X importtime (the interpreter's own start-up included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
