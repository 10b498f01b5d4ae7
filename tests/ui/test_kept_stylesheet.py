"""Parsed CSS kept for the next start: read back in place of parsing, the same screen drawn, and
a kept file that is damaged, foreign, hostile or in the way only costs the parse."""

from __future__ import annotations

import json
import os
import pickle
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.css import stylesheet as textual_stylesheet
from textual.css.model import RuleSet
from textual.css.stylesheet import StylesheetParseError

from coach.app import CoachApp
from coach.clock import FakeClock
from coach.store import draft_path
from screens import stylesheet
from screens.meeting import MeetingScreen
from screens.picker import PickerScreen
from screens.prep import PrepScreen
from tests.ui.helpers import files_read, wait_for

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def keep_css(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CoachApp, "keep_css", True)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources Textual's parser is given, in order."""
    seen: list[str] = []
    parse = textual_stylesheet.parse

    def counted(scope, css, read_from, *args, **kwargs):
        seen.append(str(read_from))
        return parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counted)
    return seen


async def picker_screenshot(**kwargs) -> str:
    """Start coach on the picker, wait for what it reads, and give back what it drew."""
    app = CoachApp(clock=FakeClock(), **kwargs)
    async with app.run_test(size=(80, 24)) as pilot:
        await files_read(pilot)
        assert isinstance(app.screen, PickerScreen)
        return app.export_screenshot()


def kept() -> Path:
    return stylesheet.kept_path()


@pytest.mark.parametrize("theme", ["textual-dark", "nord", "textual-light"])
async def test_a_second_start_takes_the_kept_rules_and_draws_the_same(coach_dirs, parses, theme):
    config, _data = coach_dirs
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(f'theme = "{theme}"\n', encoding="utf-8")
    first = await picker_screenshot()
    assert parses, "the first start parses its CSS"
    assert stat.S_IMODE(os.stat(kept()).st_mode) == 0o600
    parses.clear()
    assert await picker_screenshot() == first
    assert parses == [], "nothing parsed again"


async def test_the_css_of_later_screens_is_kept_when_coach_closes(coach_dirs, parses):
    async def to_the_meeting() -> str:
        app = CoachApp(partner="Ada", template="standard", clock=FakeClock())
        async with app.run_test(size=(80, 24)) as pilot:
            await files_read(pilot)
            assert isinstance(app.screen, PrepScreen)
            await pilot.press("s")
            await wait_for(pilot, lambda: isinstance(app.screen, MeetingScreen), "the meeting")
            await pilot.pause()
            return app.export_screenshot()

    first = await to_the_meeting()
    assert any("meeting.tcss" in source for source in parses)
    draft_path().unlink(missing_ok=True)  # the meeting left behind is not offered back: the same steps again
    parses.clear()
    assert await to_the_meeting() == first
    assert parses == []


def hostile_pickle(marker: Path) -> bytes:
    class Runs:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    return pickle.dumps({"version": stylesheet._VERSION, "entries": {"k": pickle.dumps([Runs()])}, "x": Runs()})


def in_the_way(kind: str, path: Path, tmp_path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "garbage":
        path.write_bytes(b"\x80\x05not a pickle at all\x00\xff")
    elif kind == "cut short":
        path.write_bytes(path.with_name("good").read_bytes()[:-200])
    elif kind == "another version":
        good = stylesheet.read_kept_file(path.with_name("good"))
        path.write_bytes(pickle.dumps({"version": "0|textual 0.1", "entries": good}))
    elif kind == "entries of the wrong kind":
        path.write_bytes(pickle.dumps({"version": stylesheet._VERSION,
                                       "entries": {key: pickle.dumps(42) for key in
                                                   stylesheet.read_kept_file(path.with_name("good"))}}))
    elif kind == "writable by others":
        path.write_bytes(path.with_name("good").read_bytes())
        path.chmod(0o666)
    elif kind == "a link":
        path.symlink_to(path.with_name("good"))
    elif kind == "a folder":
        path.mkdir()
    elif kind == "a pipe":
        os.mkfifo(path)
    elif kind == "hostile":
        path.write_bytes(hostile_pickle(tmp_path / "ran"))


KINDS = ["garbage", "cut short", "another version", "entries of the wrong kind", "writable by others", "a link",
         "a folder", "a pipe", "hostile"]


@pytest.mark.parametrize("kind", KINDS)
async def test_a_kept_file_that_cannot_be_trusted_only_costs_the_parse(coach_dirs, parses, tmp_path, kind):
    clean = await picker_screenshot()
    os.replace(kept(), kept().with_name("good"))
    in_the_way(kind, kept(), tmp_path)
    parses.clear()
    assert await picker_screenshot() == clean
    assert parses, "parsed, not taken from the file"
    assert not (tmp_path / "ran").exists(), "nothing in the file was run"
    if kind not in ("a folder", "a pipe"):  # the next start finds a good file again
        assert stat.S_ISREG(os.lstat(kept()).st_mode)
        assert stat.S_IMODE(os.stat(kept()).st_mode) == 0o600
        parses.clear()
        assert await picker_screenshot() == clean
        assert parses == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever the modes")
async def test_a_cache_folder_that_cannot_be_written_is_no_error(coach_dirs, parses):
    folder = kept().parent
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o500)
    try:
        first = await picker_screenshot()
        assert await picker_screenshot() == first
        assert not kept().exists()
    finally:
        folder.chmod(0o700)


