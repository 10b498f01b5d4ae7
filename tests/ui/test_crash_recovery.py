"""kill -9 at any moment of a meeting loses nothing the draft held, and the draft is never torn.

The real `coach` runs in a pseudo-terminal (`tests/ui/pty_driver.py`) and is typed at as a user
would. It is killed with SIGKILL at many moments: mid-typing (once the draft holds a different
number of words each round, while the typing goes on), while the resume dialog is open, right
after a capture, right after a phase change, while paused, during the wrap-up, on the "Summary
saved" screen and on the prep screen. Each kill comes once the draft on disk shows the step (a
condition, never a fixed wait: how soon a word reaches the disk is measured by the benchmarks,
not here). After each kill the process is reaped and the draft (`draft.toml` in the device folder) is
read back; the next start must offer the meeting back, Enter resumes it, and in the end the saved
summary holds every word.

A review answer, and the answer changed, survive a kill too.

17 kills in all (6 + 6 + 2 + 2 + 1), and Discard in the offer leaves the app running.
"""

from __future__ import annotations

import signal
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("pty", reason="needs a POSIX pseudo-terminal (pty)")
pytest.importorskip("termios", reason="needs a POSIX pseudo-terminal (termios)")

from tests.ui.pty_driver import CoachTerminal, read_toml, terminal_env, wait_until

TYPING_GAP = 0.07
"""Seconds between keystrokes when typing until the kill (about 14 characters a second): the pace
of a typist, not a wait for the app."""
KILL_AT_WORDS = (4, 3, 5)
"""Kill mid-typing once the draft holds this many words of the round: different moments."""

# Distinctive words: none is part of another, of any prompt card, or of the app's own labels,
# so "this word is on screen" can be read straight from the terminal output.
ROUND_1 = "kestrel quartz lantern marble nutmeg orchid saffron tundra zephyr juniper falcon gravel"
ROUND_2 = "harbor indigo jasper willow cobalt meadow sparrow thistle copper velvet hazelnut glacier"
ROUND_3 = "mosaic pumice quill raven sorrel tulip violet wombat yarrow alpaca bramble cactus"


class Coach:
    """Starts, drives and SIGKILLs `coach` processes on one data dir, one process at a time."""

    def __init__(self, env: dict[str, str], args: list[str], data_dir: Path) -> None:
        self.env, self.args, self.data_dir = env, args, data_dir
        self.term: CoachTerminal | None = None
        self.kills = 0
        self.started_at = 0.0

    # -- processes ---------------------------------------------------------------------------
    def start(self) -> CoachTerminal:
        assert self.term is None or not self.term.alive(), "one coach at a time"
        self.started_at = time.monotonic()
        self.term = CoachTerminal(self.args, self.env).start()
        return self.term

    def kill(self) -> float:
        """SIGKILL the app and reap it (no zombie); return the monotonic time of the kill."""
        assert self.term is not None and self.term.alive(), "coach died before it was killed"
        killed_at = self.term.kill()
        assert self.term.proc is not None and self.term.proc.returncode == -signal.SIGKILL
        self.kills += 1
        return killed_at

    def kill_when(self, what: str, holds: Callable[[dict], bool]) -> float:
        """Kill as soon as the draft on disk `holds` the step just taken."""
        wait_until(f"the draft to hold {what}", lambda: holds(self._draft_now()))
        return self.kill()

    def _draft_now(self) -> dict:
        """The draft as it is on disk now ({} while there is none)."""
        try:
            return read_toml(self.draft_path) or {}
        except tomllib.TOMLDecodeError as error:  # never half a file: writes are atomic
            raise AssertionError(f"a torn draft: {error}") from None

    def close(self) -> None:
        if self.term is not None:
            self.term.close()

    # -- driving -----------------------------------------------------------------------------
    @property
    def screen(self) -> CoachTerminal:
        assert self.term is not None
        return self.term

    def show(self, *texts: str) -> None:
        """Wait until each text is on screen."""
        for text in texts:
            self.screen.wait_for_screen(text)

    def press(self, *keys: str) -> None:
        self.screen.press(*keys)

    def type(self, text: str) -> None:
        """Type `text` and wait until its last word is on screen."""
        self.screen.mark()
        self.screen.type(text, chunk=2, gap=0.02)
        self.show(text.split()[-1])

    def begin_meeting(self) -> None:
        """A fresh start: the prep screen, `s`, and the first phase with the notes focused."""
        self.start()
        self.show("Start meeting")
        self.screen.mark()
        self.press("s")
        self.show("Notes · Chit-chat")

    def resume(self, *expected: str) -> None:
        """Restart: the resume dialog must be offered; Enter (Resume is focused) picks the meeting up."""
        self.start()
        self.show("Unfinished meeting")
        self.screen.mark()
        self.press("enter")
        self.show(*expected)

    def type_until_killed(self, text: str, before: str, words: int) -> tuple[str, list[str]]:
        """Type `text` at a steady pace and SIGKILL the app, typing on, once the draft's notes hold
        `words` whole words of it after `before`: mid-word if so be it.

        Returns what was typed and the words the draft held just before the kill: those must
        still be in it after.
        """
        self.screen.mark()

        def held() -> list[str]:
            draft = self._draft_now()
            notes = notes_of(draft)[0] if draft else ""
            added = notes[len(before):] if notes.startswith(before) else ""
            return added.split()[:-1] if added and not added.endswith(" ") else added.split()

        typed = ""
        for char in text:
            self.screen.send_and_see(char.encode(), TYPING_GAP)
            typed += char
            if len(held()) >= words:
                break
        else:  # a slow machine: the text ran out first; the kill still waits for the disk
            wait_until(f"{words} words in the draft", lambda: len(held()) >= words)
        kept = held()
        self.kill()
        return typed, kept

    # -- files -------------------------------------------------------------------------------
    @property
    def draft_path(self) -> Path:
        from coach.store import device_dir

        return device_dir(self.data_dir) / "draft.toml"

    def draft(self) -> dict:
        draft = read_toml(self.draft_path)
        assert draft is not None, "no draft.toml after the kill"
        return draft

    def summaries(self) -> list[dict]:
        return [read_toml(path) or {} for path in sorted((self.data_dir / "sessions").rglob("*.toml"))]


