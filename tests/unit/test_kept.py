"""The one kept rate: its definition, its parts, the rate over time, and every view that shows it
showing the same figure (prep's brief and Over time, `coach brief`, the wrap-up, History)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.brief import brief_text, build_brief
from coach.history import MeetingHeader
from coach.kept import (
    TOO_EARLY,
    Kept,
    Tally,
    commitments_after,
    kept,
    kept_figure,
    kept_over_time,
    kept_sentence,
    status_on,
)
from coach.model import Commitment, Owner, PartnerRecord, Status
from coach.trends import kept_line, trend_lines, trends, trends_report

TODAY = date(2026, 3, 2)
YESTERDAY, TOMORROW = TODAY - timedelta(days=1), TODAY + timedelta(days=1)
ME, THEM, BOTH = Owner.ME, Owner.THEM, Owner.BOTH
OPEN, DONE, DROPPED = Status.OPEN, Status.DONE, Status.DROPPED


def promise(owner: Owner, status: Status, due: date | None = None, made: date | None = None,
            closed: date | None = None, made_in: str = "", closed_in: str = "") -> Commitment:
    return Commitment(text="a promise", owner=owner, status=status, due=due, made=made, closed=closed,
                      made_in=made_in, closed_in=closed_in)


# -- the definition ------------------------------------------------------------------------------
@pytest.mark.parametrize(("commitments", "mine", "theirs", "shared"), [
    ([], Tally(), Tally(), Tally()),
    ([promise(ME, DONE), promise(ME, DONE), promise(ME, DROPPED)], Tally(2, 1, 0), Tally(), Tally()),
    ([promise(THEM, DONE), promise(THEM, OPEN, YESTERDAY)], Tally(), Tally(1, 0, 1), Tally()),
    ([promise(BOTH, DONE)], Tally(), Tally(), Tally(1, 0, 0)),
    ([promise(ME, OPEN), promise(ME, OPEN, TODAY), promise(THEM, OPEN, TOMORROW)], Tally(), Tally(), Tally()),
    ([promise(ME, DONE, YESTERDAY), promise(ME, DROPPED, YESTERDAY)], Tally(1, 1, 0), Tally(), Tally()),
])
def test_kept_counts_done_dropped_and_overdue_for_each_side_once(
    commitments: list[Commitment], mine: Tally, theirs: Tally, shared: Tally
) -> None:
    k = kept(commitments, TODAY)
    assert (k.side(ME), k.side(THEM), k.side(BOTH)) == (mine, theirs, shared)
    assert k.total == mine + theirs + shared, "a shared commitment counts once, so the parts add up"


def test_the_rate_is_done_over_done_dropped_and_overdue() -> None:
    k = kept([promise(ME, DONE), promise(ME, DONE), promise(ME, DONE), promise(ME, DROPPED),
              promise(ME, OPEN, YESTERDAY), promise(ME, OPEN, TOMORROW), promise(ME, OPEN)], TODAY)
    assert (k.done, k.settled) == (3, 5)
    assert k.rate == pytest.approx(3 / 5)
    assert kept([promise(ME, OPEN)], TODAY).rate is None


def test_a_commitment_becomes_overdue_the_day_after_it_is_due() -> None:
    due = promise(THEM, OPEN, TODAY)
    assert kept([due], TODAY).settled == 0
    assert kept([due], TOMORROW).side(THEM).overdue == 1


def test_as_of_a_day_a_commitment_counts_from_when_it_was_made_and_settles_when_it_was_closed() -> None:
    c = promise(ME, DONE, due=date(2026, 2, 10), made=date(2026, 2, 1), closed=date(2026, 2, 20))
    assert status_on(c, date(2026, 1, 31)) is None
    assert status_on(c, date(2026, 2, 1)) is OPEN
    assert kept([c], date(2026, 2, 15)).side(ME) == Tally(overdue=1), "late before it was done"
    assert status_on(c, date(2026, 2, 20)) is DONE
    assert status_on(promise(ME, DROPPED, made=date(2026, 2, 1)), date(2026, 2, 1)) is DROPPED, "no closed date"
    assert status_on(promise(ME, DONE), date.min) is DONE, "no dates at all: settled all along"


@pytest.mark.parametrize(("k", "figure"), [
    (Kept(), "nothing settled yet"),
    (Kept({ME: Tally(1, 0, 0), THEM: Tally(1, 0, 1)}), "67 % — 2 of 3 (mine 1 of 1, theirs 1 of 2); 1 overdue"),
    (Kept({ME: Tally(4, 1, 0)}), "80 % — 4 of 5 (mine 4 of 5); 1 dropped"),
    (Kept({BOTH: Tally(0, 1, 1)}), "0 % — 0 of 2 (shared 0 of 2); 1 dropped, 1 overdue"),
    (Kept({THEM: Tally(2, 0, 0), ME: Tally(1, 0, 0)}), "100 % — 3 of 3 (mine 1 of 1, theirs 2 of 2)"),
])
def test_the_figure_says_kept_with_its_parts(k: Kept, figure: str) -> None:
    assert kept_figure(k) == figure


def test_kept_sentence_is_kind_while_it_is_early_days() -> None:
    assert kept_sentence(Kept()).startswith("Kept: nothing settled yet. Trust grows")
    early = kept_sentence(Kept({ME: Tally(1, 0, 0), THEM: Tally(0, 1, 0)}))
    assert early == ("Kept 50 % — 1 of 2 (mine 1 of 1, theirs 0 of 1); 1 dropped. "
                     "Early days: a few more meetings will say more.")
    settled = Kept({ME: Tally(2, 0, 1)})
    assert settled.settled == TOO_EARLY
    assert kept_sentence(settled) == "Kept 67 % — 2 of 3 (mine 2 of 3); 1 overdue."


def test_over_time_is_the_rate_after_each_meeting_and_the_last_is_today() -> None:
    commitments = [promise(ME, DONE, made=date(2026, 2, 1), closed=date(2026, 2, 8)),
                   promise(THEM, OPEN, due=date(2026, 2, 20), made=date(2026, 2, 8))]
    meetings = [("m1", date(2026, 2, 1)), ("m2", date(2026, 2, 8)), ("m3", date(2026, 2, 15))]
    assert kept_over_time(commitments, meetings, TODAY) == [None, 1.0, 0.5], "overdue since the last meeting"
    assert kept_over_time(commitments, [], TODAY) == []


def test_meetings_on_one_day_each_get_the_rate_they_left() -> None:
    """Made and settled in named meetings: the points follow the meetings, not the day."""
    day = date(2026, 2, 1)
    commitments = [promise(ME, DONE, made=day, closed=day, made_in="m1", closed_in="m2"),
                   promise(THEM, DROPPED, made=day, closed=day, made_in="m2", closed_in="m3"),
                   promise(ME, DONE, made=day, closed=day, made_in="m3", closed_in="m4")]
    meetings = [("m1", day), ("m2", day), ("m3", day), ("m4", day)]
    assert kept_over_time(commitments, meetings, day) == [None, 1.0, 0.5, 2 / 3]


# -- every view shows the same figure --------------------------------------------------------------
days = st.dates(date(2025, 6, 1), date(2026, 6, 1))
commitment = st.builds(
    Commitment, text=st.just("a promise"), owner=st.sampled_from(list(Owner)),
    status=st.sampled_from([OPEN, DONE, DROPPED]), due=st.none() | days, made=st.none() | days,
    closed=st.none() | days)


def headers(meeting_days: list[date]) -> list[MeetingHeader]:
    out = []
    for n, day in enumerate(sorted(meeting_days)):
        started = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        out.append(MeetingHeader(f"m{n}", "Ada Lovelace", "ada-lovelace", started, started + timedelta(minutes=30),
                                 f"/x/{n}.toml"))
    return out


def shown_kept(text: str) -> str:
    """The figure inside a kept line: after `Kept` (and a sparkline), up to its full stop."""
    figure = text.split("  ", 1)[1] if text.startswith("Kept ") and "  " in text else text.removeprefix("Kept ")
    return figure.split(". ")[0].removesuffix(".")


@settings(max_examples=60, deadline=None)
@given(st.lists(commitment, max_size=12), st.lists(days, min_size=3, max_size=6), days)
def test_any_record_shows_the_same_kept_figure_everywhere(commitments: list[Commitment], meeting_days: list[date],
                                                         today: date) -> None:
    record = PartnerRecord(name="Ada Lovelace", slug="ada-lovelace", commitments=commitments)
    k = kept(record.commitments, today)
    assert k.total == sum((k.side(o) for o in Owner), Tally())
    assert k.rate is None or 0 <= k.rate <= 1
    figure = kept_figure(k)

    brief = brief_text(build_brief(record, today))  # prep's brief and `coach brief`
    if record.commitments:
        line = brief.split("\nCommitments kept\n  ", 1)[1].splitlines()[0]
        assert line == kept_sentence(k)
    wrap_up = kept_sentence(kept(commitments_after(record, [], [], today), today))  # nothing reviewed or added
    assert wrap_up == kept_sentence(k)

    t = trends(headers(meeting_days), today, record)  # History's panel and prep's Over time
    assert t.kept == k
    assert t.kept_points[-1] == k.rate, "the sparkline ends at the figure shown"
    over_time = kept_line(t)
    if k.settled:
        assert over_time is not None and shown_kept(over_time) == figure
        assert over_time in trends_report(t)
        assert over_time in trend_lines("Ada Lovelace", today, headers(meeting_days), record)
        assert shown_kept(kept_sentence(k)) == figure
    else:
        assert over_time is None
