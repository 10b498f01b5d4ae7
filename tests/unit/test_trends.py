"""Cadence: the gaps between meetings as a sparkline and a plain sentence, for meetings on one day,
one meeting, regular and irregular gaps (never "every 0 days")."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from coach.history import MeetingHeader
from coach.trends import SPARK, cadence_line, cadence_sentence, trends

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)


def met(*offsets: timedelta, partner: str = "Zoë O'Brien") -> list[MeetingHeader]:
    out = []
    for n, offset in enumerate(offsets):
        started = MONDAY + offset
        out.append(MeetingHeader(f"m{n}", partner, "zoe-obrien", started, started + timedelta(minutes=20),
                                 f"/x/{n}.toml"))
    return out


def day(n: float) -> timedelta:
    return timedelta(days=n)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def cadence(headers: list[MeetingHeader], today: date) -> str:
    return cadence_line(trends(headers, today))


@pytest.mark.parametrize(("headers", "today", "said"), [
    ([], date(2026, 3, 2), "No meetings yet."),
    (met(day(0)), date(2026, 3, 2), "One meeting so far, today."),
    (met(day(0)), date(2026, 3, 5), "One meeting so far, 3 days ago."),
    (met(day(0)), date(2026, 12, 27), "One meeting so far, 10 months ago."),
    (met(day(0)), date(2029, 3, 2), "One meeting so far, 3 years ago."),
    (met(day(0)), date(2027, 3, 2), "One meeting so far, a year ago."),
    (met(day(0)), date(2027, 2, 1), "One meeting so far, a year ago."),  # 336 days: never `12 months ago`
    (met(day(0)), date(2027, 7, 15), "One meeting so far, a year ago."),
    (met(day(0), hours(3)), date(2026, 3, 2), "You met twice today, a few hours apart."),
    (met(day(0), timedelta(minutes=20)), date(2026, 3, 3), "You met twice yesterday, less than an hour apart."),
    (met(day(0), hours(2), hours(5)), date(2026, 3, 2),
     f"Cadence {SPARK[-3]}{SPARK[-1]}  You met 3 times today, usually a few hours apart."),
    (met(day(0), hours(3)), date(2026, 3, 9), "You met twice on 2 Mar, a few hours apart; last time 7 days ago."),
])
def test_meetings_on_one_day_and_a_single_meeting(headers: list[MeetingHeader], today: date, said: str) -> None:
    assert cadence(headers, today) == said


@pytest.mark.parametrize(("gaps", "usual"), [
    ([1, 1, 1], "meet about every day"),
    ([3, 4, 3], "meet about every 3 days"),
    ([7, 7, 7], "meet about every 7 days"),
    ([14, 13, 15], "meet about every 2 weeks"),
    ([7, 8], "meet about every 8 days"),
    ([10, 10], "meet about every 10 days"),
    ([12, 12], "meet about every 12 days"),
    ([13, 13], "meet about every 2 weeks"),
    ([300, 300], "meet about every 10 months"),
    ([365, 365], "meet about every year"),
    ([400, 400], "meet about every year"),
    ([730, 730], "meet about every 2 years"),
    ([30, 31, 29], "meet about every month"),
    ([60, 62], "meet about every 2 months"),
    ([0.1, 0.2, 0.1], "met 4 times today"),
])
def test_how_often_in_round_words(gaps: list[float], usual: str) -> None:
    offsets = [sum(gaps[:n]) for n in range(len(gaps) + 1)]
    t = trends(met(*(day(o) for o in offsets)), (MONDAY + day(offsets[-1])).date())
    sentence = cadence_sentence(t)
    assert sentence.startswith(f"You {usual}"), sentence
    assert not re.search(r"\b0 days", cadence_line(t)), "never `every 0 days`"


def test_irregular_gaps_say_the_longest_and_the_sparkline_shows_them() -> None:
    t = trends(met(day(0), day(3), day(6), day(40), day(43)), date(2026, 4, 15))
    assert t.gaps == (3.0, 3.0, 34.0, 3.0)
    line = cadence_line(t)
    assert line == ("Cadence ▂▂█▂  You meet about every 3 days, though once a month went by; last time 1 day ago."
                    .replace("1 day ago", "yesterday"))


def test_a_long_silence_nudges_by_first_name() -> None:
    t = trends(met(day(0), day(14), day(28)), date(2026, 5, 1))
    assert cadence_sentence(t) == ("You meet about every 2 weeks; last time 32 days ago, longer than usual. "
                                   "Time to reach out to Zoë?")


def test_same_day_meetings_among_others_never_say_every_0_days() -> None:
    t = trends(met(day(0), hours(1), day(14), day(14) + hours(2)), date(2026, 3, 17))
    assert t.usual_gap is not None and t.usual_gap < 0.75
    assert cadence_line(t) == ("Cadence ▁█▁  You usually meet a few hours apart, though once 2 weeks went by; "
                               "last time yesterday.")


def test_a_meeting_dated_in_the_future_says_no_last_time() -> None:
    assert cadence_sentence(trends(met(day(0)), date(2026, 3, 1))) == "One meeting so far."
    assert "last time" not in cadence_sentence(trends(met(day(0), day(7), day(14)), date(2026, 3, 1)))
