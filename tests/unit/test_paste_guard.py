"""An ESC inside a bracketed paste stays in the pasted text, as `␛`, however the terminal's bytes
are cut into reads; everything outside a paste is parsed as Textual parses it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual import events
from textual._xterm_parser import XTermParser

from screens.paste_guard import END, ESC, ESC_SHOWN, START, PasteGuard

TYPED = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=6)
PASTED = st.text(st.sampled_from(["a", "B", " ", "[", "2", "0", "1", "~", "\x07", "\x1b", "é", "😀"]), max_size=12)


def tokens(parser: XTermParser, reads: list[str]) -> list[tuple]:
    out = [event for data in reads for event in parser.feed(data)]
    out += list(parser.feed(""))
    return [(type(e).__name__, getattr(e, "key", None), getattr(e, "character", None), getattr(e, "text", None))
            for e in out if isinstance(e, (events.Key, events.Paste))]


@st.composite
def input_and_cuts(draw) -> tuple[str, str, list[str]]:
    """What the terminal sends (typing and pastes), what Textual should see, and the sent cut into reads."""
    sent, meant = "", ""
    for _ in range(draw(st.integers(1, 3))):
        typed, pasted = draw(TYPED), draw(PASTED).replace(END[:-1], "x")  # a paste never holds its end marker
        sent += typed + START + pasted + END
        meant += typed + START + pasted.replace(ESC, ESC_SHOWN) + END
    sent += (tail := draw(TYPED))
    meant += tail
    cuts = sorted(draw(st.lists(st.integers(0, len(sent)), max_size=6)))
    reads = [sent[a:b] for a, b in zip([0, *cuts], [*cuts, len(sent)], strict=True)]
    return sent, meant, [r for r in reads if r]


@given(input_and_cuts())
def test_pastes_keep_their_escapes_and_typing_is_parsed_as_before(case):
    _sent, meant, reads = case
    assert tokens(PasteGuard(), reads) == tokens(XTermParser(), [meant])


def test_the_paste_that_was_garbled():
    assert tokens(PasteGuard(), ["\x1b[200~AB\x1bC", "D\x1b[2", "01~"]) == [("Paste", None, None, "AB␛CD")]


def test_the_escape_key_alone_is_not_held_back():
    parser = PasteGuard()
    assert parser.guard("\x1b") == "\x1b" and parser.guard("[A") == "[A"  # passed on at once, as read