@pytest.fixture
def coach(quick_template: str, coach_dirs: tuple[Path, Path]):
    """A driver for `python -m coach --partner Ada --template quick` on this test's own folders."""
    config, data = coach_dirs
    env = terminal_env(config, data)
    runner = Coach(env, ["--partner", "Ada", "--template", quick_template], data)
    try:
        yield runner
    finally:
        runner.close()


def notes_of(draft: dict) -> list[str]:
    return [phase["notes"] for phase in draft["phases"]]


def elapsed_of(draft: dict) -> list[float]:
    return [phase["elapsed_seconds"] for phase in draft["phases"]]


def assert_appended(notes: str, before: str, typed: str, seen: list[str]) -> None:
    """`notes` is `before` plus the start of `typed`, holding every word the draft held before the kill."""
    assert notes.startswith(before), f"notes kept from before the last kill changed: {notes!r}"
    added = notes[len(before):]
    assert typed.startswith(added), f"the notes hold text that was not typed, or out of order: {added!r}"
    missing = [word for word in seen if word not in added.split()]
    assert not missing, f"in the draft before kill -9 but lost: {missing} (draft has {added!r})"


def test_notes_typed_until_the_kill_survive_it(coach: Coach) -> None:
    """Kill mid-typing three times (resuming in between), in the resume dialog, after saving, at prep."""
    # 1. a fresh meeting, killed while a word is still being typed
    coach.begin_meeting()
    typed, seen = coach.type_until_killed(ROUND_1, "", KILL_AT_WORDS[0])
    draft = coach.draft()
    assert (draft["stage"], draft["phase_index"]) == ("phase", 0)
    assert_appended(notes_of(draft)[0], "", typed, seen)
    notes, last_seen, clock = notes_of(draft)[0], seen[-1], elapsed_of(draft)[0]
    kept = list(seen)

    # 2. killed while the resume dialog is open: the draft is left exactly as it was
    before = coach.draft_path.read_bytes()
    coach.start()
    coach.show("Unfinished meeting")  # the dialog is up: nothing may have been written
    coach.kill()
    assert coach.draft_path.read_bytes() == before

    # 3 and 4. resume: the notes are back on screen and typing adds to them; killed mid-typing again
    for words, count in ((ROUND_2, KILL_AT_WORDS[1]), (ROUND_3, KILL_AT_WORDS[2])):
        coach.resume("Notes · Chit-chat", last_seen)
        typed, seen = coach.type_until_killed(" " + words, notes, count)
        life = time.monotonic() - coach.started_at
        draft = coach.draft()
        assert (draft["stage"], draft["phase_index"]) == ("phase", 0)
        assert_appended(notes_of(draft)[0], notes, typed, seen)
        assert notes_of(draft)[1:] == ["", ""]
        assert clock <= elapsed_of(draft)[0] <= clock + life, "the phase clock did not pick up where it was"
        notes, last_seen, clock = notes_of(draft)[0], seen[-1], elapsed_of(draft)[0]
        kept += seen

    # resume once more, end the meeting (F10) and save: the summary has every word, the draft is gone
    coach.resume("Notes · Chit-chat", last_seen)
    coach.press("f10")
    coach.show("Skip the phases still to come")
    coach.press("enter")
    coach.show("One line of reflection")
    coach.screen.mark()
    coach.press("ctrl+s")
    coach.show("Summary saved")
    [summary] = coach.summaries()
    assert summary["partner"] == "Ada"
    assert [(p["id"], p["notes"]) for p in summary["phases"]] == [
        ("chit-chat", notes), ("goals", ""), ("commitments", "")]
    assert set(kept) <= set(summary["phases"][0]["notes"].split())
    assert not coach.draft_path.exists()

    # 5. killed on the "Summary saved" screen; 6. the next start has nothing to resume: prep, then killed
    coach.kill()
    coach.start()
    coach.show("Start meeting")
    assert "Unfinished meeting" not in coach.screen.output()
    coach.kill()
    assert not coach.draft_path.exists()
    assert coach.summaries() == [summary]
    assert coach.kills == 6


