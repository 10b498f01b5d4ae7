"""`coach brief NAME`: one page on a partner, read two minutes before the call."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from coach import partners, summaries
from coach.brief import CHECKLIST
from coach.model import Capture, CaptureKind, Owner, PhaseRecord, Review, Status, Summary, notes_of
from coach.store import slugify
from coach.timefmt import short_date

Run = Callable[..., subprocess.CompletedProcess[str]]

LONG_AGO = date(2020, 1, 15)
"""A due date that is overdue whatever day the tests run."""


@pytest.fixture(autouse=True)
def same_dirs(coach_dirs: tuple[Path, Path], config_dir: Path, data_dir: Path) -> None:
    """What this process writes (through coach_dirs) is what the subprocess reads."""
    assert coach_dirs == (config_dir, data_dir)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert "Traceback" not in result.stderr + result.stdout
    return result


def last_week() -> datetime:
    return (datetime.now().astimezone() - timedelta(days=7)).replace(microsecond=0)


def meet(partner: str, started: datetime | None = None, captures: list[Capture] | None = None,
         rating: int | None = 4, reflection: str = "Good energy, a bit rushed at the end.") -> Summary:
    """Save a meeting with `partner` the way the app does: the summary, then the partner's memory."""
    started = started or last_week()
    summary = Summary(
        id=f"{started:%Y-%m-%d-%H%M}-{slugify(partner)}-a1b2c3", partner=partner, partner_slug=slugify(partner),
        template="standard", started=started, ended=started + timedelta(minutes=30),
        phases=[PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300.0, actual_seconds=310.0,
                            notes="talked about the move")],
        rating=rating, reflection=reflection, **notes_of(captures or []))
    summaries.save(summary)
    partners.remember_meeting(summary)
    return summary


def ada() -> Summary:
    return meet("Ada Lovelace", captures=[
        Capture(CaptureKind.FACT, "has a cat called Babbage"),
        Capture(CaptureKind.GOAL, "give a talk at the meetup"),
        Capture(CaptureKind.COMMITMENT, "send the paper", owner=Owner.ME, due=LONG_AGO),
        Capture(CaptureKind.COMMITMENT, "read chapter 2", owner=Owner.THEM),
    ])


