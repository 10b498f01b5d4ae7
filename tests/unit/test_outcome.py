"""One record, many views, always equal: for any mix of captures and reviews, the wrap-up, the
follow-up, the Markdown summary, the history header (and `--json`) and the brief's last-meeting
line each say what the meeting's `Outcome` counts, read back out of what they show."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach import follow_up as fu
from coach import records
from coach.brief import brief_text, build_brief
from coach.history import MeetingHeader
from coach.meeting import Meeting
from coach.model import (
    COMMITMENT_STATUSES,
    GOAL_STATUSES,
    CaptureKind,
    CommitmentNote,
    GoalNote,
    Owner,
    PartnerRecord,
    PhasePlan,
    Remembered,
    Review,
    Status,
    Summary,
    Template,
)
from coach.outcome import COUNT_KEYS, Outcome, Promise, line_of
from coach.problems import parse_toml
from coach.summaries import SETTLED, to_markdown
from screens.widgets.outcome import LABELS, NOTHING, outcome_text

STARTED = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
texts = st.text(min_size=1, max_size=30)
any_text = st.text(max_size=30)  # a review's text comes from a partner file: anything
owners = st.sampled_from(list(Owner))
dues = st.none() | st.dates(date(2020, 1, 1), date(2030, 12, 31))
names = st.sampled_from(["Ada Lovelace", "Zoë O'Brien", "李雷", "[b]Bo[/b]", "Bo␛]2;x", "I'll", "Both"])


@st.composite
def summaries(draw: st.DrawFn) -> Summary:
    goals = draw(st.lists(st.builds(GoalNote, text=texts, status=st.sampled_from(GOAL_STATUSES)), max_size=4))
    commitments = draw(st.lists(st.builds(CommitmentNote, text=texts, owner=owners, due=dues,
                                          status=st.sampled_from(COMMITMENT_STATUSES)), max_size=4))
    remembered = draw(st.lists(st.builds(Remembered, text=texts), max_size=3))
    reviews = st.builds(Review, kind=st.just(CaptureKind.COMMITMENT), id=texts, text=any_text,
                        status=st.sampled_from(COMMITMENT_STATUSES), owner=owners) | \
        st.builds(Review, kind=st.just(CaptureKind.GOAL), id=texts, text=any_text,
                  status=st.sampled_from(GOAL_STATUSES))
    return Summary(id="2026-03-02-1400-x-abc123", partner=draw(names), started=STARTED,
                   ended=STARTED + timedelta(minutes=30), goals=goals, commitments=commitments,
                   remembered=remembered, reviewed=draw(st.lists(reviews, max_size=6)))


WORDS = {"goals": r"new goals?", "commitments": r"new commitments?", "remembered": r"facts? remembered",
         "done": r"commitments? done", "carried": r"carried over", "dropped": r"commitments? dropped",
         "goals_reached": r"goals? reached", "goals_dropped": r"goals? dropped"}


def counts_in_line(line: str) -> dict[str, int]:
    """The counts a line of `Outcome.line` says, read back from its words."""
    found = dict.fromkeys(COUNT_KEYS, 0)
    for part in line.split(" · "):
        [key] = [k for k, words in WORDS.items() if re.fullmatch(rf"\d+ {words}", part)]
        found[key] = int(part.split()[0])
    return found


def bullets(text: str, heading: str, level: str | None = None) -> int:
    """How many `- ` lines stand under each line equal to `heading` (to the next heading)."""
    count, under = 0, False
    for line in text.splitlines():
        if line == heading:
            under = True
        elif line.startswith("- "):
            count += under
        elif line and (level is None or line.startswith("#")):
            under = False
    return count


def follow_up_counts(text: str, partner: str) -> dict[str, int]:
    """The parts of a follow-up, counted by their bullets (blocks apart from blank lines)."""
    found: dict[str, int] = {}
    for block in text.split("\n\n"):
        head, *items = block.splitlines()
        assert all(item.startswith("- ") for item in items), block
        found[head] = found.get(head, 0) + len(items)
    name = fu.first_name(partner)
    return {"goals": found.get(fu.SET, 0), "done": found.get(fu.DONE, 0), "carried": found.get(fu.OPEN, 0),
            "goals_reached": found.get(fu.REACHED, 0),
            "commitments": sum(found.get(h, 0) for h in dict.fromkeys((fu.I_WILL, f"{name}:", fu.BOTH)))}


@given(summaries())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_every_view_counts_what_the_outcome_counts(summary: Summary) -> None:
    outcome = Outcome.of(summary)
    counts = outcome.counts()
    assert list(counts) == list(COUNT_KEYS)
    assert counts["goals"] == len(summary.goals) and counts["commitments"] == len(summary.commitments)
    assert counts["remembered"] == len(summary.remembered)
    assert outcome.empty == (not any(counts.values()))
    assert sum(counts[k] for k in ("done", "carried", "dropped")) == sum(
        r.kind is CaptureKind.COMMITMENT for r in summary.reviewed), "every answered commitment counts once"

    # the wrap-up: a line of counts, then a labelled line an item
    shown = outcome_text(outcome).plain.splitlines()
    if outcome.empty:
        assert shown == [NOTHING]
    else:
        assert counts_in_line(shown[0]) == counts
        labels = {label: key for key, label in LABELS.items()}
        wrap_up = dict.fromkeys(COUNT_KEYS, 0)
        for line in shown[1:]:
            wrap_up[labels[line.partition(":")[0]]] += 1
        assert wrap_up == counts

    # the follow-up: bullets under its headings (remembered facts and dropped ones stay out of it)
    text = fu.follow_up_text(summary.partner, outcome)
    assert follow_up_counts(text, summary.partner) == {k: counts[k] for k in
                                                       ("goals", "done", "carried", "goals_reached", "commitments")}
    assert "\x1b" not in text

    # the Markdown summary: bullets under each heading
    markdown = to_markdown(summary)
    sections = {"done": "### Done", "carried": "### Carried over", "dropped": "### Dropped",
                "goals_reached": "### Goals reached", "goals_dropped": "### Goals dropped",
                "goals": "## New goals", "commitments": "## New commitments", "remembered": "## Remembered"}
    assert {key: bullets(markdown, heading, "#") for key, heading in sections.items()} == counts
    assert (SETTLED in markdown.splitlines()) == any(counts[k] for k in msgspec.structs.asdict(outcome.settled()))

    # the history header, as the index keeps it (msgpack), and `--json`
    header = MeetingHeader.of(summary, "f.toml")
    kept = msgspec.msgpack.decode(msgspec.msgpack.encode(header), type=MeetingHeader)
    assert kept.counts() == header.counts() == counts
    assert {k: v for k, v in header.to_json().items() if k in COUNT_KEYS} == counts

    # the brief's last-meeting line
    brief = brief_text(build_brief(PartnerRecord(name=summary.partner), date(2026, 3, 9), summary))
    lines = brief.split("\nLast meeting\n")[1].split("\n\n")[0].splitlines()
    said = [line.strip() for line in lines if not line.strip().startswith("“")][1:]
    assert said == ([] if outcome.empty else [outcome.line()])
    if said:
        assert counts_in_line(said[0]) == counts


@given(summaries())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_a_summary_read_back_from_its_toml_has_the_same_outcome(summary: Summary) -> None:
    text = records.encode(summary)
    again = records.decode(Summary, parse_toml(Path("s.toml"), text), Path("s.toml"), text)
    assert Outcome.of(again) == Outcome.of(summary)


@given(summaries())
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_the_running_meeting_has_the_outcome_of_the_summary_it_saves(summary: Summary) -> None:
    template = Template("t", "T", (PhasePlan("talk", "Talk", 1),))
    meeting = Meeting(summary.partner, template, {})
    meeting.captures = summary.captures
    meeting.reviewed = list(summary.reviewed)
    assert meeting.outcome() == Outcome.of(meeting._summary(STARTED, STARTED)) == Outcome.of(summary)


def test_the_line_of_an_outcome_reads_like_a_sentence() -> None:
    outcome = Outcome(goals=("a", "b"), done=(Promise("x"),), goals_reached=("c",))
    assert outcome.line() == "2 new goals · 1 commitment done · 1 goal reached"
    assert line_of(dict.fromkeys(COUNT_KEYS, 0)) == "Nothing captured or reviewed"
    assert Outcome().empty and not outcome.empty


def test_a_goal_answered_open_changes_nothing_and_a_goal_set_and_reached_counts_as_both() -> None:
    summary = Summary(id="m", partner="Ada", started=STARTED, ended=STARTED,
                      goals=[GoalNote(text="ship", status=Status.REACHED)],
                      reviewed=[Review(CaptureKind.GOAL, "g1", "talk", Status.OPEN),
                                Review(CaptureKind.COMMITMENT, "c1", "read", Status.OPEN, Owner.THEM)])
    outcome = Outcome.of(summary)
    assert (outcome.goals, outcome.goals_reached) == (("ship",), ("ship",))
    assert outcome.carried == (Promise("read", Owner.THEM),)
