"""How long `coach.calendar.upcoming` takes over a 5 MB calendar, cold and cached, against the
libraries alone measured in the same run.

    python tests/bench/calendars.py [--mb 5] [--runs 3] [--files 2000]

(Named `calendars.py`, not `calendar.py`: a script's folder comes first on sys.path, and a
`calendar.py` there would stand in for the standard library's module.)

The calendar: five years (2022–2026) of weekly series, each with deleted and moved instances, in
Europe/Berlin with its VTIMEZONE, and single meetings with one to four attendees until the file
holds `--mb` megabytes. Measured, each `--runs` times, at a moment in March 2026 looking 24 h ahead:

- `icalendar parse`: `Calendar.from_ical` alone: the floor of any cold read;
- `icalendar + recurring-ical-events`: parsing and expanding the next 15 days, as coach does;
- `upcoming, cold`: coach with no cache (what the first read after a change costs): the budget
  is < 0.5 s (issue 16);
- `upcoming, cached`: coach again, the file unchanged.

Then the same events as a vdirsyncer folder (`--files` files, one series or meeting each):
cold, cached, and with one file changed (only that one is read again).
Printed beside the figures, never judged. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _harness import REPO, machine_line, spread, table

sys.path.insert(0, str(REPO))

from tests.calendar_files import BERLIN as VTIMEZONE  # (the repo is on the path from here)

HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//coach bench//EN\r\n" + VTIMEZONE
MOMENT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
AHEAD = timedelta(hours=24)


def event(uid: str, start: datetime, minutes: int, title: str, others: list[int], extra: str = "") -> str:
    people = "".join(f"ATTENDEE;CN=Person {o};PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:p{o}@example.org\r\n"
                     for o in others)
    end = start + timedelta(minutes=minutes)
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20220101T000000Z\r\nSUMMARY:{title}\r\n"
            f"DTSTART;TZID=Europe/Berlin:{start:%Y%m%dT%H%M%S}\r\nDTEND;TZID=Europe/Berlin:{end:%Y%m%dT%H%M%S}\r\n"
            "ORGANIZER;CN=Me:mailto:me@example.org\r\nATTENDEE;CN=Me;PARTSTAT=ACCEPTED:mailto:me@example.org\r\n"
            f"{people}DESCRIPTION:Agenda: the roadmap\\, the budget and whatever comes up. "
            f"https://meet.example.org/{uid}\r\n{extra}END:VEVENT\r\n")


def components(size: int, seed: int = 1) -> list[str]:
    """VEVENT groups (a series with its moved instances, or one meeting) adding up to `size` bytes."""
    rnd = random.Random(seed)
    first = datetime(2022, 1, 3, 9, 0)
    out: list[str] = []
    total = len(HEAD)
    for s in range(300):  # weekly series over five years, each with deleted and moved instances
        start = first + timedelta(days=rnd.randrange(5), hours=rnd.randrange(8), minutes=rnd.choice([0, 30]))
        deleted = "".join(f"EXDATE;TZID=Europe/Berlin:{start + timedelta(weeks=w):%Y%m%dT%H%M%S}\r\n"
                          for w in rnd.sample(range(260), 5))
        group = event(f"series-{s}", start, 30, f"1:1 Person {s}", [s],
                      f"RRULE:FREQ=WEEKLY;UNTIL=20261231T000000Z\r\n{deleted}")
        for w in rnd.sample(range(1, 260), 3):
            moved = start + timedelta(weeks=w)
            group += event(f"series-{s}", moved + timedelta(hours=1), 30, f"1:1 Person {s} (moved)", [s],
                           f"RECURRENCE-ID;TZID=Europe/Berlin:{moved:%Y%m%dT%H%M%S}\r\n")
        out.append(group)
        total += len(group)
    n = 0
    while total < size:
        start = first + timedelta(days=rnd.randrange(5 * 365), hours=rnd.randrange(9),
                                  minutes=rnd.choice([0, 15, 30, 45]))
        single = event(f"single-{n}", start, rnd.choice([15, 30, 45, 60]), f"Meeting {n}",
                       rnd.sample(range(1000), rnd.randrange(1, 5)))
        out.append(single)
        total += len(single)
        n += 1
    return out


def timed(action, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of the calendar file (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measure (default 3)")
    parser.add_argument("--files", type=int, default=2000, help="files in the vdirsyncer folder (default 2000)")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="coach-bench-calendar-"))
    os.environ.update(COACH_CONFIG_DIR=str(root / "config"), COACH_DATA_DIR=str(root / "data"),
                      COACH_CACHE_DIR=str(root / "cache"), COACH_STATE_DIR=str(root / "state"))
    import icalendar
    import recurring_ical_events

    from coach.calendar import upcoming
    from coach.calendar_read import cache_path
    from coach.config import Config
    from coach.model import PartnerRecord

    try:
        groups = components(int(args.mb * 1_000_000))
        text = HEAD + "".join(groups) + "END:VCALENDAR\r\n"
        big = root / "big.ics"
        big.write_text(text, encoding="utf-8")
        partners = [PartnerRecord(name=f"Person {i}", emails=[f"p{i}@example.org"]) for i in range(0, 300, 3)]
        config = Config(calendar=(str(big),), me=("me@example.org",))
        print(machine_line())
        print(f"calendar: {big.stat().st_size / 1e6:.1f} MB, {len(groups)} series and meetings, "
              f"{text.count('BEGIN:VEVENT')} VEVENTs\n")

        def expand() -> None:
            calendar = icalendar.Calendar.from_ical(text)
            recurring_ical_events.of(calendar).between(MOMENT - timedelta(days=1), MOMENT + timedelta(days=15))

        def cold() -> None:
            cache_path().unlink(missing_ok=True)
            upcoming(MOMENT, AHEAD, config, partners)

        parse = timed(lambda: icalendar.Calendar.from_ical(text), args.runs)
        library = timed(expand, args.runs)
        first = timed(cold, args.runs)
        slots, problems = upcoming(MOMENT, AHEAD, config, partners)
        cached = timed(lambda: upcoming(MOMENT, AHEAD, config, partners), max(10, args.runs))
        base = statistics.median(parse)
        ms = "{:.0f}"
        rows = [["one 5 MB file", "ms, median (min–max)", "× icalendar parse"]]
        for label, values in (("icalendar parse (baseline)", parse), ("icalendar + recurring-ical-events", library),
                              ("upcoming, cold", first), ("upcoming, cached", cached)):
            rows.append([label, spread([v * 1000 for v in values], ms), f"{statistics.median(values) / base:.3f}"])
        print(table(rows))
        print(f"\n{len(slots)} meetings in the 24 h after {MOMENT:%Y-%m-%d %H:%M} UTC, {len(problems)} problems; "
              f"cold read {statistics.median(first) * 1000:.0f} ms: "
              f"{'within' if statistics.median(first) < 0.5 else 'OVER'} the 0.5 s budget\n")

        folder = root / "vdir" / "work"
        folder.mkdir(parents=True)
        per_file = max(1, len(groups) // args.files)
        for i in range(0, len(groups), per_file):
            (folder / f"{i:06d}.ics").write_text(HEAD + "".join(groups[i:i + per_file]) + "END:VCALENDAR\r\n",
                                                 encoding="utf-8")
        files = sorted(folder.iterdir())
        config = Config(calendar=(str(root / "vdir"),), me=("me@example.org",))

        def touch_one() -> None:
            changed = files[len(files) // 2]
            changed.write_text(changed.read_text(encoding="utf-8") + "\r\n", encoding="utf-8")
            upcoming(MOMENT, AHEAD, config, partners)

        folder_cold = timed(lambda: (cache_path().unlink(missing_ok=True), upcoming(MOMENT, AHEAD, config,
                                                                                    partners)), args.runs)
        upcoming(MOMENT, AHEAD, config, partners)
        folder_cached = timed(lambda: upcoming(MOMENT, AHEAD, config, partners), max(10, args.runs))
        folder_one = timed(touch_one, args.runs)
        rows = [[f"vdirsyncer folder, {len(files)} files", "ms, median (min–max)", "× icalendar parse"]]
        for label, values in (("upcoming, cold", folder_cold), ("upcoming, cached", folder_cached),
                              ("upcoming, one file changed", folder_one)):
            rows.append([label, spread([v * 1000 for v in values], ms), f"{statistics.median(values) / base:.3f}"])
        print(table(rows))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