def lines_under(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    out = []
    for line in lines[lines.index(title) + 1:]:
        if not line.startswith("  "):
            break
        out.append(line.strip())
    return out


def test_brief_prints_the_partner_commitments_facts_and_checklist(coach: Run) -> None:
    summary = ada()
    result = ok(coach("brief", "Ada Lovelace"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("Ada Lovelace\n")
    started = summary.started
    assert lines_under(out, "Last meeting") == [
        f"{started:%a} {short_date(started)} {started:%Y}, rated 4/5",
        "1 new goal · 2 new commitments · 1 fact remembered", "“Good energy, a bit rushed at the end.”"]
    assert lines_under(out, "Open commitments") == [
        f"[me] send the paper — due {short_date(LONG_AGO, date.today())} (overdue)", "[them] read chapter 2"]
    assert lines_under(out, "Open goals") == ["give a talk at the meetup"]
    day = started.date()
    assert lines_under(out, "Remembered") == [f"{short_date(day)} {day:%Y}: has a cat called Babbage"]
    assert lines_under(out, "Commitments kept") == [
        "Kept 0 % — 0 of 1 (mine 0 of 1); 1 overdue. Early days: a few more meetings will say more."]
    assert "Goals reached" not in out.splitlines()
    assert lines_under(out, "Before the call") == [f"☐ {item}" for item in CHECKLIST]
    assert lines_under(out, "Plan") == ["Chit-chat · 5 min", "Goals · 15 min", "Commitments · 10 min"]
    assert "First meeting" not in out.splitlines()


def test_brief_lists_reached_goals_with_their_dates_and_the_kept_rate_after_the_review(coach: Run) -> None:
    first = ada()
    record = partners.load_record("Ada Lovelace")
    goal, paper = record.goals[0], record.commitments[0]
    second = last_week() + timedelta(days=2)
    summary = Summary(
        id=f"{second:%Y-%m-%d-%H%M}-ada-lovelace-d4e5f6", partner="Ada Lovelace", partner_slug="ada-lovelace",
        template="standard", started=second, ended=second + timedelta(minutes=30),
        reviewed=[Review(CaptureKind.GOAL, goal.id, goal.text, Status.REACHED),
                  Review(CaptureKind.COMMITMENT, paper.id, paper.text, Status.DONE)],
        **notes_of([Capture(CaptureKind.GOAL, "run a workshop", status=Status.REACHED)]))
    summaries.save(summary)
    partners.remember_meeting(summary)
    out = ok(coach("brief", "ada")).stdout
    day = second.date()
    assert lines_under(out, "Goals reached") == [f"{short_date(day)} {day:%Y}: give a talk at the meetup",
                                                 f"{short_date(day)} {day:%Y}: run a workshop"]
    assert "Open goals" not in out.splitlines()
    assert lines_under(out, "Commitments kept") == [
        "Kept 100 % — 1 of 1 (mine 1 of 1). Early days: a few more meetings will say more."]
    assert first.id != summary.id


def test_brief_shows_the_plan_of_the_template_asked_for(coach: Run) -> None:
    ada()
    result = ok(coach("brief", "Ada Lovelace", "--template", "first-meeting"))
    assert result.returncode == 0, result.stderr
    assert lines_under(result.stdout, "Plan") == ["Introductions · 10 min", "Goals · 20 min", "Commitments · 15 min"]


def test_brief_with_an_unknown_template_says_so(coach: Run) -> None:
    ada()
    result = ok(coach("brief", "Ada Lovelace", "--template", "nosuch"))
    assert result.returncode == 2
    assert "nosuch" in result.stderr


@pytest.mark.parametrize("typed", ["ada lovelace", "ADA LOVELACE", "  Ada   Lovelace "])
def test_brief_finds_the_partner_whatever_the_case(coach: Run, typed: str) -> None:
    ada()
    result = ok(coach("brief", typed))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Ada Lovelace\n")
    assert "send the paper" in result.stdout


def test_an_exact_name_wins_over_one_that_differs_by_case(coach: Run) -> None:
    meet("Zoe", captures=[Capture(CaptureKind.FACT, "plays the cello")])
    meet("zoe", last_week() + timedelta(hours=1), captures=[Capture(CaptureKind.FACT, "climbs on Sundays")])
    for name, fact, other in (("Zoe", "plays the cello", "climbs"), ("zoe", "climbs on Sundays", "cello")):
        result = ok(coach("brief", name))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"{name}\n") and fact in result.stdout and other not in result.stdout


@pytest.mark.parametrize("typed", ["ada", "ADA", "Lovelace", "ada love", "  Ada   Lovelace "])
def test_any_case_and_the_start_of_a_word_find_the_partner(coach: Run, typed: str) -> None:
    ada()
    meet("Grace Hopper")
    result = ok(coach("brief", typed))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Ada Lovelace\n")


def test_an_unknown_name_exits_1_and_suggests_the_close_one(coach: Run) -> None:
    ada()
    meet("Grace Hopper")
    result = ok(coach("brief", "Ada Lovelase"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "coach brief: no partner called 'Ada Lovelase'. Did you mean: Ada Lovelace?\n"


def test_an_ambiguous_name_exits_1_with_the_candidates(coach: Run) -> None:
    ada()
    meet("Ada Byron")
    result = ok(coach("brief", "ada"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "coach brief: 'ada' could be any of: Ada Byron, Ada Lovelace. Type more of the name.\n"


def test_with_no_partners_at_all_brief_exits_1_and_says_so(coach: Run, data_dir: Path) -> None:
    result = ok(coach("brief", "Ada Lovelace"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "coach brief: no partner called 'Ada Lovelace'. No partners yet.\n"
    assert not data_dir.exists(), "asking writes nothing"


def test_a_partner_with_a_file_but_no_meeting_gets_a_first_meeting_brief(coach: Run) -> None:
    partners.ensure_partner("Grace Hopper", datetime.now().astimezone())
    result = ok(coach("brief", "grace hopper"))
    assert result.returncode == 0, result.stderr
    assert "This is your first meeting with Grace Hopper." in " ".join(lines_under(result.stdout, "First meeting"))
    assert "Last meeting" not in result.stdout.splitlines()
    assert lines_under(result.stdout, "Before the call") == [f"☐ {item}" for item in CHECKLIST]


def test_a_partner_known_only_from_a_summary_still_has_a_last_meeting(coach: Run) -> None:
    summary = ada()
    partners.partner_path("Ada Lovelace").unlink()
    result = ok(coach("brief", "Ada Lovelace"))
    assert result.returncode == 0, result.stderr
    when = summary.started
    assert lines_under(result.stdout, "Last meeting")[0] == f"{when:%a} {short_date(when)} {when:%Y}, rated 4/5"


def test_a_broken_partner_file_is_reported_with_its_line_and_no_traceback(coach: Run) -> None:
    ada()
    path = partners.partner_path("Ada Lovelace")
    path.write_text('schema = 1\nname = "Ada Lovelace"\n\n[[commitments]]\ntext = "send the paper"\n'
                    'status = "finished"\n', encoding="utf-8")
    result = ok(coach("brief", "Ada Lovelace"))
    assert result.returncode == 1
    assert (f"{path}:6:1: [[commitments]] #1: `status` cannot be 'finished'; it is one of open, done, dropped"
            in result.stderr)
    assert "Last meeting" in result.stdout and "Plan" in result.stdout, "the rest of the brief is still shown"
    assert "send the paper" not in result.stdout


def test_an_unknown_name_also_names_the_partner_files_that_could_not_be_read(coach: Run, data_dir: Path) -> None:
    folder = data_dir / "partners"
    folder.mkdir(parents=True)
    (folder / "x.toml").write_text('schema = 1\nname = "Xena\n', encoding="utf-8")
    result = ok(coach("brief", "Xena"))
    assert result.returncode == 1
    assert f"{folder / 'x.toml'}:2:" in result.stderr and "no partner called 'Xena'" in result.stderr


@pytest.mark.parametrize("name", ["../../x", "李雷", "🦊 Fox", "Zoë O'Brien", "y" * 300])
def test_brief_works_for_any_name(coach: Run, name: str) -> None:
    meet(name, captures=[Capture(CaptureKind.FACT, "has a cat")])
    result = ok(coach("brief", name))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{name}\n")
    assert "has a cat" in result.stdout


NO_TEXTUAL = """
import sys
from coach.__main__ import main
code = main(["brief", sys.argv[1]])
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
assert not loaded, loaded
print("exit", code)
"""


@pytest.mark.parametrize(("name", "code"), [("Ada Lovelace", 0), ("Nobody", 1)])
def test_brief_never_imports_textual(python: Run, name: str, code: int) -> None:
    ada()
    result = ok(python("-c", NO_TEXTUAL, name))
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith(f"exit {code}")


def test_brief_help_names_the_argument_and_the_template_option(coach: Run) -> None:
    result = ok(coach("brief", "--help"))
    assert result.returncode == 0
    assert "NAME" in result.stdout and "--template" in result.stdout


def test_brief_without_a_name_is_a_usage_error(coach: Run) -> None:
    result = ok(coach("brief"))
    assert result.returncode == 2
    assert "NAME" in result.stderr


def test_the_brief_plans_with_the_template_prep_would_choose(coach: Run) -> None:
    summary = meet("Ada Lovelace")
    record = partners.load_record("Ada Lovelace")
    assert record.template == summary.template == "standard"
    record.template = "first-meeting"  # as if the last meeting had used it
    partners.save_record(record)
    out = ok(coach("brief", "ada")).stdout
    plan = out.split("\nPlan\n")[1]
    assert "Introductions" in plan, plan


def test_a_broken_partner_file_never_makes_it_a_first_meeting(coach: Run, data_dir: Path) -> None:
    ada()
    path = partners.partner_path("Ada Lovelace")
    path.write_text(path.read_text(encoding="utf-8").replace('text = "has a cat called Babbage"', "text = 42"),
                    encoding="utf-8")
    result = ok(coach("brief", "Ada Lovelace"))
    assert result.returncode == 1 and f"{path}:" in result.stderr
    assert "First meeting" not in result.stdout and "Last meeting" in result.stdout


def test_after_a_rename_the_brief_still_finds_their_last_meeting(coach: Run) -> None:
    ada()
    renamed = ok(coach("partners", "rename", "Ada Lovelace", "Ada King"))
    assert renamed.returncode == 0, renamed.stderr
    out = ok(coach("brief", "ada king")).stdout
    assert "Last meeting" in out and "First meeting" not in out
    assert "Good energy" in out


@pytest.mark.parametrize("command", [("brief",), ("partners", "show")])
def test_a_former_name_whose_file_cannot_be_read_names_that_file(coach: Run, command: tuple[str, ...]) -> None:
    """Renamed, then the file broken by hand: the history still knows the former name, and what coach
    remembers of them is in the file that cannot be read, which is named, with exit status 1."""
    ada()
    assert ok(coach("partners", "rename", "Ada Lovelace", "Ada King")).returncode == 0
    path = partners.partner_path("Ada King")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] += " oops = ["  # after the name line, as a slip of the editor
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ok(coach(*command, "Ada Lovelace"))
    assert result.returncode == 1
    assert f"{path}:2:" in result.stderr
    assert "has a cat called Babbage" not in result.stdout
    if command[0] == "partners":
        assert result.stdout == "", "no record made up of nothing"


def test_a_former_name_whose_file_cannot_be_read_is_never_renamed_deleted_or_edited(coach: Run) -> None:
    """Each command names the file that may hold them, exits 1, and makes or moves no file."""
    ada()
    assert ok(coach("partners", "rename", "Ada Lovelace", "Ada King")).returncode == 0
    path = partners.partner_path("Ada King")
    path.write_text(path.read_text(encoding="utf-8").replace('name = "Ada King"', 'name = "Ada King" oops = ['),
                    encoding="utf-8")
    before = {p: p.read_bytes() for p in path.parent.rglob("*")}
    for command in (("partners", "rename", "Ada Lovelace", "Ada K"), ("partners", "delete", "Ada Lovelace"),
                    ("partners", "forget", "Ada Lovelace", "f1")):
        result = ok(coach(*command))
        assert result.returncode == 1, command
        assert f"{path}:" in result.stderr, command
    assert {p: p.read_bytes() for p in path.parent.rglob("*")} == before


def test_the_brief_shows_the_relationship_over_time_as_prep_does(coach: Run) -> None:
    now = datetime.now().astimezone().replace(microsecond=0)
    for days in (29, 15, 1):
        meet("Ada Lovelace", started=now - timedelta(days=days))
    out = ok(coach("brief", "ada")).stdout
    over = lines_under(out, "Over time")
    assert over[0].startswith("Cadence ") and "every 2 weeks" in over[0] and "yesterday" in over[0], over
    assert over[1].startswith("Ratings "), over
    assert "Over time" not in ok(coach("brief", "ada", "--template", "standard")).stdout.split("Before the call")[1]
