"""`coach partners list|show|rename|merge|forget|delete`, run as a user runs them, with the files
read back from disk."""

from __future__ import annotations

import json
import os
import subprocess
import tomllib
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from coach import partners, summaries
from coach.model import Capture, CaptureKind, Owner, PhaseRecord, Summary, notes_of
from coach.store import slugify
from coach.text import columns

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(autouse=True)
def same_dirs(coach_dirs: tuple[Path, Path], config_dir: Path, data_dir: Path) -> None:
    """What this process writes (through coach_dirs) is what the subprocess reads."""
    assert coach_dirs == (config_dir, data_dir)


def ok(result: subprocess.CompletedProcess[str], code: int = 0) -> subprocess.CompletedProcess[str]:
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == code, result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    return result


def meet(partner: str, days_ago: int, captures: list[Capture] | None = None, suffix: str = "a1b2c3") -> Summary:
    """Save a meeting with `partner` the way the app does: the summary, then the partner file."""
    started = (datetime.now().astimezone() - timedelta(days=days_ago)).replace(microsecond=0)
    summary = Summary(
        id=f"{started:%Y-%m-%d-%H%M}-{slugify(partner)}-{suffix}", partner=partner, partner_slug=slugify(partner),
        template="standard", started=started, ended=started + timedelta(minutes=30),
        phases=[PhaseRecord(id="chit-chat", title="Chit-chat", planned_seconds=300.0, actual_seconds=310.0)],
        **notes_of(captures or []))
    summaries.save(summary)
    partners.remember_meeting(summary)
    return summary


def zoe(name: str = "Zoë O'Brien", days_ago: int = 14, suffix: str = "a1b2c3") -> Summary:
    return meet(name, days_ago, [
        Capture(CaptureKind.FACT, "going through a divorce"),
        Capture(CaptureKind.FACT, "has a cat called Babbage"),
        Capture(CaptureKind.GOAL, "run a 10k"),
        Capture(CaptureKind.COMMITMENT, "book physio", owner=Owner.THEM),
        Capture(CaptureKind.COMMITMENT, "send the paper", owner=Owner.ME),
    ], suffix)


def partner_file(name: str) -> dict:
    return tomllib.loads(partners.partner_path(name).read_text(encoding="utf-8"))


def history(coach: Run, *args: str) -> list[dict]:
    return json.loads(ok(coach("history", "--json", *args)).stdout)


# -- the bar ------------------------------------------------------------------------------------
def test_forget_removes_a_fact_from_the_partner_file(coach: Run) -> None:
    meeting = zoe()
    summary_before = summaries.summary_path(meeting).read_bytes()
    result = ok(coach("partners", "forget", "zoe", "f1"))
    assert "Forgot fact f1 of Zoë O'Brien: going through a divorce" in result.stdout
    assert [f["text"] for f in partner_file("Zoë O'Brien")["facts"]] == ["has a cat called Babbage"]
    assert summaries.summary_path(meeting).read_bytes() == summary_before  # the summary keeps it
    ok(coach("partners", "forget", "ZOE", "babbage"))  # words of its text
    assert "facts" not in partner_file("Zoë O'Brien")
    shown = ok(coach("partners", "show", "zoe")).stdout
    assert "going through a divorce" not in shown
    tombstones = partner_file("Zoë O'Brien")["forgotten"]  # so a merge with an older copy does not bring it back
    assert len(tombstones) == 2 and all(set(t) == {"id", "at"} for t in tombstones)
    assert not any(t["id"] in shown for t in tombstones)
    assert "forgotten" not in json.loads(ok(coach("partners", "show", "zoe", "--json")).stdout)


