"""Commands, declared once: each is a palette entry and, when it has a key, a key binding.

A screen lists its commands and its other keys in one `ACTIONS` list; its `BINDINGS` are made
from that list, and the palette offers the commands its `check_action` allows, each with its
key. Nothing is written twice, so the footer and the palette cannot drift apart. The order of
`ACTIONS` is the footer's priority: when the keys do not fit, the last ones are left out.

The palette finds a command by its name, by the words of its help, and by the other words
people use for it (`also`): "share" finds the privacy curtain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Any, ClassVar, cast

from msgspec import Struct
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen

from screens.messages import TitleChanged

KEY_NAMES = {"escape": "Esc", "enter": "Enter", "slash": "/", "tab": "Tab", "space": "Space", "delete": "Del",
             "up": "↑", "down": "↓", "left": "←", "right": "→"}


def key_label(key: str, *, compact: bool = False) -> str:
    """A key as people read it: `ctrl+n` (`^n` when `compact`), `F8`, `Esc`, `/`."""
    *modifiers, name = key.split(",")[0].strip().split("+")
    name = name.upper() if re.fullmatch(r"f\d+", name) else KEY_NAMES.get(name, name)
    if compact and modifiers == ["ctrl"]:
        return f"^{name}"
    return "+".join([*modifiers, name])


class Command(Struct, frozen=True):
    """A command: its name and help in the palette; with a `key`, also a binding."""

    name: str
    action: str
    help: str
    key: str = ""
    """The key that runs it ("" for a command found only in the palette)."""
    footer: str | None = None
    """Its short label in the footer (None: the key works but is not shown there)."""
    id: str | None = None
    also: tuple[str, ...] = ()
    """Other words people use for it, which find it in the palette ("share" for the curtain)."""
    priority: bool = False
    """The key works before the focused widget sees it (F6 and F7 select text in a TextArea)."""

    def binding(self) -> Binding:
        return Binding(self.key, self.action, self.footer or self.name, show=self.footer is not None, id=self.id,
                       priority=self.priority)


Action = Command | Binding
"""An entry of an `ACTIONS` list: a command, or a key that is no command of its own."""


def bindings(actions: Iterable[Action]) -> list[BindingType]:
    """The key bindings of an `ACTIONS` list, in its order (the footer's)."""
    return [a if isinstance(a, Binding) else a.binding() for a in actions if isinstance(a, Binding) or a.key]


def available(node: DOMNode, actions: Iterable[Action]) -> Iterator[Command]:
    """The commands of `actions` that `node` allows now."""
    for action in actions:
        if isinstance(action, Command) and node.check_action(action.action, ()) is True:
            yield action


class Entry(Struct, frozen=True):
    """A line of the palette: a command's name, its key and help, and what runs it."""

    name: str
    help: str
    run: Callable[[], Any]
    key: str = ""
    also: tuple[str, ...] = ()
    discover: bool = True
    """Offered with an empty query (Textual's Minimize and the like say no)."""

    @classmethod
    def of(cls, command: Command, screen: Screen) -> Entry:
        return cls(command.name, command.help, partial(screen.run_action, command.action), command.key, command.also)

    def help_line(self) -> str:
        """`ctrl+n · Show the next prompt card`. It is `Content`, which the palette shows as it
        is (a `str` would be read as markup, and a partner's name may hold brackets)."""
        key = key_label(self.key) if self.key else "no key"  # every entry says: a key, or that it has none
        shown = Content.assemble((key, "bold" if self.key else "dim"), " · ", self.help)
        return cast(str, shown)

    def words(self) -> set[str]:
        return {w for text in (self.name, self.help, *self.also) for w in re.findall(r"\w+", text.lower())}


WORD_SCORE = 0.4
"""A command found by a word of its help or by another word for it ranks below one whose name
matches well."""


def score(entry: Entry, query: str, matcher: Matcher) -> float:
    """How well `query` finds `entry`: fuzzily on its name, or each word of the query starting a
    word of its name, help or other words."""
    by_name = matcher.match(entry.name)
    typed = re.findall(r"\w+", query.lower())
    words = entry.words()
    by_words = WORD_SCORE if typed and all(any(w.startswith(t) for w in words) for t in typed) else 0.0
    return max(by_name, by_words)


class EntryProvider(Provider):
    """A palette provider over `Entry`s: each shows its key, and is found by its words too."""

    def entries(self) -> Iterator[Entry]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for entry in self.entries():
            if entry.discover:
                yield DiscoveryHit(entry.name, entry.run, text=entry.name, help=entry.help_line())

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self.entries():
            if (found := score(entry, query, matcher)) > 0:
                shown = matcher.highlight(entry.name) if matcher.match(entry.name) > 0 else Content(entry.name)
                yield Hit(found, shown, entry.run, text=entry.name, help=entry.help_line())


class AppCommands(EntryProvider):
    """The app's commands, each with its key where it has one: the app's `get_system_commands`
    (coach's own and Textual's, such as Theme), with the keys and other words its `ACTIONS` give."""

    def entries(self) -> Iterator[Entry]:
        app = self.app
        declared = {a.name: a for a in getattr(app, "ACTIONS", ()) if isinstance(a, Command)}
        for title, help_text, run, discover in app.get_system_commands(self.screen):
            key, also = (command.key, command.also) if (command := declared.get(title)) else ("", ())
            yield Entry(title, help_text, run, key, also, discover)


class ScreenCommands(EntryProvider):
    """The commands of the screen the palette was opened from."""

    def entries(self) -> Iterator[Entry]:
        screen = self.screen
        if isinstance(screen, CommandScreen):
            for command in available(screen, screen.ACTIONS):
                yield Entry.of(command, screen)


class CommandScreen(Screen):
    """A screen whose commands are in the palette. Subclasses set `ACTIONS`, then
    `BINDINGS = bindings(ACTIONS)`."""

    COMMANDS = {ScreenCommands}
    ACTIONS: ClassVar[Sequence[Action]] = ()
    said_title: str | None = None
    """What this screen last put in the terminal's title bar (see `say_title`)."""

    def say_title(self, text: str) -> None:
        """Put `text` in the terminal's title bar, now and whenever this screen comes back on top
        (closing the history over prep gave the bar back to prep)."""
        self.said_title = text
        self.app.post_message(TitleChanged(text))

    def on_screen_resume(self) -> None:
        if self.said_title is not None:
            self.app.post_message(TitleChanged(self.said_title))

    @property
    def on_stack(self) -> bool:
        """On the app's stack of screens (under a dialog too). What a thread read for a screen
        that gave way is dropped: its widgets may be going while it is still attached."""
        return self.is_attached and self in self.app.screen_stack
