"""Trends of a relationship over many meetings: cadence, ratings, commitments kept, and
which phase keeps running over; kind words instead of charts while it is early days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from coach.clock import timestamp
from coach.history import MeetingHeader, PhaseTime, load_headers
from coach.text import plural
from coach.timefmt import duration

TOO_EARLY = 3
"""Below this many meetings, trends say kindly that rapport takes time instead of drawing charts."""
SPARK = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 24

def sparkline(values: list[float | None], low: float, high: float) -> str:
    """One block character a value (`·` where there is none), scaled from `low` to `high`."""
    out = []
    for value in values[-SPARK_WIDTH:]:
        if value is None:
            out.append("·")
            continue
        share = (min(max(value, low), high) - low) / (high - low) if high > low else 1.0
        out.append(SPARK[round(share * (len(SPARK) - 1))])
    return "".join(out)


@dataclass(frozen=True)
class PhaseTrend:
    """One phase over many meetings: planned and actual time on average, and how often it overran."""

    id: str
    title: str
    meetings: int
    planned: float  # average seconds
    actual: float
    overruns: int


@dataclass(frozen=True)
class Trends:
    partner: str
    meetings: int
    first: date | None
    gaps: tuple[float, ...]  # days between one meeting and the next
    since_last: int | None  # days from the last meeting to today
    ratings: tuple[int | None, ...]
    kept: tuple[float | None, ...]  # the commitments-kept rate as it stood after each meeting
    done: int
    settled: int
    phases: tuple[PhaseTrend, ...]

    @property
    def early(self) -> bool:
        return self.meetings < TOO_EARLY

    @property
    def usual_gap(self) -> float | None:
        """The median number of days between meetings."""
        if not self.gaps:
            return None
        ordered = sorted(self.gaps)
        mid = len(ordered) // 2
        return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2

    @property
    def longer_than_usual(self) -> bool:
        usual = self.usual_gap
        return (usual is not None and self.since_last is not None
                and self.since_last > usual * 1.5 and self.since_last - usual >= 3)

    @property
    def most_overrun(self) -> PhaseTrend | None:
        """The phase that overran in at least half of its (two or more) meetings, the most often."""
        keeps = [p for p in self.phases if p.meetings >= 2 and p.overruns * 2 >= p.meetings]
        return max(keeps, key=lambda p: (p.overruns, p.actual - p.planned), default=None)


def overran(phase: PhaseTime) -> bool:
    """Longer than planned by more than a tenth (and at least half a minute)."""
    return phase.actual - phase.planned > max(30.0, phase.planned * 0.1)


def trends(headers: list[MeetingHeader], today: date) -> Trends:
    """The relationship with one partner over their meetings (in any order)."""
    meetings = sorted(headers, key=lambda h: (timestamp(h.started), h.id))
    stamps = [timestamp(h.started) for h in meetings]
    kept, done, settled = [], 0, 0
    for h in meetings:
        done, settled = done + h.kept, settled + h.kept + h.dropped
        kept.append(done / settled if settled else None)
    phases: dict[str, list[PhaseTime]] = {}
    for h in meetings:
        for phase in h.phases:
            phases.setdefault(phase.id, []).append(phase)
    return Trends(
        partner=meetings[-1].partner if meetings else "",
        meetings=len(meetings),
        first=meetings[0].day if meetings else None,
        gaps=tuple((b - a) / 86400 for a, b in pairwise(stamps)),
        since_last=(today - meetings[-1].day).days if meetings else None,
        ratings=tuple(h.rating for h in meetings),
        kept=tuple(kept), done=done, settled=settled,
        phases=tuple(PhaseTrend(key, runs[-1].title, len(runs), sum(p.planned for p in runs) / len(runs),
                                sum(p.actual for p in runs) / len(runs), sum(map(overran, runs)))
                     for key, runs in phases.items()),
    )


def _days(value: float) -> str:
    days = round(value)
    return plural(days, "day")


def early_message(count: int) -> str:
    so_far = "no meetings yet" if count == 0 else f"{plural(count, 'meeting')} so far"
    return (f"Rapport takes time ({so_far}). After a few meetings, how often you meet, how they felt "
            "and the promises kept will show here.")


def cadence_line(t: Trends) -> str:
    since = t.since_last
    line = f"You meet every {_days(t.usual_gap or 0)} or so"
    if since is not None:
        line += "; the last time was today" if since == 0 else f"; the last time was {_days(since)} ago"
    if t.longer_than_usual:
        first_name = t.partner.split()[0] if t.partner.split() else "them"
        return f"{line}, longer than usual. Time to reach out to {first_name}?"
    return line + "."


def ratings_line(t: Trends) -> str:
    given = [r for r in t.ratings if r is not None]
    if not given:
        return "Ratings: none given yet."
    values: list[float | None] = list(t.ratings)
    return f"Ratings {sparkline(values, 1, 5)}  {sum(given) / len(given):.1f} on average, last {given[-1]}/5"


def kept_line(t: Trends) -> str | None:
    if not t.settled:
        return None
    return (f"Commitments kept {sparkline(list(t.kept), 0, 1)}  "
            f"{t.done / t.settled * 100:.0f} % ({t.done} of {t.settled} settled)")


def trends_report(t: Trends) -> list[str]:
    """The history screen's panel for one partner: a few lines of text."""
    if t.early:
        return [early_message(t.meetings)]
    since = f" since {t.first:%d %b %Y}" if t.first else ""
    lines = [f"{t.partner}: {plural(t.meetings, 'meeting')}{since}", cadence_line(t), ratings_line(t)]
    lines += [line] if (line := kept_line(t)) else []
    if t.phases:
        lines.append("Phases, planned → actual on average:")
        width = max(len(p.title) for p in t.phases)
        lines += [f"  {p.title:<{width}}  {duration(p.planned):>6} → {duration(p.actual):>6}"
                  + (f"  overran {p.overruns} of {p.meetings}" if p.overruns else "") for p in t.phases]
    if (worst := t.most_overrun) is not None:
        lines.append(f"{worst.title} keeps overrunning: plan more time for it, or less to cover.")
    return lines


def trend_lines(partner: str, today: date, headers: list[MeetingHeader] | None = None) -> list[str]:
    """One to three short lines for the prep screen: cadence, ratings, commitments kept.

    Meetings are the partner's by name (two names may share a file-name slug, never a record)."""
    if headers is None:
        headers, _problems = load_headers()
    t = trends([h for h in headers if h.partner == partner], today)
    if t.early:
        return [early_message(t.meetings)]
    return [cadence_line(t), ratings_line(t), *([line] if (line := kept_line(t)) else [])]