def test_rename_keeps_past_meetings_listed_under_the_new_name(coach: Run) -> None:
    first = zoe("Zo", 14, "aaa111")
    second = zoe("Zo", 7, "bbb222")
    old_file = partners.partner_path("Zo")
    result = ok(coach("partners", "rename", "Zo", "Zoë O'Brien"))
    assert "Renamed Zo to Zoë O'Brien" in result.stdout
    assert not old_file.exists() and partner_file("Zoë O'Brien")["former_names"] == ["Zo"]
    listed = history(coach, "--partner", "zoe")
    assert [(m["id"], m["partner"]) for m in listed] == [(second.id, "Zoë O'Brien"), (first.id, "Zoë O'Brien")]
    assert history(coach, "--partner", "Zoë O'Brien") == listed
    table = ok(coach("history", "--partner", "ZOE")).stdout
    assert first.id in table and second.id in table and " Zo " not in table
    assert [p["name"] for p in json.loads(ok(coach("partners", "list", "--json")).stdout)] == ["Zoë O'Brien"]
    assert "Zoë O'Brien" in ok(coach("brief", "zoe")).stdout
    assert 'partner = "Zo"' in summaries.summary_path(first).read_text(encoding="utf-8")  # never rewritten
    assert json.loads(ok(coach("show", first.id, "--format", "json")).stdout)["partner"] == "Zo"  # as written


def test_a_former_name_typed_whole_finds_the_partner_in_every_command(coach: Run) -> None:
    first = zoe("Zoë O'Brien", 14, "aaa111")
    ok(coach("partners", "rename", "Zoë O'Brien", "Zoë Walsh"))
    assert "Zoë Walsh" in ok(coach("brief", "Zoë O'Brien")).stdout
    assert [m["id"] for m in history(coach, "--partner", "Zoë O'Brien")] == [first.id]
    exported = ok(coach("export", "--format", "json", "--partner", "zoë o'brien")).stdout
    assert first.id in exported
    assert "Zoë Walsh" in ok(coach("partners", "show", "Zoë O'Brien")).stdout


def test_someone_new_with_a_renamed_partners_old_name_starts_afresh(coach: Run) -> None:
    zoe("Zoë O'Brien", 14, "aaa111")
    ok(coach("partners", "rename", "Zoë O'Brien", "Zoë Walsh"))
    partners.ensure_partner("Zoë O'Brien", datetime.now().astimezone())  # `coach --partner "Zoë O'Brien"`
    out = ok(coach("brief", "Zoë O'Brien")).stdout
    assert "First meeting" in out and "Last meeting" not in out
    assert "Last meeting" in ok(coach("brief", "walsh")).stdout
    assert summaries.latest("Zoë O'Brien") is None and summaries.latest("Zoë Walsh") is not None
    assert [m["partner"] for m in history(coach, "--partner", "walsh")] == ["Zoë Walsh"]
    assert history(coach, "--partner", "Zoë O'Brien") == []


# -- list and show ----------------------------------------------------------------------------
def test_list_shows_meetings_last_met_and_open_items(coach: Run) -> None:
    zoe()
    zoe(days_ago=3, suffix="d4e5f6")
    meet("李雷", 5)
    rows = json.loads(ok(coach("partners", "list", "--json")).stdout)
    assert [(r["name"], r["meetings"], r["open_goals"], r["open_commitments"]) for r in rows] == [
        ("Zoë O'Brien", 2, 2, 4), ("李雷", 1, 0, 0)]
    assert rows[0]["last_met"] == (datetime.now().astimezone() - timedelta(days=3)).strftime("%Y-%m-%d")
    lines = ok(coach("partners", "list")).stdout.splitlines()
    assert lines[0].split() == ["PARTNER", "MEETINGS", "LAST", "MET", "OPEN", "GOALS", "OPEN", "COMMITMENTS"]
    assert lines[1].split()[:4] == ["Zoë", "O'Brien", "2", rows[0]["last_met"]]
    # the wide name takes its own columns
    assert columns(lines[2][:lines[2].index(" 1 ")]) == columns(lines[1][:lines[1].index(" 2 ")])