def test_kill_right_after_each_step_of_a_meeting(coach: Coach) -> None:
    """Kill after a capture, after a phase change, while paused, and twice during the wrap-up."""
    chat, fact, goals, commit = "walnut pebble ", "owns two cats", "finish the thesis ", "mail the syllabus "
    reflection = "good energy, more jokes"

    # 1. right after a capture (ctrl+r, text, Enter) in chit-chat
    coach.begin_meeting()
    coach.type(chat)
    coach.press("ctrl+r")
    coach.show("What do you want to remember")
    coach.type(fact)
    coach.screen.mark()
    coach.press("enter")
    coach.show("Remembered: ")
    coach.kill_when("the fact", lambda d: [c["text"] for c in d.get("captures", [])] == [fact]
                    and "unsaved_capture" not in d)
    draft = coach.draft()
    assert (draft["stage"], draft["phase_index"]) == ("phase", 0)
    assert notes_of(draft) == [chat, "", ""]
    assert [(c["kind"], c["text"]) for c in draft["captures"]] == [("fact", fact)]
    captures, clock = draft["captures"], elapsed_of(draft)[0]

    # 2. right after a phase change: ctrl+f and a few words in goals
    coach.resume("Notes · Chit-chat", "pebble")
    coach.press("ctrl+f")
    coach.show("Notes · Goals")
    coach.type(goals)
    coach.kill_when("the goals' notes", lambda d: d.get("phase_index") == 1 and notes_of(d)[1] == goals)
    draft = coach.draft()
    assert (draft["stage"], draft["phase_index"], draft["paused"]) == ("phase", 1, False)
    assert notes_of(draft) == [chat, goals, ""]
    assert draft["captures"] == captures
    assert elapsed_of(draft)[0] >= clock, "chit-chat's time was lost"

    # 3. right after another phase change, nothing typed, the timer paused
    coach.resume("Notes · Goals", "thesis")
    coach.press("ctrl+f")
    coach.show("Notes · Commitments")
    coach.screen.mark()
    coach.press("ctrl+t")
    coach.show("Paused")
    coach.kill_when("the pause", lambda d: d.get("phase_index") == 2 and d.get("paused") is True)
    draft = coach.draft()
    assert (draft["stage"], draft["phase_index"], draft["paused"]) == ("phase", 2, True)
    assert notes_of(draft) == [chat, goals, ""]
    paused_clock = elapsed_of(draft)[2]

    # 4. during the wrap-up: notes in the paused phase, ctrl+f to the wrap-up, a rating and a reflection
    coach.resume("Notes · Commitments", "Paused")
    coach.type(commit)
    coach.press("ctrl+f")
    coach.show("One line of reflection")
    coach.press("4", "tab")  # no wait: keys right behind the Tab land in the reflection
    coach.type(reflection)
    coach.kill_when("the rating and reflection", lambda d: d.get("stage") == "wrap-up" and d.get("rating") == 4
                    and d.get("reflection") == reflection)
    draft = coach.draft()
    assert draft["stage"] == "wrap-up"
    assert notes_of(draft) == [chat, goals, commit]
    assert (draft.get("rating"), draft["reflection"]) == (4, reflection)
    assert draft["captures"] == captures
    assert elapsed_of(draft)[2] == pytest.approx(paused_clock, abs=0.05), "the paused clock ran after the resume"

    # 5. during the wrap-up again: it comes back with the reflection; a new rating
    coach.resume("One line of reflection", "jokes")
    coach.press("5")
    coach.kill_when("the new rating", lambda d: d.get("rating") == 5)
    draft = coach.draft()
    assert draft["stage"] == "wrap-up"
    assert (draft.get("rating"), draft["reflection"]) == (5, reflection)
    assert notes_of(draft) == [chat, goals, commit]

    # resume and save: everything from every round is in the summary, and the draft is gone
    coach.resume("One line of reflection", "jokes")
    coach.screen.mark()
    coach.press("ctrl+s")
    coach.show("Summary saved")
    [summary] = coach.summaries()
    assert [(p["id"], p["notes"]) for p in summary["phases"]] == [
        ("chit-chat", chat), ("goals", goals), ("commitments", commit)]
    assert [r["text"] for r in summary["remembered"]] == [fact]
    assert (summary.get("rating"), summary["reflection"]) == (5, reflection)
    assert not coach.draft_path.exists()
    coach.kill()
    assert coach.kills == 6


