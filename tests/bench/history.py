"""How fast is history at scale? Generates 5,000 summaries of about 3 KB in a temporary data dir
and prints the figures the issue sets targets for, beside baselines measured in the same run.

    python tests/bench/history.py [--count 5000] [--keep DIR]

Not collected by pytest (pyproject's norecursedirs): run it by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
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
TARGETS = {"history --json, warm cache": 0.400, "history --json, cold cache": 1.200,
           "history screen: first rows": 0.300, "history screen: filter (median)": 0.100,
           "history screen: filter (max)": 0.100}


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


def timed(args: list[str], env: dict[str, str], before=None, runs: int = 5) -> float:
    """Median wall time of a subprocess over `runs` runs; `before` runs (untimed) before each."""
    times = []
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        subprocess.run(args, env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


async def screen_figures(filters: list[str]) -> dict[str, float]:
    """Time the history screen (warm cache): to its first rows on screen, to every row, the longest
    the UI stalls meanwhile, and each filter from the change to the refreshed table."""
    from textual.widgets import DataTable, Input

    from coach.app import CoachApp
    from coach.clock import FakeClock
    from screens.history import HistoryScreen

    figures: dict[str, float] = {}
    app = CoachApp(clock=FakeClock())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = HistoryScreen()
        painted: list[float] = []

        def after_paint(method):
            def wrapped(*args):
                method(*args)
                screen.call_after_refresh(lambda: painted.append(time.perf_counter()))
            return wrapped

        screen.apply_filter = after_paint(screen.apply_filter)  # type: ignore[method-assign]
        stalls: list[float] = []

        async def heartbeat() -> None:  # how late does the event loop answer while rows arrive?
            last = time.perf_counter()
            while not (screen.loaded and screen.texts_loaded and painted):
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                stalls.append(now - last - 0.005)
                last = now

        t0 = time.perf_counter()
        app.push_screen(screen)
        beat = asyncio.create_task(heartbeat())
        while not painted:
            await asyncio.sleep(0.001)
        figures["history screen: first rows"] = painted[0] - t0
        await beat
        await app.workers.wait_for_complete()
        while not screen.loaded:
            await pilot.pause()
        figures["history screen: all read, table filled"] = time.perf_counter() - t0
        figures["history screen: longest stall while loading"] = max(stalls)
        figures["rows"] = screen.query_one("#meetings", DataTable).row_count
        box = screen.query_one("#filter", Input)
        times = []
        for text in filters:
            painted.clear()
            t1 = time.perf_counter()
            box.value = text
            while not painted:
                await asyncio.sleep(0.001)
            times.append(painted[0] - t1)
            while not screen.loaded:  # let the rest of the rows land before the next filter
                await pilot.pause()
        figures["history screen: filter (median)"] = statistics.median(times)
        figures["history screen: filter (max)"] = max(times)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="coach-bench-"))
    data = root / "data"
    try:
        t0 = time.perf_counter()
        if not (data / "sessions").is_dir():
            generate(data, args.count)
        files = list((data / "sessions").glob("*/*.toml"))
        size = statistics.mean(p.stat().st_size for p in files)
        print(f"{len(files)} summaries, {size / 1024:.1f} KB each on average, in {data} "
              f"(ready in {time.perf_counter() - t0:.1f} s)")
        env = dict(os.environ, COACH_DATA_DIR=str(data), COACH_CONFIG_DIR=str(root / "config"))
        os.environ.update(env)
        cache = data / "cache" / "summaries.json"

        def drop_cache() -> None:
            cache.unlink(missing_ok=True)

        py = sys.executable
        figures = {
            "python -c pass": timed([py, "-c", "pass"], env),
            "python -c 'import textual'": timed([py, "-c", "import textual"], env),
            "history --json, cold cache": timed([py, "-m", "coach", "history", "--json"], env, drop_cache, runs=3),
        }
        figures["history --json, warm cache"] = timed([py, "-m", "coach", "history", "--json"], env)
        figures["history (table), warm cache"] = timed([py, "-m", "coach", "history"], env)
        figures["history --grep lisbon, warm"] = timed([py, "-m", "coach", "history", "--grep", "lisbon"], env)
        print(f"cache: {cache.stat().st_size / 1e6:.1f} MB")
        figures.update(asyncio.run(screen_figures(["ada", "lisbon marathon", "partner:grace since:2020-01-01",
                                                   "zzz-nothing", "", "review", "李"])))
        rows = figures.pop("rows")
        print(f"history screen rows: {rows:.0f}")
        base = figures["python -c pass"]
        for name, seconds in figures.items():
            target = TARGETS.get(name)
            verdict = "" if target is None else f"  target ≤ {target * 1000:.0f} ms: " + (
                "ok" if seconds <= target else "MISSED")
            print(f"{name:<36} {seconds * 1000:8.1f} ms  {seconds / base:5.1f}× python -c pass{verdict}")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
