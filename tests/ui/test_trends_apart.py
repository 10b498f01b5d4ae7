"""Prep's trends come from a helper process, so that SQLite never stays in coach beside the call;
when the helper fails, they are worked out in the app as before; a helper no longer wanted stops."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Static

from coach import partners, trends, trends_helper
from coach.app import CoachApp
from coach.clock import FakeClock
from screens.prep import PrepScreen
from tests.ui.helpers import files_read, wait_for
from tests.ui.test_kept_and_names import FIGURE, ZOE, flat, zoe_over_three_meetings


@pytest.fixture(autouse=True)
def trends_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CoachApp, "trends_apart", True)


def in_the_app(*_args, **_kwargs):
    raise AssertionError("the trends were worked out in the app")


async def prep_trends(clock: FakeClock) -> str:
    app = CoachApp(partner=ZOE, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await files_read(pilot)
        assert isinstance(app.screen, PrepScreen)
        trends_panel = app.screen.query_one("#trends", Static)
        await wait_for(pilot, lambda: "Cadence" in flat(trends_panel), "the trends shown")
        return flat(trends_panel)


async def test_prep_shows_the_helpers_trends_worked_out_from_the_record_it_was_given(coach_dirs, monkeypatch):
    zoe_over_three_meetings()
    clock = FakeClock()
    expected = trends.trend_lines(ZOE, clock.wall().date(), record=partners.load_record(ZOE))
    monkeypatch.setattr(trends, "trend_lines", in_the_app)  # only the helper may answer

    shown = await prep_trends(clock)

    for line in expected:
        assert " ".join(line.split()) in shown
    assert f"Kept ·▅▃ {FIGURE}" in shown, "the kept rate needs the record: it went to the helper and back"


async def test_a_helper_that_fails_leaves_the_trends_to_the_app(coach_dirs, monkeypatch):
    zoe_over_three_meetings()
    monkeypatch.setattr(trends_helper, "MODULE", "coach.no_such_helper")  # the helper exits 1 at once
    shown = await prep_trends(FakeClock())
    assert "Cadence ██ You meet about every 2 weeks; last time 28 days ago, longer than usual." in shown


def test_the_helper_answers_a_question_on_stdin_and_refuses_anything_else(coach_dirs):
    zoe_over_three_meetings()
    record, today = partners.load_record(ZOE), date(2026, 2, 20)
    run = [sys.executable, "-P", "-m", trends_helper.MODULE]
    asked = subprocess.run(run, input=msgspec.json.encode(trends_helper.Question(ZOE, today, record)),
                           capture_output=True, timeout=120, check=False)
    assert asked.returncode == 0, asked.stderr
    assert msgspec.json.decode(asked.stdout, type=list[str]) == trends.trend_lines(ZOE, today, record=record)
    for bad in (b"", b"\xff\xfe", b'{"partner": 5}', b'{"partner": "Zoe", "today": "yesterday"}', b"[]"):
        refused = subprocess.run(run, input=bad, capture_output=True, timeout=120, check=False)
        assert (refused.returncode, refused.stdout) == (2, b""), bad


def test_a_helper_no_longer_wanted_is_stopped(tmp_path: Path):
    pid_file = tmp_path / "pid"
    sleeper = [sys.executable, "-c",  # its pid, whole (written, then renamed), then it waits for a signal
               f"import os, signal; open({str(pid_file)!r} + '.new', 'w').write(str(os.getpid())); "
               f"os.rename({str(pid_file)!r} + '.new', {str(pid_file)!r}); signal.pause()"]
    question = trends_helper.Question("Ada", date(2026, 2, 20))
    answer = trends_helper.ask(question, cancelled=pid_file.exists, timeout=600, argv=sleeper)
    assert answer is None
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left running
        os.kill(pid, 0)


def test_a_helper_that_says_nothing_in_time_is_stopped_and_left_to_the_app(tmp_path: Path):
    silent = [sys.executable, "-c", "import signal; signal.pause()"]  # never answers
    answer = trends_helper.ask(trends_helper.Question("Ada", date(2026, 2, 20)), cancelled=lambda: False,
                               timeout=trends_helper.LOOK_EVERY, argv=silent)
    assert answer is None


def test_no_interpreter_to_start_is_no_answer():
    question = trends_helper.Question("Ada", date(2026, 2, 20))
    assert trends_helper.ask(question, lambda: False, 1.0, argv=["", "-m", "x"]) is None
    assert trends_helper.ask(question, lambda: False, 1.0, argv=[str(Path("/no/such/python"))]) is None


ANSWERS = st.one_of(st.binary(max_size=64),
                    st.lists(st.text(max_size=8), max_size=4).map(msgspec.json.encode),
                    st.lists(st.one_of(st.integers(), st.none(), st.text()), max_size=3).map(msgspec.json.encode))


@given(st.integers(-3, 3), ANSWERS)
def test_any_answer_is_lines_or_nothing(status, answer):
    lines = trends_helper.read_answer(status, answer)
    assert lines is None or (status == 0 and isinstance(lines, list) and all(isinstance(x, str) for x in lines))
    if status == 0 and lines is None:
        with pytest.raises((msgspec.MsgspecError, ValueError)):
            msgspec.json.decode(answer, type=list[str])