def test_reflection_typed_after_resuming_the_wrap_up_is_added_to_it(coach: Coach) -> None:
    """Kill during the wrap-up (reached with F10), resume, type more reflection, kill again."""
    first, more = "steady pace", "quiet voice"
    coach.begin_meeting()
    coach.type("acorn thimble ")
    coach.press("f10")
    coach.show("Skip the phases still to come")
    coach.press("enter")
    coach.show("One line of reflection")
    coach.press("tab")
    coach.type(first)
    coach.kill_when("the reflection", lambda d: d.get("reflection") == first)
    draft = coach.draft()
    assert (draft["stage"], draft["reflection"]) == ("wrap-up", first)
    assert notes_of(draft) == ["acorn thimble ", "", ""]

    coach.resume("One line of reflection", "steady")
    coach.press("tab")
    coach.type(" " + more)
    coach.kill_when("the longer reflection", lambda d: d.get("reflection") == f"{first} {more}")
    reflection = coach.draft()["reflection"]
    assert coach.kills == 2
    assert reflection.split() == [*first.split(), *more.split()], f"reflection after resuming: {reflection!r}"


def test_discard_in_the_offer_leaves_coach_running_at_the_partner_picker(
        quick_template: str, coach_dirs: tuple[Path, Path]) -> None:
    """Killed mid-meeting; the next `coach` offers the meeting back: Tab to Discard, Enter, Tab to
    Discard in the question, Enter. The draft is gone and coach runs on, at the partner picker."""
    config, data = coach_dirs
    env = terminal_env(config, data)
    first = Coach(env, ["--partner", "Ada", "--template", quick_template], data)
    try:
        first.begin_meeting()
        first.type("pebble walnut ")
        first.kill_when("the notes", lambda d: bool(d) and notes_of(d)[0] == "pebble walnut ")
    finally:
        first.close()
    again = Coach(env, [], data)
    try:
        again.start()
        again.show("Unfinished meeting")
        again.screen.mark()
        again.press("tab", "tab", "enter")
        again.show("Discard the draft?")
        again.screen.mark()
        again.press("tab", "enter")
        again.show("Who are you meeting")
        wait_until("the draft to go", lambda: not again.draft_path.exists())
        again.screen.mark()
        again.screen.type("Grace")
        again.press("enter")
        again.show("Prep · Grace")
        assert again.screen.alive(), "coach exited after Discard"
    finally:
        again.close()


def test_a_review_answer_and_its_correction_survive_kill_9(coach: Coach) -> None:
    """`o` (still open) in the review, killed; resumed, changed to `d` (done), killed; saved as done."""
    from coach import partners
    from coach.model import Commitment, PartnerRecord
    from coach.store import slugify

    partners.save_record(PartnerRecord(name="Ada", slug=slugify("Ada"), commitments=[
        Commitment(id="c1", text="mail the syllabus")]))

    def answers(draft: dict) -> list[tuple[str, str]]:
        return [(r["id"], r["status"]) for r in draft.get("reviewed", [])]

    coach.begin_meeting()
    coach.screen.mark()
    coach.press("f6")
    coach.show("0 of 1 answered")
    coach.press("o")
    coach.kill_when("the answer", lambda d: answers(d) == [("c1", "open")])

    coach.resume("Notes · Chit-chat")
    coach.screen.mark()
    coach.press("f6")
    coach.show("1 of 1 answered", "still open")
    coach.press("d")
    coach.kill_when("the changed answer", lambda d: answers(d) == [("c1", "done")])

    coach.resume("Notes · Chit-chat")
    coach.screen.mark()
    coach.press("f6")
    coach.show("1 of 1 answered", "done")
    coach.screen.mark()
    coach.press("escape")
    coach.press("f10")
    coach.show("Skip the phases still to come")
    coach.press("enter")
    coach.show("One line of reflection")
    coach.screen.mark()
    coach.press("ctrl+s")
    coach.show("Summary saved")
    [summary] = coach.summaries()
    assert [(r["id"], r["status"]) for r in summary["reviewed"]] == [("c1", "done")]
    assert coach.kills == 2