def test_show_lists_every_item_with_its_label_dates_and_meeting(coach: Run) -> None:
    meeting = zoe()
    ok(coach("partners", "forget", "zoe", "c2", "--dry-run"))
    text = ok(coach("partners", "show", "zoe")).stdout
    for label, said in (("f1", "going through a divorce"), ("f2", "has a cat called Babbage"), ("g1", "run a 10k"),
                        ("c1", "[them] book physio"), ("c2", "[me] send the paper")):
        line = next(line for line in text.splitlines() if line.strip().startswith(label))
        assert said in line and meeting.id in line
    data = json.loads(ok(coach("partners", "show", "Zoë", "--json")).stdout)
    assert data["name"] == "Zoë O'Brien" and data["meetings"] == [meeting.id]
    assert [(c["label"], c["owner"], c["status"], c["made_in"]) for c in data["commitments"]] == [
        ("c1", "them", "open", meeting.id), ("c2", "me", "open", meeting.id)]
    assert data["goals"][0]["added"] == meeting.started.date().isoformat()
    items = [*data["facts"], *data["goals"], *data["commitments"]]
    assert len({i["id"] for i in items}) == 5 and {i["updated"] for i in items} == {meeting.ended.isoformat()}


def test_reached_goals_and_done_commitments_show_with_their_dates(coach: Run) -> None:
    from datetime import date

    from coach import partner_edit
    from coach.model import Status

    zoe()
    partner_edit.edit("Zoë O'Brien", partner_edit.ItemRef("goal", 0), status=Status.REACHED, today=date(2026, 3, 9))
    partner_edit.edit("Zoë O'Brien", partner_edit.ItemRef("commitment", 0), status=Status.DONE,
                      when=date(2026, 3, 20), today=date(2026, 3, 10))
    text = ok(coach("partners", "show", "zoe")).stdout
    assert "run a 10k  · reached 2026-03-09" in text
    assert "book physio  · done 2026-03-10 · due 2026-03-20" in text
    assert text.index("c2 ") < text.index("c1 ")  # open ones first


# -- names: matched as everywhere -------------------------------------------------------------
@pytest.mark.parametrize("action", [("show",), ("delete",), ("forget", "f1"), ("rename", "Bo"), ("merge", "Ada")])
def test_an_unknown_or_ambiguous_name_exits_1_with_the_candidates(coach: Run, action: tuple[str, ...]) -> None:
    zoe()
    zoe("Zoltan", 3, "z2")
    meet("Ada", 2)
    before = sorted(p.name for p in partners.partner_path("Ada").parent.iterdir())
    result = ok(coach("partners", action[0], "Nobody", *action[1:]), 1)
    assert "no partner called 'Nobody'" in result.stderr
    result = ok(coach("partners", action[0], "zo", *action[1:]), 1)
    assert "could be any of: Zoltan, Zoë O'Brien" in result.stderr
    assert sorted(p.name for p in partners.partner_path("Ada").parent.iterdir()) == before


def test_usage_errors_exit_2(coach: Run) -> None:
    zoe()
    assert ok(coach("partners"), 2).stderr
    assert ok(coach("partners", "forget", "zoe"), 2).stderr
    assert ok(coach("partners", "rename", "zoe"), 2).stderr
    result = ok(coach("partners", "rename", "zoe", "a\x1b[2Jb"), 2)
    assert "control characters" in result.stderr
    assert "partners" in ok(coach("--help")).stdout
    assert "rename" in ok(coach("partners", "--help")).stdout


def test_forget_says_which_items_words_could_mean(coach: Run) -> None:
    zoe()
    result = ok(coach("partners", "forget", "zoe", "a"), 1)
    assert "matches" in result.stderr and "f2" in result.stderr and "Give its label" in result.stderr
    assert "nothing of" in ok(coach("partners", "forget", "zoe", "marathon"), 1).stderr
    assert "no goal g4" in ok(coach("partners", "forget", "zoe", "g4"), 1).stderr
    assert len(partner_file("Zoë O'Brien")["facts"]) == 2


