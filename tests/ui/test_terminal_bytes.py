"""What reaches a real terminal: the real `coach` in a pseudo-terminal, with escape sequences in
its files and in a paste. The bytes it writes must never carry them: no window title, screen
clear or clipboard write comes from data."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("pty", reason="needs a POSIX pseudo-terminal (pty)")

from coach import partners
from coach.model import Commitment, Fact, Goal, Owner, PartnerRecord
from coach.store import slugify
from tests.ui.pty_driver import CoachTerminal, coach_on_a_terminal, terminal_env, wait_until

INJECTED = "\x1b]2;PWNED\x07\x1b]52;c;aGk=\x07\x1b[38;5;99mINJECTED\x1b[2J"
DECK = '''schema = 1
id = "odd"
title = "Odd"

[[cards]]
text = "Card \\u001b]2;PWNED\\u0007\\u001b]52;c;aGk=\\u0007\\u001b[38;5;99mINJECTED\\u001b[2J"
'''
TEMPLATE = '''schema = 1
id = "odd"
title = "Odd"

[[phases]]
id = "chit-chat"
title = "Chat \\u001b]2;PWNED\\u0007"
minutes = 5
decks = ["odd"]
'''


def test_escape_sequences_in_files_and_pastes_never_reach_the_terminal(coach_dirs: tuple[Path, Path]) -> None:
    config, data = coach_dirs
    (config / "decks").mkdir(parents=True)
    (config / "decks" / "odd.toml").write_text(DECK, encoding="utf-8")
    (config / "templates").mkdir()
    (config / "templates" / "odd.toml").write_text(TEMPLATE, encoding="utf-8")
    met = datetime.now().astimezone().replace(microsecond=0) - timedelta(days=7)
    partners.save_record(PartnerRecord(
        name="Ada", slug=slugify("Ada"), created=met, last_meeting=met,
        facts=[Fact(f"fact {INJECTED}", met.date())], goals=[Goal(id="g1", text=f"goal {INJECTED}")],
        commitments=[Commitment(id="c1", text=f"promise {INJECTED}", owner=Owner.THEM, due=date(2026, 1, 1))]))
    term = CoachTerminal(["--partner", "Ada", "--template", "odd"], terminal_env(config, data), size=(120, 40))
    term.start()
    try:
        term.wait_for_screen("Start meeting")
        term.press("s")
        term.wait_for_screen("Still open")  # with one phase, the review of commitments comes first
        term.mark()
        term.press("d")
        term.wait_for_screen("Notes")
        for _ in range(3):  # the fact card and the deck's card
            term.press("ctrl+n")
        # Terminals pass controls other than ESC inside a bracketed paste (xterm and kitty strip ESC)
        term.send(b"\x1b[200~pasted \x07\x08\x0b\x7f\xc2\x9b31m end\x1b[201~")
        term.wait_for_screen("pasted ␇␈␋␡\ufffd31m end")
        term.press("ctrl+r")
        term.wait_for_screen("What do you want to remember")
        term.send(b"\x1b[200~remember \x07\x08 this\x1b[201~")
        term.press("enter")
        term.wait_for_screen("Remembered: remember ␇␈ this")
        term.press("f10")
        term.wait_for_screen("Skip the phases still to come")
        term.press("enter")
        term.wait_for_screen("One line of reflection")
        term.press("ctrl+s")
        term.wait_for_screen("Summary saved")
    finally:
        raw = term.raw()
        term.close()
    text = raw.decode("utf-8", errors="replace")
    assert "PWNED" in text and "␛]2;PWNED␇" in text, "the data was on screen, as text"
    for sequence in ("\x1b]2;PWNED", "\x1b]52;", "\x1b[38;5;99m", "INJECTED\x1b[2J"):
        assert sequence not in text, f"{sequence!r} reached the terminal"
    titles = re.findall(r"\x1b\]2;([^\x07\x1b]*)\x07", text)
    assert titles, "the window title shows the phase"
    assert all(not re.search(r"[\x00-\x1f\x7f-\x9f]", title) for title in titles)
    assert any(title.startswith("Chat ␛]2;PWNED␇") for title in titles)


def test_the_terminals_own_title_is_given_back_when_coach_quits(coach_dirs: tuple[Path, Path]) -> None:
    """coach keeps the terminal's title on xterm's title stack before its first title, and takes it
    back as it quits (terminals without a stack ignore both)."""
    config, data = coach_dirs
    term = CoachTerminal(["--partner", "Ada"], terminal_env(config, data))
    term.start()
    try:
        term.wait_for_screen("Start meeting")
        term.press("ctrl+q")
        assert term.proc.wait(timeout=30) == 0
    finally:
        raw = term.raw()
        term.close()
    text = raw.decode("utf-8", errors="replace")
    push, pop, first_title = text.find("\x1b[22;0t"), text.rfind("\x1b[23;0t"), text.find("\x1b]2;")
    assert 0 <= push < first_title, "kept before coach's first title"
    assert pop > text.rfind("\x1b]2;"), "given back after coach's last one"
    assert text.count("\x1b[22;0t") == text.count("\x1b[23;0t") == 1


def test_an_escape_inside_a_paste_stays_in_the_pasted_text_in_order(coach_dirs: tuple[Path, Path]) -> None:
    """tmux passes ESC on inside a bracketed paste: the notes show it as ␛, where it was pasted (it
    came as the keys `^CD` first, the rest of the paste after them), in reads cut anywhere."""
    with coach_on_a_terminal(["--partner", "Ada"], coach_dirs) as term:
        term.wait_for_screen("Start meeting")
        term.press("s")
        term.wait_for_screen("Notes")
        term.send(b"\x1b[200~note AB\x1bCD\x1b")  # the closing marker's ESC in one write, its rest in the next
        term.send(b"[201~ end")
        term.wait_for_screen("note AB␛CD end")


@pytest.mark.parametrize("how", ["one write", "a key at a time", "pasted", "pasted with the Enter"])
def test_words_typed_or_pasted_as_the_wrap_up_opens_reach_the_reflection_whole(coach_dirs, how: str) -> None:
    """Typed with the Enter that ends the meeting, in one write or a key every 50 ms, or pasted as
    soon as the wrap-up shows: the reflection gets all of it, in order (it lost the first letter,
    took spaces late, or lost the paste), and no rating is chosen. Read back from the draft that
    quitting keeps."""
    from coach import draft as drafts

    with coach_on_a_terminal(["--partner", "Ada"], coach_dirs) as term:
        term.wait_for_screen("Start meeting")
        term.press("s")
        term.wait_for_screen("Notes")
        term.press("f10")
        term.wait_for_screen("Skip the phases")
        if how == "one write":
            term.send(b"\r great chat today")
        elif how == "a key at a time":
            term.press("enter", *" great chat today")
        elif how == "pasted":
            term.press("enter")
            term.wait_for_screen("One line of reflection")
            term.send(b"\x1b[200~ great\x1bchat today\x1b[201~")
        else:  # before the wrap-up is drawn: the paste waits for it, as keys do
            term.send(b"\r\x1b[200~ great\x1bchat today\x1b[201~")
        wanted = " great chat today" if how in ("one write", "a key at a time") else " great␛chat today"

        def saved() -> dict | None:  # the draft written soon after each change
            try:
                state = tomllib.loads(drafts.draft_path().read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                return None
            done = state.get("stage") == "wrap-up" and state.get("reflection", "").strip() == wanted.strip()
            return state if done else None

        state = wait_until("the reflection in the draft", saved)
    assert "rating" not in state


def test_an_arrow_and_enter_in_one_write_answer_with_the_button_the_arrow_chose(coach_dirs) -> None:
    """→ then Enter as fast as a terminal sends them: the Quit question quits (the arrow's move
    came after Enter's answer, which was Cancel, the button focused first)."""
    with coach_on_a_terminal(["--partner", "Ada"], coach_dirs) as term:
        term.wait_for_screen("Start meeting")
        term.press("s")
        term.wait_for_screen("Notes")
        term.press("ctrl+q")
        term.wait_for_screen("Quit coach?")
        term.send(b"\x1b[C\r")
        assert term.proc.wait(timeout=30) == 0