def test_a_source_with_errors_is_never_kept(coach_dirs):
    sheet = stylesheet.ParsedOnce(variables={})
    sheet.add_source("Screen { colour: red; }", read_from=("broken.tcss", ""))
    with pytest.raises(StylesheetParseError):
        sheet.parse()
    assert sheet.take_fresh() is None, "its errors are told at every start"


# -- any bytes ---------------------------------------------------------------------------------
scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.binary(max_size=20)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                          max_size=4), max_leaves=12)


@given(st.binary(max_size=400))
def test_any_bytes_read_as_entries_or_none(data: bytes):
    entries = stylesheet.read_kept(data)
    assert isinstance(entries, dict)
    assert all(isinstance(k, str) and isinstance(v, bytes) for k, v in entries.items())
    rules = stylesheet.rules_of(data)
    assert rules is None or all(isinstance(rule, RuleSet) for rule in rules)


@given(values, values)
def test_any_pickled_shape_reads_as_entries_or_none(version, entries):
    data = pickle.dumps({"version": version, "entries": entries})
    read = stylesheet.read_kept(data)
    assert all(isinstance(k, str) and isinstance(v, bytes) for k, v in read.items())
    assert read == {} or version == stylesheet._VERSION
    assert stylesheet.rules_of(pickle.dumps(entries)) is None or entries == []


def test_only_styles_come_out_of_a_kept_file(tmp_path):
    assert stylesheet.read_kept(hostile_pickle(tmp_path / "ran")) == {}
    made = str(tmp_path / "made")
    for reduce in [(os.system, (f"touch {made}",)), (getattr, (RuleSet, "__init__")), (getattr, ({}, "update")),
                   (eval, ("1",)), (open, (made, "w"))]:
        class Calls:
            def __reduce__(self, reduce=reduce):
                return reduce

        assert stylesheet.rules_of(pickle.dumps([Calls()])) is None
    assert not (tmp_path / "ran").exists() and not (tmp_path / "made").exists()


def test_knowing_textuals_version_loads_nothing_more():
    """`textual.__version__` would load importlib.metadata and the email package at every start."""
    code = ("import json, sys\nimport coach.app, screens.stylesheet\n"
            "print(json.dumps([m for m in ('importlib.metadata', 'email', 'zipfile') if m in sys.modules]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_rules_that_will_not_pickle_are_left_out(coach_dirs):
    class Unpicklable(list):
        def __reduce__(self):
            raise TypeError("no")

    stylesheet.ParsedOnce.keep({"bad": Unpicklable([1]), "good": []}, {}, {"bad", "good"})
    assert set(stylesheet.read_kept_file(kept())) == {"good"}


def test_what_a_killed_write_left_beside_the_kept_file_is_removed_once_old(tmp_path):
    path = tmp_path / stylesheet.KEPT_NAME
    old, fresh = tmp_path / f".{path.name}.a1b2c3.tmp", tmp_path / f".{path.name}.d4e5f6.tmp"
    others = [tmp_path / ".config.toml.a1b2c3.tmp", tmp_path / f".{path.name}.dir.tmp"]
    for leftover in (old, fresh, others[0]):
        leftover.write_bytes(b"half a pickle")
    others[1].mkdir()
    an_hour_ago = time.time() - 3600
    for aged in (old, others[0], others[1]):
        os.utime(aged, (an_hour_ago, an_hour_ago))

    stylesheet.write_kept(path, {"k": b"rules"})

    assert stylesheet.read_kept_file(path) == {"k": b"rules"}
    assert not old.exists(), "a write killed an hour ago"
    assert fresh.exists(), "maybe another coach writing now"
    assert all(other.exists() for other in others), "not the kept file's, or not a file"