# -- merge and delete -------------------------------------------------------------------------
def test_merge_the_accidental_partner_into_the_real_one(coach: Run) -> None:
    real = zoe()
    typo = meet("Zo", 3, [Capture(CaptureKind.FACT, "moved to Leeds")], "z9")
    assert "Would merge" in ok(coach("partners", "merge", "Zoë", "Zo", "--dry-run")).stdout
    assert partners.partner_path("Zo").exists()
    result = ok(coach("partners", "merge", "Zoë", "Zo"))
    assert "Merged Zo into Zoë O'Brien (1 fact, 0 goals, 0 commitments)" in result.stdout
    doc = partner_file("Zoë O'Brien")
    assert doc["meetings"] == [real.id, typo.id] and doc["former_names"] == ["Zo"]
    assert doc["facts"][-1]["text"] == "moved to Leeds"
    assert {m["partner"] for m in history(coach)} == {"Zoë O'Brien"}
    aside = list((partners.partner_path("Zo").parent / "merged").iterdir())
    assert len(aside) == 1 and tomllib.loads(aside[0].read_text(encoding="utf-8"))["name"] == "Zo"
    assert "themselves" in ok(coach("partners", "merge", "Zoë", "zoe"), 1).stderr


def test_delete_moves_the_file_aside_and_the_meetings_stay(coach: Run) -> None:
    meeting = zoe()
    meet("Ada", 2)
    path = partners.partner_path("Zoë O'Brien")
    result = ok(coach("partners", "delete", "zoe"))
    assert "Deleted Zoë O'Brien" in result.stdout and not path.exists()
    assert [p["name"] for p in json.loads(ok(coach("partners", "list", "--json")).stdout)] == ["Ada"]
    assert [m["id"] for m in history(coach, "--partner", "Zoë O'Brien")] == [meeting.id]
    aside = next((path.parent / "deleted").iterdir())
    assert tomllib.loads(aside.read_text(encoding="utf-8"))["facts"][0]["text"] == "going through a divorce"


# -- what goes wrong ----------------------------------------------------------------------------
def test_a_broken_partner_file_is_reported_and_nothing_changes(coach: Run) -> None:
    zoe()
    path = partners.partner_path("Zoë O'Brien")
    path.write_text(path.read_text(encoding="utf-8").replace('owner = "them"', 'owner = "boss"'), encoding="utf-8")
    before = path.read_bytes()
    for args in (("forget", "zoe", "f1"), ("rename", "zoe", "Zoe"), ("delete", "zoe"), ("show", "zoe")):
        result = ok(coach("partners", *args), 1)
        assert f"{path}:" in result.stderr and "boss" in result.stderr, args
    assert path.read_bytes() == before and sorted(p.name for p in path.parent.iterdir()) == [path.name]
    listed = ok(coach("partners", "list"), 1)
    assert "Zoë O'Brien" in listed.stdout and f"{path}:" in listed.stderr


def test_a_folder_that_cannot_be_written_is_a_message_and_exit_1(coach: Run) -> None:
    zoe()
    path = partners.partner_path("Zoë O'Brien")
    before = path.read_bytes()
    (path.parent / "deleted").write_text("a file where the folder goes", encoding="utf-8")
    result = ok(coach("partners", "delete", "zoe"), 1)
    assert result.stderr.startswith("coach partners: could not delete Zoë O'Brien: ")
    if os.geteuid() != 0:  # root writes anywhere
        os.chmod(path.parent, 0o500)
        try:
            result = ok(coach("partners", "forget", "zoe", "f1"), 1)
            assert "could not" in result.stderr and "Permission denied" in result.stderr
        finally:
            os.chmod(path.parent, 0o700)
    assert path.read_bytes() == before


def test_hostile_text_prints_harmless(coach: Run) -> None:
    meet("Eve", 3, [Capture(CaptureKind.FACT, "likes \x1b]2;owned\x07 titles\x1b[2J")])
    text = ok(coach("partners", "show", "eve")).stdout
    assert "␛]2;owned␇ titles␛[2J" in text
    assert "\\u001b" in ok(coach("partners", "show", "eve", "--json")).stdout
    result = ok(coach("partners", "forget", "eve", "owned"))
    assert "␛" in result.stdout
