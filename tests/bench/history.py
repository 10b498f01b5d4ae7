"""How fast is history at scale? Generates 5,000 summaries of about 3 KB in a temporary data dir
and prints the figures issue 12 sets targets for, beside a baseline measured in the same run:

- `coach history --json`, warm (the index is there) and cold (no index), each as a ratio to a
  plain `tomllib` parse of every summary file (a subprocess too, so both pay the interpreter's
  start);
- the History screen: its first rows on screen, and a filter keystroke (each character of a few
  queries typed in turn: the median, and the slowest).

    python tests/bench/history.py [--count 5000] [--keep DIR]

Not collected by pytest (pyproject's norecursedirs): run it by hand. It prints, never judges.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

SAMPLE_TEXT = ("we talked about the move to Lisbon and how the new team is settling in she wants to lead "
         "the design review next month and asked for feedback on her slides the launch slipped a week "
         "because of the vendor he is training for a marathon and his daughter started school reading "
         "list career growth promotion case manager feedback conflict with a peer delegation trust "
         "roadmap hiring interview mentoring public speaking writing habits weekly planning")
WORDS = SAMPLE_TEXT.split()
NAMES = ["Ada Lovelace", "Grace Hopper", "Zoë O'Brien", "李雷", "Alan Turing", "Katherine Johnson",
         "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth", "Margaret Hamilton", "Ken Thompson",
         "Frances Allen", "Radia Perlman", "Tim Berners-Lee", "Hedy Lamarr", "Linus Torvalds"]
RATIO_TARGETS = {"history --json, warm": 0.15, "history --json, cold": 1.5}
"""As a multiple of the tomllib parse of every file (issue 12)."""
TARGETS = {"history screen: first rows": 0.300, "history screen: filter keystroke (median)": 0.050}
"""Seconds (issue 12)."""
FILTERS = ["ada", "lisbon marathon", "partner:grace since:2020-01-01", "zzz-nothing", "review", "李"]
PARSE_ALL = ("import sys, tomllib, pathlib\n"
             "for p in pathlib.Path(sys.argv[1]).rglob('*.toml'):\n"
             "    tomllib.loads(p.read_text(encoding='utf-8'))\n")


def sentence(rnd: random.Random, words: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(words)).capitalize() + "."


def generate(data: Path, count: int, seed: int = 7) -> None:
    """`count` summaries over ten years with every partner, written as coach writes them."""
    os.environ["COACH_DATA_DIR"] = str(data)
    from coach import records
    from coach.model import Capture, CaptureKind, Owner, PhaseRecord, Review, Status, Summary, notes_of
    from coach.store import slugify
    from coach.summaries import summary_path, to_markdown

    rnd = random.Random(seed)
    names = [*NAMES, *(f"Partner {i}" for i in range(64 - len(NAMES)))]
    start = datetime(2016, 1, 4, 9, 0, tzinfo=UTC)
    step = timedelta(days=3650 / count)
    for i in range(count):
        name = rnd.choice(names)
        slug = slugify(name)
        started = start + step * i + timedelta(minutes=rnd.randint(0, 600))
        phases = [PhaseRecord(id=pid, title=title, planned_seconds=planned,
                              actual_seconds=rnd.uniform(0.6, 1.5) * planned,
                              notes="\n".join(sentence(rnd, rnd.randint(12, 24)) for _ in range(lines)))
                  for pid, title, planned, lines in (("chit-chat", "Chit-chat", 300.0, 5),
                                                     ("goals", "Goals", 900.0, 6),
                                                     ("commitments", "Commitments", 600.0, 4))]
        captures = [Capture(CaptureKind.FACT, sentence(rnd, 6), "chit-chat"),
                    Capture(CaptureKind.GOAL, sentence(rnd, 5), "goals"),
                    Capture(CaptureKind.COMMITMENT, sentence(rnd, 5), "commitments", Owner.THEM,
                            date(2026, 1, 1)),
                    Capture(CaptureKind.COMMITMENT, sentence(rnd, 4), "commitments", Owner.ME)]
        reviewed = [Review(CaptureKind.COMMITMENT, f"{i:08x}", sentence(rnd, 4),
                           rnd.choice([Status.DONE, Status.DONE, Status.DROPPED]))]
        summary = Summary(id=f"{started:%Y-%m-%d-%H%M}-{slug}-{i:06x}", partner=name, partner_slug=slug,
                          template="standard", started=started,
                          ended=started + timedelta(minutes=rnd.randint(25, 50)), phases=phases,
                          rating=rnd.choice([None, 3, 4, 4, 5]), reflection=sentence(rnd, 8),
                          follow_up=sentence(rnd, 30), reviewed=reviewed, **notes_of(captures))
        path = summary_path(summary)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(records.encode(summary), encoding="utf-8")
        path.with_suffix(".md").write_text(to_markdown(summary), encoding="utf-8")
        when = summary.ended.timestamp()
        os.utime(path, (when, when))


CPU: dict[str, float] = {}
"""Median CPU time (user + system, with any processes it started) of each command timed."""


def timed(args: list[str], env: dict[str, str], before=None, runs: int = 5, name: str = "") -> float:
    """Median wall time of a subprocess over `runs` runs; `before` runs (untimed) before each."""
    times, cpu = [], []
    for _ in range(runs):
        if before:
            before()
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(args, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
    if name:
        CPU[name] = statistics.median(cpu)
    return statistics.median(times)


async def screen_figures(app_size: tuple[int, int] = (120, 40)) -> dict[str, float]:
    """Time the History screen (index or cache already built): to its first rows on screen, then each
    keystroke of a few filters, from the change to the refreshed rows."""
    from textual.widgets import Input

    from coach.app import CoachApp
    from coach.clock import FakeClock
    from screens.history import HistoryScreen

    figures: dict[str, float] = {}
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=app_size) as pilot:
        await pilot.pause()
        screen = HistoryScreen()
        painted: list[float] = []

        def after_paint(method):
            def wrapped(*args, **kwargs):
                method(*args, **kwargs)
                screen.call_after_refresh(lambda: painted.append(time.perf_counter()))
            return wrapped

        screen.apply_filter = after_paint(screen.apply_filter)  # type: ignore[method-assign]

        def done() -> bool:
            return bool(screen.loaded and getattr(screen, "texts_loaded", True) and painted)

        t0 = time.perf_counter()
        app.push_screen(screen)
        while not painted:
            await asyncio.sleep(0.001)
        figures["history screen: first rows"] = painted[0] - t0
        while not done():
            await pilot.pause()
        await app.workers.wait_for_complete()
        figures["history screen: every row ready"] = time.perf_counter() - t0
        box = screen.query_one("#filter", Input)
        times = []
        for text in FILTERS:
            for n in range(1, len(text) + 1):
                painted.clear()
                t1 = time.perf_counter()
                box.value = text[:n]
                while not painted:
                    await asyncio.sleep(0.001)
                times.append(painted[0] - t1)
            box.value = ""
            while not screen.loaded:  # let the rest land before the next query
                await pilot.pause()
        figures["history screen: filter keystroke (median)"] = statistics.median(times)
        figures["history screen: filter keystroke (max)"] = max(times)
        figures["keystrokes"] = len(times)
    return figures


async def first_rows_of_a_first_build(app_size: tuple[int, int] = (120, 40)) -> float:
    """With no index (or cache) yet: from the History screen pushed to the first meetings on it."""
    from coach.app import CoachApp
    from coach.clock import FakeClock
    from screens.history import HistoryScreen

    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=app_size) as pilot:
        await pilot.pause()
        screen = HistoryScreen()
        shown: list[float] = []

        def after_paint(method):
            def wrapped(*args, **kwargs):
                method(*args, **kwargs)
                if screen.query_one("#meetings").row_count:
                    screen.call_after_refresh(lambda: shown.append(time.perf_counter()))
            return wrapped

        screen.apply_filter = after_paint(screen.apply_filter)  # type: ignore[method-assign]
        t0 = time.perf_counter()
        app.push_screen(screen)
        while not shown:
            await asyncio.sleep(0.001)
        first = shown[0] - t0
        while not screen.loaded:
            await pilot.pause()
        await app.workers.wait_for_complete()
    return first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="coach-bench-"))
    data, cache = root / "data", root / "cache"
    try:
        t0 = time.perf_counter()
        if not (data / "sessions").is_dir():
            generate(data, args.count)
        files = list((data / "sessions").glob("*/*.toml"))
        size = statistics.mean(p.stat().st_size for p in files)
        print(f"{len(files)} summaries, {size / 1024:.1f} KB each on average, in {data} "
              f"(ready in {time.perf_counter() - t0:.1f} s); {os.cpu_count()} cpus")
        env = dict(os.environ, COACH_DATA_DIR=str(data), COACH_CONFIG_DIR=str(root / "config"),
                   COACH_CACHE_DIR=str(cache))
        os.environ.update(env)

        def drop_index() -> None:  # whatever this version keeps: the index, or the old caches
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(data / "cache", ignore_errors=True)

        py = sys.executable
        history = [py, "-m", "coach", "history", "--json"]
        figures = {
            "python -c pass": timed([py, "-c", "pass"], env),
            "tomllib parse of every file": timed([py, "-c", PARSE_ALL, str(data / "sessions")], env, runs=3,
                                                 name="tomllib parse of every file"),
            "history --json, cold": timed(history, env, drop_index, runs=3, name="history --json, cold"),
            "history --json, warm": timed(history, env, name="history --json, warm"),
            "history (table), warm": timed([py, "-m", "coach", "history"], env),
            "history --grep lisbon, warm": timed([py, "-m", "coach", "history", "--grep", "lisbon"], env),
        }
        derived = [p for p in (*cache.rglob("*"), *(data / "cache").rglob("*")) if p.is_file()]
        print(f"index/cache on disk: {sum(p.stat().st_size for p in derived) / 1e6:.1f} MB in "
              f"{', '.join(sorted({str(p.parent) for p in derived}))}")
        screen = asyncio.run(screen_figures())
        keystrokes = screen.pop("keystrokes")
        figures.update(screen)
        drop_index()
        figures["history screen, no index yet: first rows"] = asyncio.run(first_rows_of_a_first_build())
        parse = figures["tomllib parse of every file"]
        print(f"{'':<44} {'wall':>9}  ratio to the tomllib parse")
        for name, seconds in figures.items():
            ratio = f"{seconds / parse:6.3f}×"
            verdict = ""
            if (target := RATIO_TARGETS.get(name)) is not None:
                verdict = f"  target ≤ {target}×: " + ("ok" if seconds / parse <= target else "MISSED")
            elif (target := TARGETS.get(name)) is not None:
                ratio = " " * 7
                verdict = f"  target ≤ {target * 1000:.0f} ms: " + ("ok" if seconds <= target else "MISSED")
            print(f"{name:<44} {seconds * 1000:7.1f} ms {ratio}{verdict}")
        print(f"(filter: {keystrokes:.0f} keystrokes of {len(FILTERS)} queries typed one character at a time)")
        base = CPU["tomllib parse of every file"]
        print("CPU time (user + system), which a busy machine does not stretch:")
        for name, seconds in CPU.items():
            print(f"  {name:<42} {seconds * 1000:7.1f} ms {seconds / base:6.3f}×")
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cpus")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
