"""A pasted ESC stays inside the paste.

Terminals wrap what is pasted in `ESC[200~` … `ESC[201~` (bracketed paste). xterm and kitty take
ESC out of the text first; tmux and others pass it on. Textual's input parser reads an ESC inside
the paste as the start of a key sequence: `AB<ESC>CD` came to the notes as the keys `^`, `C`, `D`
at once, and `AB` after them (`^CDAB`), saved that way.

`PasteGuard` is Textual's parser with one step before it: between the two markers, an ESC that
does not begin the closing marker becomes `␛`, the stand-in coach shows for ESC everywhere. An ESC
at the end of what was read, inside a paste, waits for the next read (it may begin the closing
marker); outside a paste nothing waits, so the Escape key comes as soon as it did.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._xterm_parser import XTermParser
from textual.message import Message

START, END = "\x1b[200~", "\x1b[201~"
ESC, ESC_SHOWN = "\x1b", "␛"


class PasteGuard(XTermParser):
    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._in_paste = False
        self._held = ""  # inside a paste: the read's end, which may begin the closing marker
        self._seen = ""  # outside: the read's end, which may begin the opening marker (already passed on)

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input: what waited goes as it is, shown
            held, self._held = self._held, ""
            return [*super().feed(held.replace(ESC, ESC_SHOWN)), *super().feed("")] if held else super().feed("")
        guarded = self.guard(data)
        return super().feed(guarded) if guarded else []  # (an empty feed would say the input ended)

    def guard(self, data: str) -> str:
        """`data` with each ESC inside a paste (not the closing marker's) as `␛`."""
        out: list[str] = []
        text, self._held = self._held + data, ""
        while text:
            if not self._in_paste:
                seen = self._seen + text
                found = seen.find(START)
                if found < 0:
                    out.append(text)
                    self._seen = next((seen[-n:] for n in range(len(START) - 1, 0, -1)
                                       if START.startswith(seen[-n:])), "")
                    return "".join(out)
                after = found + len(START) - len(self._seen)  # where the paste begins in `text`
                out.append(text[:after])
                text, self._in_paste, self._seen = text[after:], True, ""
                continue
            escape = text.find(ESC)
            if escape < 0:
                out.append(text)
                return "".join(out)
            out.append(text[:escape])
            rest = text[escape:]
            if rest.startswith(END):
                out.append(END)
                text, self._in_paste = rest[len(END):], False
            elif END.startswith(rest):  # perhaps the closing marker, cut by the read: wait for the rest
                self._held = rest
                return "".join(out)
            else:
                out.append(ESC_SHOWN)
                text = rest[1:]
        return "".join(out)


def install() -> None:
    """Textual's Linux/macOS driver makes its parser when its input thread starts: make it this one."""
    from textual.drivers import linux_driver

    linux_driver.XTermParser = PasteGuard  # type: ignore[misc]  # the driver's module-level name, read at each start
