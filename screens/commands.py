"""Commands, declared once: each is a palette entry and, when it has a key, a key binding.

A screen lists its commands and its other keys in one `ACTIONS` list; its `BINDINGS` are made
from that list, and the palette offers the commands its `check_action` allows. Nothing is
written twice, so the footer and the palette cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen


@dataclass(frozen=True)
class Command:
    """A command: its name and help in the palette; with a `key`, also a binding."""

    name: str
    action: str
    help: str
    key: str = ""
    """The key that runs it ("" for a command found only in the palette)."""
    footer: str | None = None
    """Its short label in the footer (None: the key works but is not shown there)."""
    id: str | None = None

    def binding(self) -> Binding:
        return Binding(self.key, self.action, self.footer or self.name, show=self.footer is not None, id=self.id)


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


class ScreenCommands(Provider):
    """The commands of the screen the palette was opened from."""

    def _commands(self) -> Iterator[Command]:
        screen = self.screen
        if isinstance(screen, CommandScreen):
            yield from available(screen, screen.ACTIONS)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, partial(self.screen.run_action, command.action), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            if (score := matcher.match(command.name)) > 0:
                yield Hit(score, matcher.highlight(command.name), partial(self.screen.run_action, command.action),
                          help=command.help)


class CommandScreen(Screen):
    """A screen whose commands are in the palette. Subclasses set `ACTIONS`, then
    `BINDINGS = bindings(ACTIONS)`."""

    COMMANDS = {ScreenCommands}
    ACTIONS: ClassVar[Sequence[Action]] = ()
