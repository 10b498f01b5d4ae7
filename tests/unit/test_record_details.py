"""Details of the record that the first tryout of issue 14 found wrong: a due date in another
year, the follow-up in the Markdown summary, whose a settled commitment is."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from markdown_it import MarkdownIt

from coach.brief import brief_text, build_brief
from coach.follow_up import follow_up_text
from coach.model import Commitment, Owner, PartnerRecord, Summary
from coach.outcome import Outcome, Promise
from coach.summaries import to_markdown
from coach.timefmt import short_date

TODAY = date(2026, 11, 30)


def test_a_date_in_another_year_says_its_year() -> None:
    assert short_date(date(2026, 12, 4), TODAY) == "4 Dec"
    assert short_date(date(2027, 1, 15), TODAY) == "15 Jan 2027"
    assert short_date(date(2025, 1, 15), TODAY) == "15 Jan 2025"
    assert short_date(date(2030, 1, 15)) == "15 Jan"  # no day to compare with: as before


def test_the_follow_up_and_the_brief_give_the_year_of_a_far_due_date() -> None:
    outcome = Outcome(commitments=(Promise("send the reading list", Owner.ME, date(2030, 1, 15)),))
    assert "- send the reading list by Tue 15 Jan 2030\n" in follow_up_text("Zoë O'Brien", outcome, TODAY)
    record = PartnerRecord(name="Zoë O'Brien", commitments=[
        Commitment(text="send the reading list", due=date(2030, 1, 15))])
    assert "send the reading list — due 15 Jan 2030" in brief_text(build_brief(record, TODAY))


def test_whose_a_settled_commitment_is_reads_as_a_person_writes() -> None:
    outcome = Outcome(done=(Promise("send the list", Owner.ME), Promise("book physio", Owner.THEM)),
                      carried=(Promise("plan the trip", Owner.BOTH),))
    text = follow_up_text("Zoë O'Brien", outcome, TODAY)
    assert "- send the list (mine)\n- book physio (Zoë's)\n" in text
    assert "- plan the trip (ours)\n" in text
    assert "(me)" not in text


def test_the_follow_up_in_markdown_is_a_block_to_copy_without_backslashes() -> None:
    started = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    message = "Hi Zoë,\n\nDone since last time:\n- send the list (mine)\n\n```odd``` `ticks` *stars*\n"
    summary = Summary(id="2026-11-30-1400-zoe", partner="Zoë", started=started,
                      ended=started + timedelta(minutes=30), follow_up=message)
    markdown = to_markdown(summary)
    section = markdown.split("## Follow-up\n\n")[1]
    assert "\\" not in section
    tokens = [t for t in MarkdownIt().parse(markdown) if t.type == "fence"]
    assert len(tokens) == 1 and tokens[0].content == message.strip("\n") + "\n"
