"""Trends of a relationship over many meetings: cadence, ratings, commitments kept, and
which phase keeps running over; kind words instead of charts while it is early days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from coach.clock import timestamp
from coach.history import MeetingHeader, PhaseTime, load_headers
from coach.kept import Kept, kept, kept_figure, kept_over_time
from coach.model import PartnerRecord
from coach.text import plural
from coach.timefmt import duration, short_date

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
    days: tuple[date, ...]  # the day of each meeting, oldest first
    gaps: tuple[float, ...]  # days between one meeting and the next
    since_last: int | None  # days from the last meeting to today
    ratings: tuple[int | None, ...]
    kept: Kept | None  # the kept rate today, from the partner record (None without one)
    kept_points: tuple[float | None, ...]  # the kept rate as it stood after each meeting
    phases: tuple[PhaseTrend, ...]

    @property
    def early(self) -> bool:
        return self.meetings < TOO_EARLY

    @property
    def first(self) -> date | None:
        return self.days[0] if self.days else None

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


def trends(headers: list[MeetingHeader], today: date, record: PartnerRecord | None = None) -> Trends:
    """The relationship with one partner over their meetings (in any order); the commitments kept
    come from their partner record, when there is one."""
    meetings = sorted(headers, key=lambda h: (timestamp(h.started), h.id))
    stamps = [timestamp(h.started) for h in meetings]
    days = tuple(h.day for h in meetings)
    commitments = record.commitments if record is not None else []
    phases: dict[str, list[PhaseTime]] = {}
    for h in meetings:
        for phase in h.phases:
            phases.setdefault(phase.id, []).append(phase)
    return Trends(
        partner=meetings[-1].partner if meetings else "",
        meetings=len(meetings),
        days=days,
        gaps=tuple((b - a) / 86400 for a, b in pairwise(stamps)),
        since_last=(today - meetings[-1].day).days if meetings else None,
        ratings=tuple(h.rating for h in meetings),
        kept=kept(commitments, today) if record is not None else None,
        kept_points=(tuple(kept_over_time(commitments, [(h.id, h.day) for h in meetings], today))
                     if record is not None else ()),
        phases=tuple(PhaseTrend(key, runs[-1].title, len(runs), sum(p.planned for p in runs) / len(runs),
                                sum(p.actual for p in runs) / len(runs), sum(map(overran, runs)))
                     for key, runs in phases.items()),
    )


def early_message(count: int) -> str:
    so_far = "no meetings yet" if count == 0 else f"{plural(count, 'meeting')} so far"
    return (f"Rapport takes time ({so_far}). After a few meetings, how often you meet, how they felt "
            "and the promises kept will show here.")


HOUR = 1 / 24


def _span(days: float) -> str:
    """A length of time between meetings in round words: `a few hours`, `3 days`, `10 days`,
    `2 weeks`, `a month`, `2 years` (never a week for ten days, nor hundreds of months)."""
    if days < HOUR:
        return "less than an hour"
    if days < 0.75:
        return "a few hours"
    count, unit = ((max(1, round(days)), "day") if days < 12.5 else (round(days / 7), "week") if days < 25
                   else (round(days / 30.4), "month") if days < 335 else (round(days / 365.25), "year"))
    return f"a {unit}" if count == 1 else plural(count, unit)


def _every(days: float) -> str:
    """How often, from the usual gap: `You usually meet a few hours apart`, `You meet about every 2 weeks`."""
    if days < 0.75:
        return f"You usually meet {_span(days)} apart"
    return f"You meet about every {_span(days).removeprefix('a ')}"


def _ago(days: int) -> str:
    if days >= 335:  # in the units the gaps are said in: `a year ago`, never `12 months ago`
        years = round(days / 365.25)
        return "a year ago" if years == 1 else f"{years} years ago"
    if days >= 60:
        return f"{round(days / 30.4)} months ago"
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def cadence_sentence(t: Trends) -> str:
    """How often you meet, in a plain sentence: never `every 0 days`; meetings on one day are
    counted (`You met twice today, a few hours apart.`)."""
    since = t.since_last
    if not t.meetings:
        return "No meetings yet."
    last = f"last time {_ago(since)}" if since is not None and since >= 0 else ""
    if t.meetings == 1:
        return f"One meeting so far, {_ago(since)}." if last and since is not None else "One meeting so far."
    if t.days[0] == t.days[-1]:  # all on one day
        when = _ago(since) if since is not None and 0 <= since <= 1 else f"on {short_date(t.days[0])}"
        apart = _span(t.usual_gap or 0) + " apart"
        said = f"You met {_times(t.meetings)} {when}, {'usually ' if len(t.gaps) > 1 else ''}{apart}"
        return said + (f"; {last}." if when.startswith("on ") and last else ".")
    usual = t.usual_gap or 0
    line = _every(usual)
    longest = max(t.gaps)
    if len(t.gaps) > 1 and longest > usual * 3 and longest - usual >= 3:  # irregular: say the longest too
        line += f", though once {_span(longest)} went by"
    line += f"; {last}" if last else ""
    if t.longer_than_usual:
        first_name = t.partner.split()[0] if t.partner.split() else "them"
        return f"{line}, longer than usual. Time to reach out to {first_name}?"
    return line + "."


def cadence_line(t: Trends) -> str:
    """The gaps between meetings as a sparkline (when there are a few), then the sentence."""
    sentence = cadence_sentence(t)
    if len(t.gaps) < 2:
        return sentence
    return f"Cadence {sparkline(list(t.gaps), 0, max(max(t.gaps), HOUR))}  {sentence}"


def ratings_line(t: Trends) -> str:
    given = [r for r in t.ratings if r is not None]
    if not given:
        return "Ratings: none given yet."
    values: list[float | None] = list(t.ratings)
    return f"Ratings {sparkline(values, 1, 5)}  {sum(given) / len(given):.1f} on average, last {given[-1]}/5"


def kept_line(t: Trends) -> str | None:
    """The kept rate as it stood after each meeting, then as it stands (the figure shown everywhere)."""
    if t.kept is None or not t.kept.settled:
        return None
    return f"Kept {sparkline(list(t.kept_points), 0, 1)}  {kept_figure(t.kept)}"


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
    lines += overrun_lines(t)
    return lines


def overrun_lines(t: Trends) -> list[str]:
    """The phase that keeps running over, in a line of advice (none when no phase does)."""
    if (worst := t.most_overrun) is None:
        return []
    return [f"{worst.title} keeps overrunning: plan more time for it, or less to cover."]


def trend_lines(partner: str, today: date, headers: list[MeetingHeader] | None = None,
                record: PartnerRecord | None = None) -> list[str]:
    """A few short lines for the prep screen: cadence, ratings, commitments kept, and the phase
    that keeps running over (the history's trends, without the table of phases).

    Meetings are the partner's by name (two names may share a file-name slug, never a record)."""
    if headers is None:
        headers, _problems = load_headers()
    t = trends([h for h in headers if h.partner == partner], today, record)
    if t.early:
        return [early_message(t.meetings)]
    return [cadence_line(t), ratings_line(t), *([line] if (line := kept_line(t)) else []), *overrun_lines(t)]
